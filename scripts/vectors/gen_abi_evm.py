#!/usr/bin/env python3
"""ABI vectors produced by a real EVM: a small Vyper contract compiled with vyper and run on
py-evm (eth-tester), driven by web3.

- logs:    receipts' raw logs of an event with indexed address/string/bytes32 and dynamic data,
           with the arguments web3 decodes from them
- outputs: raw eth_call return data of functions returning structs and arrays, with web3's decoding
- reverts: raw revert data of `raise "reason"` (Error(string))

Run with the project venv:  .venv/bin/python scripts/vectors/gen_abi_evm.py
Writes Tests/EthereumKitTests/Vectors/abi_evm.json (deterministic, seed below).
"""
import json
from collections.abc import Mapping
import os
import random

import vyper
from eth_tester import EthereumTester, PyEVMBackend
from eth_tester.backends.pyevm.main import _execute_and_revert_transaction
from eth.vm.spoof import SpoofTransaction
from web3 import Web3

SEED = 31337
rng = random.Random(SEED)
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "EthereumKitTests", "Vectors", "abi_evm.json")

SOURCE = """
# pragma version 0.4.3

struct Point:
    x: int128
    y: bool
    label: String[16]

event Noted:
    who: indexed(address)
    tag: indexed(String[32])
    key: indexed(bytes32)
    amount: uint256
    note: String[64]
    nums: DynArray[uint8, 8]

event Moved:
    point: Point
    delta: int64

@external
def note(tag: String[32], key: bytes32, amount: uint256, note: String[64], nums: DynArray[uint8, 8]):
    log Noted(who=msg.sender, tag=tag, key=key, amount=amount, note=note, nums=nums)

@external
def move(x: int128, y: bool, label: String[16], delta: int64):
    log Moved(point=Point(x=x, y=y, label=label), delta=delta)

@external
@view
def points(xs: DynArray[int128, 4], label: String[16]) -> (uint256, DynArray[Point, 4], String[16]):
    out: DynArray[Point, 4] = []
    for x: int128 in xs:
        out.append(Point(x=x, y=x > 0, label=label))
    return len(xs), out, label

@external
@view
def fail(reason: String[64]) -> uint256:
    raise reason
"""

WORDS = ["", "a", "hello", "tag with spaces", "ünïcödé", "x" * 32, "🦄"]


def random_text(limit):
    if rng.random() < 0.5:
        return rng.choice([w for w in WORDS if len(w.encode()) <= limit])
    return "".join(rng.choice("abcdefghij ,()[]'\"") for _ in range(rng.randint(0, limit)))


def jsonable(value):
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, Mapping):  # web3 returns structs as (attribute) dicts in field order
        return [jsonable(v) for v in value.values()]
    return value


def raw_call(tester, transaction):
    """eth_call returning the raw revert data: eth-tester only keeps the decoded reason string."""
    backend = tester.backend
    normalized = tester.normalizer.normalize_inbound_transaction(transaction)
    normalized.setdefault("gas", backend._max_available_gas())
    unsigned = backend._get_normalized_and_unsigned_evm_transaction(normalized, "latest")
    computation = _execute_and_revert_transaction(backend.chain, SpoofTransaction(unsigned, from_=normalized["from"]), "latest")
    if computation.is_error:
        return False, bytes(computation._error.args[0])
    return True, bytes(computation.output)


def main():
    compiled = vyper.compile_code(SOURCE, output_formats=["abi", "bytecode"])
    tester = EthereumTester(PyEVMBackend())
    w3 = Web3(Web3.EthereumTesterProvider(tester))
    sender = w3.eth.accounts[0]
    factory = w3.eth.contract(abi=compiled["abi"], bytecode=compiled["bytecode"])
    receipt = w3.eth.wait_for_transaction_receipt(factory.constructor().transact({"from": sender}))
    contract = w3.eth.contract(address=receipt.contractAddress, abi=compiled["abi"])

    logs = []
    for _ in range(40):
        if rng.random() < 0.6:
            args = (random_text(32), bytes(rng.getrandbits(8) for _ in range(32)), rng.getrandbits(rng.choice([8, 64, 256])),
                    random_text(64), [rng.getrandbits(8) for _ in range(rng.randint(0, 8))])
            tx = contract.functions.note(*args).transact({"from": sender})
            event = contract.events.Noted
        else:
            args = (rng.randint(-(2 ** 127), 2 ** 127 - 1), rng.random() < 0.5, random_text(16),
                    rng.randint(-(2 ** 63), 2 ** 63 - 1))
            tx = contract.functions.move(*args).transact({"from": sender})
            event = contract.events.Moved
        receipt = w3.eth.wait_for_transaction_receipt(tx)
        raw = receipt.logs[0]
        decoded = event().process_log(raw)["args"]
        logs.append({
            "event": event.event_name,
            "topics": ["0x" + bytes(t).hex() for t in raw["topics"]],
            "data": "0x" + bytes(raw["data"]).hex(),
            "values": {name: jsonable(value) for name, value in decoded.items()},
        })

    outputs = []
    for _ in range(30):
        xs = [rng.randint(-(2 ** 127), 2 ** 127 - 1) for _ in range(rng.randint(0, 4))]
        label = random_text(16)
        call_data = contract.encode_abi("points", args=[xs, label])
        raw = w3.eth.call({"to": contract.address, "data": call_data})
        outputs.append({
            "function": "points",
            "calldata": call_data,
            "returnData": "0x" + bytes(raw).hex(),
            "values": jsonable(contract.functions.points(xs, label).call()),
        })

    reverts = []
    for _ in range(20):
        reason = random_text(64)
        call_data = contract.encode_abi("fail", args=[reason])
        succeeded, data = raw_call(tester, {"from": sender, "to": contract.address, "data": call_data})
        assert not succeeded, "fail() did not revert"
        reverts.append({"reason": reason, "data": "0x" + data.hex()})

    vectors = {
        "generator": "scripts/vectors/gen_abi_evm.py",
        "seed": SEED,
        "compiler": f"vyper {vyper.__version__}",
        "abi": compiled["abi"],
        "logs": logs,
        "outputs": outputs,
        "reverts": reverts,
    }
    text = json.dumps(vectors, ensure_ascii=False, separators=(",", ":"))
    with open(OUT, "w") as f:
        f.write(text)
    print(f"wrote {OUT}: {len(text)} bytes, logs={len(logs)}, outputs={len(outputs)}, reverts={len(reverts)}")


if __name__ == "__main__":
    main()
