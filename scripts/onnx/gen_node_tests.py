#!/usr/bin/env python3
"""Writes the ONNX backend node tests of the pinned `onnx` package to OUT_DIR for the Swift
conformance runner (`aiplat models conformance`, ONNXConformanceTests).

The tests themselves are written by list_node_tests.generate (one writer for both scripts: the
package's own case definitions, seeded, into the backend-test layout). This adds
OUT_DIR/index.json: {"onnx_version", "tests": {<test>: {"op": <OpType>, "domain": <domain>}}},
where op is the operator the test exercises (expanded function tests included), matched from the
test name against the operator schemas. Nothing is rewritten while index.json names the same onnx
version.
"""
import json
import sys
from pathlib import Path

import onnx
from onnx import defs

sys.path.insert(0, str(Path(__file__).resolve().parent))
from list_node_tests import generate  # noqa: E402


def operator_of(test_name, schemas):
    """Longest schema name whose snake-free lowercase form is a prefix of the test name's."""
    words = test_name[len("test_"):].split("_")
    for cut in range(len(words), 0, -1):
        key = "".join(words[:cut]).lower()
        if key in schemas:
            return schemas[key]
    return None


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".build/onnx-node-tests")
    stamp = out / "index.json"
    if stamp.exists() and json.loads(stamp.read_text()).get("onnx_version") == onnx.__version__:
        print(f"node tests already in {out}")
        return
    generate(out.resolve())
    schemas = {}
    for schema in defs.get_all_schemas_with_history():
        schemas.setdefault(schema.name.lower(), (schema.name, schema.domain))
    index = {}
    for test_dir in sorted(out.iterdir()):
        if not (test_dir / "model.onnx").is_file():
            continue
        found = operator_of(test_dir.name, schemas)
        if found is None:
            graph = onnx.load(str(test_dir / "model.onnx"), load_external_data=False).graph
            found = (graph.node[0].op_type, graph.node[0].domain) if graph.node else ("?", "")
        index[test_dir.name] = {"op": found[0], "domain": found[1] or ""}
    stamp.write_text(json.dumps({"onnx_version": onnx.__version__, "tests": index}, indent=0, sort_keys=True))
    print(f"wrote {len(index)} node tests to {out}")


if __name__ == "__main__":
    main()
