#!/usr/bin/env python3
"""Where the ONNX backend node tests are, and which operators each one uses; JSON on stdout.

    .venv/bin/python scripts/onnx/list_node_tests.py [--data-dir DIR] [--regenerate]

The `onnx` pip package defines its node tests in Python (onnx/backend/test/case/node/*.py);
some wheels also ship them materialized under onnx/backend/test/data/node, and onnx 1.23.2
does not. When the package has that directory it is used as is. Otherwise the tests are
written once, by the package's own case definitions (the same `expect` calls that
generate the directory in the onnx repository), into DIR (default:
<repo>/.build-onnx-node-tests/onnx-<version>/node, git-ignored), in the backend-test
layout: <test>/model.onnx and <test>/test_data_set_0/{input,output}_<i>.pb. Generation
takes ~10 s and happens again only with --regenerate or when the onnx version changes.
Nothing is downloaded.

Output (one JSON object):
    {"onnx_version": "1.23.2",
     "node_dir": "/abs/path/.../node",
     "source": "package" | "generated",
     "tests": [{"name": "test_abs", "ops": [{"domain": "ai.onnx", "op_type": "Abs"}],
                "opsets": {"ai.onnx": 13}, "data_sets": 1}, ...]}
`ops` lists every (domain, op_type) in the model's main graph (the default domain is
written "ai.onnx"), so a conformance runner can group results per operator; `_expanded`
tests (a function op written out as its body) list the body's ops.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import warnings
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
STAMP = ".complete"


def package_node_dir() -> Path:
    import onnx

    return Path(onnx.__file__).resolve().parent / "backend" / "test" / "data" / "node"


def write_case(case, directory: Path) -> None:
    from onnx import numpy_helper

    directory.mkdir(parents=True)
    (directory / "model.onnx").write_bytes(case.model.SerializeToString())
    graph = case.model.graph
    for index, (inputs, outputs) in enumerate(case.data_sets):
        data_dir = directory / f"test_data_set_{index}"
        data_dir.mkdir()
        for kind, values, infos in (("input", inputs, graph.input), ("output", outputs, graph.output)):
            for i, value in enumerate(values):
                (data_dir / f"{kind}_{i}.pb").write_bytes(
                    serialize(value, infos[i], numpy_helper)
                )


def serialize(value, info, numpy_helper) -> bytes:
    """As onnx's own backend-test-tools writes a value, by the graph's declared type."""
    from onnx import TensorProto

    kind = info.type.WhichOneof("value")
    if kind == "map_type":
        return numpy_helper.from_dict(value, info.name).SerializeToString()
    if kind == "sequence_type":
        return numpy_helper.from_list(value, info.name).SerializeToString()
    if kind == "optional_type":
        return numpy_helper.from_optional(value, info.name).SerializeToString()
    if isinstance(value, TensorProto):
        return value.SerializeToString()
    return numpy_helper.from_array(value, info.name).SerializeToString()


def generate(target: Path) -> None:
    from onnx.backend.test.case.node import collect_testcases

    import numpy as np

    # the case definitions draw their inputs from numpy's global generator: seed it so
    # that regenerating gives the same files
    np.random.seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases = collect_testcases()
    scratch = target.with_name(target.name + ".partial")
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True)
    for case in cases:
        write_case(case, scratch / case.name)
    (scratch / STAMP).write_text(f"{len(cases)}\n")
    if target.exists():
        shutil.rmtree(target)
    os.replace(scratch, target)


def describe(test_dir: Path) -> dict:
    import onnx

    model = onnx.load(str(test_dir / "model.onnx"), load_external_data=False)
    ops = sorted({(node.domain or "ai.onnx", node.op_type) for node in model.graph.node})
    opsets: dict[str, int] = {}
    for entry in model.opset_import:
        domain = entry.domain or "ai.onnx"
        opsets[domain] = max(opsets.get(domain, 0), entry.version)
    return {
        "name": test_dir.name,
        "ops": [{"domain": domain, "op_type": op_type} for domain, op_type in ops],
        "opsets": dict(sorted(opsets.items())),
        "data_sets": len(list(test_dir.glob("test_data_set_*"))),
    }


def main(argv: list[str]) -> int:
    import onnx

    parser = argparse.ArgumentParser(prog="list_node_tests", description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, help="where to generate the tests when the package lacks them")
    parser.add_argument("--regenerate", action="store_true", help="generate again even when present")
    args = parser.parse_args(argv)

    node_dir, source = package_node_dir(), "package"
    if not node_dir.is_dir() or args.data_dir is not None or args.regenerate:
        node_dir = (args.data_dir or REPO_ROOT / ".build-onnx-node-tests" / f"onnx-{onnx.__version__}" / "node").resolve()
        source = "generated"
        if args.regenerate or not (node_dir / STAMP).is_file():
            try:
                generate(node_dir)
            except OSError as error:
                print(f"list_node_tests: cannot write {node_dir}: {error}", file=sys.stderr)
                return 2
    tests = [describe(path) for path in sorted(node_dir.iterdir()) if (path / "model.onnx").is_file()]
    json.dump(
        {"onnx_version": onnx.__version__, "node_dir": str(node_dir), "source": source, "tests": tests},
        sys.stdout,
        indent=1,
    )
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
