"""eth_gasPrice, eth_maxPriorityFeePerGas, eth_feeHistory."""

from __future__ import annotations

from eth_account import Account

from conftest import ANVIL_ACCOUNTS

ALICE = Account.from_key(ANVIL_ACCOUNTS[0][1])
BOB = Account.from_key(ANVIL_ACCOUNTS[1][1])
CAROL = ANVIL_ACCOUNTS[2][0]
GWEI = 10**9


def _next_base_fee(block) -> int:
    """EIP-1559's base fee of the block after `block` (gas target is half the limit)."""
    base_fee, used, target = block["baseFeePerGas"], block["gasUsed"], block["gasLimit"] // 2
    if used == target:
        return base_fee
    if used > target:
        return base_fee + max(base_fee * (used - target) // target // 8, 1)
    return base_fee - base_fee * (target - used) // target // 8


def test_gas_price_is_next_base_fee_plus_one_gwei_tip(w3):
    latest = w3.eth.get_block("latest")
    assert w3.eth.gas_price == _next_base_fee(latest) + GWEI
    assert w3.eth.max_priority_fee == GWEI


def test_fee_history_reports_base_fees_ratios_and_reward_percentiles(isolated, w3):
    isolated.result("evm_setAutomine", False)
    nonce_a = w3.eth.get_transaction_count(ALICE.address)
    nonce_b = w3.eth.get_transaction_count(BOB.address)
    tips = {ALICE: 1 * GWEI, BOB: 3 * GWEI}
    for account, nonce in ((ALICE, nonce_a), (BOB, nonce_b)):
        signed = account.sign_transaction(
            {"to": CAROL, "value": 1, "gas": 21000, "maxFeePerGas": 50 * GWEI,
             "maxPriorityFeePerGas": tips[account], "nonce": nonce, "chainId": 31337}
        )
        w3.eth.send_raw_transaction(signed.raw_transaction)
    isolated.result("evm_mine")
    isolated.result("evm_mine")  # an empty block after the busy one
    newest = w3.eth.block_number

    history = isolated.result("eth_feeHistory", "0x2", "latest", [0, 50, 100])
    assert int(history["oldestBlock"], 16) == newest - 1
    busy, empty = w3.eth.get_block(newest - 1), w3.eth.get_block(newest)
    assert [int(fee, 16) for fee in history["baseFeePerGas"]] == [
        busy["baseFeePerGas"], empty["baseFeePerGas"], _next_base_fee(empty)
    ]
    assert history["gasUsedRatio"] == [42000 / busy["gasLimit"], 0.0]
    assert [[int(tip, 16) for tip in rewards] for rewards in history["reward"]] == [
        [1 * GWEI, 1 * GWEI, 3 * GWEI],
        [0, 0, 0],
    ]

    via_web3 = w3.eth.fee_history(2, "latest", [50])
    assert via_web3["oldestBlock"] == newest - 1
    assert len(via_web3["baseFeePerGas"]) == 3


def test_fee_history_without_percentiles_and_clamped_to_genesis(devchain, w3):
    history = devchain.result("eth_feeHistory", "0x400", "0x0")
    assert history["oldestBlock"] == "0x0"
    assert len(history["baseFeePerGas"]) == 2
    assert history["baseFeePerGas"][0] == hex(10**9)
    assert "reward" not in history


def test_fee_history_rejects_bad_arguments(devchain):
    assert devchain.error("eth_feeHistory", "0x0", "latest")["code"] == -32602
    error = devchain.error("eth_feeHistory", "0x1", "latest", [50, 10])
    assert error["code"] == -32602 and "increasing" in error["message"]
    error = devchain.error("eth_feeHistory", "0x1", "latest", [101])
    assert error["code"] == -32602 and "rewardPercentiles[0]" in error["message"]
