#!/usr/bin/env python3
"""Real-model fixtures for InferenceEngine, with onnxruntime's outputs as the reference.

Writes Tests/InferenceEngineTests/Fixtures/<name>/ in the ONNX backend-test layout:

    model.onnx
    test_data_set_0/input_<i>.pb, output_<i>.pb   batch 1
    test_data_set_1/input_<i>.pb, output_<i>.pb   batch 32
    fixture.json                                  tolerances, exact outputs, opsets, ops, sets

Every .pb is a serialized onnx.TensorProto whose `name` is the graph input/output name.
Outputs are onnxruntime's (CPUExecutionProvider, one thread). Every output is also
cross-checked against onnx's own reference evaluator (onnx.reference, an independent
implementation); the largest difference is recorded in fixture.json and the stated
tolerances are chosen above it. Rows whose class is a near tie (or where the two
implementations disagree on it) are never used as inputs, so class outputs can be
compared exactly. Also writes Fixtures/README.md listing the models and their ops.

Models: scikit-learn estimators and pipelines exported with skl2onnx, and networks built
with onnx.helper (an MLP, a small CNN, a 2-layer transformer encoder, the same kind of
encoder written the way torch.onnx exports BERT at opset 14 (LayerNorm and GELU decomposed
into elementwise ops), a 2-layer GCN, and the MLP dynamically quantized by
onnxruntime.quantization).

Run: .venv/bin/python scripts/onnx/gen_fixtures.py [--out DIR]   (deterministic: fixed
seeds; the same package versions on the same machine give byte-identical files; another
CPU may change onnxruntime's float outputs in the last bits, never beyond the tolerances)
"""

from __future__ import annotations

import json
import logging
import math
import shutil
import sys
import tempfile
import warnings
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURE_DIR = REPO_ROOT / "Tests" / "InferenceEngineTests" / "Fixtures"
BATCHES = (1, 32)
MAX_MODEL_BYTES = 300 * 1024
MAX_TOTAL_BYTES = 3 * 1024 * 1024
# A class whose score beats the runner-up by less than this is a near tie: such rows are
# skipped so that class outputs can be compared exactly.
MIN_CLASS_MARGIN = 1e-3

# onnx.helper models: opset 17, IR version 8 (what onnxruntime and skl2onnx agree on).
OPSET = 17
IR_VERSION = 8

Arrays = dict[str, np.ndarray]


@dataclass
class Fixture:
    name: str
    description: str
    model: onnx.ModelProto
    # make_sets(rng, session) -> one dict of inputs per entry of BATCHES
    make_sets: Callable[[np.random.Generator, ort.InferenceSession], list[Arrays]]
    rtol: float
    atol: float
    exact_outputs: list[str] = field(default_factory=list)
    batch_note: str = "the first dimension of every input is the batch"
    tolerance_note: str = ""


# --------------------------------------------------------------------------------------
# helpers


def seed_for(name: str) -> int:
    return zlib.crc32(name.encode())


def ort_session(model: onnx.ModelProto) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )


def output_names(session: ort.InferenceSession) -> list[str]:
    return [o.name for o in session.get_outputs()]


def class_margins(scores: np.ndarray) -> np.ndarray:
    """Per row: best score minus the runner-up (for one score column: distance from 0)."""
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 1 or scores.shape[1] == 1:
        return np.abs(scores.reshape(-1))
    top2 = np.sort(scores, axis=1)[:, -2:]
    return top2[:, 1] - top2[:, 0]


def reference_outputs(model: onnx.ModelProto, inputs: Arrays) -> list[np.ndarray]:
    from onnx.reference import ReferenceEvaluator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ReferenceEvaluator(model).run(None, inputs)


def row_sets(
    pool: Arrays,
    session: ort.InferenceSession,
    model: onnx.ModelProto,
    scores_output: str | None,
) -> list[Arrays]:
    """Batch-1 and batch-32 input sets taken row-wise from a pool of candidate rows.

    With a scores output, rows that are near ties, or whose class onnx.reference and
    onnxruntime disagree on, are dropped first.
    """
    rows = np.arange(next(iter(pool.values())).shape[0])
    if scores_output is not None:
        names = output_names(session)
        ours = dict(zip(names, session.run(None, pool)))
        theirs = dict(zip(names, reference_outputs(model, pool)))
        keep = class_margins(ours[scores_output]) >= MIN_CLASS_MARGIN
        for name in names:
            if ours[name].dtype.kind in "iu":
                keep &= (ours[name] == theirs[name]).reshape(len(rows), -1).all(axis=1)
        rows = rows[keep]
    needed = sum(BATCHES)
    if len(rows) < needed:
        raise SystemExit(f"gen_fixtures: only {len(rows)} usable rows, need {needed}")
    sets, start = [], 0
    for batch in BATCHES:
        chosen = rows[start : start + batch]
        sets.append({name: np.ascontiguousarray(a[chosen]) for name, a in pool.items()})
        start += batch
    return sets


def weight(rng: np.random.Generator, *shape: int, fan_in: int) -> np.ndarray:
    return (rng.standard_normal(shape) / math.sqrt(fan_in)).astype(np.float32)


def bias(rng: np.random.Generator, *shape: int) -> np.ndarray:
    return (rng.standard_normal(shape) * 0.1).astype(np.float32)


def calibration_rng() -> np.random.Generator:
    return np.random.default_rng(seed_for("calibration"))


def calibrated_linear(
    rng: np.random.Generator, features: np.ndarray, n_out: int
) -> tuple[np.ndarray, np.ndarray]:
    """A random last layer ([out, in] weight, bias) rescaled so that its outputs on
    `features` (a calibration batch) have mean 0 and standard deviation 1 per class.

    Untrained random heads after pooling or graph smoothing give nearly the same class
    for every input; centering them (what training would do) spreads the classes.
    """
    n_in = features.shape[1]
    w = weight(rng, n_out, n_in, fan_in=n_in).astype(np.float64)
    logits = features.astype(np.float64) @ w.T
    std = logits.std(axis=0)
    w = w / std[:, None]
    b = -logits.mean(axis=0) / std
    return w.astype(np.float32), b.astype(np.float32)


def run_partial(
    g: "GraphBuilder", input_name: str, input_shape: list[int], output: str, inputs: np.ndarray
) -> np.ndarray:
    """Runs the graph built so far (one float input) and returns tensor `output`."""
    graph = helper.make_graph(
        g.nodes,
        "partial",
        [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, ["N", *input_shape])],
        [helper.make_tensor_value_info(output, TensorProto.FLOAT, None)],
        g.initializers,
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION
    )
    return ort_session(model).run(None, {input_name: inputs})[0]


def make_model(graph: onnx.GraphProto, opsets: dict[str, int] | None = None) -> onnx.ModelProto:
    imports = [helper.make_opsetid(domain, version) for domain, version in (opsets or {"": OPSET}).items()]
    model = helper.make_model(
        graph, opset_imports=imports, producer_name="aiplat-gen-fixtures", ir_version=IR_VERSION
    )
    onnx.checker.check_model(model, full_check=True)
    return model


class GraphBuilder:
    """Nodes and initializers with generated names: n0, n1, ... in creation order."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[TensorProto] = []
        self.counter = 0

    def fresh(self, hint: str) -> str:
        self.counter += 1
        return f"{hint}_{self.counter}"

    def const(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(value, name))
        return name

    def op(self, op_type: str, inputs: list[str], output: str | None = None, **attrs) -> str:
        output = output or self.fresh(op_type.lower())
        self.nodes.append(
            helper.make_node(op_type, inputs, [output], name=f"{op_type}_{len(self.nodes)}", **attrs)
        )
        return output


# --------------------------------------------------------------------------------------
# scikit-learn models (skl2onnx)

SKL_FEATURES = 4


def classification_data(seed: int, missing: float = 0.0):
    """Iris-like: 4 features, 3 classes; 150 rows to train on, 400 candidate test rows."""
    from sklearn.datasets import make_classification

    X, y = make_classification(
        n_samples=550,
        n_features=SKL_FEATURES,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        n_clusters_per_class=1,
        class_sep=1.2,
        random_state=seed,
    )
    X = X.astype(np.float32)
    if missing:
        mask = np.random.default_rng(seed).random(X.shape) < missing
        X[mask] = np.nan
    return X[:150], y[:150], X[150:]


def regression_data(seed: int):
    from sklearn.datasets import make_regression

    X, y = make_regression(
        n_samples=550, n_features=SKL_FEATURES, n_informative=4, noise=0.5, random_state=seed
    )
    return X[:150].astype(np.float32), (y[:150] / 50).astype(np.float32), X[150:].astype(np.float32)


def convert(estimator, classifier: bool) -> onnx.ModelProto:
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType

    options = {id(estimator): {"zipmap": False}} if classifier else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = convert_sklearn(
            estimator,
            name=type(estimator).__name__,
            initial_types=[("input", FloatTensorType([None, SKL_FEATURES]))],
            options=options,
            target_opset=OPSET,
        )
    model.producer_name = "skl2onnx"
    # skl2onnx emits opset_import in set order, which changes between runs; sort it
    # (duplicates of a domain, which skl2onnx also emits, are kept as exported)
    imports = sorted(model.opset_import, key=lambda entry: (entry.domain, entry.version))
    del model.opset_import[:]
    model.opset_import.extend(imports)
    return model


def sklearn_fixture(
    name: str,
    description: str,
    estimator,
    classifier: bool,
    rtol: float,
    atol: float,
    missing: float = 0.0,
    tolerance_note: str = "",
) -> Fixture:
    seed = seed_for(name) % (2**31)
    if classifier:
        X, y, pool = classification_data(seed, missing)
    else:
        X, y, pool = regression_data(seed)
    estimator.fit(X, y)
    model = convert(estimator, classifier)

    def make_sets(rng, session):
        return row_sets({"input": pool}, session, model, "probabilities" if classifier else None)

    return Fixture(
        name=name,
        description=description,
        model=model,
        make_sets=make_sets,
        rtol=rtol,
        atol=atol,
        exact_outputs=["label"] if classifier else [],
        tolerance_note=tolerance_note,
    )


def sklearn_fixtures() -> list[Fixture]:
    from sklearn.ensemble import (
        GradientBoostingClassifier,
        GradientBoostingRegressor,
        RandomForestClassifier,
    )
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import Binarizer, Normalizer, StandardScaler
    from sklearn.svm import SVC, SVR

    return [
        sklearn_fixture(
            "logistic_regression",
            "LogisticRegression (multinomial, 3 classes) on 4 iris-like features",
            LogisticRegression(max_iter=1000),
            classifier=True,
            rtol=1e-5,
            atol=1e-6,
        ),
        sklearn_fixture(
            "random_forest",
            "RandomForestClassifier, 10 trees of depth <= 5, 3 classes",
            RandomForestClassifier(n_estimators=10, max_depth=5, random_state=0),
            classifier=True,
            rtol=1e-5,
            atol=1e-6,
        ),
        sklearn_fixture(
            "gradient_boosting",
            "GradientBoostingClassifier, 20 stages x 3 classes of depth-3 trees, softmax",
            GradientBoostingClassifier(n_estimators=20, random_state=0),
            classifier=True,
            rtol=1e-5,
            atol=1e-6,
        ),
        sklearn_fixture(
            "gradient_boosting_regressor",
            "GradientBoostingRegressor, 20 depth-3 trees",
            GradientBoostingRegressor(n_estimators=20, random_state=0),
            classifier=False,
            rtol=1e-5,
            atol=1e-5,
        ),
        sklearn_fixture(
            "svm_classifier",
            "SVC (RBF kernel, one-vs-one, probability=False): label and one-vs-rest scores",
            SVC(kernel="rbf", gamma="scale"),
            classifier=True,
            rtol=1e-4,
            atol=1e-4,
            tolerance_note="kernel sums over every support vector in float32",
        ),
        sklearn_fixture(
            "svm_regressor",
            "SVR (RBF kernel)",
            SVR(kernel="rbf", C=10.0),
            classifier=False,
            rtol=1e-4,
            atol=1e-4,
            tolerance_note="kernel sums over every support vector in float32",
        ),
        sklearn_fixture(
            "scaler_logreg_pipeline",
            "Pipeline: StandardScaler -> LogisticRegression (3 classes)",
            Pipeline([("scale", StandardScaler()), ("classify", LogisticRegression(max_iter=1000))]),
            classifier=True,
            rtol=1e-5,
            atol=1e-6,
        ),
        sklearn_fixture(
            "linear_regression",
            "LinearRegression on 4 features",
            LinearRegression(),
            classifier=False,
            rtol=1e-5,
            atol=1e-5,
        ),
        sklearn_fixture(
            "preprocess_pipeline",
            "Pipeline: SimpleImputer(mean) -> FeatureUnion(Normalizer(l2), Binarizer(0)) -> "
            "LogisticRegression; about 10% of the input values are NaN (imputed)",
            Pipeline(
                [
                    ("impute", SimpleImputer(strategy="mean")),
                    ("features", FeatureUnion([("norm", Normalizer()), ("bin", Binarizer(threshold=0.0))])),
                    ("classify", LogisticRegression(max_iter=1000)),
                ]
            ),
            classifier=True,
            rtol=1e-5,
            atol=1e-6,
            missing=0.1,
        ),
    ]


def tree_ensemble_model(forest) -> onnx.ModelProto:
    """A fitted RandomForestRegressor as one ai.onnx.ml TreeEnsemble node (opset 5).

    skl2onnx still writes the older TreeEnsembleRegressor; TreeEnsemble keeps interior
    nodes and leaves in separate arrays and stores splits and leaf weights as tensors.
    sklearn sends `x[feature] <= threshold` to the left child: mode BRANCH_LEQ, left =
    the true branch.
    """
    features, splits, true_ids, true_leafs, false_ids, false_leafs = [], [], [], [], [], []
    roots, leaf_weights = [], []
    for estimator in forest.estimators_:
        tree = estimator.tree_
        interior = [i for i in range(tree.node_count) if tree.children_left[i] != -1]
        leaves = [i for i in range(tree.node_count) if tree.children_left[i] == -1]
        if not interior:
            raise SystemExit("gen_fixtures: tree_ensemble: a tree is a single leaf")
        node_index = {node: len(features) + k for k, node in enumerate(interior)}
        leaf_index = {node: len(leaf_weights) + k for k, node in enumerate(leaves)}
        roots.append(node_index[0])
        for node in interior:
            features.append(int(tree.feature[node]))
            splits.append(tree.threshold[node])
            for child, ids, is_leaf in (
                (tree.children_left[node], true_ids, true_leafs),
                (tree.children_right[node], false_ids, false_leafs),
            ):
                ids.append(leaf_index[child] if child in leaf_index else node_index[child])
                is_leaf.append(1 if child in leaf_index else 0)
        leaf_weights.extend(float(tree.value[node][0][0]) for node in leaves)
    node = helper.make_node(
        "TreeEnsemble",
        ["input"],
        ["variable"],
        name="TreeEnsemble",
        domain="ai.onnx.ml",
        aggregate_function=0,  # AVERAGE, as a random forest predicts
        post_transform=0,
        n_targets=1,
        tree_roots=roots,
        nodes_featureids=features,
        nodes_splits=numpy_helper.from_array(np.array(splits, dtype=np.float32)),
        nodes_modes=numpy_helper.from_array(np.zeros(len(features), dtype=np.uint8)),
        nodes_truenodeids=true_ids,
        nodes_trueleafs=true_leafs,
        nodes_falsenodeids=false_ids,
        nodes_falseleafs=false_leafs,
        leaf_targetids=[0] * len(leaf_weights),
        leaf_weights=numpy_helper.from_array(np.array(leaf_weights, dtype=np.float32)),
    )
    graph = helper.make_graph(
        [node],
        "tree_ensemble",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", SKL_FEATURES])],
        [helper.make_tensor_value_info("variable", TensorProto.FLOAT, ["N", 1])],
    )
    # ai.onnx.ml 5 came with ai.onnx 21 and IR version 10 (onnx 1.16)
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 21), helper.make_opsetid("ai.onnx.ml", 5)],
        producer_name="aiplat-gen-fixtures",
        ir_version=10,
    )
    onnx.checker.check_model(model, full_check=True)
    return model


def tree_ensemble_fixture() -> Fixture:
    from sklearn.ensemble import RandomForestRegressor

    X, y, pool = regression_data(seed_for("tree_ensemble") % (2**31))
    forest = RandomForestRegressor(n_estimators=10, max_depth=5, random_state=0).fit(X, y)
    model = tree_ensemble_model(forest)
    # the conversion is checked against sklearn itself (float32 splits may move a value
    # that sits exactly on a threshold; none of these rows does)
    predicted = ort_session(model).run(None, {"input": pool})[0][:, 0]
    if np.abs(predicted - forest.predict(pool)).max() > 1e-5:
        raise SystemExit("gen_fixtures: tree_ensemble does not match RandomForestRegressor.predict")

    def make_sets(rng, session):
        return row_sets({"input": pool}, session, model, None)

    return Fixture(
        name="tree_ensemble",
        description="RandomForestRegressor (10 trees of depth <= 5) written by this script as one "
        "ai.onnx.ml TreeEnsemble node (opset 5, the successor of TreeEnsembleRegressor/Classifier)",
        model=model,
        make_sets=make_sets,
        rtol=1e-5,
        atol=1e-5,
    )


# --------------------------------------------------------------------------------------
# networks built with onnx.helper

MLP_IN, MLP_HIDDEN, MLP_CLASSES = 16, 32, 10


def mlp_weights(rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    sizes = [MLP_IN, MLP_HIDDEN, MLP_HIDDEN, MLP_CLASSES]
    # stored as PyTorch's Linear does: [out, in]
    return [
        (weight(rng, n_out, n_in, fan_in=n_in), bias(rng, n_out))
        for n_in, n_out in zip(sizes[:-1], sizes[1:])
    ]


def mlp_graph(layers, use_gemm: bool) -> onnx.GraphProto:
    """Gemm (transB=1, as PyTorch exports Linear) or MatMul + Add, Relu between layers,
    Softmax and ArgMax at the end."""
    g = GraphBuilder()
    x = "input"
    for i, (w, b) in enumerate(layers):
        if use_gemm:
            x = g.op("Gemm", [x, g.const(f"fc{i}.weight", w), g.const(f"fc{i}.bias", b)], transB=1)
        else:
            x = g.op("MatMul", [x, g.const(f"fc{i}.weight_t", np.ascontiguousarray(w.T))])
            x = g.op("Add", [x, g.const(f"fc{i}.bias", b)])
        if i < len(layers) - 1:
            x = g.op("Relu", [x])
    g.op("Softmax", [x], "probabilities", axis=-1)
    g.op("ArgMax", ["probabilities"], "label", axis=1, keepdims=0)
    return helper.make_graph(
        g.nodes,
        "mlp",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", MLP_IN])],
        [
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", MLP_CLASSES]),
            helper.make_tensor_value_info("label", TensorProto.INT64, ["N"]),
        ],
        g.initializers,
    )


def mlp_fixture() -> Fixture:
    layers = mlp_weights(np.random.default_rng(seed_for("mlp")))
    model = make_model(mlp_graph(layers, use_gemm=True))

    def make_sets(rng, session):
        pool = {"input": rng.standard_normal((400, MLP_IN), dtype=np.float32)}
        return row_sets(pool, session, model, "probabilities")

    return Fixture(
        name="mlp",
        description=f"MLP {MLP_IN}-{MLP_HIDDEN}-{MLP_HIDDEN}-{MLP_CLASSES}: Gemm+Relu x2, Gemm, "
        "Softmax, ArgMax",
        model=model,
        make_sets=make_sets,
        rtol=1e-5,
        atol=1e-6,
        exact_outputs=["label"],
    )


def quantized_mlp_fixture() -> Fixture:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # the same weights as `mlp`, written as MatMul + Add: quantize_dynamic turns MatMul
    # (not Gemm) into DynamicQuantizeLinear + MatMulInteger
    layers = mlp_weights(np.random.default_rng(seed_for("mlp")))
    float_model = make_model(mlp_graph(layers, use_gemm=False))
    with tempfile.TemporaryDirectory() as scratch:
        source, target = Path(scratch) / "float.onnx", Path(scratch) / "quantized.onnx"
        onnx.save(float_model, source)
        root_logger = logging.getLogger()
        level = root_logger.level
        root_logger.setLevel(logging.ERROR)  # its advice to pre-process does not apply to an MLP
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                quantize_dynamic(source, target, weight_type=QuantType.QInt8)
        finally:
            root_logger.setLevel(level)
        model = onnx.load(target)
    op_types = {node.op_type for node in model.graph.node}
    if not {"DynamicQuantizeLinear", "MatMulInteger"} <= op_types:
        raise SystemExit(f"gen_fixtures: quantize_dynamic produced {sorted(op_types)}")
    model.producer_name = "onnxruntime.quantization"
    onnx.checker.check_model(model, full_check=True)

    def make_sets(rng, session):
        pool = {"input": rng.standard_normal((400, MLP_IN), dtype=np.float32)}
        return row_sets(pool, session, model, "probabilities")

    return Fixture(
        name="quantized_mlp",
        description="the mlp's weights as MatMul+Add, through onnxruntime.quantization."
        "quantize_dynamic (int8 weights, per-tensor): DynamicQuantizeLinear + MatMulInteger "
        "+ dequantizing Mul per layer",
        model=model,
        make_sets=make_sets,
        rtol=1e-3,
        atol=1e-4,
        exact_outputs=["label"],
        tolerance_note="activations are requantized with a per-call scale: a one-ulp change in "
        "that scale can move a value by one quantum, so probabilities get atol 1e-4",
    )


CNN_SIDE, CNN_C1, CNN_C2, CNN_CLASSES = 16, 8, 16, 10


def cnn_inputs(rng: np.random.Generator, n: int) -> np.ndarray:
    """Noise images with a random brightness and contrast per image."""
    offset = rng.standard_normal((n, 1, 1, 1))
    contrast = rng.uniform(0.2, 2.0, (n, 1, 1, 1))
    return (offset + contrast * rng.standard_normal((n, 1, CNN_SIDE, CNN_SIDE))).astype(np.float32)


def small_cnn_fixture() -> Fixture:
    rng = np.random.default_rng(seed_for("small_cnn"))
    g = GraphBuilder()
    x = g.op(
        "Conv",
        ["input", g.const("conv1.weight", weight(rng, CNN_C1, 1, 3, 3, fan_in=9)), g.const("conv1.bias", bias(rng, CNN_C1))],
        kernel_shape=[3, 3],
        pads=[1, 1, 1, 1],
    )
    x = g.op(
        "BatchNormalization",
        [
            x,
            g.const("bn1.scale", rng.uniform(0.5, 1.5, CNN_C1).astype(np.float32)),
            g.const("bn1.bias", bias(rng, CNN_C1)),
            g.const("bn1.mean", (rng.standard_normal(CNN_C1) * 0.2).astype(np.float32)),
            g.const("bn1.var", rng.uniform(0.5, 1.5, CNN_C1).astype(np.float32)),
        ],
        epsilon=1e-5,
    )
    x = g.op("Relu", [x])
    x = g.op("MaxPool", [x], kernel_shape=[2, 2], strides=[2, 2])
    x = g.op(
        "Conv",
        [x, g.const("conv2.weight", weight(rng, CNN_C2, CNN_C1, 3, 3, fan_in=CNN_C1 * 9)), g.const("conv2.bias", bias(rng, CNN_C2))],
        kernel_shape=[3, 3],
        pads=[1, 1, 1, 1],
    )
    x = g.op("Relu", [x])
    x = g.op("GlobalAveragePool", [x])
    x = g.op("Flatten", [x], axis=1)
    features = run_partial(g, "input", [1, CNN_SIDE, CNN_SIDE], x, cnn_inputs(calibration_rng(), 256))
    w, b = calibrated_linear(rng, features, CNN_CLASSES)
    g.op("Gemm", [x, g.const("fc.weight", w), g.const("fc.bias", b)], "logits", transB=1)
    g.op("ArgMax", ["logits"], "label", axis=1, keepdims=0)
    graph = helper.make_graph(
        g.nodes,
        "small_cnn",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 1, CNN_SIDE, CNN_SIDE])],
        [
            helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", CNN_CLASSES]),
            helper.make_tensor_value_info("label", TensorProto.INT64, ["N"]),
        ],
        g.initializers,
    )
    model = make_model(graph)

    def make_sets(rng, session):
        return row_sets({"input": cnn_inputs(rng, 400)}, session, model, "logits")

    return Fixture(
        name="small_cnn",
        description="CNN on [N,1,16,16]: Conv3x3(8) -> BatchNormalization -> Relu -> MaxPool2x2 -> "
        "Conv3x3(16) -> Relu -> GlobalAveragePool -> Flatten -> Gemm(10), ArgMax",
        model=model,
        make_sets=make_sets,
        rtol=1e-4,
        atol=1e-5,
        exact_outputs=["label"],
    )


SEQ, D_MODEL, HEADS, D_FF, ENCODER_LAYERS = 8, 32, 4, 64, 2


def transformer_encoder_fixture() -> Fixture:
    rng = np.random.default_rng(seed_for("transformer_encoder"))
    d_head = D_MODEL // HEADS
    g = GraphBuilder()

    def linear(x: str, prefix: str, n_in: int, n_out: int) -> str:
        x = g.op("MatMul", [x, g.const(f"{prefix}.weight", weight(rng, n_in, n_out, fan_in=n_in))])
        return g.op("Add", [x, g.const(f"{prefix}.bias", bias(rng, n_out))])

    def layer_norm(x: str, prefix: str) -> str:
        return g.op(
            "LayerNormalization",
            [
                x,
                g.const(f"{prefix}.weight", rng.uniform(0.8, 1.2, D_MODEL).astype(np.float32)),
                g.const(f"{prefix}.bias", bias(rng, D_MODEL)),
            ],
            axis=-1,
            epsilon=1e-5,
        )

    # shapes built at run time from the input, as PyTorch's exporter does
    batch = g.op("Gather", [g.op("Shape", ["input"]), g.const("zero", np.array(0, dtype=np.int64))], axis=0)
    batch = g.op("Unsqueeze", [batch, g.const("axes0", np.array([0], dtype=np.int64))])
    split_shape = g.op("Concat", [batch, g.const("seq_heads_dhead", np.array([SEQ, HEADS, d_head], dtype=np.int64))], axis=0)
    merge_shape = g.op("Concat", [batch, g.const("seq_dmodel", np.array([SEQ, D_MODEL], dtype=np.int64))], axis=0)
    scale = g.const("sqrt_d_head", np.array(math.sqrt(d_head), dtype=np.float32))
    sqrt2 = g.const("sqrt2", np.array(math.sqrt(2.0), dtype=np.float32))
    one = g.const("one", np.array(1.0, dtype=np.float32))
    half = g.const("half", np.array(0.5, dtype=np.float32))

    x = "input"
    for layer in range(ENCODER_LAYERS):
        p = f"layer{layer}"

        def heads(name: str, perm: list[int]) -> str:
            projected = linear(x, f"{p}.attn.{name}", D_MODEL, D_MODEL)
            return g.op("Transpose", [g.op("Reshape", [projected, split_shape])], perm=perm)

        q = heads("q", [0, 2, 1, 3])  # [N, heads, seq, d_head]
        k_t = heads("k", [0, 2, 3, 1])  # [N, heads, d_head, seq]
        v = heads("v", [0, 2, 1, 3])
        scores = g.op("Div", [g.op("MatMul", [q, k_t]), scale])
        attention = g.op("Softmax", [scores], axis=-1)
        context = g.op("Transpose", [g.op("MatMul", [attention, v])], perm=[0, 2, 1, 3])
        context = g.op("Reshape", [context, merge_shape])
        attended = linear(context, f"{p}.attn.out", D_MODEL, D_MODEL)
        h = layer_norm(g.op("Add", [x, attended]), f"{p}.norm1")
        # GELU as PyTorch exports it before opset 20: x * 0.5 * (1 + erf(x / sqrt 2))
        f = linear(h, f"{p}.ff1", D_MODEL, D_FF)
        erf = g.op("Erf", [g.op("Div", [f, sqrt2])])
        f = g.op("Mul", [g.op("Mul", [f, g.op("Add", [erf, one])]), half])
        f = linear(f, f"{p}.ff2", D_FF, D_MODEL)
        x = layer_norm(g.op("Add", [h, f]), f"{p}.norm2")
    g.op("Identity", [x], "output")
    graph = helper.make_graph(
        g.nodes,
        "transformer_encoder",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", SEQ, D_MODEL])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["N", SEQ, D_MODEL])],
        g.initializers,
    )
    model = make_model(graph)

    def make_sets(rng, session):
        pool = {"input": rng.standard_normal((sum(BATCHES), SEQ, D_MODEL), dtype=np.float32)}
        return row_sets(pool, session, model, None)

    return Fixture(
        name="transformer_encoder",
        description=f"post-norm transformer encoder, {ENCODER_LAYERS} layers, d_model {D_MODEL}, "
        f"{HEADS} heads, d_ff {D_FF}, input [N,{SEQ},{D_MODEL}]: MatMul+Add projections, "
        "Reshape/Transpose into heads (shapes from Shape/Gather/Unsqueeze/Concat), "
        "QK^T/sqrt(d), Softmax, residual Add, LayerNormalization, GELU via Erf",
        model=model,
        make_sets=make_sets,
        rtol=1e-4,
        atol=1e-4,
        tolerance_note="two LayerNormalizations per layer rescale values to unit variance, "
        "so float32 reassociation differences show up at ~1e-6..1e-5 absolute",
    )


BERT_OPSET, BERT_EPS = 14, 1e-12


def bert_block_fixture() -> Fixture:
    """The transformer encoder as torch.onnx exports a BERT block at opset 14: LayerNorm and GELU
    written out elementwise (LayerNormalization is opset 17, Gelu opset 20)."""
    rng = np.random.default_rng(seed_for("bert_block"))
    d_head = D_MODEL // HEADS
    g = GraphBuilder()
    two = g.const("two", np.array(2.0, dtype=np.float32))
    eps = g.const("eps", np.array(BERT_EPS, dtype=np.float32))
    sqrt2 = g.const("sqrt2", np.array(math.sqrt(2.0), dtype=np.float32))
    one = g.const("one", np.array(1.0, dtype=np.float32))
    half = g.const("half", np.array(0.5, dtype=np.float32))
    scale = g.const("sqrt_d_head", np.array(math.sqrt(d_head), dtype=np.float32))

    def linear(x: str, prefix: str, n_in: int, n_out: int) -> str:
        x = g.op("MatMul", [x, g.const(f"{prefix}.weight", weight(rng, n_in, n_out, fan_in=n_in))])
        return g.op("Add", [x, g.const(f"{prefix}.bias", bias(rng, n_out))])

    def layer_norm(x: str, prefix: str) -> str:
        # torch.onnx symbolic_opset9.native_layer_norm
        mean = g.op("ReduceMean", [x], axes=[-1])
        d = g.op("Sub", [x, mean])
        variance = g.op("ReduceMean", [g.op("Pow", [d, two])], axes=[-1])
        normalized = g.op("Div", [d, g.op("Sqrt", [g.op("Add", [variance, eps])])])
        gamma = g.const(f"{prefix}.weight", rng.uniform(0.8, 1.2, D_MODEL).astype(np.float32))
        return g.op("Add", [g.op("Mul", [normalized, gamma]), g.const(f"{prefix}.bias", bias(rng, D_MODEL))])

    def gelu(x: str) -> str:
        # torch.onnx symbolic_opset9.gelu: x * (1 + erf(x / sqrt 2)) * 0.5
        erf = g.op("Erf", [g.op("Div", [x, sqrt2])])
        return g.op("Mul", [g.op("Mul", [x, g.op("Add", [erf, one])]), half])

    batch = g.op("Gather", [g.op("Shape", ["input"]), g.const("zero", np.array(0, dtype=np.int64))], axis=0)
    batch = g.op("Unsqueeze", [batch, g.const("axes0", np.array([0], dtype=np.int64))])
    split_shape = g.op("Concat", [batch, g.const("seq_heads_dhead", np.array([SEQ, HEADS, d_head], dtype=np.int64))], axis=0)
    merge_shape = g.op("Concat", [batch, g.const("seq_dmodel", np.array([SEQ, D_MODEL], dtype=np.int64))], axis=0)

    x = layer_norm("input", "embeddings.norm")
    for layer in range(ENCODER_LAYERS):
        p = f"layer{layer}"

        def heads(name: str, perm: list[int]) -> str:
            projected = linear(x, f"{p}.attn.{name}", D_MODEL, D_MODEL)
            return g.op("Transpose", [g.op("Reshape", [projected, split_shape])], perm=perm)

        q = heads("q", [0, 2, 1, 3])
        k_t = heads("k", [0, 2, 3, 1])
        v = heads("v", [0, 2, 1, 3])
        attention = g.op("Softmax", [g.op("Div", [g.op("MatMul", [q, k_t]), scale])], axis=-1)
        context = g.op("Reshape", [g.op("Transpose", [g.op("MatMul", [attention, v])], perm=[0, 2, 1, 3]), merge_shape])
        h = layer_norm(g.op("Add", [linear(context, f"{p}.attn.out", D_MODEL, D_MODEL), x]), f"{p}.attention.norm")
        f = linear(gelu(linear(h, f"{p}.intermediate", D_MODEL, D_FF)), f"{p}.output", D_FF, D_MODEL)
        x = layer_norm(g.op("Add", [f, h]), f"{p}.output.norm")
    g.op("Identity", [x], "output")
    graph = helper.make_graph(
        g.nodes,
        "bert_block",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", SEQ, D_MODEL])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["N", SEQ, D_MODEL])],
        g.initializers,
    )
    model = make_model(graph, {"": BERT_OPSET})

    def make_sets(rng, session):
        pool = {"input": rng.standard_normal((sum(BATCHES), SEQ, D_MODEL), dtype=np.float32) * 2 + 0.5}
        return row_sets(pool, session, model, None)

    return Fixture(
        name="bert_block",
        description=f"BERT-style post-norm encoder as torch.onnx exports it at opset {BERT_OPSET}: "
        f"embedding LayerNorm then {ENCODER_LAYERS} layers, d_model {D_MODEL}, {HEADS} heads, "
        f"d_ff {D_FF}, input [N,{SEQ},{D_MODEL}]; LayerNorm written out as ReduceMean, Sub, Pow, "
        f"ReduceMean, Add(eps {BERT_EPS:g}), Sqrt, Div, Mul(gamma), Add(beta) and GELU as Div(sqrt 2), "
        "Erf, Add(1), Mul(x), Mul(0.5). The engine's plan fuses every LayerNorm into one step and "
        "every GELU into the MatMul+bias before it (GraphFusionTests checks the step count)",
        model=model,
        make_sets=make_sets,
        rtol=1e-4,
        atol=1e-4,
        tolerance_note="five LayerNorms rescale values to unit variance, so float32 "
        "reassociation differences show up at ~1e-6..1e-5 absolute",
    )


GCN_FEATURES, GCN_HIDDEN, GCN_CLASSES = 8, 16, 4
# batch 1: one node classified in a 16-node graph; batch 32: every node of a 32-node graph
GCN_GRAPHS = ((16, 1), (32, 32))


def normalized_adjacency(rng: np.random.Generator, nodes: int) -> np.ndarray:
    """D^-1/2 (A + I) D^-1/2 of a random undirected graph (Kipf & Welling)."""
    upper = np.triu(rng.random((nodes, nodes)) < 0.2, k=1)
    a = (upper | upper.T).astype(np.float64) + np.eye(nodes)
    d = 1.0 / np.sqrt(a.sum(axis=1))
    return (a * d[:, None] * d[None, :]).astype(np.float32)


def gcn_fixture() -> Fixture:
    rng = np.random.default_rng(seed_for("gcn"))
    g = GraphBuilder()
    w1, b1 = weight(rng, GCN_FEATURES, GCN_HIDDEN, fan_in=GCN_FEATURES), bias(rng, GCN_HIDDEN)
    # calibrate the output layer on the hidden features of a few random graphs
    calibration = calibration_rng()
    hidden = []
    for _ in range(8):
        a = normalized_adjacency(calibration, 32)
        x = calibration.standard_normal((32, GCN_FEATURES)).astype(np.float32)
        hidden.append(a @ np.maximum(a @ (x @ w1) + b1, 0))
    w2, b2 = calibrated_linear(rng, np.concatenate(hidden), GCN_CLASSES)
    x = "features"
    for layer, (w, b) in enumerate([(w1, b1), (np.ascontiguousarray(w2.T), b2)]):
        support = g.op("MatMul", [x, g.const(f"gc{layer}.weight", w)])
        x = g.op("Add", [g.op("MatMul", ["adjacency", support]), g.const(f"gc{layer}.bias", b)])
        if layer == 0:
            x = g.op("Relu", [x])
    g.op("Gather", [x, "node_index"], "logits", axis=0)
    g.op("ArgMax", ["logits"], "label", axis=1, keepdims=0)
    graph = helper.make_graph(
        g.nodes,
        "gcn",
        [
            helper.make_tensor_value_info("features", TensorProto.FLOAT, ["nodes", GCN_FEATURES]),
            helper.make_tensor_value_info("adjacency", TensorProto.FLOAT, ["nodes", "nodes"]),
            helper.make_tensor_value_info("node_index", TensorProto.INT64, ["N"]),
        ],
        [
            helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", GCN_CLASSES]),
            helper.make_tensor_value_info("label", TensorProto.INT64, ["N"]),
        ],
        g.initializers,
    )
    model = make_model(graph)

    def make_sets(rng, session):
        sets = []
        for nodes, queried in GCN_GRAPHS:
            for _ in range(100):
                inputs = {
                    "features": rng.standard_normal((nodes, GCN_FEATURES), dtype=np.float32),
                    "adjacency": normalized_adjacency(rng, nodes),
                    "node_index": rng.permutation(nodes)[:queried].astype(np.int64),
                }
                logits, labels = session.run(None, inputs)
                reference = reference_outputs(model, inputs)
                if class_margins(logits).min() >= MIN_CLASS_MARGIN and (reference[1] == labels).all():
                    break
            else:
                raise SystemExit("gen_fixtures: no gcn input set without near ties")
            sets.append(inputs)
        return sets

    return Fixture(
        name="gcn",
        description=f"2-layer graph convolutional network: H = Relu(A @ (X @ W1) + b1), "
        f"logits = Gather(A @ (H @ W2) + b2, node_index), ArgMax; features [nodes,{GCN_FEATURES}], "
        "dense normalized adjacency [nodes,nodes], node_index int64 [N]",
        model=model,
        make_sets=make_sets,
        rtol=1e-5,
        atol=1e-5,
        exact_outputs=["label"],
        batch_note="the batch N is the number of nodes classified (node_index); "
        "test_data_set_0: a 16-node graph, 1 node; test_data_set_1: a 32-node graph, all 32 "
        "nodes in a shuffled order",
    )


def helper_fixtures() -> list[Fixture]:
    return [
        mlp_fixture(),
        small_cnn_fixture(),
        transformer_encoder_fixture(),
        bert_block_fixture(),
        gcn_fixture(),
        quantized_mlp_fixture(),
    ]


# --------------------------------------------------------------------------------------
# writing


def op_list(model: onnx.ModelProto) -> list[dict[str, str]]:
    ops = sorted({(node.domain or "ai.onnx", node.op_type) for node in model.graph.node})
    return [{"domain": domain, "op_type": op_type} for domain, op_type in ops]


def opsets(model: onnx.ModelProto) -> dict[str, int]:
    # skl2onnx can list a domain twice; the highest version is the one that applies
    result: dict[str, int] = {}
    for entry in model.opset_import:
        domain = entry.domain or "ai.onnx"
        result[domain] = max(result.get(domain, 0), entry.version)
    return dict(sorted(result.items()))


def max_differences(expected: list[np.ndarray], actual: list[np.ndarray]) -> list[float]:
    diffs = []
    for e, a in zip(expected, actual):
        e64, a64 = np.asarray(e, dtype=np.float64), np.asarray(a, dtype=np.float64).reshape(e.shape)
        diffs.append(float(np.max(np.abs(e64 - a64))) if e64.size else 0.0)
    return diffs


def write_tensor(path: Path, array: np.ndarray, name: str) -> None:
    path.write_bytes(numpy_helper.from_array(np.ascontiguousarray(array), name).SerializeToString())


def write_fixture(fixture: Fixture, out: Path) -> dict:
    model_bytes = fixture.model.SerializeToString()
    if len(model_bytes) > MAX_MODEL_BYTES:
        raise SystemExit(f"gen_fixtures: {fixture.name}/model.onnx is {len(model_bytes)} bytes")
    session = ort_session(fixture.model)
    input_names = [i.name for i in session.get_inputs()]
    names = output_names(session)
    graph_outputs = [o.name for o in fixture.model.graph.output]
    if names != graph_outputs:
        raise SystemExit(f"gen_fixtures: {fixture.name}: onnxruntime outputs {names} != {graph_outputs}")
    sets = fixture.make_sets(np.random.default_rng(seed_for(fixture.name) + 1), session)

    directory = out / fixture.name
    directory.mkdir(parents=True)
    (directory / "model.onnx").write_bytes(model_bytes)
    set_records = []
    worst = dict.fromkeys(names, 0.0)
    for index, (batch, inputs) in enumerate(zip(BATCHES, sets)):
        outputs = session.run(None, inputs)
        reference = reference_outputs(fixture.model, inputs)
        for name, diff in zip(names, max_differences(outputs, reference)):
            worst[name] = max(worst[name], diff)
        for name in fixture.exact_outputs:
            i = names.index(name)
            if not np.array_equal(outputs[i], np.asarray(reference[i]).reshape(outputs[i].shape)):
                raise SystemExit(f"gen_fixtures: {fixture.name}: onnx.reference disagrees on {name}")
            if batch > 1 and len(np.unique(outputs[i])) < 3:
                raise SystemExit(f"gen_fixtures: {fixture.name}: batch {batch} has fewer than 3 classes")
        set_dir = directory / f"test_data_set_{index}"
        set_dir.mkdir()
        for i, name in enumerate(input_names):
            write_tensor(set_dir / f"input_{i}.pb", inputs[name], name)
        for i, name in enumerate(names):
            write_tensor(set_dir / f"output_{i}.pb", outputs[i], name)
        set_records.append(
            {
                "directory": set_dir.name,
                "batch": batch,
                "inputs": {name: list(inputs[name].shape) for name in input_names},
                "outputs": {name: list(out.shape) for name, out in zip(names, outputs)},
            }
        )
    for name, diff in worst.items():
        if name not in fixture.exact_outputs and diff > fixture.atol:
            raise SystemExit(
                f"gen_fixtures: {fixture.name}: onnx.reference differs from onnxruntime by "
                f"{diff:.3g} on {name}, more than atol {fixture.atol:g}"
            )
    record = {
        "name": fixture.name,
        "description": fixture.description,
        "rtol": fixture.rtol,
        "atol": fixture.atol,
        "exact_outputs": fixture.exact_outputs,
        "opsets": opsets(fixture.model),
        "ops": op_list(fixture.model),
        "producer": fixture.model.producer_name,
        "inputs": input_names,
        "outputs": names,
        "batch": fixture.batch_note,
        "sets": set_records,
        "reference": "onnxruntime %s, CPUExecutionProvider, 1 thread" % ort.__version__,
        "cross_check": {
            "evaluator": "onnx.reference %s" % onnx.__version__,
            "max_abs_diff": {name: float(f"{diff:.3g}") for name, diff in worst.items()},
        },
        "tolerance_note": fixture.tolerance_note,
    }
    (directory / "fixture.json").write_text(json.dumps(record, indent=2) + "\n")
    return record


def write_readme(records: list[dict], out: Path) -> None:
    lines = [
        "# InferenceEngine real-model fixtures",
        "",
        "Generated by `scripts/onnx/gen_fixtures.py` (do not edit; rerun the script:",
        "`.venv/bin/python scripts/onnx/gen_fixtures.py`). Package versions: "
        f"onnx {onnx.__version__}, onnxruntime {ort.__version__}, "
        f"scikit-learn {__import__('sklearn').__version__}, "
        f"skl2onnx {__import__('skl2onnx').__version__}, numpy {np.__version__}.",
        "",
        "Each `<name>/` uses the ONNX backend-test layout: `model.onnx`, and",
        "`test_data_set_<k>/input_<i>.pb` / `output_<i>.pb` (serialized `onnx.TensorProto`,",
        "`name` = the graph input/output name, in graph order). `test_data_set_0` is batch 1,",
        "`test_data_set_1` batch 32. Outputs are onnxruntime's (CPUExecutionProvider, 1 thread).",
        "",
        "`fixture.json`: `rtol`/`atol` (compare `|ours - ort| <= atol + rtol * |ort|`),",
        "`exact_outputs` (class labels: must be equal), `opsets` (domain -> version; the default",
        "domain is written `ai.onnx`), `ops`, `sets` (batch and shapes per data set),",
        "`cross_check.max_abs_diff`: how far onnx's reference evaluator (an independent",
        "implementation) is from onnxruntime on these inputs. Input rows whose class is a near",
        f"tie (margin < {MIN_CLASS_MARGIN:g}) were not used, so labels are unambiguous.",
        "",
        "| fixture | model.onnx | rtol | atol | exact | ops (domain `ai.onnx` unless marked) |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for record in records:
        size = (out / record["name"] / "model.onnx").stat().st_size
        ops = ", ".join(
            op["op_type"] if op["domain"] == "ai.onnx" else f"{op['domain']}:{op['op_type']}"
            for op in record["ops"]
        )
        exact = ", ".join(record["exact_outputs"]) or "-"
        lines.append(
            f"| `{record['name']}` | {size:,} B | {record['rtol']:g} | {record['atol']:g} | {exact} | {ops} |"
        )
    lines += ["", "## Models", ""]
    for record in records:
        opset_text = ", ".join(f"{d} {v}" for d, v in record["opsets"].items())
        lines.append(f"- `{record['name']}`: {record['description']}. Opsets: {opset_text}. "
                     f"Batch: {record['batch']}."
                     + (f" Tolerance: {record['tolerance_note']}." if record["tolerance_note"] else ""))
    lines += [
        "",
        "skl2onnx lists the default domain twice in some models' `opset_import` (same version);",
        "that is kept as exported, since real skl2onnx files look like that.",
        "",
    ]
    (out / "README.md").write_text("\n".join(lines))


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="gen_fixtures", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--out", type=Path, default=FIXTURE_DIR, help="where to write (default: %(default)s)"
    )
    out = parser.parse_args(argv).out.resolve()
    fixtures = sklearn_fixtures() + [tree_ensemble_fixture()] + helper_fixtures()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    records = [write_fixture(fixture, out) for fixture in fixtures]
    write_readme(records, out)
    total = sum(path.stat().st_size for path in out.rglob("*") if path.is_file())
    if total > MAX_TOTAL_BYTES:
        raise SystemExit(f"gen_fixtures: fixtures total {total} bytes, over {MAX_TOTAL_BYTES}")
    for record in records:
        print(f"{record['name']}: {', '.join(op['op_type'] for op in record['ops'])}")
    print(f"wrote {len(records)} fixtures ({total:,} bytes) to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
