#!/usr/bin/env python3
"""Fits the polynomial coefficients of Modules/CInferenceKernels/vector_math.c and checks them in
float32 arithmetic (no FMA, as the C is compiled) against float64 references.

   usage: .venv/bin/python scripts/onnx/fit_vector_math.py

Least squares on Chebyshev nodes (relative weights): e^r = 1 + r + r^2 P(r) on |r| <= ln2/2;
erf(a) = a P(a^2) on [0, 0.921875]; log erfc(a) = Q(a) on [0.921875, 4]. Prints each set as C
literals (highest power first, Horner order) with its worst error.
"""
import numpy as np
from scipy.special import erf, erfc

f32 = np.float32
NODES = 4000


def horner(coefficients, t):
    result = np.full_like(t, f32(coefficients[0]))
    for c in coefficients[1:]:
        result = ((result * t).astype(f32) + f32(c)).astype(f32)
    return result


def fit(fn, lo, hi, degree, variable):
    t = np.cos(np.pi * (np.arange(NODES) + 0.5) / NODES)
    x = (lo + hi) / 2 + (hi - lo) / 2 * t
    y, v, w = fn(x), variable(x), 1 / np.abs(fn(x))
    c, *_ = np.linalg.lstsq(np.vander(v, degree + 1) * w[:, None], y * w, rcond=None)
    return c.astype(f32)


def literals(c):
    return ", ".join("%.9ef" % float(v) for v in c)


def ulps(got, ref):
    spacing = np.spacing(np.abs(ref).astype(f32)).astype(np.float64)
    return np.max(np.abs(got.astype(np.float64) - ref) / np.maximum(spacing, 1e-45))


half_ln2 = np.log(2) / 2
p_exp = fit(lambda r: (np.expm1(r) - r) / (r * r), -half_ln2, half_ln2, 4, lambda r: r)
x = np.linspace(-87, 88, 2_000_001).astype(f32)
n = np.rint((x * f32(1.44269504088896341)).astype(f32)).astype(f32)
r = ((x - (n * f32(0.693359375)).astype(f32)).astype(f32) - (n * f32(-2.12194440e-4)).astype(f32)).astype(f32)
e = (((r * r).astype(f32) * horner(p_exp, r)).astype(f32) + r).astype(f32)
e = (e + f32(1)).astype(f32)
got = (e.astype(np.float64) * np.exp2(n.astype(np.float64))).astype(f32)
print(f"exp P: {literals(p_exp)}\n  max {ulps(got, np.exp(x.astype(np.float64))):.2f} ulp")

split = 0.921875
p_erf = fit(lambda a: erf(a) / a, 1e-6, split, 6, lambda a: a * a)
a = np.linspace(0, split, 200_001).astype(f32)
got = (a * horner(p_erf, (a * a).astype(f32))).astype(f32)
print(f"erf P: {literals(p_erf)}\n  max {ulps(got, erf(a.astype(np.float64))):.2f} ulp")

q_erfc = fit(lambda a: np.log(erfc(a)), split, 4.0, 8, lambda a: a)
a = np.linspace(split, 4.0, 200_001).astype(f32)
got = np.exp(horner(q_erfc, a).astype(np.float64))
reference = erfc(a.astype(np.float64))
print(f"erfc Q: {literals(q_erfc)}\n  max relative {np.max(np.abs(got - reference) / reference):.2e}")
