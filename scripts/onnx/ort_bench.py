#!/usr/bin/env python3
"""Times onnxruntime on a fixture's own inputs; prints one JSON line.

    .venv/bin/python scripts/onnx/ort_bench.py MODEL_DIR [--threads T] [--batch B] [--iters N]

MODEL_DIR is a fixture directory (Tests/InferenceEngineTests/Fixtures/<name>): model.onnx
plus test_data_set_<k>/input_<i>.pb. The batch picks the data set (fixture.json's `sets`
records each one's batch; without fixture.json batch 1 is test_data_set_0 and batch 32
test_data_set_1). The session uses CPUExecutionProvider, intra_op_num_threads=T,
inter_op_num_threads=1, sequential execution and onnxruntime's default graph
optimizations; `--warmup` runs (default 20) come before the timed ones.

Output: {"model", "batch", "threads", "ort_ms_p50", "ort_ms_mean", "ort_ms_min", "iters",
"onnxruntime"}; times are wall-clock milliseconds per session.run. Errors: one line on
stderr, exit status 2.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

DEFAULT_SETS = {1: "test_data_set_0", 32: "test_data_set_1"}


class BenchError(Exception):
    pass


def data_set_for(model_dir: Path, batch: int) -> Path:
    sets = dict(DEFAULT_SETS)
    fixture = model_dir / "fixture.json"
    if fixture.is_file():
        try:
            recorded = json.loads(fixture.read_text())["sets"]
            sets = {entry["batch"]: entry["directory"] for entry in recorded}
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise BenchError(f"{fixture}: not a fixture description ({error})") from error
    if batch not in sets:
        raise BenchError(f"{model_dir.name} has no data set for batch {batch} (has {sorted(sets)})")
    path = model_dir / sets[batch]
    if not path.is_dir():
        raise BenchError(f"{path} is missing")
    return path


def load_inputs(session, data_dir: Path) -> dict:
    import onnx
    from onnx import numpy_helper

    names = [i.name for i in session.get_inputs()]
    feeds = {}
    for index, name in enumerate(names):
        path = data_dir / f"input_{index}.pb"
        if not path.is_file():
            raise BenchError(f"{path} is missing (the model has {len(names)} inputs)")
        tensor = onnx.load_tensor(str(path))
        feeds[tensor.name or name] = numpy_helper.to_array(tensor)
    if set(feeds) != set(names):
        raise BenchError(f"{data_dir}: inputs {sorted(feeds)} do not match the model's {names}")
    return feeds


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="ort_bench", description=__doc__.split("\n")[0])
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--iters", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args(argv)
    try:
        if args.threads < 1 or args.iters < 1 or args.warmup < 0:
            raise BenchError("--threads and --iters must be at least 1, --warmup at least 0")
        model_path = args.model_dir / "model.onnx"
        if not model_path.is_file():
            raise BenchError(f"{model_path} is missing")
        data_dir = data_set_for(args.model_dir, args.batch)

        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = args.threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        feeds = load_inputs(session, data_dir)
        for _ in range(args.warmup):
            session.run(None, feeds)
        times = []
        for _ in range(args.iters):
            start = time.perf_counter()
            session.run(None, feeds)
            times.append((time.perf_counter() - start) * 1000.0)
    except BenchError as error:
        print(f"ort_bench: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # onnxruntime's own failures (a corrupt model, a bad input)
        print(f"ort_bench: {args.model_dir}: {type(error).__name__}: {error}".splitlines()[0], file=sys.stderr)
        return 2
    print(
        json.dumps(
            {
                "model": args.model_dir.resolve().name,
                "batch": args.batch,
                "threads": args.threads,
                "ort_ms_p50": round(statistics.median(times), 6),
                "ort_ms_mean": round(statistics.fmean(times), 6),
                "ort_ms_min": round(min(times), 6),
                "iters": args.iters,
                "onnxruntime": ort.__version__,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
