"""Python reference figures for scripts/bench-ethereumkit.

Runs the same workloads as Benchmarks/Workloads (same key, same inputs, same chaining: every
operation's input depends on the previous result) on the libraries a Python dApp backend uses:
  keccak        eth-hash with its pycryptodome backend (C keccak under a Python call)
  sign/recover  eth-keys with its coincurve backend (libsecp256k1 under cffi), as eth-account uses
  tx signing    eth-account's Account.sign_transaction
  ABI           eth-abi's encode + decode

Prints one JSON object per line, the format of every producer in scripts/bench/ (see README.md).
Usage: references.py [seconds-per-workload]
"""

import json
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
    }), flush=True)


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    keys = KeyAPI(CoinCurveECCBackend())
    private_key = keys.PrivateKey(pattern(32, 0x01))

    # keccak over 1 MiB: MB/s (10^6 bytes); the first byte of each input is the previous digest's.
    big = bytearray(pattern(1 << 20, 0x33))

    def keccak_big():
        big[0] = keccak256(big)[0]

    measure("keccak-1MiB", "eth-hash/pycryptodome", keccak_big, 8, seconds, per_op=(1 << 20) / 1e6, unit="MB/s")

    # keccak over 32 bytes, each input the previous digest: hashes/s (Python call overhead included).
    small = [pattern(32, 0x44)]

    def keccak_small():
        small[0] = keccak256(small[0])

    measure("keccak-32B", "eth-hash/pycryptodome", keccak_small, 2000, seconds)

    # sign: the next digest is the previous signature's r.
    digest = [pattern(32, 0x11)]

    def sign():
        digest[0] = private_key.sign_msg_hash(digest[0]).to_bytes()[:32]

    measure("sign", "eth-keys/coincurve", sign, 200, seconds)

    # recover: 256 precomputed (digest, 65-byte signature) pairs, the next chosen by the last key.
    pairs, d = [], pattern(32, 0x22)
    for _ in range(256):
        signature = private_key.sign_msg_hash(d).to_bytes()
        pairs.append((d, signature))
        d = signature[:32]
    index = [0]

    def recover():
        msg_hash, signature = pairs[index[0]]
        public = keys.Signature(signature_bytes=signature).recover_public_key_from_msg_hash(msg_hash)
        index[0] = (index[0] + 1 + (public.to_bytes()[0] & 1)) % 256

    measure("recover", "eth-keys/coincurve", recover, 200, seconds)

    # tx signing: an EIP-1559 ERC-20 transfer, the nonce counting up.
    token = to_checksum_address(pattern(20, 0x55))
    transfer_data = bytes.fromhex("a9059cbb") + abi_encode(["address", "uint256"], ["0x" + pattern(20, 0x66).hex(), 10**18])
    raw_key = private_key.to_bytes()
    nonce = [0]

    def sign_tx():
        signed = Account.sign_transaction({
            "type": 2, "chainId": 1, "nonce": nonce[0],
            "maxPriorityFeePerGas": 1_000_000_000, "maxFeePerGas": 30_000_000_000, "gas": 60_000,
            "to": token, "value": 0, "data": transfer_data, "accessList": [],
        }, raw_key)
        nonce[0] += 1 + (signed.raw_transaction[-1] & 1)

    measure("tx-sign-1559", "eth-account", sign_tx, 50, seconds)

    # ABI: transfer(address,uint256) arguments, encode + decode, the amount counting up.
    recipient = "0x" + pattern(20, 0x66).hex()
    amount = [10**18]

    def abi_transfer():
        decoded = abi_decode(["address", "uint256"], abi_encode(["address", "uint256"], [recipient, amount[0]]))
        amount[0] = decoded[1] + 1

    measure("abi-transfer", "eth-abi", abi_transfer, 500, seconds)

    # ABI: a mix of static and dynamic types, nested tuples included.
    mixed_types = ["address", "uint256", "bool", "bytes", "string", "uint256[]", "(address,uint256,bytes32)[]"]
    counter = [1]
    blob = pattern(100, 0x77)
    name = "aiplat benchmark payload"
    numbers = [3**k for k in range(8)]
    entries = [("0x" + pattern(20, 0x80 + k).hex(), 1000 * k, pattern(32, k)) for k in range(3)]

    def abi_mixed():
        encoded = abi_encode(mixed_types, [recipient, counter[0], True, blob, name, numbers, entries])
        decoded = abi_decode(mixed_types, encoded)
        counter[0] = decoded[1] + 1

    measure("abi-mixed", "eth-abi", abi_mixed, 200, seconds)


if __name__ == "__main__":
    main()
