"""Instructions per sign and per recover, ours and raw libsecp256k1's, counted with callgrind.

Usage: instructions.py COMPARE_BINARY FLOOR_BINARY

Timing on a machine shared with compilers moves by tens of percent; instruction counts do not
(callgrind counts the same for the same binary and inputs whatever else runs). Both programs run
their usual harness for the shortest time (a warm-up batch and 5 samples of 200 chained
operations, the same inputs on both sides); callgrind collects only inside the per-operation
function (`SignWorkload.run` / `sign_step` and the recover pair), and the total is divided by the
number of operations. Prints JSON lines {"metric", "impl", "instructions", "unit": "instr/op"}.
Needs valgrind; prints nothing (and says why on stderr) without it.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

BATCH = 200  # operations per sample in both harnesses (WorkloadSpec.batch, BATCH in the C file)

# metric -> (Swift function to collect in, C function to collect in)
FUNCTIONS = {
    "sign": ("*12SignWorkloadC3runyySiKF", "sign_step"),
    "recover": ("*15RecoverWorkloadC3runyySiKF", "recover_step"),
}


def count(command, toggle, workdir):
    """Collected instructions and operations run for one callgrind run of `command`."""
    out_file = os.path.join(workdir, "callgrind.out")
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}", f"--toggle-collect={toggle}", *command],
        capture_output=True, text=True, check=True)
    result = json.loads(next(line for line in run.stdout.splitlines() if line.startswith("{")))
    with open(out_file) as profile:
        totals = re.search(r"^totals:\s*(\d+)", profile.read(), re.M)
    operations = (result["samples"] + 1) * BATCH  # one warm-up batch, then the samples
    return int(totals.group(1)) / operations


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: instructions.py COMPARE_BINARY FLOOR_BINARY")
    if shutil.which("valgrind") is None:
        print("instructions.py: valgrind not found; instruction counts skipped", file=sys.stderr)
        return
    compare, floor = sys.argv[1:]
    with tempfile.TemporaryDirectory() as workdir:
        # valgrind 3.19 gives up on the DWARF 5 of Swift 6 binaries; symbols survive --strip-debug.
        stripped = os.path.join(workdir, "EthereumKitCompare")
        subprocess.run(["strip", "--strip-debug", "-o", stripped, compare], check=True)
        for metric, (swift_function, c_function) in FUNCTIONS.items():
            for impl, command, toggle in (
                ("aiplat (Swift)", [stripped, "0.001", metric], swift_function),
                ("libsecp256k1 C", [floor, "0.001", metric], c_function),
            ):
                instructions = count(command, toggle, workdir)
                print(json.dumps({"metric": metric, "impl": impl, "instructions": round(instructions),
                                  "unit": "instr/op"}), flush=True)


if __name__ == "__main__":
    main()
