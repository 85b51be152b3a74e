#!/usr/bin/env python3
"""V3 keystore vectors written by eth-account (eth-keyfile) with light parameters (scrypt n=1024, pbkdf2 c=1000),
plus the Web3 Secret Storage specification's PBKDF2 example; every file is decrypted again here before it is written.

Writes Tests/EthereumKitTests/Vectors/keystores.json: each case has the keystore JSON, its password and the key.
Run: /work/main/.venv/bin/python scripts/vectors/gen_keystores.py   (deterministic: salts, IVs and ids are
drawn from a seeded generator patched into eth-keyfile)
"""
import json
import pathlib
import random
import uuid

import eth_keyfile.keyfile

from eth_account import Account
from eth_keyfile import decode_keyfile_json

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "EthereumKitTests" / "Vectors"
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
rng = random.Random(0x5E7)
eth_keyfile.keyfile.Random.get_random_bytes = lambda n: bytes(rng.getrandbits(8) for _ in range(n))
eth_keyfile.keyfile.uuid4 = lambda: uuid.UUID(int=rng.getrandbits(128), version=4)

SPEC_PBKDF2 = {
    "crypto": {
        "cipher": "aes-128-ctr",
        "cipherparams": {"iv": "6087dab2f9fdbbfaddc31a909735c1e6"},
        "ciphertext": "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
        "kdf": "pbkdf2",
        "kdfparams": {
            "c": 262144,
            "dklen": 32,
            "prf": "hmac-sha256",
            "salt": "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd",
        },
        "mac": "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2",
    },
    "id": "3198bc9c-6672-5ab3-d995-4942343ae5b6",
    "version": 3,
}


def main():
    cases = []
    passwords = ["", "testpassword", "pässwörd ✓", "a" * 100, "correct horse battery staple", "0"]
    for i in range(12):
        key = rng.randrange(1, N).to_bytes(32, "big")
        password = passwords[i % len(passwords)]
        kdf, iterations = ("scrypt", 1024) if i % 2 == 0 else ("pbkdf2", 1000)
        keystore = Account.encrypt(key, password, kdf=kdf, iterations=iterations)
        assert bytes(Account.decrypt(keystore, password)) == key
        cases.append({
            "source": f"eth-account {kdf}",
            "password": password,
            "privateKey": "0x" + key.hex(),
            "address": Account.from_key(key).address,
            "keystore": keystore,
        })

    spec_key = bytes(decode_keyfile_json(SPEC_PBKDF2, b"testpassword"))
    assert spec_key.hex() == "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d"
    cases.append({
        "source": "Web3 Secret Storage spec, PBKDF2-SHA-256 example",
        "password": "testpassword",
        "privateKey": "0x" + spec_key.hex(),
        "address": Account.from_key(spec_key).address,
        "keystore": SPEC_PBKDF2,
    })

    path = OUT / "keystores.json"
    path.write_text(json.dumps({
        "generator": "scripts/vectors/gen_keystores.py",
        "note": "eth-account Account.encrypt (light params) + the spec's PBKDF2 example",
        "cases": cases,
    }, indent=1) + "\n")
    print(f"keystores.json: {len(cases)} cases, {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
