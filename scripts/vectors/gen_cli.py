#!/usr/bin/env python3
"""Reference outputs for `aiplat chain` offline commands, computed with eth-utils, eth-abi and eth-account.

Writes Tests/EthereumKitTests/Vectors/cli.json; Tests/EndToEndTests/ChainCLITests.swift runs the real
`aiplat` binary on each case and compares its stdout line by line. Deterministic (fixed seed).
Run: .venv/bin/python scripts/vectors/gen_cli.py
"""

import json
import os
import random

from eth_abi import encode as abi_encode
from eth_account import Account
from eth_account.messages import encode_defunct, encode_typed_data
from eth_utils import function_signature_to_4byte_selector, keccak, to_checksum_address

SEED = 20240602
CASES = 24
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "EthereumKitTests", "Vectors", "cli.json")

rng = random.Random(SEED)


def hex0x(data: bytes) -> str:
    return "0x" + data.hex()


def random_bytes(n: int) -> bytes:
    return bytes(rng.getrandbits(8) for _ in range(n))


def random_key() -> bytes:
    while True:
        key = random_bytes(32)
        if 0 < int.from_bytes(key, "big") < 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141:
            return key


def random_text() -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:;!?-_=+/éßü€😀"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))).strip() or "x"


def random_address() -> str:
    return hex0x(random_bytes(20))


def integer_text(value: int, hint: bool) -> str:
    """Foundry's format_uint_exp: `1234567 [1.234e6]` for magnitudes of 10000 and more."""
    sign = "-" if value < 0 else ""
    digits = str(abs(value))
    if not hint or abs(value) < 10000:
        return sign + digits
    mantissa = digits[:4].rstrip("0")
    if len(mantissa) > 1:
        mantissa = mantissa[0] + "." + mantissa[1:]
    return f"{sign}{digits} [{sign}{mantissa}e{len(digits) - 1}]"


def keccak_cases():
    cases = []
    for i in range(CASES):
        if i % 2 == 0:
            data = random_bytes(rng.randint(0, 100))
            text = hex0x(data)
        else:
            text = random_text()
            data = text.encode()
        cases.append({"input": text, "expected": hex0x(keccak(data))})
    return cases


SIG_TYPES = ["uint256", "address", "bool", "bytes32", "string", "bytes", "uint8", "int256", "uint256[]", "address[2]"]


def random_value(typ: str):
    """(python value for eth-abi, command-line text for aiplat)."""
    if typ.endswith("[]"):
        inner = typ[:-2]
        items = [random_value(inner) for _ in range(rng.randint(0, 3))]
        return [v for v, _ in items], "[" + ",".join(t for _, t in items) + "]"
    if typ.endswith("]"):
        inner, count = typ[:-1].split("[")
        items = [random_value(inner) for _ in range(int(count))]
        return [v for v, _ in items], "[" + ",".join(t for _, t in items) + "]"
    if typ.startswith("uint"):
        bits = int(typ[4:])
        value = rng.getrandbits(rng.randint(1, bits))
        return value, str(value) if rng.random() < 0.7 else hex(value)
    if typ.startswith("int"):
        bits = int(typ[3:])
        value = rng.getrandbits(rng.randint(1, bits - 1)) * rng.choice([1, -1])
        return value, str(value)
    if typ == "address":
        address = random_address()
        return to_checksum_address(address), address
    if typ == "bool":
        value = rng.random() < 0.5
        return value, "true" if value else "false"
    if typ == "bytes32":
        data = random_bytes(32)
        return data, hex0x(data)
    if typ == "bytes":
        data = random_bytes(rng.randint(0, 40))
        return data, hex0x(data)
    if typ == "string":
        text = "".join(rng.choice("abcdefghij XYZ") for _ in range(rng.randint(1, 20))).strip() or "s"
        return text, text
    raise ValueError(typ)


def abi_cases():
    """calldata and abi-encode: signature, argument texts, expected hex."""
    calldata, encoded = [], []
    for _ in range(CASES):
        types = [rng.choice(SIG_TYPES) for _ in range(rng.randint(1, 4))]
        name = rng.choice(["f", "transfer", "doThing", "set_value"])
        signature = f"{name}({','.join(types)})"
        values, texts = zip(*(random_value(t) for t in types))
        body = abi_encode(types, list(values))
        selector = function_signature_to_4byte_selector(signature)
        calldata.append({"signature": signature, "arguments": list(texts), "expected": hex0x(selector + body)})
        encoded.append({"signature": signature, "arguments": list(texts), "expected": hex0x(body)})
    return calldata, encoded


def sig_cases():
    cases = [{"signature": "transfer(address,uint256)", "expected": "0xa9059cbb"}]
    for _ in range(CASES):
        types = [rng.choice(SIG_TYPES) for _ in range(rng.randint(0, 4))]
        signature = f"{rng.choice(['foo', 'bar', 'approve', 'mint'])}{rng.randint(0, 99)}({','.join(types)})"
        cases.append({"signature": signature, "expected": hex0x(function_signature_to_4byte_selector(signature))})
    return cases


def decode_cases():
    """abi-decode: output types, encoded data, expected lines as cast prints them."""
    cases = []
    for _ in range(CASES):
        types = [rng.choice(["uint256", "address", "bool", "bytes32", "string", "int128"]) for _ in range(rng.randint(1, 4))]
        values, lines = [], []
        for typ in types:
            value, _ = random_value(typ)
            values.append(value)
            if typ in ("uint256", "int128"):
                lines.append(integer_text(value, hint=True))
            elif typ == "address":
                lines.append(to_checksum_address(value))
            elif typ == "bool":
                lines.append("true" if value else "false")
            elif typ == "bytes32":
                lines.append(hex0x(value))
            else:
                lines.append('"' + value + '"')
        signature = f"f()({','.join(types)})"
        cases.append({"signature": signature, "data": hex0x(abi_encode(types, values)), "expected": lines})
    return cases


def checksum_cases():
    return [{"input": a, "expected": to_checksum_address(a)} for a in (random_address() for _ in range(CASES))]


def wallet_cases():
    cases = []
    for i in range(CASES):
        key = random_key()
        account = Account.from_key(key)
        message = random_text() if i % 3 else hex0x(random_bytes(rng.randint(1, 50)))
        if message.startswith("0x"):
            signable = encode_defunct(hexstr=message)
        else:
            signable = encode_defunct(text=message)
        digest = random_bytes(32)
        cases.append({
            "privateKey": hex0x(key),
            "address": account.address,
            "message": message,
            "signature": hex0x(account.sign_message(signable).signature),
            "digest": hex0x(digest),
            "digestSignature": hex0x(account.unsafe_sign_hash(digest).signature),
        })
    return cases


TYPED_DATA = {
    "types": {
        "EIP712Domain": [
            {"name": "name", "type": "string"},
            {"name": "version", "type": "string"},
            {"name": "chainId", "type": "uint256"},
            {"name": "verifyingContract", "type": "address"},
        ],
        "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
        "Mail": [
            {"name": "from", "type": "Person"},
            {"name": "to", "type": "Person"},
            {"name": "contents", "type": "string"},
        ],
    },
    "primaryType": "Mail",
    "domain": {
        "name": "Ether Mail",
        "version": "1",
        "chainId": 1,
        "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC",
    },
    "message": {
        "from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
        "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
        "contents": "Hello, Bob!",
    },
}


def typed_data_cases():
    cases = []
    for _ in range(4):
        key = random_key()
        signature = Account.sign_message(encode_typed_data(full_message=TYPED_DATA), key).signature
        cases.append({"privateKey": hex0x(key), "typedData": TYPED_DATA, "signature": hex0x(signature)})
    return cases


def mktx_cases():
    cases = []
    for i in range(CASES):
        key = random_key()
        to = to_checksum_address(random_address())
        nonce = rng.randint(0, 1000)
        gas = rng.randint(21000, 500000)
        chain_id = rng.choice([1, 31337, 11155111])
        value = rng.getrandbits(rng.randint(1, 70))
        data = random_bytes(rng.randint(0, 36))
        tx = {"to": to, "nonce": nonce, "gas": gas, "chainId": chain_id, "value": value, "data": data}
        options = ["--nonce", str(nonce), "--gas-limit", str(gas), "--chain", str(chain_id), "--value", str(value)]
        if i % 2 == 0:
            gas_price = rng.randint(1, 200) * 10**9
            tx["gasPrice"] = gas_price
            options += ["--legacy", "--gas-price", str(gas_price)]
        else:
            max_fee = rng.randint(2, 200) * 10**9
            tip = rng.randint(0, max_fee)
            tx["maxFeePerGas"] = max_fee
            tx["maxPriorityFeePerGas"] = tip
            options += ["--gas-price", str(max_fee), "--priority-gas-price", str(tip)]
        signed = Account.sign_transaction(tx, key)
        cases.append({
            "privateKey": hex0x(key),
            "to": to,
            "calldata": hex0x(data) if data else None,
            "options": options,
            "raw": hex0x(signed.raw_transaction),
            "hash": hex0x(signed.hash),
        })
    return cases


def keystore_cases():
    """Keystores written by eth-account (cheap KDF parameters so the test stays fast) that
    `keystore export` must read back."""
    cases = []
    for kdf, extra in (("pbkdf2", {"iterations": 1024}), ("scrypt", {"iterations": 1024})):
        for _ in range(2):
            key = random_key()
            password = random_text()
            keystore = Account.encrypt(key, password, kdf=kdf, **extra)
            cases.append({
                "keystore": keystore,
                "password": password,
                "privateKey": hex0x(key),
                "address": Account.from_key(key).address,
            })
    return cases


def main():
    calldata, encoded = abi_cases()
    vectors = {
        "seed": SEED,
        "keccak": keccak_cases(),
        "sig": sig_cases(),
        "calldata": calldata,
        "abiEncode": encoded,
        "abiDecode": decode_cases(),
        "toChecksum": checksum_cases(),
        "wallet": wallet_cases(),
        "typedData": typed_data_cases(),
        "mktx": mktx_cases(),
        "keystore": keystore_cases(),
    }
    with open(OUT, "w") as f:
        json.dump(vectors, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
