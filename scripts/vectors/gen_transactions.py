#!/usr/bin/env python3
"""Signed-transaction vectors from eth-account: random legacy (pre-EIP-155 and EIP-155), EIP-2930 and EIP-1559
transactions with their signing hash, raw bytes, hash, signature and sender; plus contract-creation addresses
from eth-utils / pyrlp.

Writes Tests/EthereumKitTests/Vectors/transactions.json.
Big integers are decimal strings; bytes are 0x hex; `to` is null for a contract creation.
Run: /work/main/.venv/bin/python scripts/vectors/gen_transactions.py   (deterministic: fixed seed)
"""
import json
import pathlib
import random

import rlp
from eth_account import Account
from eth_account._utils.legacy_transactions import serializable_unsigned_transaction_from_dict
from eth_account.typed_transactions import TypedTransaction
from eth_hash.auto import keccak
from eth_utils import to_checksum_address

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "EthereumKitTests" / "Vectors"
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
rng = random.Random(0x7A5)


def rand_bytes(n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def rand_uint(max_bits):
    bits = rng.choice([0, 1, 8, 16, 32, 40, 64, max_bits])
    return rng.getrandbits(min(bits, max_bits)) if bits else 0


def rand_address():
    return to_checksum_address(rand_bytes(20))


def rand_access_list():
    return [
        {"address": rand_address(), "storageKeys": ["0x" + rand_bytes(32).hex() for _ in range(rng.choice([0, 1, 2, 3]))]}
        for _ in range(rng.choice([0, 0, 1, 2, 3]))
    ]


def main():
    cases = []
    for i in range(240):
        kind = ["legacy", "eip155", "eip2930", "eip1559"][i % 4]
        key = rng.randrange(1, N).to_bytes(32, "big")
        chain_id = rng.choice([1, 5, 10, 137, 31337, 11155111, rng.randrange(1, 2**32), 2**53 - 1])
        tx = {
            "nonce": rand_uint(64),
            "gas": rng.choice([21000, 100000, rand_uint(64)]),
            "value": rand_uint(256),
            "data": "0x" + rand_bytes(rng.choice([0, 0, 1, 4, 36, 68, 200, 1000])).hex(),
        }
        if rng.random() < 0.85:
            tx["to"] = rand_address()
        if kind in ("legacy", "eip155", "eip2930"):
            tx["gasPrice"] = rand_uint(256)
        if kind == "eip155":
            tx["chainId"] = chain_id
        if kind == "eip2930":
            tx.update({"type": 1, "chainId": chain_id, "accessList": rand_access_list()})
        if kind == "eip1559":
            tx.update({
                "type": 2, "chainId": chain_id, "accessList": rand_access_list(),
                "maxPriorityFeePerGas": rand_uint(256), "maxFeePerGas": rand_uint(256),
            })
        signed = Account.sign_transaction(tx, key)
        raw = bytes(signed.raw_transaction)
        if kind in ("legacy", "eip155"):
            signing_hash = serializable_unsigned_transaction_from_dict(tx).hash()
        else:
            signing_hash = TypedTransaction.from_dict(tx).hash()
        sender = Account.from_key(key).address
        assert Account.recover_transaction(raw) == sender
        assert keccak(raw) == bytes(signed.hash)
        case = {
            "kind": kind,
            "privateKey": "0x" + key.hex(),
            "chainID": tx.get("chainId"),
            "nonce": tx["nonce"],
            "gasLimit": tx["gas"],
            "to": tx.get("to"),
            "value": str(tx["value"]),
            "data": tx["data"],
            "gasPrice": str(tx["gasPrice"]) if "gasPrice" in tx else None,
            "maxPriorityFeePerGas": str(tx["maxPriorityFeePerGas"]) if "maxPriorityFeePerGas" in tx else None,
            "maxFeePerGas": str(tx["maxFeePerGas"]) if "maxFeePerGas" in tx else None,
            "accessList": tx.get("accessList"),
            "signingHash": "0x" + bytes(signing_hash).hex(),
            "raw": "0x" + raw.hex(),
            "hash": "0x" + bytes(signed.hash).hex(),
            "r": str(signed.r),
            "s": str(signed.s),
            "v": str(signed.v),
            "sender": sender,
            "contractAddress": None,
        }
        if "to" not in tx:
            created = keccak(rlp.encode([bytes.fromhex(sender[2:]), tx["nonce"]]))[12:]
            case["contractAddress"] = to_checksum_address(created)
        cases.append(case)

    path = OUT / "transactions.json"
    path.write_text(json.dumps({
        "generator": "scripts/vectors/gen_transactions.py",
        "note": "eth-account Account.sign_transaction; signing hashes from eth-account's serializers",
        "cases": cases,
    }, indent=1) + "\n")
    print(f"transactions.json: {len(cases)} cases, {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
