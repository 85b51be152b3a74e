#!/usr/bin/env python3
"""InferenceEngine reference vectors from numpy (float64 math, cast to float32) and ml_dtypes.

Writes Tests/InferenceEngineTests/Vectors/engine.json:
- `f16` / `bf16`: pairs [f32 bits, 16-bit bits] for random, special (inf, NaN, subnormal, overflow)
  and tie-breaking inputs; numpy's float16 and ml_dtypes' bfloat16 round to nearest even.
- `ops`: one case per op (matmul batched + broadcast, add/mul broadcast, relu, gelu, softmax,
  layer_norm) with inputs, shapes and the float32 result.
- `mlp`: a 2-layer MLP (linear, gelu, linear, softmax) with weights and output.
Floats are written as the exact decimal of the float32 value.
Run: /work/main/.venv/bin/python scripts/vectors/gen_engine.py   (deterministic: fixed seed)
"""
import json
import math
import pathlib

import ml_dtypes
import numpy as np

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "InferenceEngineTests" / "Vectors"
rng = np.random.default_rng(0xE9)


def f32(values):
    return [float(v) for v in np.asarray(values, dtype=np.float32).ravel()]


def tensor(array):
    array = np.asarray(array, dtype=np.float32)
    return {"shape": list(array.shape), "data": f32(array)}


def half_pairs(dtype):
    values = list(rng.standard_normal(300).astype(np.float32) * np.float32(100))
    values += list((rng.standard_normal(100) * 1e-5).astype(np.float32))  # f16 subnormals
    values += [0.0, -0.0, 1.0, -2.5, 65504.0, 65520.0, 1e6, -1e6, 3.4e38, 1e-40, float("inf"), float("-inf")]
    bits = np.array(values, dtype=np.float32).view(np.uint32)
    # exact ties for f16 (mantissa bit 13 set, lower bits zero) and bf16 (bit 15 set)
    ties = (rng.integers(0x3C000000, 0x46000000, 60, dtype=np.uint32) & ~np.uint32(0x1FFF)) | np.uint32(0x1000)
    ties16 = (rng.integers(0x3C000000, 0x46000000, 60, dtype=np.uint32) & ~np.uint32(0xFFFF)) | np.uint32(0x8000)
    bits = np.concatenate([bits, ties, ties16])
    source = bits.view(np.float32)
    converted = source.astype(dtype)
    return [[int(a), int(b)] for a, b in zip(bits, converted.view(np.uint16))]


def gelu(x):
    return 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def layer_norm(x, scale, bias, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * scale + bias


def r(*shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def case(op, inputs, output):
    return {"op": op, "inputs": [tensor(x) for x in inputs], "output": tensor(output)}


def ops():
    d = np.float64
    cases = []
    for a_shape, b_shape in [((3, 5), (5, 4)), ((2, 3, 7), (7, 6)), ((4, 1, 3, 5), (2, 5, 3)), ((1, 1), (1, 9))]:
        a, b = r(*a_shape), r(*b_shape)
        cases.append(case("matmul", [a, b], np.matmul(a.astype(d), b.astype(d))))
    for a_shape, b_shape in [((4, 5), (4, 5)), ((2, 3, 4), (4,)), ((3, 1), (1, 6)), ((2, 1, 5), (3, 1))]:
        a, b = r(*a_shape), r(*b_shape)
        cases.append(case("add", [a, b], a.astype(d) + b.astype(d)))
        cases.append(case("mul", [a, b], a.astype(d) * b.astype(d)))
    x = r(6, 9, scale=3)
    cases.append(case("relu", [x], np.maximum(x, 0)))
    cases.append(case("gelu", [x], gelu(x.astype(d))))
    for shape, scale in [((5, 11), 3.0), ((2, 3, 40), 30.0)]:
        x = r(*shape, scale=scale)
        cases.append(case("softmax", [x], softmax(x.astype(d))))
    x, g, b = r(4, 7, 32, scale=2), r(32), r(32)
    cases.append(case("layer_norm", [x, g, b], layer_norm(x.astype(d), g.astype(d), b.astype(d))))
    return cases


def mlp():
    x, w1, b1, w2, b2 = r(4, 16), r(16, 32, scale=0.3), r(32, scale=0.1), r(32, 8, scale=0.3), r(8, scale=0.1)
    d = np.float64
    h = gelu(x.astype(d) @ w1.astype(d) + b1.astype(d))
    y = softmax(h @ w2.astype(d) + b2.astype(d))
    return {"inputs": [tensor(t) for t in (x, w1, b1, w2, b2)], "output": tensor(y)}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    data = {
        "generator": f"numpy {np.__version__}, ml_dtypes {ml_dtypes.__version__}",
        "f16": half_pairs(np.float16),
        "bf16": half_pairs(ml_dtypes.bfloat16),
        "ops": ops(),
        "mlp": mlp(),
    }
    (OUT / "engine.json").write_text(json.dumps(data, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
