#!/usr/bin/env python3
"""ABI reference vectors for EthereumKit's ABI module, from independent Python implementations.

- encode:    random type trees (nested tuples and arrays) and values -> eth_abi.encode
- invalid:   mutated encodings (truncated, bit flips, hostile offsets/lengths) -> eth_abi.decode verdict
- packed:    Solidity abi.encodePacked via web3 (solidity_keccak / hex_encode_abi_type)
- selectors: function/error selectors and event topics via eth_utils
- logs:      random events and logs decoded by web3's get_event_data

Run with the project venv:  .venv/bin/python scripts/vectors/gen_abi.py
Writes Tests/EthereumKitTests/Vectors/abi.json (deterministic, seed below).
"""
import json
import os
import random

import eth_abi
from eth_abi.exceptions import DecodingError
from eth_utils import (
    event_signature_to_log_topic,
    function_signature_to_4byte_selector,
    keccak,
    to_checksum_address,
)
from web3 import Web3
from web3._utils.encoding import hex_encode_abi_type
from web3._utils.events import get_event_data

SEED = 712_2024
rng = random.Random(SEED)
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "EthereumKitTests", "Vectors", "abi.json")

INT_BITS = [8, 16, 24, 32, 40, 64, 72, 128, 160, 200, 248, 256]


# ---------------------------------------------------------------- types

def random_elementary(allow_dynamic=True):
    kinds = ["uint", "int", "address", "bool", "bytesN"] + (["bytes", "string"] if allow_dynamic else [])
    kind = rng.choice(kinds)
    if kind == "uint":
        return ("uint", rng.choice(INT_BITS))
    if kind == "int":
        return ("int", rng.choice(INT_BITS))
    if kind == "bytesN":
        return ("bytesN", rng.choice([1, 2, 4, 8, 16, 20, 31, 32]))
    return (kind,)


def random_type(depth):
    roll = rng.random()
    if depth <= 0 or roll < 0.45:
        return random_elementary()
    if roll < 0.65:
        return ("array", random_type(depth - 1))
    if roll < 0.8:
        return ("fixed", random_type(depth - 1), rng.randint(1, 3))
    return ("tuple", [random_type(depth - 1) for _ in range(rng.randint(1, 4))])


def type_str(t):
    k = t[0]
    if k in ("uint", "int"):
        return f"{k}{t[1]}"
    if k == "bytesN":
        return f"bytes{t[1]}"
    if k in ("address", "bool", "bytes", "string"):
        return k
    if k == "array":
        return type_str(t[1]) + "[]"
    if k == "fixed":
        return type_str(t[1]) + f"[{t[2]}]"
    return "(" + ",".join(type_str(c) for c in t[1]) + ")"


# ---------------------------------------------------------------- values
# Each generator returns (python value for eth-abi, JSON value for the Swift test).

STRINGS = ["", "a", "hello world", "x" * 31, "y" * 32, "z" * 33, "héllo wörld", "日本語のテキスト", "emoji 🦄🚀",
           "quote \" and backslash \\", "line\nbreak\ttab", "\u0000nul"]


def random_int(bits, signed):
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    choice = rng.random()
    if choice < 0.15:
        return lo
    if choice < 0.3:
        return hi
    if choice < 0.4:
        return 0
    if choice < 0.6:
        return rng.randint(max(lo, -1000), min(hi, 1000))
    return rng.randint(lo, hi)


def random_value(t):
    k = t[0]
    if k in ("uint", "int"):
        v = random_int(t[1], k == "int")
        return v, str(v)
    if k == "address":
        a = to_checksum_address(bytes(rng.getrandbits(8) for _ in range(20)))
        return a, a
    if k == "bool":
        v = rng.random() < 0.5
        return v, v
    if k == "bytesN":
        b = bytes(rng.getrandbits(8) for _ in range(t[1]))
        return b, "0x" + b.hex()
    if k == "bytes":
        b = bytes(rng.getrandbits(8) for _ in range(rng.choice([0, 1, 5, 31, 32, 33, 64, 70])))
        return b, "0x" + b.hex()
    if k == "string":
        s = rng.choice(STRINGS) if rng.random() < 0.6 else "".join(
            rng.choice("abcdefghijklmnopqrstuvwxyz0123456789 ,()[]") for _ in range(rng.randint(0, 40)))
        return s, s
    if k == "array":
        pairs = [random_value(t[1]) for _ in range(rng.choice([0, 1, 2, 3, 4]))]
        return [p for p, _ in pairs], [j for _, j in pairs]
    if k == "fixed":
        pairs = [random_value(t[1]) for _ in range(t[2])]
        return [p for p, _ in pairs], [j for _, j in pairs]
    pairs = [random_value(c) for c in t[1]]
    return tuple(p for p, _ in pairs), [j for _, j in pairs]


# ---------------------------------------------------------------- encode cases

def encode_cases(count):
    cases = []
    for i in range(count):
        depth = 1 if i < count // 4 else 3
        types = [random_type(depth) for _ in range(rng.randint(1, 4))]
        values = [random_value(t) for t in types]
        type_strs = [type_str(t) for t in types]
        encoded = eth_abi.encode(type_strs, [v for v, _ in values])
        # The reference must read back what it wrote (guards the generator itself).
        assert eth_abi.decode(type_strs, encoded) is not None
        cases.append({"types": type_strs, "values": [j for _, j in values], "encoded": "0x" + encoded.hex()})
    return cases


# ---------------------------------------------------------------- invalid / mutated encodings

def mutate(data):
    data = bytearray(data)
    words = len(data) // 32
    roll = rng.random()
    if roll < 0.2 and len(data) > 0:
        cut = rng.randint(0, len(data) - 1)
        return bytes(data[:cut]), "truncated"
    if roll < 0.45 and words > 0:
        w = rng.randrange(words)
        value = rng.choice([0, 1, 31, 32, 33, 64, len(data), len(data) - 32, len(data) + 32, 2 ** 32, 2 ** 64, 2 ** 255])
        value = max(0, value) % (2 ** 256)
        data[w * 32:(w + 1) * 32] = value.to_bytes(32, "big")
        return bytes(data), "word replaced"
    if roll < 0.75 and words > 0:
        w = rng.randrange(words)
        position = w * 32 + rng.choice([0, 1, 11, 12, 30, 31])
        data[position] ^= 1 << rng.randrange(8)
        return bytes(data), "bit flip"
    if len(data) > 0:
        position = rng.randrange(len(data))
        data[position] = rng.getrandbits(8)
        return bytes(data), "byte replaced"
    return bytes(data) + b"\x01", "appended"


def to_json_value(t, v):
    """JSON form of a value eth_abi.decode returned, as random_value writes it."""
    k = t[0]
    if k in ("uint", "int"):
        return str(v)
    if k == "address":
        return to_checksum_address(v)
    if k == "bool":
        return v
    if k in ("bytesN", "bytes"):
        return "0x" + v.hex()
    if k == "string":
        return v
    if k in ("array", "fixed"):
        return [to_json_value(t[1], x) for x in v]
    if isinstance(v, dict):  # web3 returns named tuples as dicts in declaration order
        v = list(v.values())
    return [to_json_value(c, x) for c, x in zip(t[1], v)]


def invalid_cases(count):
    cases = []
    attempts = 0
    while len(cases) < count and attempts < count * 20:
        attempts += 1
        types = [random_type(2) for _ in range(rng.randint(1, 3))]
        values = [random_value(t)[0] for t in types]
        type_strs = [type_str(t) for t in types]
        encoded = eth_abi.encode(type_strs, values)
        mutated, how = mutate(encoded)
        try:
            decoded = eth_abi.decode(type_strs, mutated)
            case = {"types": type_strs, "data": "0x" + mutated.hex(), "mutation": how, "valid": True,
                    "values": [to_json_value(t, v) for t, v in zip(types, decoded)]}
        except (DecodingError, UnicodeDecodeError, OverflowError, ValueError) as error:
            case = {"types": type_strs, "data": "0x" + mutated.hex(), "mutation": how, "valid": False,
                    "error": type(error).__name__}
        cases.append(case)
    return cases


# ---------------------------------------------------------------- packed

def strip_0x(text):
    return text[2:] if text.startswith("0x") else text


def web3_value(v):
    if isinstance(v, bytes):
        return "0x" + v.hex()
    if isinstance(v, list):
        return [web3_value(x) for x in v]
    return v


def packed_cases(count):
    cases = []
    for _ in range(count):
        types, values_py, values_json = [], [], []
        for _ in range(rng.randint(1, 5)):
            if rng.random() < 0.25:
                # Arrays of numbers, addresses and bools (web3 pads bytesN array elements wrongly, so not those).
                element = rng.choice([("uint", rng.choice(INT_BITS)), ("int", rng.choice(INT_BITS)), ("address",), ("bool",)])
                t = ("array", element) if rng.random() < 0.5 else ("fixed", element, rng.randint(1, 3))
            else:
                t = random_elementary()
            py, js = random_value(t)
            types.append(type_str(t))
            values_py.append(py)
            values_json.append(js)
        web3_values = [web3_value(v) for v in values_py]
        packed = "".join(strip_0x(hex_encode_abi_type(t, v)) for t, v in zip(types, web3_values))
        digest = Web3.solidity_keccak(types, web3_values)
        cases.append({"types": types, "values": values_json, "packed": "0x" + packed, "keccak": "0x" + digest.hex()})
    return cases


# ---------------------------------------------------------------- selectors and topics

NAMES = ["transfer", "approve", "balanceOf", "f", "swapExactTokensForTokens", "mint", "Transfer", "Deposit",
         "InsufficientBalance", "execute", "multicall", "permit"]


def selector_cases(count):
    cases = []
    for _ in range(count):
        name = rng.choice(NAMES) + (str(rng.randint(0, 99)) if rng.random() < 0.3 else "")
        types = [random_type(2) for _ in range(rng.randint(0, 4))]
        canonical = f"{name}(" + ",".join(type_str(t) for t in types) + ")"
        # A human-readable spelling of the same signature: names, spaces, aliases for 256-bit integers.
        pieces = []
        for i, t in enumerate(types):
            s = type_str(t)
            if s == "uint256" and rng.random() < 0.5:
                s = "uint"
            if s == "int256" and rng.random() < 0.5:
                s = "int"
            if s.startswith("(") and rng.random() < 0.3:
                s = "tuple" + s
            if rng.random() < 0.6:
                s += f" arg{i}"
            pieces.append(s)
        human = f"function {name}(" + ", ".join(pieces) + ")"
        cases.append({
            "signature": canonical,
            "humanReadable": human,
            "selector": "0x" + function_signature_to_4byte_selector(canonical).hex(),
            "topic": "0x" + event_signature_to_log_topic(canonical).hex(),
        })
    return cases


# ---------------------------------------------------------------- logs

def log_cases(count):
    cases = []
    for _ in range(count):
        inputs = []
        n = rng.randint(0, 5)
        indexed_budget = 3
        for i in range(n):
            indexed = indexed_budget > 0 and rng.random() < 0.5
            if indexed:
                indexed_budget -= 1
                t = random_elementary()
            else:
                t = random_type(2)
            inputs.append((f"p{i}", t, indexed))
        anonymous = rng.random() < 0.15
        name = rng.choice(["Transfer", "Swap", "Deposit", "Updated", "E"])
        signature = f"{name}(" + ",".join(type_str(t) for _, t, _ in inputs) + ")"
        values = [random_value(t) for _, t, _ in inputs]
        topics = [] if anonymous else [event_signature_to_log_topic(signature)]
        for (_, t, indexed), (py, _) in zip(inputs, values):
            if not indexed:
                continue
            if t[0] == "string":
                topics.append(keccak(text=py))
            elif t[0] == "bytes":
                topics.append(keccak(py))
            else:
                topics.append(eth_abi.encode([type_str(t)], [py]))
        data = eth_abi.encode([type_str(t) for _, t, idx in inputs if not idx],
                              [py for (_, _, idx), (py, _) in zip(inputs, values) if not idx])
        event_abi = {"type": "event", "name": name, "anonymous": anonymous,
                     "inputs": [{"name": n_, "type": type_str(t), "indexed": idx} for n_, t, idx in inputs]}
        for entry in event_abi["inputs"]:
            if entry["type"].startswith("("):
                entry["type"] = "tuple" + entry["type"][entry["type"].rindex(")") + 1:]
                entry["components"] = components_json(entry_type_for(inputs, entry["name"]))
        log_entry = {"topics": topics, "data": data, "logIndex": 0, "transactionIndex": 0,
                     "transactionHash": b"\x00" * 32, "address": "0x" + "00" * 20, "blockHash": b"\x00" * 32,
                     "blockNumber": 1}
        decoded = get_event_data(Web3().codec, event_abi, log_entry)
        expected = []
        for pname, t, indexed in inputs:
            v = decoded["args"][pname]
            if indexed and t[0] in ("string", "bytes"):
                expected.append("0x" + bytes(v).hex())
            else:
                expected.append(to_json_value(t, v))
        cases.append({
            "event": ("event " + name + "(" + ", ".join(
                type_str(t) + (" indexed" if idx else "") + " " + n_ for n_, t, idx in inputs) + ")"
                + (" anonymous" if anonymous else "")),
            "topics": ["0x" + bytes(t).hex() for t in topics],
            "data": "0x" + data.hex(),
            "values": expected,
            "hashed": [idx and t[0] in ("string", "bytes") for _, t, idx in inputs],
        })
    return cases


def entry_type_for(inputs, name):
    for n_, t, _ in inputs:
        if n_ == name:
            return t
    raise KeyError(name)


def components_json(t):
    while t[0] in ("array", "fixed"):
        t = t[1]
    out = []
    for i, c in enumerate(t[1]):
        s = type_str(c)
        entry = {"name": f"c{i}", "type": s}
        if s.startswith("("):
            entry["type"] = "tuple" + s[s.rindex(")") + 1:]
            entry["components"] = components_json(c)
        out.append(entry)
    return out


def main():
    vectors = {
        "generator": "scripts/vectors/gen_abi.py",
        "seed": SEED,
        "references": f"eth-abi {eth_abi.__version__ if hasattr(eth_abi, '__version__') else ''}, web3, eth-utils",
        "encode": encode_cases(400),
        "invalid": invalid_cases(400),
        "packed": packed_cases(150),
        "selectors": selector_cases(200),
        "logs": log_cases(150),
    }
    text = json.dumps(vectors, indent=None, ensure_ascii=False, separators=(",", ":"))
    with open(OUT, "w") as f:
        f.write(text)
    print(f"wrote {OUT}: {len(text)} bytes, "
          + ", ".join(f"{k}={len(v)}" for k, v in vectors.items() if isinstance(v, list)))


if __name__ == "__main__":
    main()
