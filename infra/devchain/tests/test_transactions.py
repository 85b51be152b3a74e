"""Raw transactions of all three types signed with eth-account, eth_sendTransaction, txpool rules."""

from __future__ import annotations

import pytest
from eth_account import Account
from web3 import Web3

from conftest import ANVIL_ACCOUNTS

ALICE = Account.from_key(ANVIL_ACCOUNTS[0][1])
BOB = Account.from_key(ANVIL_ACCOUNTS[1][1])
CAROL = ANVIL_ACCOUNTS[2][0]
GWEI = 10**9


def _legacy(nonce, chain_id=31337, **extra):
    tx = {"to": CAROL, "value": 12345, "gas": 21000, "gasPrice": 3 * GWEI, "nonce": nonce}
    if chain_id is not None:
        tx["chainId"] = chain_id
    return {**tx, **extra}


def _access_list(nonce, **extra):
    return {"type": 1, "to": CAROL, "value": 777, "gas": 30000, "gasPrice": 3 * GWEI, "nonce": nonce,
            "chainId": 31337, "accessList": [{"address": CAROL, "storageKeys": ["0x" + "00" * 31 + "01"]}],
            **extra}


def _dynamic(nonce, **extra):
    return {"type": 2, "to": CAROL, "value": 999, "gas": 21000, "maxFeePerGas": 5 * GWEI,
            "maxPriorityFeePerGas": 2 * GWEI, "nonce": nonce, "chainId": 31337, **extra}


def _send(w3, account, tx):
    return w3.eth.send_raw_transaction(account.sign_transaction(tx).raw_transaction)


@pytest.mark.parametrize(
    "build, expected_type",
    [(_legacy, 0), (lambda n: _legacy(n, chain_id=None), 0), (_access_list, 1), (_dynamic, 2)],
    ids=["legacy-eip155", "legacy-unprotected", "eip2930", "eip1559"],
)
def test_raw_transactions_of_every_type_are_mined_with_receipts(isolated, w3, build, expected_type):
    nonce = w3.eth.get_transaction_count(ALICE.address)
    tx = build(nonce)
    signed = ALICE.sign_transaction(tx)
    carol_before = w3.eth.get_balance(CAROL)
    head_before = w3.eth.block_number

    tx_hash = w3.eth.send_raw_transaction(signed.raw_transaction)
    assert tx_hash == signed.hash

    receipt = w3.eth.get_transaction_receipt(tx_hash)
    assert receipt["status"] == 1
    assert receipt["type"] == expected_type
    assert receipt["from"] == ALICE.address
    assert receipt["to"] == CAROL
    assert receipt["blockNumber"] == head_before + 1
    assert receipt["transactionIndex"] == 0
    assert receipt["contractAddress"] is None
    assert receipt["logs"] == []
    intrinsic = 21000 if expected_type != 1 else 21000 + 2400 + 1900
    assert receipt["gasUsed"] == intrinsic
    assert receipt["cumulativeGasUsed"] == intrinsic
    block = w3.eth.get_block(receipt["blockNumber"])
    assert receipt["blockHash"] == block["hash"]
    if expected_type == 2:
        expected_price = min(tx["maxFeePerGas"], tx["maxPriorityFeePerGas"] + block["baseFeePerGas"])
    else:
        expected_price = tx["gasPrice"]
    assert receipt["effectiveGasPrice"] == expected_price
    assert w3.eth.get_balance(CAROL) == carol_before + tx["value"]

    fetched = w3.eth.get_transaction(tx_hash)
    assert fetched["hash"] == tx_hash
    assert fetched["type"] == expected_type
    assert fetched["nonce"] == nonce
    assert fetched["from"] == ALICE.address
    assert fetched["blockHash"] == block["hash"]
    assert fetched["input"] == b""
    assert fetched["gasPrice"] == expected_price
    # The signature we return must be the one eth-account produced.
    assert fetched["r"] == signed.r.to_bytes(32, "big")
    assert fetched["s"] == signed.s.to_bytes(32, "big")
    if expected_type == 0:
        assert fetched["v"] == signed.v
    else:
        assert fetched["yParity"] == signed.v
        assert fetched["chainId"] == 31337
    if expected_type == 1:
        assert fetched["accessList"][0]["address"] == CAROL
    if expected_type == 2:
        assert fetched["maxFeePerGas"] == tx["maxFeePerGas"]
        assert fetched["maxPriorityFeePerGas"] == tx["maxPriorityFeePerGas"]


def test_send_transaction_signs_for_unlocked_accounts_with_1559_defaults(isolated, w3):
    tx_hash = w3.eth.send_transaction({"from": BOB.address, "to": CAROL, "value": 5})
    receipt = w3.eth.get_transaction_receipt(tx_hash)
    assert receipt["status"] == 1
    assert receipt["type"] == 2
    assert receipt["gasUsed"] == 21000
    tx = w3.eth.get_transaction(tx_hash)
    # The signature recovers to the sender (checked by eth-account from the raw fields).
    assert tx["from"] == BOB.address
    assert tx["maxPriorityFeePerGas"] == GWEI


def test_send_transaction_with_gas_price_sends_legacy(isolated, w3):
    tx_hash = w3.eth.send_transaction({"from": BOB.address, "to": CAROL, "value": 5, "gasPrice": 4 * GWEI})
    tx = w3.eth.get_transaction(tx_hash)
    assert tx["type"] == 0
    assert tx["gasPrice"] == 4 * GWEI
    assert tx["chainId"] == 31337
    assert w3.eth.get_transaction_receipt(tx_hash)["status"] == 1


def test_send_transaction_from_a_foreign_account_is_refused(devchain):
    stranger = Account.create().address
    error = devchain.error("eth_sendTransaction", {"from": stranger, "to": CAROL, "value": "0x1"})
    assert error["code"] == -32000
    assert "unknown account" in error["message"]


def test_nonce_too_low_is_a_server_error(isolated, w3, devchain):
    nonce = w3.eth.get_transaction_count(ALICE.address)
    _send(w3, ALICE, _dynamic(nonce))
    stale = ALICE.sign_transaction(_dynamic(nonce, value=1))
    error = devchain.error("eth_sendRawTransaction", "0x" + stale.raw_transaction.hex())
    assert error["code"] == -32000
    assert error["message"].startswith("nonce too low")


def test_insufficient_funds_is_a_server_error(devchain):
    poor = Account.create()
    signed = poor.sign_transaction(_dynamic(0))
    error = devchain.error("eth_sendRawTransaction", "0x" + signed.raw_transaction.hex())
    assert error["code"] == -32000
    assert error["message"].startswith("insufficient funds for gas * price + value")


def test_intrinsic_gas_and_fee_cap_are_checked(devchain, w3):
    nonce = w3.eth.get_transaction_count(ALICE.address)
    low_gas = ALICE.sign_transaction(_dynamic(nonce, gas=20000))
    error = devchain.error("eth_sendRawTransaction", "0x" + low_gas.raw_transaction.hex())
    assert error["code"] == -32000 and "intrinsic gas too low" in error["message"]
    base_fee = w3.eth.get_block("latest")["baseFeePerGas"]
    cheap = ALICE.sign_transaction(_dynamic(nonce, maxFeePerGas=1, maxPriorityFeePerGas=1))
    if base_fee > 1:
        error = devchain.error("eth_sendRawTransaction", "0x" + cheap.raw_transaction.hex())
        assert error["code"] == -32000 and "less than block base fee" in error["message"]


def test_garbage_raw_transaction_is_invalid_params(devchain):
    error = devchain.error("eth_sendRawTransaction", "0xdeadbeef")
    assert error["code"] == -32602
    assert "transaction" in error["message"]


def test_eth_send_transaction_estimates_gas_and_reverts_like_anvil(isolated, w3, devchain, contract):
    factory = w3.eth.contract(abi=contract.abi, bytecode=contract.bytecode)
    receipt = w3.eth.get_transaction_receipt(factory.constructor(7).transact({"from": BOB.address}))
    deployed = w3.eth.contract(address=receipt["contractAddress"], abi=contract.abi)
    estimate = deployed.functions.store(8, "hi").estimate_gas({"from": BOB.address})
    # Raw request without "gas": the devchain estimates (web3's transact would fill it in itself).
    call = {"from": BOB.address, "to": deployed.address, "data": deployed.encode_abi("store", args=[8, "hi"])}
    tx_hash = devchain.result("eth_sendTransaction", call)
    mined = w3.eth.get_transaction_receipt(tx_hash)
    assert mined["status"] == 1
    assert w3.eth.get_transaction(tx_hash)["gas"] == estimate
    assert mined["gasUsed"] <= estimate
    # Without a gas limit a reverting call cannot be estimated: anvil answers with the revert.
    failing = {**call, "data": deployed.encode_abi("store", args=[13, "x"])}
    error = devchain.error("eth_sendTransaction", failing)
    assert error["code"] == 3
    assert error["message"] == "execution reverted: unlucky number"


def test_transaction_count_tracks_mined_transactions(isolated, w3):
    before = w3.eth.get_transaction_count(BOB.address)
    for _ in range(3):
        w3.eth.send_transaction({"from": BOB.address, "to": CAROL, "value": 1, "gas": 21000})
    assert w3.eth.get_transaction_count(BOB.address) == before + 3
    assert w3.eth.get_transaction_count(BOB.address, "pending") == before + 3
    assert w3.eth.get_transaction_count(BOB.address, "earliest") == 0


def test_unknown_transaction_hash_gives_null(devchain):
    assert devchain.result("eth_getTransactionByHash", "0x" + "11" * 32) is None
    assert devchain.result("eth_getTransactionReceipt", "0x" + "11" * 32) is None


def test_several_transactions_can_be_sent_over_one_connection_quickly(isolated, w3):
    import time

    nonce = w3.eth.get_transaction_count(ALICE.address)
    signed = [ALICE.sign_transaction(_dynamic(nonce + i)).raw_transaction for i in range(20)]
    started = time.perf_counter()
    hashes = [w3.eth.send_raw_transaction(raw) for raw in signed]
    elapsed = time.perf_counter() - started
    assert all(w3.eth.get_transaction_receipt(h)["status"] == 1 for h in hashes)
    # One block per transaction in automine; generous bound for a loaded 2-core machine.
    assert elapsed < 20 * 0.25, f"20 transactions took {elapsed:.2f}s"
    assert Web3.to_checksum_address(w3.eth.get_transaction(hashes[-1])["to"]) == CAROL


def test_concurrent_senders_get_distinct_nonces(isolated, w3, devchain):
    from concurrent.futures import ThreadPoolExecutor

    sender = ANVIL_ACCOUNTS[4][0]
    before = w3.eth.get_transaction_count(sender)

    def send(_):
        client = devchain.web3()
        return client.eth.send_transaction({"from": sender, "to": CAROL, "value": 1, "gas": 21000})

    with ThreadPoolExecutor(max_workers=4) as pool:
        hashes = list(pool.map(send, range(12)))
    nonces = sorted(w3.eth.get_transaction(h)["nonce"] for h in hashes)
    assert nonces == list(range(before, before + 12))
    assert all(w3.eth.get_transaction_receipt(h)["status"] == 1 for h in hashes)
