#!/usr/bin/env python3
"""onnx's own shape inference (with data propagation) for every fixture model, as the reference
ShapeInference is tested against: writes Tests/InferenceEngineTests/Vectors/onnx_fixture_shapes.json,
{fixture: {value: {"dtype": elem_type, "dims": [int | "symbol" | null]}}} for every node output
onnx derives a shape for. Run: .venv/bin/python scripts/onnx/gen_fixture_shapes.py
"""

from __future__ import annotations

import json
from pathlib import Path

import onnx
from onnx import shape_inference

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "Tests/InferenceEngineTests/Fixtures"
OUT = ROOT / "Tests/InferenceEngineTests/Vectors/onnx_fixture_shapes.json"


def dims(value: onnx.ValueInfoProto) -> list | None:
    tensor = value.type.tensor_type
    if not tensor.HasField("shape"):
        return None
    out = []
    for dim in tensor.shape.dim:
        if dim.HasField("dim_value"):
            out.append(dim.dim_value)
        elif dim.HasField("dim_param") and not dim.dim_param.startswith("unk__"):
            out.append(dim.dim_param)
        else:
            out.append(None)
    return out


def main() -> None:
    result = {}
    for directory in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        model = onnx.load(directory / "model.onnx")
        inferred = shape_inference.infer_shapes(model, strict_mode=False, data_prop=True)
        produced = {o for node in model.graph.node for o in node.output if o}
        shapes = {}
        for value in list(inferred.graph.value_info) + list(inferred.graph.output):
            if value.name in produced and value.type.HasField("tensor_type"):
                d = dims(value)
                if d is not None:
                    shapes[value.name] = {"dtype": value.type.tensor_type.elem_type, "dims": d}
        result[directory.name] = shapes
    OUT.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}: {sum(len(v) for v in result.values())} values in {len(result)} fixtures")


if __name__ == "__main__":
    main()
