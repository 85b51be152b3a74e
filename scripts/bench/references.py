"""Python reference figures for scripts/bench-ethereumkit.

Runs the same workloads as Benchmarks/Sources/EthereumKitWorkloads (same key, same inputs, same chaining: every
operation's input depends on the previous result) on the libraries a Python dApp backend uses:
  keccak        eth-hash with its pycryptodome backend (C keccak under a Python call)
  sign/recover  eth-keys with its coincurve backend (libsecp256k1 under cffi), as eth-account uses
  tx signing    eth-account's Account.sign_transaction
  ABI           eth-abi's encode + decode

Prints one JSON object per line, the format of every producer in scripts/bench/ (see README.md).
Usage: references.py [seconds-per-workload] [workload-name ...]
"""

import json
import re
import statistics
import sys
import time

from eth_abi import decode as abi_decode
from eth_abi import encode as abi_encode
from eth_account import Account
from eth_hash.backends.pycryptodome import keccak256
from eth_keys import KeyAPI
from eth_keys.backends import CoinCurveECCBackend
from eth_utils import to_checksum_address


def pattern(length: int, seed: int) -> bytes:
    """The deterministic bytes every producer uses (see fill_pattern in secp256k1_floor.c)."""
    return bytes((seed + 31 * i + 7) & 0xFF for i in range(length))


def measure(metric: str, impl: str, step, batch: int, seconds: float, per_op: float = 1.0, unit: str = "op/s"):
    """Median over samples of `batch` calls to `step`, per CPU-second of this thread and per wall second."""
    for _ in range(batch):  # warm-up
        step()
    cpu_rates, wall_rates = [], []
    end = time.perf_counter() + seconds
    while len(cpu_rates) < 5 or time.perf_counter() < end:
        wall0, cpu0 = time.perf_counter_ns(), time.thread_time_ns()
        for _ in range(batch):
            step()
        cpu1, wall1 = time.thread_time_ns(), time.perf_counter_ns()
        cpu_rates.append(batch * per_op * 1e9 / max(cpu1 - cpu0, 1))
        wall_rates.append(batch * per_op * 1e9 / max(wall1 - wall0, 1))
    print(json.dumps({
        "metric": metric,
        "impl": impl,
        "value": round(statistics.median(cpu_rates), 1),
        "wall_value": round(statistics.median(wall_rates), 1),
        "unit": unit,
        "samples": len(cpu_rates),
        "rates": [round(rate, 1) for rate in cpu_rates],
        "wall_rates": [round(rate, 1) for rate in wall_rates],
    }), flush=True)


def keccak_1mib():
    """1 MiB input; its first byte becomes the previous digest's. MB/s in 10^6 bytes."""
    big = bytearray(pattern(1 << 20, 0x33))

    def step():
        big[0] = keccak256(big)[0]

    return step, 4, (1 << 20) / 1e6, "MB/s"


def keccak_32b():
    """32-byte input, each the previous digest (Python call overhead included)."""
    state = [pattern(32, 0x44)]

    def step():
        state[0] = keccak256(state[0])

    return step, 2000, 1.0, "op/s"


def private_key():
    return KeyAPI(CoinCurveECCBackend()).PrivateKey(pattern(32, 0x01))


def sign():
    """The next digest is the previous signature's r."""
    key, digest = private_key(), [pattern(32, 0x11)]

    def step():
        digest[0] = key.sign_msg_hash(digest[0]).to_bytes()[:32]

    return step, 200, 1.0, "op/s"


def recover():
    """256 precomputed (digest, 65-byte signature) pairs, the next chosen by the last key."""
    keys, key = KeyAPI(CoinCurveECCBackend()), private_key()
    pairs, digest = [], pattern(32, 0x22)
    for _ in range(256):
        signature = key.sign_msg_hash(digest).to_bytes()
        pairs.append((digest, signature))
        digest = signature[:32]
    index = [0]

    def step():
        msg_hash, signature = pairs[index[0]]
        public = keys.Signature(signature_bytes=signature).recover_public_key_from_msg_hash(msg_hash)
        index[0] = (index[0] + 1 + (public.to_bytes()[0] & 1)) % 256

    return step, 200, 1.0, "op/s"


def tx_sign_1559():
    """An EIP-1559 ERC-20 transfer; the nonce grows by 1 or 2 with the last raw byte."""
    raw_key = private_key().to_bytes()
    token = to_checksum_address(pattern(20, 0x55))
    recipient = to_checksum_address(pattern(20, 0x66))
    data = bytes.fromhex("a9059cbb") + abi_encode(["address", "uint256"], [recipient, 10**18])
    nonce = [0]

    def step():
        signed = Account.sign_transaction({
            "type": 2, "chainId": 1, "nonce": nonce[0],
            "maxPriorityFeePerGas": 1_000_000_000, "maxFeePerGas": 30_000_000_000, "gas": 60_000,
            "to": token, "value": 0, "data": data, "accessList": [],
        }, raw_key)
        nonce[0] += 1 + (signed.raw_transaction[-1] & 1)

    return step, 100, 1.0, "op/s"


def abi_transfer():
    """transfer(address,uint256) arguments; the next amount is the decoded one plus one."""
    types, recipient, amount = ["address", "uint256"], to_checksum_address(pattern(20, 0x66)), [10**18]

    def step():
        amount[0] = abi_decode(types, abi_encode(types, [recipient, amount[0]]))[1] + 1

    return step, 1000, 1.0, "op/s"


def abi_mixed():
    """Static and dynamic types with a nested tuple array; the next counter is the decoded one plus one."""
    types = ["address", "uint256", "bool", "bytes", "string", "uint256[]", "(address,uint256,bytes32)[]"]
    recipient = to_checksum_address(pattern(20, 0x66))
    blob, name, numbers = pattern(100, 0x77), "aiplat benchmark payload", [3**k for k in range(8)]
    entries = [(to_checksum_address(pattern(20, 0x80 + k)), 1000 * k, pattern(32, k)) for k in range(3)]
    counter = [1]

    def step():
        encoded = abi_encode(types, [recipient, counter[0], True, blob, name, numbers, entries])
        counter[0] = abi_decode(types, encoded)[1] + 1

    return step, 200, 1.0, "op/s"


# metric name -> (library measured, workload factory returning (step, batch, units per op, unit))
WORKLOADS = {
    "keccak-1MiB": ("eth-hash/pycryptodome", keccak_1mib),
    "keccak-32B": ("eth-hash/pycryptodome", keccak_32b),
    "sign": ("eth-keys/coincurve", sign),
    "recover": ("eth-keys/coincurve", recover),
    "tx-sign-1559": ("eth-account", tx_sign_1559),
    "abi-transfer": ("eth-abi", abi_transfer),
    "abi-mixed": ("eth-abi", abi_mixed),
}


def main() -> None:
    arguments = sys.argv[1:]
    seconds = 2.0
    if arguments and re.fullmatch(r"[0-9.]+", arguments[0]):
        seconds = float(arguments.pop(0))
    unknown = [name for name in arguments if name not in WORKLOADS]
    if unknown:
        sys.exit(f"references.py: unknown workload {unknown[0]!r}; known: {', '.join(WORKLOADS)}")
    for name, (impl, factory) in WORKLOADS.items():
        if arguments and name not in arguments:
            continue
        step, batch, per_op, unit = factory()
        measure(name, impl, step, batch, seconds, per_op=per_op, unit=unit)


if __name__ == "__main__":
    main()
