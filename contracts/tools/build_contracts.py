"""Compile contracts/src/*.vy into contracts/build/<Name>.json artifacts.

Run through scripts/build-contracts, which picks the project's Python.
Usage: build_contracts.py [--check]

Without --check every artifact is (re)written, and artifacts whose source is
gone are removed. With --check nothing is written: every artifact that is
missing, stale or orphaned is named on its own line and the exit status is 1.
Exit status 2 means a source did not compile or the compiler is the wrong one.

The artifact format is read by EthereumKit's artifact loader; contracts/README.md
documents it. Output is deterministic: the same sources and compiler always give
byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIR = REPO_ROOT / "contracts" / "src"
BUILD_DIR = REPO_ROOT / "contracts" / "build"

# Pinned in infra/requirements.txt; another version gives other bytecode.
VYPER_VERSION = "0.4.3"
# Every source also says this in a pragma; passing it here turns a source that
# asks for another EVM version into a compile error instead of a silent change.
EVM_VERSION = "cancun"


class BuildError(Exception):
    """A failure that stops the build; its message is shown to the user as is."""


@dataclass(frozen=True)
class Artifact:
    name: str
    path: Path  # where the artifact lives (or will)
    text: str  # the exact file contents
    source_hash: str


def relative(path: Path) -> str:
    return path.relative_to(REPO_ROOT).as_posix()


def load_compiler():
    try:
        import vyper
        from vyper.compiler.settings import Settings
        from vyper.exceptions import VyperException
    except ImportError as error:
        raise BuildError(f"vyper is not installed in {sys.executable} ({error})") from error
    version = vyper.__version__.split("+")[0]
    if version != VYPER_VERSION:
        raise BuildError(
            f"vyper {version} found in {sys.executable}, but the artifacts are built with "
            f"vyper {VYPER_VERSION} (pinned in infra/requirements.txt)"
        )
    return vyper, Settings, VyperException


def keccak_hex(data: bytes) -> str:
    from eth_hash.auto import keccak

    return "0x" + keccak(data).hex()


def render(artifact: dict) -> str:
    return json.dumps(artifact, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def build_artifact(source_path: Path, compiler) -> Artifact:
    vyper, Settings, VyperException = compiler
    source_bytes = source_path.read_bytes()
    try:
        source_text = source_bytes.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BuildError(f"{relative(source_path)}: not UTF-8 ({error})") from error
    try:
        output = vyper.compile_code(
            source_text,
            contract_path=relative(source_path),
            output_formats=["abi", "bytecode", "bytecode_runtime"],
            settings=Settings(evm_version=EVM_VERSION),
        )
    except VyperException as error:
        raise BuildError(f"{relative(source_path)} does not compile:\n{error}") from error
    except ValueError as error:  # e.g. "settings conflict!" from a pragma
        raise BuildError(f"{relative(source_path)} does not compile: {error}") from error
    name = source_path.stem
    source_hash = keccak_hex(source_bytes)
    artifact = {
        "contractName": name,
        "abi": output["abi"],
        "bytecode": output["bytecode"],
        "deployedBytecode": output["bytecode_runtime"],
        "sourceHash": source_hash,
        "sourcePath": relative(source_path),
        "compiler": f"vyper-{VYPER_VERSION}",
    }
    return Artifact(name, BUILD_DIR / f"{name}.json", render(artifact), source_hash)


def build_all() -> list[Artifact]:
    sources = sorted(SOURCE_DIR.glob("*.vy"))
    if not sources:
        raise BuildError(f"no Vyper sources in {relative(SOURCE_DIR)}")
    compiler = load_compiler()
    return [build_artifact(source, compiler) for source in sources]


def orphaned_artifacts(artifacts: list[Artifact]) -> list[Path]:
    expected = {artifact.path for artifact in artifacts}
    return sorted(path for path in BUILD_DIR.glob("*.json") if path not in expected)


def stale_reason(artifact: Artifact) -> str | None:
    """Why the artifact on disk differs from a fresh build, or None when it does not."""
    if not artifact.path.is_file():
        return "missing"
    on_disk = artifact.path.read_text(encoding="utf-8")
    if on_disk == artifact.text:
        return None
    try:
        recorded_hash = json.loads(on_disk).get("sourceHash")
    except (json.JSONDecodeError, AttributeError):
        return "not a valid artifact"
    if recorded_hash != artifact.source_hash:
        return "source changed since it was built"
    return "differs from the compiler's output"


def check(artifacts: list[Artifact]) -> int:
    problems = []
    for artifact in artifacts:
        reason = stale_reason(artifact)
        if reason == "missing":
            problems.append(f"missing: {relative(artifact.path)}")
        elif reason is not None:
            problems.append(f"stale: {relative(artifact.path)} ({reason})")
    for path in orphaned_artifacts(artifacts):
        problems.append(f"orphaned: {relative(path)} (no contracts/src/{path.stem}.vy)")
    for line in problems:
        print(line)
    if problems:
        print("run scripts/build-contracts to rebuild the artifacts", file=sys.stderr)
        return 1
    print(f"{len(artifacts)} contract artifacts up to date")
    return 0


def write(artifacts: list[Artifact]) -> int:
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    for artifact in artifacts:
        if stale_reason(artifact) is None:
            print(f"unchanged {relative(artifact.path)}")
            continue
        artifact.path.write_text(artifact.text, encoding="utf-8")
        print(f"wrote {relative(artifact.path)}")
    for path in orphaned_artifacts(artifacts):
        path.unlink()
        print(f"removed {relative(path)} (its source is gone)")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="build-contracts",
        description="Compile contracts/src/*.vy into contracts/build/<Name>.json.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 naming every missing, stale or orphaned artifact",
    )
    arguments = parser.parse_args(argv)
    try:
        artifacts = build_all()
    except BuildError as error:
        print(f"build-contracts: {error}", file=sys.stderr)
        return 2
    return check(artifacts) if arguments.check else write(artifacts)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
