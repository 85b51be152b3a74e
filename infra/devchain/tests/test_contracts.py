"""Contract deploy, calls, storage, logs and eth_getLogs filters, revert reasons."""

from __future__ import annotations

import pytest
import rlp
from eth_abi import abi as eth_abi
from eth_account import Account
from eth_utils import keccak, to_checksum_address
from web3.exceptions import ContractLogicError

from conftest import ANVIL_ACCOUNTS

ALICE = Account.from_key(ANVIL_ACCOUNTS[0][1])
BOB = Account.from_key(ANVIL_ACCOUNTS[1][1])
STORED_TOPIC = "0x" + keccak(text="Stored(address,uint256,string)").hex()
PINGED_TOPIC = "0x" + keccak(text="Pinged(address)").hex()


def _topic_of(address: str) -> str:
    return "0x" + "00" * 12 + address[2:].lower()


def _deploy(w3, contract, initial=41):
    """Deploys with a raw EIP-1559 transaction signed by eth-account."""
    factory = w3.eth.contract(abi=contract.abi, bytecode=contract.bytecode)
    tx = factory.constructor(initial).build_transaction(
        {"from": ALICE.address, "nonce": w3.eth.get_transaction_count(ALICE.address), "gas": 1_500_000,
         "maxFeePerGas": 10 * 10**9, "maxPriorityFeePerGas": 10**9, "chainId": 31337}
    )
    receipt = w3.eth.get_transaction_receipt(
        w3.eth.send_raw_transaction(ALICE.sign_transaction(tx).raw_transaction)
    )
    assert receipt["status"] == 1
    return w3.eth.contract(address=receipt["contractAddress"], abi=contract.abi), receipt


def test_deploy_sets_contract_address_code_and_storage(isolated, w3, contract):
    deployed, receipt = _deploy(w3, contract, initial=41)
    nonce = w3.eth.get_transaction(receipt["transactionHash"])["nonce"]
    expected = to_checksum_address(keccak(rlp.encode([bytes.fromhex(ALICE.address[2:]), nonce]))[12:])
    assert receipt["contractAddress"] == expected
    assert receipt["to"] is None
    code = w3.eth.get_code(deployed.address)
    assert len(code) > 0
    assert deployed.functions.value().call() == 41
    assert w3.eth.get_storage_at(deployed.address, 0) == (41).to_bytes(32, "big")


def test_chainid_opcode_returns_31337(isolated, w3, contract):
    deployed, _ = _deploy(w3, contract)
    assert deployed.functions.chain_id().call() == 31337


def test_call_at_an_older_block_sees_older_state(isolated, w3, contract):
    deployed, receipt = _deploy(w3, contract, initial=1)
    deployed_at = receipt["blockNumber"]
    deployed.functions.store(2, "two").transact({"from": BOB.address})
    assert deployed.functions.value().call() == 2
    assert deployed.functions.value().call(block_identifier=deployed_at) == 1
    assert deployed.functions.value().call(block_identifier="latest") == 2
    assert w3.eth.get_storage_at(deployed.address, 0, deployed_at) == (1).to_bytes(32, "big")
    # Before the contract existed there is no code at its address.
    assert w3.eth.get_code(deployed.address, deployed_at - 1) == b""


def test_receipt_logs_carry_block_and_index_fields(isolated, w3, contract):
    deployed, _ = _deploy(w3, contract)
    tx_hash = deployed.functions.store(5, "five").transact({"from": BOB.address})
    receipt = w3.eth.get_transaction_receipt(tx_hash)
    assert len(receipt["logs"]) == 1
    log = receipt["logs"][0]
    assert log["address"] == deployed.address
    assert log["blockHash"] == receipt["blockHash"]
    assert log["blockNumber"] == receipt["blockNumber"]
    assert log["transactionHash"] == tx_hash
    assert log["transactionIndex"] == 0
    assert log["logIndex"] == 0
    assert log["removed"] is False
    assert "0x" + log["topics"][0].hex() == STORED_TOPIC
    assert "0x" + log["topics"][1].hex() == _topic_of(BOB.address)
    assert int.from_bytes(log["topics"][2], "big") == 5
    assert eth_abi.decode(["string"], log["data"]) == ("five",)
    event = deployed.events.Stored().process_receipt(receipt)[0]
    assert event["args"]["note"] == "five" and event["args"]["who"] == BOB.address


def test_log_index_counts_across_the_block(isolated, w3, devchain, contract):
    deployed, _ = _deploy(w3, contract)
    devchain.result("evm_setAutomine", False)
    first = deployed.functions.store(3, "a").transact({"from": ALICE.address, "gas": 200_000})
    second = deployed.functions.store(4, "b").transact({"from": BOB.address, "gas": 200_000})
    devchain.result("evm_mine")
    receipts = [w3.eth.get_transaction_receipt(h) for h in (first, second)]
    assert receipts[0]["blockNumber"] == receipts[1]["blockNumber"]
    assert [r["transactionIndex"] for r in receipts] == [0, 1]
    assert [r["logs"][0]["logIndex"] for r in receipts] == [0, 1]
    assert receipts[1]["cumulativeGasUsed"] == receipts[0]["gasUsed"] + receipts[1]["gasUsed"]


@pytest.fixture()
def populated(isolated, w3, contract):
    """Two contracts with Stored and Pinged events from two senders over several blocks."""
    first, _ = _deploy(w3, contract)
    second, _ = _deploy(w3, contract)
    start = w3.eth.block_number + 1
    hashes = [
        first.functions.store(1, "x").transact({"from": ALICE.address}),
        first.functions.store(2, "y").transact({"from": BOB.address}),
        second.functions.store(3, "z").transact({"from": ALICE.address}),
        second.functions.ping().transact({"from": BOB.address}),
        first.functions.ping().transact({"from": ALICE.address}),
    ]
    return first, second, start, hashes


def _logs(devchain, **filter_params):
    return devchain.result("eth_getLogs", filter_params)


def test_get_logs_filters_by_address_single_and_list(populated, devchain):
    first, second, start, _ = populated
    base = {"fromBlock": hex(start), "toBlock": "latest"}
    assert len(_logs(devchain, **base, address=first.address)) == 3
    assert len(_logs(devchain, **base, address=second.address)) == 2
    assert len(_logs(devchain, **base, address=[first.address, second.address])) == 5
    assert _logs(devchain, **base, address=ANVIL_ACCOUNTS[9][0]) == []


def test_get_logs_filters_by_topics_with_null_and_or_lists(populated, devchain):
    first, second, start, _ = populated
    base = {"fromBlock": hex(start)}
    assert len(_logs(devchain, **base, topics=[STORED_TOPIC])) == 3
    assert len(_logs(devchain, **base, topics=[[STORED_TOPIC, PINGED_TOPIC]])) == 5
    by_bob = _logs(devchain, **base, topics=[None, _topic_of(BOB.address)])
    assert len(by_bob) == 2
    assert {log["topics"][0] for log in by_bob} == {STORED_TOPIC, PINGED_TOPIC}
    value_two_or_three = _logs(
        devchain, **base, topics=[STORED_TOPIC, None, ["0x" + "00" * 31 + "02", "0x" + "00" * 31 + "03"]]
    )
    assert [int(log["topics"][2], 16) for log in value_two_or_three] == [2, 3]
    # A filter with more topic positions than a Pinged log has never matches it.
    assert _logs(devchain, **base, topics=[PINGED_TOPIC, None, None]) == []
    assert len(_logs(devchain, **base, address=first.address, topics=[PINGED_TOPIC])) == 1


def test_get_logs_by_block_range_and_block_hash(populated, devchain, w3):
    _, _, start, hashes = populated
    receipts = [w3.eth.get_transaction_receipt(h) for h in hashes]
    middle = receipts[2]
    only_middle = _logs(devchain, fromBlock=hex(middle["blockNumber"]), toBlock=hex(middle["blockNumber"]))
    assert [log["transactionHash"] for log in only_middle] == ["0x" + middle["transactionHash"].hex()]
    by_hash = _logs(devchain, blockHash="0x" + middle["blockHash"].hex())
    assert by_hash == only_middle
    everything = _logs(devchain, fromBlock=hex(start), toBlock="latest")
    assert [log["transactionHash"] for log in everything] == ["0x" + h.hex() for h in hashes]
    assert _logs(devchain, fromBlock=hex(w3.eth.block_number + 10)) == []
    assert len(_logs(devchain, fromBlock="earliest")) >= 5
    # web3's own filter API agrees with the raw results.
    assert len(w3.eth.get_logs({"fromBlock": start, "toBlock": "latest"})) == 5


def test_get_logs_rejects_block_hash_with_range(devchain):
    error = devchain.error("eth_getLogs", {"blockHash": "0x" + "00" * 32, "fromBlock": "0x1"})
    assert error["code"] == -32602
    assert "blockHash" in error["message"]


def test_eth_call_revert_reason_is_decoded_with_raw_data(isolated, w3, devchain, contract):
    deployed, _ = _deploy(w3, contract)
    calldata = deployed.encode_abi("store", args=[13, "x"])
    error = devchain.error("eth_call", {"from": BOB.address, "to": deployed.address, "data": calldata}, "latest")
    assert error["code"] == 3
    assert error["message"] == "execution reverted: unlucky number"
    expected = bytes.fromhex("08c379a0") + eth_abi.encode(["string"], ["unlucky number"])
    assert error["data"] == "0x" + expected.hex()
    # web3 decodes the same reason independently.
    with pytest.raises(ContractLogicError) as raised:
        deployed.functions.store(13, "x").call({"from": BOB.address})
    assert "unlucky number" in str(raised.value)


def test_estimate_gas_reports_reverts_like_eth_call(isolated, w3, devchain, contract):
    deployed, _ = _deploy(w3, contract)
    calldata = deployed.encode_abi("store", args=[13, "x"])
    error = devchain.error("eth_estimateGas", {"from": BOB.address, "to": deployed.address, "data": calldata})
    assert error["code"] == 3
    assert error["message"] == "execution reverted: unlucky number"
    assert error["data"].startswith("0x08c379a0")


def test_revert_without_reason_has_empty_data(isolated, w3, devchain, contract):
    deployed, _ = _deploy(w3, contract)
    calldata = deployed.encode_abi("fail_plain", args=[])
    error = devchain.error("eth_call", {"to": deployed.address, "data": calldata})
    assert error == {"code": 3, "message": "execution reverted", "data": "0x"}


def test_reverted_transaction_is_mined_with_status_zero(isolated, w3, contract):
    deployed, _ = _deploy(w3, contract)
    tx_hash = deployed.functions.store(13, "x").transact({"from": BOB.address, "gas": 100_000})
    receipt = w3.eth.get_transaction_receipt(tx_hash)
    assert receipt["status"] == 0
    assert receipt["logs"] == []
    assert 21000 < receipt["gasUsed"] < 100_000
    assert deployed.functions.value().call() == 41


def test_estimate_gas_is_enough_and_close(isolated, w3, contract):
    deployed, _ = _deploy(w3, contract)
    estimate = deployed.functions.store(99, "a fairly long note here").estimate_gas({"from": ALICE.address})
    tx_hash = deployed.functions.store(99, "a fairly long note here").transact({"from": ALICE.address, "gas": estimate})
    receipt = w3.eth.get_transaction_receipt(tx_hash)
    assert receipt["status"] == 1
    assert receipt["gasUsed"] <= estimate <= receipt["gasUsed"] * 1.2
    # A plain transfer estimates at exactly 21000.
    assert w3.eth.estimate_gas({"from": ALICE.address, "to": BOB.address, "value": 1}) == 21000


def test_eth_call_needs_no_sender_and_honours_state_overrides(isolated, w3, devchain, contract):
    deployed, _ = _deploy(w3, contract, initial=77)
    calldata = deployed.encode_abi("value", args=[])
    assert int(devchain.result("eth_call", {"to": deployed.address, "data": calldata}), 16) == 77
    overridden = devchain.result(
        "eth_call",
        {"to": deployed.address, "data": calldata},
        "latest",
        {deployed.address: {"stateDiff": {"0x" + "00" * 32: "0x" + "00" * 31 + "09"}}},
    )
    assert int(overridden, 16) == 9
    assert deployed.functions.value().call() == 77


def test_logs_after_a_revert_come_from_the_new_branch(isolated, w3, devchain, contract):
    deployed, _ = _deploy(w3, contract)
    snapshot = devchain.result("evm_snapshot")
    old = w3.eth.get_transaction_receipt(deployed.functions.store(1, "old").transact({"from": BOB.address}))
    assert devchain.result("evm_revert", snapshot) is True
    new = w3.eth.get_transaction_receipt(deployed.functions.store(2, "new").transact({"from": BOB.address}))
    assert new["blockNumber"] == old["blockNumber"]
    assert new["blockHash"] != old["blockHash"]
    logs = _logs(devchain, fromBlock=hex(old["blockNumber"]), address=deployed.address)
    assert [(log["blockHash"], int(log["topics"][2], 16)) for log in logs] == [("0x" + new["blockHash"].hex(), 2)]
