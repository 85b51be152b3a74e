#!/usr/bin/env python3
"""RLP reference vectors from pyrlp (`rlp`): random nested items, integers, and invalid encodings.

Writes Tests/EthereumKitTests/Vectors/rlp.json.
Items are JSON: a byte string is "0x..." hex, a list is a JSON array.
`invalid` holds byte strings that rlp.decode (strict) rejects, each with the kind of damage done;
`mutated` holds one-byte mutations of valid encodings that rlp.decode still accepts, with their value.
Run: /work/main/.venv/bin/python scripts/vectors/gen_rlp.py   (deterministic: fixed seed)
"""
import json
import pathlib
import random

import rlp
from rlp.sedes import big_endian_int

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "EthereumKitTests" / "Vectors"
rng = random.Random(0x4C9)

LENGTHS = [0, 1, 1, 1, 2, 3, 20, 32, 54, 55, 56, 57, 100, 255, 256, 300]


def rand_bytes(n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def random_item(depth=0):
    if depth < 4 and rng.random() < 0.35:
        return [random_item(depth + 1) for _ in range(rng.choice([0, 1, 2, 3, 5, 8]))]
    n = rng.choice(LENGTHS)
    if n == 1 and rng.random() < 0.5:
        return bytes([rng.choice([0, 0x7F, 0x80, 0xFF, rng.randrange(256)])])
    return rand_bytes(n)


def to_json(item):
    if isinstance(item, (bytes, bytearray)):
        return "0x" + bytes(item).hex()
    return [to_json(x) for x in item]


def rejects(data):
    try:
        rlp.decode(data)
    except rlp.exceptions.DecodingError:
        return True
    return False


def main():
    valid = []
    encodings = []
    for i in range(300):
        item = random_item() if i >= 4 else [b"", [], [[]], b"\x00"][i]
        encoded = rlp.encode(item)
        assert rlp.decode(encoded) == item
        valid.append({"item": to_json(item), "encoded": "0x" + encoded.hex()})
        encodings.append(encoded)
    # A big one to cover 2-byte and 3-byte lengths.
    big = [rand_bytes(1000), [rand_bytes(70000)]]
    valid.append({"item": to_json(big), "encoded": "0x" + rlp.encode(big).hex()})

    integers = []
    for i in range(200):
        bits = rng.choice([0, 1, 7, 8, 9, 63, 64, 65, 128, 255, 256])
        value = rng.getrandbits(bits) if bits else 0
        if i < 6:
            value = [0, 1, 0x7F, 0x80, 2**64 - 1, 2**256 - 1][i]
        integers.append({"value": str(value), "encoded": "0x" + rlp.encode(value, big_endian_int).hex()})

    invalid = []

    def add(kind, data):
        assert rejects(bytes(data)), (kind, bytes(data).hex())
        invalid.append({"kind": kind, "encoded": "0x" + bytes(data).hex()})

    add("empty", b"")
    add("single byte below 0x80 wrapped in a string header", b"\x81\x05")
    add("single byte below 0x80 wrapped in a string header", b"\x81\x00")
    add("long string length below 56", b"\xb8\x05" + b"abcde")
    add("long string length below 56", b"\xb8\x37" + b"a" * 55)
    add("long list length below 56", b"\xf8\x02\x01\x02")
    add("leading zero in length", b"\xb9\x00\x40" + b"a" * 64)
    add("leading zero in length", b"\xf9\x00\x40" + b"\x01" * 64)
    add("string runs past the input", b"\x85abc")
    add("list runs past the input", b"\xc3\x01\x02")
    add("item runs past its list", b"\xc2\x83abc")
    add("length of length runs past the input", b"\xb9\x01")
    add("trailing bytes", b"\x01\x02")
    add("trailing bytes", b"\xc0\xc0")
    for encoded in encodings[:150]:
        if len(encoded) > 1:
            add("truncated", encoded[: rng.randrange(0, len(encoded))] or b"")
        add("trailing bytes", encoded + rand_bytes(rng.randrange(1, 4)))

    mutated = []
    for encoded in encodings[150:]:
        data = bytearray(encoded)
        position = rng.randrange(len(data))
        data[position] = rng.randrange(256)
        if rejects(bytes(data)):
            invalid.append({"kind": "mutated byte %d" % position, "encoded": "0x" + data.hex()})
        else:
            mutated.append({"item": to_json(rlp.decode(bytes(data))), "encoded": "0x" + data.hex()})

    doc = {
        "generator": "scripts/vectors/gen_rlp.py",
        "note": "pyrlp encode/decode (strict); invalid = rejected by rlp.decode",
        "valid": valid,
        "integers": integers,
        "invalid": invalid,
        "mutated": mutated,
    }
    path = OUT / "rlp.json"
    path.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"rlp.json: {len(valid)} valid, {len(integers)} integers, {len(invalid)} invalid, "
          f"{len(mutated)} mutated-but-valid, {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
