"""Turns the JSON lines of scripts/bench-ethereumkit's producers into the comparison table.

Usage: report.py RESULTS.jsonl [--doc docs/performance.md] [--load-before "a b c"] [--seconds N]

Every line of RESULTS.jsonl is {"metric", "impl", "value", "wall_value", "unit", "samples"}: "value"
is the median rate per CPU-second of the benchmarking thread, "wall_value" the same per wall second.
Prints `metric | aiplat | reference | ratio` (ratio = aiplat / reference: above 1 we are faster)
and, with --doc, rewrites the "EthereumKit" section of that Markdown file with the same table.
"""

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys

OURS = "aiplat (Swift)"

# (metric, row title, reference impl) in report order.
ROWS = [
    ("keccak-1MiB", "keccak-256, 1 MiB input (MB/s)", "eth-hash/pycryptodome"),
    ("keccak-32B", "keccak-256, 32-byte input (hashes/s)", "eth-hash/pycryptodome"),
    ("sign", "sign, recoverable (sign/s)", "eth-keys/coincurve"),
    ("sign", "sign, recoverable (sign/s)", "libsecp256k1 C"),
    ("recover", "recover public key (recover/s)", "eth-keys/coincurve"),
    ("recover", "recover public key (recover/s)", "libsecp256k1 C"),
    ("tx-sign-1559", "EIP-1559 tx signing, ERC-20 transfer (tx/s)", "eth-account"),
    ("abi-transfer", "ABI encode+decode, (address,uint256) (op/s)", "eth-abi"),
    ("abi-mixed", "ABI encode+decode, 7 mixed dynamic types (op/s)", "eth-abi"),
]

# Goals from issue 2: our sign/recover may cost at most 1.2x raw libsecp256k1, and keccak must
# not be slower than pycryptodome's C keccak.
GOALS = [
    ("sign", "libsecp256k1 C", 1 / 1.2, "sign overhead over raw libsecp256k1 below 1.2x"),
    ("recover", "libsecp256k1 C", 1 / 1.2, "recover overhead over raw libsecp256k1 below 1.2x"),
    ("keccak-1MiB", "eth-hash/pycryptodome", 1.0, "keccak at least as fast as pycryptodome's C keccak"),
]


def load(path):
    """Timing lines keyed by (metric, impl), and instruction-count lines keyed the same way.

    A (metric, impl) pair may appear once per round: its samples are pooled, and `value` and
    `wall_value` become the medians of all its samples.
    """
    pooled, instructions = {}, {}
    with open(path) as lines:
        for line in lines:
            line = line.strip()
            if not line.startswith("{"):
                continue
            entry = json.loads(line)
            key = (entry["metric"], entry["impl"])
            if "instructions" in entry:
                instructions[key] = entry
                continue
            into = pooled.setdefault(key, {"rates": [], "wall_rates": [], "rounds": 0})
            into["rates"] += entry.get("rates", [entry["value"]])
            into["wall_rates"] += entry.get("wall_rates", [entry["wall_value"]])
            into["rounds"] += 1
    results = {
        key: {"value": statistics.median(entry["rates"]), "wall_value": statistics.median(entry["wall_rates"]),
              "samples": len(entry["rates"]), "rounds": entry["rounds"]}
        for key, entry in pooled.items()
    }
    return results, instructions


# (metric, row title, reference impl) for the callgrind counts.
INSTRUCTION_ROWS = [
    ("sign", "sign (instructions/op)", "libsecp256k1 C"),
    ("recover", "recover (instructions/op)", "libsecp256k1 C"),
    ("keccak-1MiB", "keccak-256, 1 MiB input (instructions/byte)", "eth-hash/pycryptodome"),
]


def instruction_rows(instructions):
    rows = []
    for metric, title, reference in INSTRUCTION_ROWS:
        ours = instructions.get((metric, OURS), {}).get("instructions")
        theirs = instructions.get((metric, reference), {}).get("instructions")
        if ours and theirs:
            rows.append([title, f"{ours:,.1f}" if ours < 100 else f"{ours:,.0f}",
                         f"{theirs:,.1f} ({reference})" if theirs < 100 else f"{theirs:,.0f} ({reference})",
                         f"{ours / theirs:.3f}x"])
    return rows


def number(value):
    if value is None:
        return "n/a"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def table(results, key="value"):
    """The rows as lists of cells; a missing side shows n/a."""
    rows = []
    for metric, title, reference in ROWS:
        ours = results.get((metric, OURS), {}).get(key)
        theirs = results.get((metric, reference), {}).get(key)
        ratio = f"{ours / theirs:.2f}x" if ours and theirs else "n/a"
        rows.append([title, number(ours), f"{number(theirs)} ({reference})", ratio])
    return rows


def goal_lines(results, instructions):
    lines = []
    for metric, reference, floor, text in GOALS:
        ours = results.get((metric, OURS), {}).get("value")
        theirs = results.get((metric, reference), {}).get("value")
        if not ours or not theirs:
            lines.append(f"- {text}: not measured")
            continue
        ratio = ours / theirs
        if metric in ("sign", "recover"):
            detail = f"we take {1 / ratio:.2f}x its CPU time"
        else:
            detail = f"throughput ratio {ratio:.2f}x"
        ours_count = instructions.get((metric, OURS), {}).get("instructions")
        their_count = instructions.get((metric, reference), {}).get("instructions")
        if ours_count and their_count:
            detail += f" and {ours_count / their_count:.3f}x its instructions"
        lines.append(f"- {text}: {detail}, {'met' if ratio >= floor else 'MISSED'}")
    return lines


def markdown(rows, header=("metric", "aiplat", "reference", "ratio")):
    header = list(header)
    out = ["| " + " | ".join(header) + " |", "| --- | ---: | ---: | ---: |"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(out)


def plain(rows, header=("metric", "aiplat", "reference", "ratio")):
    header = list(header)
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(4)]
    fmt = lambda r: " | ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(r))
    return "\n".join([fmt(header), "-+-".join("-" * w for w in widths)] + [fmt(r) for r in rows])


def machine():
    model, cores = platform.processor() or platform.machine(), os.cpu_count()
    try:
        with open("/proc/cpuinfo") as info:
            text = info.read()
        found = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
        if found:
            model = found.group(1).strip()
        cores = len(re.findall(r"^processor\s*:", text, re.M)) or cores
    except OSError:
        pass
    return model, cores


def versions():
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    swift = swift[0].strip() if swift else "swift (version unknown)"
    try:
        from importlib.metadata import version
        python = ", ".join(f"{name} {version(name)}" for name in
                           ("eth-hash", "pycryptodome", "eth-keys", "coincurve", "eth-account", "eth-abi"))
    except Exception:  # reporting must not fail for a missing version string
        python = "versions unknown"
    libsecp = subprocess.run(["pkg-config", "--modversion", "libsecp256k1"], capture_output=True, text=True).stdout.strip()
    return swift, f"Python {platform.python_version()}: {python}", f"libsecp256k1 {libsecp or 'unknown'}"


def section(results, instructions, load_before, load_after, seconds, rounds):
    model, cores = machine()
    swift, python, libsecp = versions()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "## EthereumKit",
        "",
        f"Measured {now} by `scripts/bench-ethereumkit` on {model} ({cores} cores), "
        f"load average {load_before} before the run and {load_after} after.",
        f"{swift}; {python}; {libsecp}.",
        "",
        "Every figure is the median over samples of chained operations (each input taken from the previous",
        "result) per CPU-second of the benchmarking thread, all sides timed the same way in one run: metric",
        f"by metric, alternating between the sides in {rounds} rounds (~{seconds:g} s per side and metric in all).",
        "Ratio = aiplat / reference: above 1 we are faster. The Python references include the interpreter's",
        "per-call cost, which dominates the small operations; the libsecp256k1 rows are the C library called",
        "directly (`scripts/bench/secp256k1_floor.c`). On a shared virtual machine CPU time still moves by",
        "about 10% from run to run; the callgrind counts further down do not.",
        "",
        markdown(table(results)),
        "",
        "Goals (issue 2):",
        "",
        *goal_lines(results, instructions),
        "",
        *instruction_section(instructions),
        "The same figures per wall-clock second (sensitive to other processes on the machine):",
        "",
        markdown(table(results, key="wall_value")),
        "",
    ]
    return "\n".join(lines)


def instruction_section(instructions):
    rows = instruction_rows(instructions)
    if not rows:
        return []
    return [
        "Instructions counted by callgrind (`scripts/bench/instructions.py`); unlike time, these do not move",
        "with the machine's load (ratio = aiplat / reference: below 1 we execute fewer):",
        "",
        markdown(rows, header=["metric", "aiplat", "reference", "aiplat / reference"]),
        "",
    ]


def write_doc(path, text):
    existing = ""
    if os.path.exists(path):
        with open(path) as doc:
            existing = doc.read()
    if not existing.strip():
        existing = "# Performance\n\nFigures from the benchmark scripts in `scripts/`, newest run per section.\n"
    pattern = re.compile(r"^## EthereumKit\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(existing):
        updated = pattern.sub(lambda _: text + "\n", existing, count=1)
    else:
        updated = existing.rstrip("\n") + "\n\n" + text
    with open(path, "w") as doc:
        doc.write(updated.rstrip("\n") + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--doc")
    parser.add_argument("--load-before", default="unknown")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()

    results, instructions = load(args.results)
    if not results:
        sys.exit(f"report.py: no results in {args.results}")
    model, cores = machine()
    load_after = " ".join(open("/proc/loadavg").read().split()[:3]) if os.path.exists("/proc/loadavg") else "unknown"
    print(f"machine: {model}, {cores} cores; load average {args.load_before} before, {load_after} after")
    print("figures: median rate per CPU-second; ratio = aiplat / reference (above 1: we are faster)\n")
    print(plain(table(results)))
    print()
    print("\n".join(goal_lines(results, instructions)))
    if instruction_rows(instructions):
        print("\ninstructions (callgrind; below 1 we execute fewer):\n")
        print(plain(instruction_rows(instructions), header=["metric", "aiplat", "reference", "aiplat / reference"]))
    if args.doc:
        write_doc(args.doc, section(results, instructions, args.load_before, load_after, args.seconds, args.rounds))
        print(f"\nwrote the EthereumKit section of {args.doc}")


if __name__ == "__main__":
    main()
