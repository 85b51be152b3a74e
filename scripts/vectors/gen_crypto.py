#!/usr/bin/env python3
"""Reference vectors for EthereumKit's crypto core, computed by eth-hash, eth-keys, eth-utils and eth-account.

Writes Tests/EthereumKitTests/Vectors/{keccak,signatures,checksums,eip191}.json.
Run: /work/main/.venv/bin/python scripts/vectors/gen_crypto.py   (deterministic: fixed seed)
"""
import json
import pathlib
import random

from eth_account import Account
from eth_account.messages import _hash_eip191_message, encode_defunct
from eth_hash.auto import keccak
from eth_keys import KeyAPI
from eth_keys.backends import NativeECCBackend
from eth_utils import is_checksum_address, to_checksum_address

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "EthereumKitTests" / "Vectors"
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
rng = random.Random(0xE7C0)
native = KeyAPI(NativeECCBackend)  # pure-Python backend: an independent second opinion on a subset


def rand_bytes(n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def write(name, cases, note):
    path = OUT / f"{name}.json"
    path.write_text(json.dumps({"generator": "scripts/vectors/gen_crypto.py", "note": note, "cases": cases}, indent=1) + "\n")
    print(f"{path.name}: {len(cases)} cases, {path.stat().st_size} bytes")


def gen_keccak():
    lengths = [0, 1, 31, 32, 33, 55, 56, 64, 127, 128, 135, 136, 137, 271, 272, 273, 407, 408, 409, 544]
    lengths += [rng.randrange(0, 601) for _ in range(280)]
    cases = []
    for n in lengths:
        data = rand_bytes(n)
        cases.append({"input": data.hex(), "hash": keccak(data).hex()})
    write("keccak", cases, "keccak256(input) by eth-hash; lengths 0..600 incl. rate (136) boundaries")


def random_key():
    choice = rng.random()
    if choice < 0.02:
        return 1
    if choice < 0.04:
        return N - 1
    if choice < 0.06:
        return rng.randrange(1, 2**64)  # many leading zero bytes
    return rng.randrange(1, N)


def gen_signatures():
    cases = []
    for i in range(300):
        key_int = random_key()
        key = KeyAPI.PrivateKey(key_int.to_bytes(32, "big"))
        digest = rand_bytes(32)
        sig = key.sign_msg_hash(digest)
        if i < 40:
            other = native.PrivateKey(key_int.to_bytes(32, "big")).sign_msg_hash(digest)
            assert other.to_bytes() == sig.to_bytes(), "coincurve and native backends disagree"
        recovered = sig.recover_public_key_from_msg_hash(digest)
        assert recovered == key.public_key
        cases.append({
            "privateKey": "0x" + key_int.to_bytes(32, "big").hex(),
            "publicKey": "0x04" + key.public_key.to_bytes().hex(),
            "compressedPublicKey": "0x" + key.public_key.to_compressed_bytes().hex(),
            "address": key.public_key.to_checksum_address(),
            "digest": "0x" + digest.hex(),
            "r": "0x" + sig.r.to_bytes(32, "big").hex(),
            "s": "0x" + sig.s.to_bytes(32, "big").hex(),
            "recoveryID": sig.v,
            "serialized": "0x" + sig.to_bytes()[:64].hex() + format(sig.v + 27, "02x"),
        })
    write("signatures", cases, "eth-keys sign_msg_hash (RFC 6979, low-s); first 40 also checked with the native backend")


def gen_checksums():
    cases = []
    for i in range(300):
        raw = rand_bytes(20) if i > 2 else [bytes(20), b"\xff" * 20, bytes(19) + b"\x01"][i]
        checksummed = to_checksum_address("0x" + raw.hex())
        # a mixed-case string with one letter's case flipped: a wrong checksum (None if the address has no letters)
        letters = [j for j, c in enumerate(checksummed) if j >= 2 and c.isalpha()]
        wrong = None
        if len(letters) >= 2:
            j = rng.choice(letters)
            flipped = checksummed[:j] + checksummed[j].swapcase() + checksummed[j + 1:]
            if flipped.lower() != flipped and flipped.upper()[2:] != flipped[2:]:
                assert not is_checksum_address(flipped)
                wrong = flipped
        assert is_checksum_address(checksummed)
        cases.append({"lower": "0x" + raw.hex(), "checksummed": checksummed, "wrongChecksum": wrong})
    write("checksums", cases, "eth-utils to_checksum_address / is_checksum_address (EIP-55)")


def gen_eip191():
    cases = []
    for i in range(200):
        key_int = random_key()
        if i % 3 == 0:
            text = "".join(rng.choice("abc xyz\n€✓0123456789") for _ in range(rng.randrange(0, 80)))
            message = text.encode()
            encodable = encode_defunct(text=text)
        else:
            message = rand_bytes(rng.choice([0, 1, 9, 10, 32, 99, 100, 135, 200]))
            encodable = encode_defunct(primitive=message)
        signed = Account.sign_message(encodable, private_key=key_int.to_bytes(32, "big"))
        address = Account.from_key(key_int.to_bytes(32, "big")).address
        assert Account.recover_message(encodable, signature=signed.signature) == address
        cases.append({
            "privateKey": "0x" + key_int.to_bytes(32, "big").hex(),
            "message": "0x" + message.hex(),
            "digest": "0x" + _hash_eip191_message(encodable).hex(),
            "signature": "0x" + bytes(signed.signature).hex(),
            "address": address,
        })
    write("eip191", cases, "eth-account encode_defunct + sign_message (v = 27/28)")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    gen_keccak()
    gen_signatures()
    gen_checksums()
    gen_eip191()
