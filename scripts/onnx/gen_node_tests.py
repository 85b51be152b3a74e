#!/usr/bin/env python3
"""Writes the ONNX backend node tests of the pinned `onnx` package to OUT_DIR.

The wheel ships the test *generators* (onnx/backend/test/case/node/*.py), not their data; this
runs them and writes the usual layout: OUT_DIR/<test>/model.onnx + test_data_set_<i>/input_<j>.pb
and output_<j>.pb (TensorProto, or SequenceProto/MapProto/OptionalProto for non-tensor values),
plus OUT_DIR/index.json: {"onnx_version", "tests": {<test>: {"op": <OpType>, "domain": <domain>}}}
where op is the operator the test exercises (expanded function tests included), matched from the
test name against the operator schemas.
"""
import json
import os
import shutil
import sys
import warnings

import numpy as np
import onnx
from onnx import defs, numpy_helper
import onnx.backend.test.case.node as node_cases


def value_proto(value, type_proto, name):
    if type_proto.HasField("map_type"):
        return numpy_helper.from_dict(value, name)
    if type_proto.HasField("sequence_type"):
        return numpy_helper.from_list(value, name)
    if type_proto.HasField("optional_type"):
        return numpy_helper.from_optional(value, name)
    if isinstance(value, onnx.TensorProto):
        return value
    return numpy_helper.from_array(np.asarray(value), name)


def operator_of(test_name, schemas):
    """Longest schema name whose snake-free lowercase form is a prefix of the test name's."""
    words = test_name[len("test_"):].split("_")
    best = None
    for cut in range(len(words), 0, -1):
        key = "".join(words[:cut]).lower()
        if key in schemas:
            best = schemas[key]
            break
    return best


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else ".build/onnx-node-tests"
    stamp = os.path.join(out, "index.json")
    if os.path.exists(stamp):
        with open(stamp) as f:
            if json.load(f).get("onnx_version") == onnx.__version__:
                print(f"node tests already in {out}")
                return
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    schemas = {}
    for schema in defs.get_all_schemas_with_history():
        schemas.setdefault(schema.name.lower(), (schema.name, schema.domain))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases = node_cases.collect_testcases(None)
    index = {}
    for case in cases:
        directory = os.path.join(out, case.name)
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "model.onnx"), "wb") as f:
            f.write(case.model.SerializeToString())
        graph = case.model.graph
        for i, (inputs, outputs) in enumerate(case.data_sets):
            data_dir = os.path.join(directory, f"test_data_set_{i}")
            os.makedirs(data_dir, exist_ok=True)
            for j, value in enumerate(inputs):
                proto = value_proto(value, graph.input[j].type, graph.input[j].name)
                with open(os.path.join(data_dir, f"input_{j}.pb"), "wb") as f:
                    f.write(proto.SerializeToString())
            for j, value in enumerate(outputs):
                proto = value_proto(value, graph.output[j].type, graph.output[j].name)
                with open(os.path.join(data_dir, f"output_{j}.pb"), "wb") as f:
                    f.write(proto.SerializeToString())
        found = operator_of(case.name, schemas)
        if found is None and len(graph.node) > 0:
            found = (graph.node[0].op_type, graph.node[0].domain)
        op, domain = found if found else ("?", "")
        index[case.name] = {"op": op, "domain": domain or ""}
    with open(stamp, "w") as f:
        json.dump({"onnx_version": onnx.__version__, "tests": index}, f, indent=0, sort_keys=True)
    print(f"wrote {len(index)} node tests to {out}")


if __name__ == "__main__":
    main()
