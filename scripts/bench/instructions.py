"""Instructions per sign and recover (ours and raw libsecp256k1's) and per keccak byte (ours and
pycryptodome's), counted with callgrind.

Usage: instructions.py COMPARE_BINARY FLOOR_BINARY PYTHON

Timing on a machine shared with compilers moves by tens of percent; instruction counts do not
(callgrind counts the same for the same binary and inputs whatever else runs). Both programs run
their usual harness for the shortest time (a warm-up batch and 5 samples of 200 chained
operations, the same inputs on both sides); callgrind collects only inside the per-operation
function (`SignWorkload.run` / `sign_step` and the recover pair), and the total is divided by the
number of operations. For keccak over 1 MiB, ours is counted inside `KeccakWorkload.run` and
pycryptodome's inside its C `keccak_function` (the absorbing permutation), per input byte.
Prints JSON lines {"metric", "impl", "instructions", "unit": "instr/op" or "instr/byte"}.
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
KECCAK_BATCH = 4  # hashes of 1 MiB per sample (WorkloadSpec.batch of keccak-1MiB)
MIB = 1 << 20
PYCRYPTODOME_KECCAK = (
    "from eth_hash.backends.pycryptodome import keccak256\n"
    "b = bytearray(1 << 20)\n"
    "for _ in range(4):\n"
    "    b[0] = keccak256(b)[0]\n"
)

# metric -> (Swift function to collect in, C function to collect in)
FUNCTIONS = {
    "sign": ("*12SignWorkloadC3runyySiKF", "sign_step"),
    "recover": ("*15RecoverWorkloadC3runyySiKF", "recover_step"),
}


def collected(command, toggle, workdir):
    """Instructions callgrind collected inside `toggle`, and what `command` printed."""
    out_file = os.path.join(workdir, "callgrind.out")
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}", f"--toggle-collect={toggle}", *command],
        capture_output=True, text=True, check=True)
    with open(out_file) as profile:
        totals = re.search(r"^totals:\s*(\d+)", profile.read(), re.M)
    return int(totals.group(1)), run.stdout


def per_operation(command, toggle, workdir, batch=BATCH):
    """Instructions per operation of one harness run (a warm-up batch, then the samples)."""
    instructions, output = collected(command, toggle, workdir)
    result = json.loads(next(line for line in output.splitlines() if line.startswith("{")))
    return instructions / ((result["samples"] + 1) * batch)


def emit(metric, impl, instructions, unit):
    print(json.dumps({"metric": metric, "impl": impl, "instructions": round(instructions, 1), "unit": unit}), flush=True)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: instructions.py COMPARE_BINARY FLOOR_BINARY PYTHON")
    if shutil.which("valgrind") is None:
        print("instructions.py: valgrind not found; instruction counts skipped", file=sys.stderr)
        return
    compare, floor, python = sys.argv[1:]
    with tempfile.TemporaryDirectory() as workdir:
        # valgrind 3.19 gives up on the DWARF 5 of Swift 6 binaries; symbols survive --strip-debug.
        stripped = os.path.join(workdir, "EthereumKitCompare")
        subprocess.run(["strip", "--strip-debug", "-o", stripped, compare], check=True)
        for metric, (swift_function, c_function) in FUNCTIONS.items():
            for impl, command, toggle in (
                ("aiplat (Swift)", [stripped, "0.001", metric], swift_function),
                ("libsecp256k1 C", [floor, "0.001", metric], c_function),
            ):
                emit(metric, impl, round(per_operation(command, toggle, workdir)), "instr/op")
        ours = per_operation([stripped, "0.001", "keccak-1MiB"], "*14KeccakWorkloadC3runyySiF", workdir, KECCAK_BATCH)
        emit("keccak-1MiB", "aiplat (Swift)", ours / MIB, "instr/byte")
        theirs, _ = collected([python, "-c", PYCRYPTODOME_KECCAK], "keccak_function", workdir)
        emit("keccak-1MiB", "eth-hash/pycryptodome", theirs / (4 * MIB), "instr/byte")


if __name__ == "__main__":
    main()
