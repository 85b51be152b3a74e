"""The committed artifacts are fresh and well-formed, and scripts/build-contracts
notices every kind of staleness."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from eth_utils import keccak

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIR = REPO_ROOT / "contracts" / "src"
BUILD_DIR = REPO_ROOT / "contracts" / "build"
ARTIFACT_KEYS = {
    "abi",
    "bytecode",
    "compiler",
    "contractName",
    "deployedBytecode",
    "sourceHash",
    "sourcePath",
}
SOURCES = sorted(SOURCE_DIR.glob("*.vy"))


def run_build(
    root: Path, *arguments: str, python: str = sys.executable
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(root / "scripts" / "build-contracts"), *arguments],
        cwd=root,
        env={**os.environ, "PYTHON": python},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_committed_artifacts_are_up_to_date():
    result = run_build(REPO_ROOT, "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == f"{len(SOURCES)} contract artifacts up to date\n"


def test_every_shipped_contract_has_a_source():
    assert {source.stem for source in SOURCES} >= {"ERC20", "ERC721", "ModelRegistry", "RevertTester"}


@pytest.mark.parametrize("source", SOURCES, ids=[source.stem for source in SOURCES])
def test_artifact_format(source):
    path = BUILD_DIR / f"{source.stem}.json"
    text = path.read_text(encoding="utf-8")
    artifact = json.loads(text)
    assert set(artifact) == ARTIFACT_KEYS
    assert artifact["contractName"] == source.stem
    assert artifact["sourcePath"] == f"contracts/src/{source.name}"
    assert artifact["sourceHash"] == "0x" + keccak(source.read_bytes()).hex()
    assert artifact["compiler"] == "vyper-0.4.3"
    for key in ("bytecode", "deployedBytecode"):
        code = artifact[key]
        assert code.startswith("0x") and code == code.lower() and len(code) > 2
        bytes.fromhex(code[2:])
    # the runtime code is embedded in the init code
    assert artifact["deployedBytecode"][2:] in artifact["bytecode"]
    assert isinstance(artifact["abi"], list) and artifact["abi"]
    assert all(
        entry["type"] in {"function", "event", "constructor", "fallback", "receive"}
        for entry in artifact["abi"]
    )
    assert text == json.dumps(artifact, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


@pytest.fixture
def scratch_repo(tmp_path: Path) -> Path:
    """A minimal copy of the repository: the build script and two sources."""
    (tmp_path / "scripts").mkdir()
    shutil.copy2(REPO_ROOT / "scripts" / "build-contracts", tmp_path / "scripts")
    shutil.copytree(REPO_ROOT / "contracts" / "tools", tmp_path / "contracts" / "tools")
    (tmp_path / "contracts" / "src").mkdir()
    shutil.copy2(SOURCE_DIR / "RevertTester.vy", tmp_path / "contracts" / "src")
    shutil.copy2(SOURCE_DIR / "RevertTester.vy", tmp_path / "contracts" / "src" / "Extra.vy")
    return tmp_path


def test_check_names_stale_missing_and_orphaned_artifacts_and_build_fixes_them(scratch_repo: Path):
    src, build = scratch_repo / "contracts" / "src", scratch_repo / "contracts" / "build"

    built = run_build(scratch_repo)
    assert built.returncode == 0, built.stderr
    # the same source gives byte-identical output wherever the repository lives
    assert (build / "RevertTester.json").read_bytes() == (
        BUILD_DIR / "RevertTester.json"
    ).read_bytes()
    assert json.loads((build / "Extra.json").read_text())["contractName"] == "Extra"

    with (src / "RevertTester.vy").open("a") as source:
        source.write("\n# an edit\n")
    (build / "Extra.json").unlink()
    (build / "Old.json").write_text("{}\n")

    checked = run_build(scratch_repo, "--check")
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == [
        "missing: contracts/build/Extra.json",
        "stale: contracts/build/RevertTester.json (source changed since it was built)",
        "orphaned: contracts/build/Old.json (no contracts/src/Old.vy)",
    ]
    assert not (build / "Extra.json").exists() and (build / "Old.json").exists()

    rebuilt = run_build(scratch_repo)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert sorted(path.name for path in build.iterdir()) == ["Extra.json", "RevertTester.json"]
    assert json.loads((build / "RevertTester.json").read_text())["sourceHash"] == (
        "0x" + keccak((src / "RevertTester.vy").read_bytes()).hex()
    )


def test_a_source_that_does_not_compile_fails_with_its_path(tmp_path: Path):
    (tmp_path / "scripts").mkdir()
    shutil.copy2(REPO_ROOT / "scripts" / "build-contracts", tmp_path / "scripts")
    shutil.copytree(REPO_ROOT / "contracts" / "tools", tmp_path / "contracts" / "tools")
    (tmp_path / "contracts" / "src").mkdir()
    (tmp_path / "contracts" / "src" / "Broken.vy").write_text(
        "@external\ndef f() -> uint256:\n    return -1\n"
    )
    result = run_build(tmp_path, "--check")
    assert result.returncode == 2
    assert "build-contracts: contracts/src/Broken.vy does not compile" in result.stderr


def test_a_missing_python_is_reported_in_one_line(tmp_path: Path):
    result = run_build(REPO_ROOT, "--check", python=str(tmp_path / "no-python"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "no Python at" in result.stderr
