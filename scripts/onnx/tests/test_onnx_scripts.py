"""The committed real-model fixtures are well-formed and still reproduce in onnxruntime and
in onnx's reference evaluator; gen_fixtures.py regenerates them; ort_bench.py and
list_node_tests.py print what their callers parse.

Run: .venv/bin/python -m pytest -q scripts/onnx/tests
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import numpy_helper

REPO_ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = REPO_ROOT / "scripts" / "onnx"
FIXTURE_DIR = REPO_ROOT / "Tests" / "InferenceEngineTests" / "Fixtures"
FIXTURES = sorted(path.name for path in FIXTURE_DIR.iterdir() if path.is_dir())
EXPECTED = {
    "logistic_regression", "random_forest", "gradient_boosting", "gradient_boosting_regressor",
    "svm_classifier", "svm_regressor", "scaler_logreg_pipeline", "linear_regression",
    "preprocess_pipeline", "tree_ensemble", "mlp", "small_cnn", "transformer_encoder", "gcn",
    "quantized_mlp", "bert_block",
}


def load_set(directory: Path, kind: str) -> list[onnx.TensorProto]:
    files = sorted(directory.glob(f"{kind}_*.pb"), key=lambda p: int(p.stem.split("_")[1]))
    return [onnx.load_tensor(str(path)) for path in files]


def fixture_json(name: str) -> dict:
    return json.loads((FIXTURE_DIR / name / "fixture.json").read_text())


def run_script(*arguments: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *arguments], capture_output=True, text=True, timeout=timeout, cwd=REPO_ROOT
    )


def assert_close(name: str, fixture: dict, expected: np.ndarray, actual: np.ndarray) -> None:
    actual = np.asarray(actual).reshape(expected.shape)
    if name in fixture["exact_outputs"]:
        np.testing.assert_array_equal(actual, expected, err_msg=name)
    else:
        np.testing.assert_allclose(actual, expected, rtol=fixture["rtol"], atol=fixture["atol"], err_msg=name)


def test_every_model_is_there():
    assert set(FIXTURES) == EXPECTED


def test_sizes_stay_small():
    total = sum(path.stat().st_size for path in FIXTURE_DIR.rglob("*") if path.is_file())
    assert total < 3 * 1024 * 1024
    for name in FIXTURES:
        assert (FIXTURE_DIR / name / "model.onnx").stat().st_size < 300 * 1024, name


@pytest.mark.parametrize("name", FIXTURES)
def test_layout_and_description_match_the_model(name):
    directory = FIXTURE_DIR / name
    model = onnx.load(str(directory / "model.onnx"))
    onnx.checker.check_model(model, full_check=True)
    fixture = fixture_json(name)
    assert fixture["name"] == name
    assert {"description", "rtol", "atol", "exact_outputs", "opsets"} <= set(fixture)
    assert 0 < fixture["atol"] <= 1e-3 and 0 < fixture["rtol"] <= 1e-3

    initializers = {init.name for init in model.graph.initializer}
    inputs = [i.name for i in model.graph.input if i.name not in initializers]
    outputs = [o.name for o in model.graph.output]
    assert set(fixture["exact_outputs"]) <= set(outputs)
    used = {(node.domain or "ai.onnx", node.op_type) for node in model.graph.node}
    assert {(op["domain"], op["op_type"]) for op in fixture["ops"]} == used
    assert set(fixture["opsets"]) == {entry.domain or "ai.onnx" for entry in model.opset_import}

    assert [s["batch"] for s in fixture["sets"]] == [1, 32]
    for index, record in enumerate(fixture["sets"]):
        data = directory / f"test_data_set_{index}"
        assert record["directory"] == data.name
        assert [t.name for t in load_set(data, "input")] == inputs
        assert [t.name for t in load_set(data, "output")] == outputs
        for tensor in load_set(data, "input"):
            assert list(tensor.dims) == record["inputs"][tensor.name]
        for tensor in load_set(data, "output"):
            assert list(tensor.dims) == record["outputs"][tensor.name]
            # the batch is the leading dimension of every output
            assert tensor.dims[0] == record["batch"], tensor.name


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("name", FIXTURES)
def test_onnxruntime_reproduces_the_outputs(name, threads):
    directory = FIXTURE_DIR / name
    fixture = fixture_json(name)
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    session = ort.InferenceSession(str(directory / "model.onnx"), options, providers=["CPUExecutionProvider"])
    for index in range(2):
        data = directory / f"test_data_set_{index}"
        feeds = {t.name: numpy_helper.to_array(t) for t in load_set(data, "input")}
        for expected, actual in zip(load_set(data, "output"), session.run(None, feeds)):
            assert_close(expected.name, fixture, numpy_helper.to_array(expected), actual)


@pytest.mark.parametrize("name", FIXTURES)
def test_onnx_reference_evaluator_agrees_within_the_tolerances(name):
    """An implementation independent of onnxruntime meets the stated tolerances, so they
    are reachable by a correct engine and not tuned to onnxruntime's rounding."""
    from onnx.reference import ReferenceEvaluator

    directory = FIXTURE_DIR / name
    fixture = fixture_json(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        evaluator = ReferenceEvaluator(str(directory / "model.onnx"))
        for index in range(2):
            data = directory / f"test_data_set_{index}"
            feeds = {t.name: numpy_helper.to_array(t) for t in load_set(data, "input")}
            for expected, actual in zip(load_set(data, "output"), evaluator.run(None, feeds)):
                assert_close(expected.name, fixture, numpy_helper.to_array(expected), actual)


def test_classifier_labels_are_not_all_one_class():
    for name in FIXTURES:
        fixture = fixture_json(name)
        for output in fixture["exact_outputs"]:
            index = fixture["outputs"].index(output)
            tensor = onnx.load_tensor(str(FIXTURE_DIR / name / "test_data_set_1" / f"output_{index}.pb"))
            assert len(np.unique(numpy_helper.to_array(tensor))) >= 3, name


def test_generator_rewrites_the_committed_fixtures(tmp_path):
    """Same inputs and files; outputs within tolerance (byte-identical on the machine that
    generated them, but another CPU's onnxruntime kernels may round differently)."""
    out = tmp_path / "Fixtures"
    result = run_script(str(SCRIPTS / "gen_fixtures.py"), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    committed = sorted(p.relative_to(FIXTURE_DIR) for p in FIXTURE_DIR.rglob("*") if p.is_file())
    assert sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file()) == committed
    for name in FIXTURES:
        fixture = fixture_json(name)
        for index in range(2):
            ours, theirs = out / name / f"test_data_set_{index}", FIXTURE_DIR / name / f"test_data_set_{index}"
            for path in sorted(theirs.glob("input_*.pb")):
                assert (ours / path.name).read_bytes() == path.read_bytes(), path
            for a, b in zip(load_set(ours, "output"), load_set(theirs, "output")):
                assert_close(b.name, fixture, numpy_helper.to_array(b), numpy_helper.to_array(a))


def test_ort_bench_prints_one_json_line():
    result = run_script(str(SCRIPTS / "ort_bench.py"), str(FIXTURE_DIR / "mlp"), "--threads", "1",
                        "--batch", "32", "--iters", "5", "--warmup", "1")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {"model", "batch", "threads", "ort_ms_p50", "ort_ms_mean"} <= set(report)
    assert (report["model"], report["batch"], report["threads"]) == ("mlp", 32, 1)
    assert 0 < report["ort_ms_p50"] < 1000 and 0 < report["ort_ms_mean"] < 1000


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["mlp", "--batch", "7"], "mlp has no data set for batch 7 (has [1, 32])"),
        (["no_such_model"], "no_such_model/model.onnx is missing"),
        (["mlp", "--threads", "0"], "--threads and --iters must be at least 1"),
    ],
)
def test_ort_bench_errors_are_one_line(arguments, message):
    path, *rest = arguments
    result = run_script(str(SCRIPTS / "ort_bench.py"), str(FIXTURE_DIR / path), *rest)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr


def test_list_node_tests_materializes_the_backend_node_tests(tmp_path):
    node_dir = tmp_path / "node"
    result = run_script(str(SCRIPTS / "list_node_tests.py"), "--data-dir", str(node_dir))
    assert result.returncode == 0, result.stderr
    listing = json.loads(result.stdout)
    assert listing["onnx_version"] == onnx.__version__
    assert Path(listing["node_dir"]) == node_dir.resolve()
    tests = {test["name"]: test for test in listing["tests"]}
    assert len(tests) > 1000
    assert tests["test_abs"]["ops"] == [{"domain": "ai.onnx", "op_type": "Abs"}]
    assert tests["test_abs"]["data_sets"] == 1
    ml = {op["op_type"] for t in tests.values() for op in t["ops"] if op["domain"] == "ai.onnx.ml"}
    assert {"TreeEnsemble", "LabelEncoder", "Binarizer"} <= ml
    # the layout a backend-test runner reads, and the data agrees with the model
    case = node_dir / "test_matmul_2d"
    model = onnx.load(str(case / "model.onnx"))
    a, b = (numpy_helper.to_array(t) for t in load_set(case / "test_data_set_0", "input"))
    (expected,) = load_set(case / "test_data_set_0", "output")
    assert expected.name == model.graph.output[0].name
    np.testing.assert_allclose(numpy_helper.to_array(expected), a @ b, rtol=1e-5)
    # a second call reuses what the first wrote
    again = run_script(str(SCRIPTS / "list_node_tests.py"), "--data-dir", str(node_dir))
    assert again.returncode == 0 and json.loads(again.stdout) == listing
