#!/usr/bin/env python3
"""EIP-712 reference vectors for EthereumKit's TypedData, from eth-account.

Random struct types (nested structs, arrays of structs, arrays of atomic types, every atomic type),
random domains and messages; for each: encodeType, typeHash, domain separator, hashStruct of the
message, the signing digest (eth_account.messages.encode_typed_data(full_message=...)) and the
signature of a known key (Account.sign_typed_data(full_message=...)).

Run with the project venv:  .venv/bin/python scripts/vectors/gen_eip712.py
Writes Tests/EthereumKitTests/Vectors/eip712.json (deterministic, seed below).
"""
import json
import os
import random

from eth_account import Account
from eth_account._utils.encode_typed_data.encoding_and_hashing import (
    encode_type,
    hash_domain,
    hash_struct,
    hash_type,
)
from eth_account.messages import _hash_eip191_message, encode_typed_data
from eth_utils import to_checksum_address

SEED = 1901
rng = random.Random(SEED)
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "EthereumKitTests", "Vectors", "eip712.json")
# A fixed, well-known test key (never holds funds).
PRIVATE_KEY = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"

DOMAIN_FIELDS = [("name", "string"), ("version", "string"), ("chainId", "uint256"),
                 ("verifyingContract", "address"), ("salt", "bytes32")]
ATOMIC = (["bool", "address", "string", "bytes"]
          + [f"uint{b}" for b in (8, 16, 32, 64, 128, 160, 256)]
          + [f"int{b}" for b in (8, 16, 32, 64, 128, 256)]
          + [f"bytes{n}" for n in (1, 4, 8, 16, 20, 32)])
WORDS = ["alice", "bob", "order", "mail", "permit", "vote", "", "Ünïcödé", "ship 🚀", "a,b(c)"]


def random_field_type(index, struct_count):
    roll = rng.random()
    # Structs may only reference later structs, so the primary type (index 0) is the unique root.
    can_nest = index + 1 < struct_count
    if can_nest and roll < 0.25:
        base = f"S{rng.randint(index + 1, struct_count - 1)}"
    else:
        base = rng.choice(ATOMIC)
    suffix_roll = rng.random()
    if suffix_roll < 0.15:
        return base + "[]"
    if suffix_roll < 0.22:
        return base + f"[{rng.randint(1, 3)}]"
    if suffix_roll < 0.26:
        return base + "[][2]"
    return base


def make_types():
    struct_count = rng.randint(1, 4)
    types = {}
    for i in range(struct_count):
        names = rng.sample(["from", "to", "amount", "nonce", "deadline", "data", "owner", "items", "flag",
                            "note", "id", "when", "who", "tags", "child", "value"], rng.randint(1, 6))
        types[f"S{i}"] = [{"name": n, "type": random_field_type(i, struct_count)} for n in names]
    # Every non-primary struct must be referenced, or eth-account cannot tell the primary type.
    for i in range(1, struct_count):
        name = f"S{i}"
        if not any(f["type"].split("[")[0] == name for j in range(i) for f in types[f"S{j}"]):
            parent = f"S{rng.randint(0, i - 1)}"
            types[parent].append({"name": f"link{i}", "type": name})
    return types


def random_atomic_value(t):
    if t == "bool":
        return rng.random() < 0.5
    if t == "address":
        return to_checksum_address(bytes(rng.getrandbits(8) for _ in range(20)))
    if t == "string":
        return rng.choice(WORDS)
    if t == "bytes":
        return "0x" + bytes(rng.getrandbits(8) for _ in range(rng.choice([0, 1, 20, 32, 45]))).hex()
    if t.startswith("bytes"):
        return "0x" + bytes(rng.getrandbits(8) for _ in range(int(t[5:]))).hex()
    signed = t.startswith("int")
    bits = int(t[3:] if signed else t[4:])
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    v = rng.choice([lo, hi, 0, 1, rng.randint(lo, hi), rng.randint(max(lo, -10**6), min(hi, 10**6))])
    style = rng.random()
    # Integers as JSON numbers (exact, even beyond 64 bits), decimal strings or hex strings.
    if style < 0.5:
        return v
    if style < 0.75 or v < 0:
        return str(v)
    return hex(v)


def random_value(t, types, depth=0):
    if t.endswith("]"):
        open_ = t.rindex("[")
        inner, length = t[:open_], t[open_ + 1:-1]
        count = int(length) if length else rng.randint(0, 3 if depth < 2 else 1)
        return [random_value(inner, types, depth + 1) for _ in range(count)]
    if t in types:
        return {f["name"]: random_value(f["type"], types, depth + 1) for f in types[t]}
    return random_atomic_value(t)


def make_domain():
    domain = {}
    for name, _ in DOMAIN_FIELDS:
        if rng.random() < 0.6:
            if name == "name":
                domain[name] = rng.choice(["Ether Mail", "Permit2", "MyDapp", "Ünïcödé"])
            elif name == "version":
                domain[name] = rng.choice(["1", "2", "1.0.0"])
            elif name == "chainId":
                domain[name] = rng.choice([1, 5, 137, 31337, 11155111])
            elif name == "verifyingContract":
                domain[name] = to_checksum_address(bytes(rng.getrandbits(8) for _ in range(20)))
            else:
                domain[name] = "0x" + bytes(rng.getrandbits(8) for _ in range(32)).hex()
    if not domain:
        domain["name"] = "Fallback"
    return domain


def main():
    account = Account.from_key(PRIVATE_KEY)
    cases = []
    for _ in range(250):
        types = make_types()
        domain = make_domain()
        message = random_value("S0", types)
        domain_types = [{"name": n, "type": t} for n, t in DOMAIN_FIELDS if n in domain]
        full = {"types": {"EIP712Domain": domain_types, **types}, "primaryType": "S0",
                "domain": domain, "message": message}
        signable = encode_typed_data(full_message=json.loads(json.dumps(full)))
        digest = _hash_eip191_message(signable)
        signed = Account.sign_typed_data(PRIVATE_KEY, full_message=json.loads(json.dumps(full)))
        assert signed.message_hash == digest
        cases.append({
            # As text, so 256-bit JSON numbers reach the Swift test exactly as written.
            "typedData": json.dumps(full, ensure_ascii=False),
            "encodeType": encode_type("S0", types),
            "typeHash": "0x" + hash_type("S0", types).hex(),
            "domainSeparator": "0x" + hash_domain(domain).hex(),
            "messageHash": "0x" + hash_struct("S0", types, message).hex(),
            "digest": "0x" + digest.hex(),
            "signature": "0x" + signed.signature.hex().removeprefix("0x"),
        })
    vectors = {
        "generator": "scripts/vectors/gen_eip712.py",
        "seed": SEED,
        "privateKey": PRIVATE_KEY,
        "address": account.address,
        "cases": cases,
    }
    text = json.dumps(vectors, ensure_ascii=False, separators=(",", ":"))
    with open(OUT, "w") as f:
        f.write(text)
    print(f"wrote {OUT}: {len(text)} bytes, {len(cases)} cases")


if __name__ == "__main__":
    main()
