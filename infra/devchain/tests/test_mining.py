"""Mining modes, block timestamps, and snapshot/revert as a reorg."""

from __future__ import annotations

import time

import pytest
from eth_account import Account

from conftest import ANVIL_ACCOUNTS, launched, wait_until

ALICE = Account.from_key(ANVIL_ACCOUNTS[0][1])
BOB = ANVIL_ACCOUNTS[1][0]


def _transfer(nonce, value=1):
    return ALICE.sign_transaction(
        {"to": BOB, "value": value, "gas": 21000, "maxFeePerGas": 10 * 10**9,
         "maxPriorityFeePerGas": 10**9, "nonce": nonce, "chainId": 31337}
    )


def test_automine_mines_one_block_per_transaction(isolated, w3):
    head = w3.eth.block_number
    nonce = w3.eth.get_transaction_count(ALICE.address)
    for i in range(2):
        w3.eth.send_raw_transaction(_transfer(nonce + i).raw_transaction)
    assert w3.eth.block_number == head + 2
    assert isolated.result("anvil_getAutomine") is True


def test_automine_off_queues_transactions_until_evm_mine(isolated, w3):
    isolated.result("evm_setAutomine", False)
    assert isolated.result("anvil_getAutomine") is False
    head = w3.eth.block_number
    nonce = w3.eth.get_transaction_count(ALICE.address)
    hashes = [w3.eth.send_raw_transaction(_transfer(nonce + i).raw_transaction) for i in range(3)]

    assert w3.eth.block_number == head
    assert isolated.result("eth_getTransactionReceipt", "0x" + hashes[0].hex()) is None
    pending = w3.eth.get_transaction(hashes[1])
    assert pending["blockHash"] is None and pending["blockNumber"] is None
    assert pending["nonce"] == nonce + 1
    assert w3.eth.get_transaction_count(ALICE.address) == nonce
    assert w3.eth.get_transaction_count(ALICE.address, "pending") == nonce + 3

    assert isolated.result("evm_mine") == "0x0"
    assert w3.eth.block_number == head + 1
    block = w3.eth.get_block(head + 1)
    assert list(block["transactions"]) == hashes
    receipts = [w3.eth.get_transaction_receipt(h) for h in hashes]
    assert [r["transactionIndex"] for r in receipts] == [0, 1, 2]
    assert w3.eth.get_transaction_count(ALICE.address) == nonce + 3


def test_a_nonce_gap_waits_until_it_is_filled(isolated, w3):
    nonce = w3.eth.get_transaction_count(ALICE.address)
    head = w3.eth.block_number
    later = w3.eth.send_raw_transaction(_transfer(nonce + 1).raw_transaction)
    assert isolated.result("eth_getTransactionReceipt", "0x" + later.hex()) is None
    assert w3.eth.block_number == head  # nothing to mine yet
    assert w3.eth.get_transaction_count(ALICE.address, "pending") == nonce
    first = w3.eth.send_raw_transaction(_transfer(nonce).raw_transaction)
    assert w3.eth.get_transaction_receipt(first)["status"] == 1
    assert w3.eth.get_transaction_receipt(later)["status"] == 1


def test_replacing_a_queued_transaction_needs_a_higher_fee(isolated, w3):
    isolated.result("evm_setAutomine", False)
    nonce = w3.eth.get_transaction_count(ALICE.address)
    w3.eth.send_raw_transaction(_transfer(nonce, value=1).raw_transaction)
    same_fee = _transfer(nonce, value=2)
    error = isolated.error("eth_sendRawTransaction", "0x" + same_fee.raw_transaction.hex())
    assert error["code"] == -32000 and "underpriced" in error["message"]
    better = ALICE.sign_transaction(
        {"to": BOB, "value": 3, "gas": 21000, "maxFeePerGas": 20 * 10**9,
         "maxPriorityFeePerGas": 2 * 10**9, "nonce": nonce, "chainId": 31337}
    )
    replacement = w3.eth.send_raw_transaction(better.raw_transaction)
    isolated.result("evm_mine")
    assert w3.eth.get_transaction_receipt(replacement)["status"] == 1


def test_evm_mine_with_timestamp_sets_block_time_and_later_blocks_follow(isolated, w3):
    latest = w3.eth.get_block("latest")["timestamp"]
    target = latest + 1000
    isolated.result("evm_mine", target)
    assert w3.eth.get_block("latest")["timestamp"] == target
    isolated.result("evm_mine")
    following = w3.eth.get_block("latest")["timestamp"]
    assert target < following <= target + 5
    error = isolated.error("evm_mine", target)
    assert error["code"] == -32000 and "not greater" in error["message"]


def test_evm_mine_can_mine_several_blocks(isolated, w3):
    head = w3.eth.block_number
    isolated.result("evm_mine", {"blocks": 3})
    assert w3.eth.block_number == head + 3


def test_increase_time_moves_block_timestamps_and_block_timestamp_opcode(isolated, w3):
    before = w3.eth.get_block("latest")["timestamp"]
    offset = isolated.result("evm_increaseTime", 3600)
    assert isinstance(offset, int) and offset >= 3600
    isolated.result("evm_mine")
    after = w3.eth.get_block("latest")["timestamp"]
    assert after >= before + 3600
    assert after <= time.time() + offset + 5
    isolated.result("evm_setNextBlockTimestamp", after + 50)
    isolated.result("evm_mine")
    assert w3.eth.get_block("latest")["timestamp"] == after + 50


def test_base_fee_follows_eip1559_on_empty_blocks(isolated, w3):
    isolated.result("evm_mine")
    parent = w3.eth.get_block("latest")
    isolated.result("evm_mine")
    child = w3.eth.get_block("latest")
    # An empty block lowers the base fee by 1/8.
    assert child["baseFeePerGas"] == parent["baseFeePerGas"] - parent["baseFeePerGas"] // 8


def test_snapshot_and_revert_rewind_the_chain_like_a_reorg(devchain, w3):
    snapshot = devchain.result("evm_snapshot")
    head = w3.eth.block_number
    balance = w3.eth.get_balance(BOB)
    nonce = w3.eth.get_transaction_count(ALICE.address)
    tx_hash = w3.eth.send_raw_transaction(_transfer(nonce, value=10**18).raw_transaction)
    orphan = w3.eth.get_block(head + 1)
    assert w3.eth.get_balance(BOB) == balance + 10**18

    assert devchain.result("evm_revert", snapshot) is True
    assert w3.eth.block_number == head
    assert w3.eth.get_balance(BOB) == balance
    assert w3.eth.get_transaction_count(ALICE.address) == nonce
    assert devchain.result("eth_getTransactionReceipt", "0x" + tx_hash.hex()) is None
    assert devchain.result("eth_getTransactionByHash", "0x" + tx_hash.hex()) is None
    assert devchain.result("eth_getBlockByNumber", hex(head + 1), False) is None
    assert devchain.result("eth_getBlockByHash", "0x" + orphan["hash"].hex(), False) is None
    assert devchain.error("eth_getLogs", {"blockHash": "0x" + orphan["hash"].hex()})["code"] == -32000

    # A new block at the same height is a different block.
    devchain.result("evm_mine")
    replacement = w3.eth.get_block(head + 1)
    assert replacement["hash"] != orphan["hash"]
    assert replacement["parentHash"] == orphan["parentHash"]
    # The same transaction can be mined again on the new branch.
    again = w3.eth.send_raw_transaction(_transfer(nonce, value=10**18).raw_transaction)
    assert again == tx_hash
    assert w3.eth.get_transaction_receipt(again)["blockNumber"] == head + 2

    # A used snapshot is gone; reverting to it again fails.
    assert devchain.result("evm_revert", snapshot) is False
    devchain.result("evm_revert", devchain.result("evm_snapshot"))


def test_reverting_to_an_earlier_snapshot_drops_later_ones(devchain, w3):
    first = devchain.result("evm_snapshot")
    head = w3.eth.block_number
    devchain.result("evm_mine")
    second = devchain.result("evm_snapshot")
    devchain.result("evm_mine")
    assert devchain.result("evm_revert", first) is True
    assert w3.eth.block_number == head
    assert devchain.result("evm_revert", second) is False


def test_interval_mining_can_be_switched_on_and_off(isolated, w3):
    isolated.result("evm_setIntervalMining", 0.3)
    assert isolated.result("anvil_getAutomine") is False
    head = w3.eth.block_number
    wait_until(lambda: w3.eth.block_number >= head + 2, timeout=10)
    isolated.result("evm_setIntervalMining", 0)
    stopped_at = w3.eth.block_number
    time.sleep(0.8)
    assert w3.eth.block_number == stopped_at


@pytest.fixture(scope="module")
def interval_chain():
    node = launched("interval_chain")  # --block-time 1
    yield node
    assert node.stop() == 0


def test_block_time_flag_mines_on_a_timer_and_includes_transactions(interval_chain):
    w3 = interval_chain.web3()
    assert interval_chain.result("anvil_getAutomine") is False
    start = w3.eth.block_number
    tx_hash = w3.eth.send_raw_transaction(_transfer(0).raw_transaction)
    assert interval_chain.result("eth_getTransactionReceipt", "0x" + tx_hash.hex()) is None
    receipt = wait_until(
        lambda: interval_chain.result("eth_getTransactionReceipt", "0x" + tx_hash.hex()), timeout=10
    )
    assert int(receipt["status"], 16) == 1
    wait_until(lambda: w3.eth.block_number >= start + 2, timeout=10)
    blocks = [w3.eth.get_block(n) for n in range(1, w3.eth.block_number + 1)]
    gaps = [b["timestamp"] - a["timestamp"] for a, b in zip(blocks, blocks[1:])]
    assert all(1 <= gap <= 2 for gap in gaps), gaps


def test_a_queued_transaction_that_can_no_longer_pay_is_dropped_at_mining(isolated, w3):
    isolated.result("evm_setAutomine", False)
    poor = Account.create()
    w3.eth.send_transaction({"from": ANVIL_ACCOUNTS[3][0], "to": poor.address, "value": 10**17, "gas": 21000})
    isolated.result("evm_mine")
    fee = {"gas": 21000, "maxFeePerGas": 10 * 10**9, "maxPriorityFeePerGas": 10**9, "chainId": 31337}
    # Each transfer alone is affordable, both together are not.
    first = w3.eth.send_raw_transaction(poor.sign_transaction({"to": BOB, "value": 6 * 10**16, "nonce": 0, **fee}).raw_transaction)
    second = w3.eth.send_raw_transaction(poor.sign_transaction({"to": BOB, "value": 6 * 10**16, "nonce": 1, **fee}).raw_transaction)
    isolated.result("evm_mine")
    assert w3.eth.get_transaction_receipt(first)["status"] == 1
    assert isolated.result("eth_getTransactionByHash", "0x" + second.hex()) is None
    assert w3.eth.get_transaction_count(poor.address, "pending") == 1


def test_gas_limits_may_sum_past_the_block_limit_when_usage_fits(isolated, w3):
    # Like geth: a transaction needs its gas limit free in the block, not the sum of all limits.
    isolated.result("evm_setAutomine", False)
    nonce = w3.eth.get_transaction_count(ALICE.address)
    big = {"to": BOB, "value": 1, "gas": 20_000_000, "maxFeePerGas": 10 * 10**9,
           "maxPriorityFeePerGas": 10**9, "chainId": 31337}
    hashes = [
        w3.eth.send_raw_transaction(ALICE.sign_transaction({**big, "nonce": nonce + i}).raw_transaction)
        for i in range(2)
    ]
    isolated.result("evm_mine")
    receipts = [w3.eth.get_transaction_receipt(h) for h in hashes]
    assert [r["status"] for r in receipts] == [1, 1]
    assert receipts[0]["blockNumber"] == receipts[1]["blockNumber"]
    assert receipts[1]["cumulativeGasUsed"] == 42000
