"""Test vectors for the ai.onnx.ml and quantization operators: small models (sklearn via skl2onnx,
and hand-built nodes for the conventions sklearn never produces) run through onnxruntime.

Writes Tests/InferenceEngineTests/Vectors/onnx_ops/<case>.onnx and onnx_ops.json (inputs and
onnxruntime's outputs). Regenerate: /work/main/.venv/bin/python scripts/vectors/gen_onnx_ml_quant.py
"""
from __future__ import annotations

import json
import pathlib
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests/InferenceEngineTests/Vectors/onnx_ops"
rng = np.random.default_rng(0x3A1)
cases: list[dict] = []

DTYPES = {"float32": "float32", "float64": "float64", "int64": "int64", "int32": "int32", "uint8": "uint8",
          "int8": "int8", "int16": "int16", "bool": "bool"}


def encode(value):
    if isinstance(value, dict):
        keys = list(value.keys())
        return {"kind": "map", "key_dtype": "string" if isinstance(keys[0], str) else "int64", "keys": keys,
                "values": [float(v) if not isinstance(v, str) else v for v in value.values()],
                "value_dtype": "string" if isinstance(next(iter(value.values())), str) else "float32"}
    if isinstance(value, list):
        return {"kind": "sequence", "items": [encode(v) for v in value]}
    a = np.asarray(value)
    if a.dtype.kind in "OUS":
        return {"kind": "tensor", "dtype": "string", "shape": list(a.shape), "data": [str(v) for v in a.ravel()]}
    dtype = DTYPES[a.dtype.name]
    data = a.ravel().tolist()
    if a.dtype.kind == "f":
        data = [None if np.isnan(v) else v for v in data]  # JSON has no NaN: null means NaN
    return {"kind": "tensor", "dtype": dtype, "shape": list(a.shape), "data": data}


def add(name: str, model: onnx.ModelProto, feeds: dict, rtol=1e-5, atol=1e-6, exact=()):
    model.ir_version = min(model.ir_version, 10)
    if not any(i.type.HasField("map_type") for i in model.graph.input):  # the checker wants shapes inside map types
        onnx.checker.check_model(model)
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    outputs = sess.run(None, feeds)
    (OUT / f"{name}.onnx").write_bytes(model.SerializeToString())
    cases.append({
        "name": name, "rtol": rtol, "atol": atol, "exact": list(exact),
        "inputs": [{"name": k, **encode(v)} for k, v in feeds.items()],
        "outputs": [{"name": o.name, **encode(v)} for o, v in zip(sess.get_outputs(), outputs)],
    })


def node_model(op, inputs, outputs, attrs=None, domain="ai.onnx.ml", opsets=None, initializers=()):
    node = helper.make_node(op, [i if isinstance(i, str) else i.name for i in inputs],
                            [o.name for o in outputs], domain=domain, **(attrs or {}))
    graph = helper.make_graph([node], op, [i for i in inputs if not isinstance(i, str)], outputs, initializer=list(initializers))
    opsets = opsets or {"": 17, "ai.onnx.ml": 3}
    return helper.make_model(graph, opset_imports=[helper.make_opsetid(d, v) for d, v in opsets.items()])


def tensor_info(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


F = TensorProto.FLOAT


def sklearn_cases():
    from skl2onnx import to_onnx
    from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import SVC, SVR, LinearSVC

    x = rng.normal(size=(60, 4)).astype(np.float32)
    y2 = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(np.int64)
    y3 = np.digitize(x[:, 0] + x[:, 2], [-0.5, 0.5]).astype(np.int64)
    test = rng.normal(size=(12, 4)).astype(np.float32)
    opts = {"zipmap": False}

    def convert(model, **kw):
        return to_onnx(model, x[:1], target_opset={"": 17, "ai.onnx.ml": 3}, **kw)

    add("gbt_binary", convert(GradientBoostingClassifier(n_estimators=8, max_depth=2, random_state=0).fit(x, y2), options=opts),
        {"X": test}, exact=["label"])
    add("rf_binary", convert(RandomForestClassifier(n_estimators=5, max_depth=3, random_state=0).fit(x, y2), options=opts),
        {"X": test}, exact=["label"])
    add("logreg_binary", convert(LogisticRegression().fit(x, y2), options=opts), {"X": test}, exact=["label"])
    strings = np.array(["ant", "bee", "cat"])[y3]
    add("logreg_strings", convert(LogisticRegression().fit(x, strings), options=opts), {"X": test}, exact=["label"])
    add("svc_binary_proba", convert(SVC(probability=True, random_state=0).fit(x, y2), options=opts), {"X": test},
        rtol=1e-4, atol=1e-4, exact=["label"])
    add("svc_multi_proba", convert(SVC(probability=True, kernel="poly", degree=2, random_state=0).fit(x, y3), options=opts),
        {"X": test}, rtol=1e-4, atol=1e-4, exact=["label"])
    add("svc_sigmoid_multi", convert(SVC(kernel="sigmoid", gamma=0.1, random_state=0).fit(x, y3), options=opts),
        {"X": test}, rtol=1e-4, atol=1e-4, exact=["label"])
    add("linear_svc_multi", convert(LinearSVC(random_state=0).fit(x, y3)), {"X": test}, rtol=1e-4, atol=1e-4, exact=["label"])
    add("svr_poly", convert(SVR(kernel="poly", degree=3, gamma=0.5, coef0=1.0).fit(x, x[:, 0] * x[:, 1])), {"X": test}, rtol=1e-4, atol=1e-4)


def tree_cases():
    # two trees over 3 features; tree 0 uses LT/GTE with missing values tracked true, tree 1 EQ/NEQ/GT
    nodes = dict(
        nodes_treeids=[0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
        nodes_nodeids=[0, 1, 2, 3, 4, 0, 1, 2, 3, 4],
        nodes_featureids=[0, 1, 0, 0, 0, 2, 1, 0, 0, 0],
        nodes_modes=["BRANCH_LT", "BRANCH_GTE", "LEAF", "LEAF", "LEAF", "BRANCH_NEQ", "BRANCH_GT", "LEAF", "LEAF", "LEAF"],
        nodes_values=[0.25, -0.5, 0, 0, 0, 1.0, 0.0, 0, 0, 0],
        nodes_truenodeids=[1, 2, 0, 0, 0, 1, 2, 0, 0, 0],
        nodes_falsenodeids=[4, 3, 0, 0, 0, 4, 3, 0, 0, 0],
        nodes_missing_value_tracks_true=[1, 0, 0, 0, 0, 0, 1, 0, 0, 0],
    )
    x = rng.normal(size=(10, 3)).astype(np.float32)
    x[1, 0] = np.nan
    x[2, 1] = np.nan
    x[3, 2] = 1.0
    x[4, 0] = 0.25
    leaves = [(0, 2), (0, 3), (0, 4), (1, 2), (1, 3), (1, 4)]
    weights = [0.5, -1.25, 2.0, 0.75, -0.5, 1.5]
    for agg in ["SUM", "AVERAGE", "MIN", "MAX"]:
        attrs = dict(nodes, n_targets=2, aggregate_function=agg,
                     target_treeids=[t for t, _ in leaves] * 2, target_nodeids=[n for _, n in leaves] * 2,
                     target_ids=[0] * 6 + [1] * 6, target_weights=weights + [w * 2 - 0.25 for w in weights],
                     base_values=[0.1, -0.2])
        model = node_model("TreeEnsembleRegressor", [tensor_info("X", F, [None, 3])], [tensor_info("Y", F, [None, 2])], attrs)
        add(f"tree_regressor_{agg.lower()}", model, {"X": x})
    attrs = dict(nodes, n_targets=1, post_transform="PROBIT", target_treeids=[t for t, _ in leaves], target_nodeids=[n for _, n in leaves],
                 target_ids=[0] * 6, target_weights=[0.05, 0.2, 0.4, 0.1, 0.3, 0.25])
    model = node_model("TreeEnsembleRegressor", [tensor_info("X", F, [None, 3])], [tensor_info("Y", F, [None, 1])], attrs)
    add("tree_regressor_probit", model, {"X": x})
    for transform in ["NONE", "SOFTMAX", "LOGISTIC", "SOFTMAX_ZERO"]:
        attrs = dict(nodes, classlabels_strings=["a", "b", "c"], post_transform=transform,
                     class_treeids=[t for t, _ in leaves] * 2, class_nodeids=[n for _, n in leaves] * 2,
                     class_ids=[0] * 6 + [2] * 6, class_weights=weights + [abs(w) for w in weights])
        model = node_model("TreeEnsembleClassifier", [tensor_info("X", F, [None, 3])],
                           [tensor_info("label", TensorProto.STRING, [None]), tensor_info("scores", F, [None, 3])], attrs)
        add(f"tree_classifier_{transform.lower()}", model, {"X": x}, exact=["label"])
    # binary with one class id: all-positive weights (probability-like) and mixed weights, no base values
    for name, ws in [("positive", [0.2, 0.9, 0.6, 0.1, 0.3, 0.4]), ("mixed", weights)]:
        for transform in ["NONE", "LOGISTIC"]:
            attrs = dict(nodes, classlabels_int64s=[3, 7], post_transform=transform,
                         class_treeids=[t for t, _ in leaves], class_nodeids=[n for _, n in leaves],
                         class_ids=[0] * 6, class_weights=ws)
            model = node_model("TreeEnsembleClassifier", [tensor_info("X", F, [None, 3])],
                               [tensor_info("label", TensorProto.INT64, [None]), tensor_info("scores", F, [None, 2])], attrs)
            add(f"tree_binary_{name}_{transform.lower()}", model, {"X": x}, exact=["label"])
    # binary with base_values: onnxruntime writes a class no leaf scored as 0 even after adding its base value
    for cid, base in [(1, [0.3, 0.7]), (0, [0.3, 0.7]), (1, [0.25])]:
        attrs = dict(nodes, classlabels_int64s=[5, 6], post_transform="LOGISTIC" if cid == 0 else "NONE", base_values=base,
                     class_treeids=[t for t, _ in leaves], class_nodeids=[n for _, n in leaves], class_ids=[cid] * 6, class_weights=weights)
        model = node_model("TreeEnsembleClassifier", [tensor_info("X", F, [None, 3])],
                           [tensor_info("label", TensorProto.INT64, [None]), tensor_info("scores", F, [None, 2])], attrs)
        add(f"tree_binary_class{cid}_base{len(base)}", model, {"X": x}, exact=["label"])
    # ml opset 5 TreeEnsemble: MAX aggregation on 2 targets (a target no leaf reaches is 0), doubles.
    # post_transform stays NONE: onnxruntime reads the int code in its own enum order (2 = SOFTMAX)
    # where the spec says 2 = LOGISTIC, so it cannot arbitrate the transforms here.
    v5 = dict(
        nodes_featureids=[0, 1, 2, 1], nodes_modes=helper.make_tensor("m", TensorProto.UINT8, [4], [1, 2, 5, 3]),
        nodes_splits=helper.make_tensor("s", TensorProto.DOUBLE, [4], [0.25, -0.5, 1.0, 0.0]),
        nodes_truenodeids=[1, 0, 3, 2], nodes_trueleafs=[0, 1, 0, 1], nodes_falsenodeids=[2, 1, 4, 3], nodes_falseleafs=[1, 1, 1, 1],
        nodes_missing_value_tracks_true=[1, 0, 0, 1], leaf_targetids=[0, 1, 0, 1, 0],
        leaf_weights=helper.make_tensor("w", TensorProto.DOUBLE, [5], [0.5, -1.25, 2.0, 0.75, -0.5]),
        tree_roots=[0, 2], n_targets=2, aggregate_function=3, post_transform=0)
    model = node_model("TreeEnsemble", [tensor_info("X", TensorProto.DOUBLE, [None, 3])], [tensor_info("Y", TensorProto.DOUBLE, [None, 2])],
                       v5, opsets={"": 21, "ai.onnx.ml": 5})
    add("tree_ensemble_v5_max", model, {"X": x.astype(np.float64)})


def linear_and_feature_cases():
    x = rng.normal(size=(6, 3)).astype(np.float32)
    for transform in ["NONE", "LOGISTIC", "SOFTMAX_ZERO"]:
        model = node_model("LinearClassifier", [tensor_info("X", F, [None, 3])],
                           [tensor_info("label", TensorProto.INT64, [None]), tensor_info("scores", F, [None, 2])],
                           dict(coefficients=[0.5, -1.0, 2.0], intercepts=[0.25], classlabels_ints=[4, 9], post_transform=transform))
        add(f"linear_classifier_binary_{transform.lower()}", model, {"X": x}, exact=["label"])
    model = node_model("LinearRegressor", [tensor_info("X", F, [None, 3])], [tensor_info("Y", F, [None, 2])],
                       dict(coefficients=[0.5, -1.0, 2.0, 1.5, 0.0, -0.25], intercepts=[0.25, -1.0], targets=2))
    add("linear_regressor_two_targets", model, {"X": x})
    for norm in ["MAX", "L1", "L2"]:
        model = node_model("Normalizer", [tensor_info("X", F, [None, 3])], [tensor_info("Y", F, [None, 3])], dict(norm=norm))
        add(f"normalizer_{norm.lower()}", model, {"X": x})
    model = node_model("Scaler", [tensor_info("X", TensorProto.DOUBLE, [None, 3])], [tensor_info("Y", F, [None, 3])],
                       dict(offset=[0.5, -1.0, 2.0], scale=[2.0, -0.5, 3.0]))
    add("scaler_double", model, {"X": x.astype(np.float64)})
    xi = np.array([[1, -1, 3], [-1, 5, -1]], dtype=np.int64)
    model = node_model("Imputer", [tensor_info("X", TensorProto.INT64, [None, 3])], [tensor_info("Y", TensorProto.INT64, [None, 3])],
                       dict(imputed_value_int64s=[7, 8, 9], replaced_value_int64=-1))
    add("imputer_int64", model, {"X": xi})
    model = node_model("OneHotEncoder", [tensor_info("X", TensorProto.STRING, [None, 2])], [tensor_info("Y", F, [None, 2, 3])],
                       dict(cats_strings=["x", "y", "z"], zeros=1))
    add("one_hot_strings", model, {"X": np.array([["y", "q"], ["z", "x"]], dtype=object)})
    model = node_model("OneHotEncoder", [tensor_info("X", TensorProto.INT64, [None])], [tensor_info("Y", F, [None, 4])],
                       dict(cats_int64s=[2, 4, 6, 8]))
    add("one_hot_int64", model, {"X": np.array([8, 2, 5], dtype=np.int64)})
    model = node_model("LabelEncoder", [tensor_info("X", F, [None])], [tensor_info("Y", TensorProto.STRING, [None])],
                       dict(keys_floats=[0.5, 1.0, -2.0], values_strings=["half", "one", "minus two"], default_string="?"),
                       opsets={"": 17, "ai.onnx.ml": 2})
    add("label_encoder_float_string", model, {"X": np.array([1.0, 3.0, -2.0, 0.5], dtype=np.float32)})
    model = node_model("ArrayFeatureExtractor", [tensor_info("X", TensorProto.STRING, [None, 3]), tensor_info("I", TensorProto.INT64, [None])],
                       [tensor_info("Y", TensorProto.STRING, [None, None])])
    add("array_feature_extractor_strings", model,
        {"X": np.array([["a", "b", "c"], ["d", "e", "f"]], dtype=object), "I": np.array([2, 0, 2], dtype=np.int64)})
    model = node_model("FeatureVectorizer", [tensor_info("A", F, [None, 2]), tensor_info("B", F, [None, 3])],
                       [tensor_info("Y", F, [None, 4])], dict(inputdimensions=[1, 3]))
    add("feature_vectorizer", model, {"A": x[:2, :2], "B": np.array([[1, 2, 3], [4, 5, 6]], dtype=np.float32)})
    seq_map = helper.make_sequence_type_proto(helper.make_map_type_proto(TensorProto.INT64, helper.make_tensor_type_proto(F, None)))
    model = node_model("ZipMap", [tensor_info("X", F, [None, 3])], [helper.make_value_info("Z", seq_map)], dict(classlabels_int64s=[10, 20, 30]))
    add("zipmap_int64", model, {"X": x[:3]})
    model = node_model("Binarizer", [tensor_info("X", F, [None, 3])], [tensor_info("Y", F, [None, 3])],
                       dict(threshold=0.1))
    add("binarizer_float", model, {"X": x})
    model = node_model("LabelEncoder", [tensor_info("X", TensorProto.INT64, [None])], [tensor_info("Y", TensorProto.STRING, [None])],
                       dict(classes_strings=["zero", "one", "two"], default_string="none"), opsets={"": 17, "ai.onnx.ml": 1})
    add("label_encoder_v1_int_string", model, {"X": np.array([2, 0, 5, -1], dtype=np.int64)})
    model = node_model("SVMRegressor", [tensor_info("X", F, [None, 3])], [tensor_info("Y", F, [None, 1])],
                       dict(coefficients=[0.5, -1.0, 2.0], rho=[0.25], kernel_type="LINEAR", n_supports=0, kernel_params=[0.1, 0.0, 1.0]))
    add("svm_regressor_liblinear", model, {"X": x})
    map_type = helper.make_map_type_proto(TensorProto.STRING, helper.make_tensor_type_proto(F, None))
    model = node_model("DictVectorizer", [helper.make_value_info("D", map_type)], [tensor_info("Y", F, [None, 3])],
                       dict(string_vocabulary=["p", "q", "r"]))
    add("dict_vectorizer_strings", model, {"D": {"r": 2.5, "p": -1.0, "zz": 9.0}})
    map_type = helper.make_map_type_proto(TensorProto.INT64, helper.make_tensor_type_proto(F, None))
    model = node_model("CastMap", [helper.make_value_info("M", map_type)], [tensor_info("Y", F, [1, 5])],
                       dict(cast_to="TO_FLOAT", map_form="SPARSE", max_map=5))
    add("cast_map_sparse", model, {"M": {3: 1.5, 0: -2.0}})


def quant_cases():
    Q = {"": 21}
    x = (rng.normal(size=(2, 3, 4)) * 3).astype(np.float32)
    x[0, 0, :4] = [0.5, 1.5, -0.5, -2.5]  # ties round to even
    scale = np.array([0.5, 1.0, 0.25], dtype=np.float32)
    zp = np.array([3, -4, 0], dtype=np.int8)
    inits = [helper.make_tensor("s", F, [3], scale), helper.make_tensor("z", TensorProto.INT8, [3], zp)]
    model = node_model("QuantizeLinear", [tensor_info("x", F, [2, 3, 4]), "s", "z"], [tensor_info("y", TensorProto.INT8, [2, 3, 4])],
                       dict(axis=1), domain="", opsets=Q, initializers=inits)
    add("quantize_per_axis_int8", model, {"x": x}, exact=["y"])
    q = rng.integers(0, 256, size=(2, 3, 4)).astype(np.uint8)
    inits = [helper.make_tensor("s", F, [3], scale), helper.make_tensor("z", TensorProto.UINT8, [3], [128, 0, 255])]
    model = node_model("DequantizeLinear", [tensor_info("x", TensorProto.UINT8, [2, 3, 4]), "s", "z"], [tensor_info("y", F, [2, 3, 4])],
                       dict(axis=-2), domain="", opsets=Q, initializers=inits)
    add("dequantize_per_axis_uint8", model, {"x": q})
    d = (rng.normal(size=(3, 5)) * 2).astype(np.float32)
    model = node_model("DynamicQuantizeLinear", [tensor_info("x", F, [3, 5])],
                       [tensor_info("y", TensorProto.UINT8, [3, 5]), tensor_info("s", F, []), tensor_info("z", TensorProto.UINT8, [])],
                       domain="", opsets=Q)
    add("dynamic_quantize", model, {"x": d}, exact=["y", "z"])
    a = rng.integers(-128, 128, size=(2, 3, 5)).astype(np.int8)
    b = rng.integers(0, 256, size=(5, 4)).astype(np.uint8)
    inits = [helper.make_tensor("az", TensorProto.INT8, [], [-3]), helper.make_tensor("bz", TensorProto.UINT8, [4], [128, 0, 7, 255])]
    model = node_model("MatMulInteger", [tensor_info("a", TensorProto.INT8, [2, 3, 5]), tensor_info("b", TensorProto.UINT8, [5, 4]), "az", "bz"],
                       [tensor_info("y", TensorProto.INT32, [2, 3, 4])], domain="", opsets=Q, initializers=inits)
    add("matmul_integer_batched", model, {"a": a, "b": b}, exact=["y"])
    a8 = rng.integers(0, 256, size=(3, 6)).astype(np.uint8)
    b8 = rng.integers(0, 256, size=(6, 2)).astype(np.uint8)
    inits = [helper.make_tensor("as", F, [], [0.05]), helper.make_tensor("az", TensorProto.UINT8, [], [120]),
             helper.make_tensor("bs", F, [], [0.02]), helper.make_tensor("bz", TensorProto.UINT8, [], [130]),
             helper.make_tensor("ys", F, [], [0.1]), helper.make_tensor("yz", TensorProto.UINT8, [], [128])]
    model = node_model("QLinearMatMul", [tensor_info("a", TensorProto.UINT8, [3, 6]), "as", "az", tensor_info("b", TensorProto.UINT8, [6, 2]),
                                         "bs", "bz", "ys", "yz"], [tensor_info("y", TensorProto.UINT8, [3, 2])], domain="", opsets=Q, initializers=inits)
    add("qlinear_matmul_uint8", model, {"a": a8, "b": b8}, exact=["y"])
    bs8 = rng.integers(0, 256, size=(6, 3)).astype(np.uint8)
    inits = [helper.make_tensor("as", F, [], [0.05]), helper.make_tensor("az", TensorProto.UINT8, [], [120]),
             helper.make_tensor("bs", F, [3], [0.02, 0.01, 0.04]), helper.make_tensor("bz", TensorProto.UINT8, [3], [128, 120, 135]),
             helper.make_tensor("ys", F, [], [0.1]), helper.make_tensor("yz", TensorProto.UINT8, [], [100])]
    model = node_model("QLinearMatMul", [tensor_info("a", TensorProto.UINT8, [3, 6]), "as", "az", tensor_info("b", TensorProto.UINT8, [6, 3]),
                                         "bs", "bz", "ys", "yz"], [tensor_info("y", TensorProto.UINT8, [3, 3])], domain="", opsets=Q, initializers=inits)
    add("qlinear_matmul_per_column", model, {"a": a8, "b": bs8}, exact=["y"])
    xc = rng.integers(0, 256, size=(1, 4, 5, 5)).astype(np.uint8)
    w = rng.integers(-128, 128, size=(6, 2, 3, 3)).astype(np.int8)
    inits = [helper.make_tensor("xs", F, [], [0.02]), helper.make_tensor("xz", TensorProto.UINT8, [], [100]),
             helper.make_tensor("w", TensorProto.INT8, list(w.shape), w.ravel()),
             helper.make_tensor("ws", F, [6], [0.01, 0.02, 0.015, 0.03, 0.005, 0.01]), helper.make_tensor("wz", TensorProto.INT8, [6], [0] * 6),
             helper.make_tensor("ys", F, [], [0.05]), helper.make_tensor("yz", TensorProto.UINT8, [], [128]),
             helper.make_tensor("B", TensorProto.INT32, [6], [100, -200, 0, 50, 1000, -1000])]
    model = node_model("QLinearConv", [tensor_info("x", TensorProto.UINT8, [1, 4, 5, 5]), "xs", "xz", "w", "ws", "wz", "ys", "yz", "B"],
                       [tensor_info("y", TensorProto.UINT8, [None, None, None, None])], dict(group=2, pads=[1, 0, 1, 1], strides=[2, 1]),
                       domain="", opsets=Q, initializers=inits)
    add("qlinear_conv_grouped", model, {"x": xc}, exact=["y"])
    inits = [helper.make_tensor("w", TensorProto.UINT8, [3, 4, 2, 2], rng.integers(0, 256, size=48).astype(np.uint8)),
             helper.make_tensor("xz", TensorProto.UINT8, [], [7]), helper.make_tensor("wz", TensorProto.UINT8, [], [128])]
    model = node_model("ConvInteger", [tensor_info("x", TensorProto.UINT8, [1, 4, 5, 5]), "w", "xz", "wz"],
                       [tensor_info("y", TensorProto.INT32, [None, None, None, None])], dict(dilations=[2, 1]), domain="", opsets=Q, initializers=inits)
    add("conv_integer_dilated", model, {"x": xc}, exact=["y"])


def svm_cases():
    # hand-built SVMs for onnxruntime's binary conventions: one decision value becomes two columns
    # ([-s, s] untransformed, otherwise a complement), and a linear model's top score above 0 picks
    # the second label when the weights are mixed. (PROBIT is left out: onnxruntime leaves the
    # second column unwritten, so it holds whatever the buffer held.)
    x = np.array([[-1.0, 0.5], [1.0, 2.0], [0.2, -0.3], [0.0, 0.0]], dtype=np.float32)
    for transform in ["NONE", "LOGISTIC", "SOFTMAX"]:
        model = node_model("SVMClassifier", [tensor_info("X", F, [None, 2])],
                           [tensor_info("label", TensorProto.INT64, [None]), tensor_info("scores", F, [None, 2])],
                           dict(classlabels_ints=[3, 8], vectors_per_class=[1, 2], support_vectors=[0, 0, 1, 1, -1, 0.5],
                                coefficients=[0.7, -0.4, -0.3], rho=[0.1], kernel_type="RBF", kernel_params=[0.5, 0, 3], post_transform=transform))
        add(f"svm_binary_rbf_{transform.lower()}", model, {"X": x}, rtol=1e-4, atol=1e-5, exact=["label"])
    for transform in ["NONE", "LOGISTIC"]:
        model = node_model("SVMClassifier", [tensor_info("X", F, [None, 2])],
                           [tensor_info("label", TensorProto.STRING, [None]), tensor_info("scores", F, [None, 2])],
                           dict(classlabels_strings=["neg", "pos"], coefficients=[0.5, -1.0, -0.5, 1.0], rho=[0.2], kernel_type="LINEAR",
                                kernel_params=[0.5, 0, 3], post_transform=transform))
        add(f"svm_linear_two_class_{transform.lower()}", model, {"X": x}, rtol=1e-4, atol=1e-5, exact=["label"])


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    only = set(sys.argv[1:])
    for gen in [sklearn_cases, tree_cases, linear_and_feature_cases, quant_cases, svm_cases]:
        if not only or gen.__name__ in only:
            gen()
    (OUT / "onnx_ops.json").write_text(json.dumps({"cases": cases}, indent=0) + "\n")
    print(f"{len(cases)} cases -> {OUT}")


if __name__ == "__main__":
    main()
