"""Chain identity, anvil's accounts, and the command-line flags that change them."""

from __future__ import annotations

import pytest
from eth_account import Account
from web3 import Web3

from conftest import ANVIL_ACCOUNTS, launched

Account.enable_unaudited_hdwallet_features()


def test_chain_id_and_network_version_default_to_31337(w3, devchain):
    assert w3.eth.chain_id == 31337
    assert devchain.result("eth_chainId") == "0x7a69"
    assert devchain.result("net_version") == "31337"


def test_client_version_names_the_devchain(w3):
    assert w3.client_version.startswith("aiplat-devchain/v")


def test_accounts_are_anvils_default_accounts(w3):
    assert w3.eth.accounts == [address for address, _ in ANVIL_ACCOUNTS]


def test_anvil_private_keys_control_the_listed_accounts():
    # The well-known keys must belong to the addresses (checked with eth-account, not us).
    for address, key in ANVIL_ACCOUNTS:
        assert Account.from_key(key).address == address
    # And they follow m/44'/60'/0'/0/i of the default mnemonic.
    mnemonic = "test test test test test test test test test test test junk"
    for index, (address, _) in enumerate(ANVIL_ACCOUNTS[:3]):
        derived = Account.from_mnemonic(mnemonic, account_path=f"m/44'/60'/0'/0/{index}")
        assert derived.address == address


def test_accounts_are_funded_with_10000_eth(w3):
    for address, _ in ANVIL_ACCOUNTS[5:]:
        assert w3.eth.get_balance(address) == Web3.to_wei(10000, "ether")


def test_genesis_block_is_a_london_block_with_one_gwei_base_fee(w3):
    genesis = w3.eth.get_block(0)
    assert genesis["number"] == 0
    assert genesis["baseFeePerGas"] == 10**9
    assert genesis["gasLimit"] == 30_000_000
    assert genesis["parentHash"] == b"\x00" * 32


@pytest.fixture(scope="module")
def custom_chain():
    mnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
    node = launched("custom_chain")  # --chain-id 1337 --accounts 3 --balance 5.5 --mnemonic <above>
    yield node, mnemonic
    assert node.stop() == 0


def test_flags_set_chain_id_accounts_balance_and_mnemonic(custom_chain):
    node, mnemonic = custom_chain
    w3 = node.web3()
    assert w3.eth.chain_id == 1337
    assert node.result("net_version") == "1337"
    expected = [
        Account.from_mnemonic(mnemonic, account_path=f"m/44'/60'/0'/0/{i}").address for i in range(3)
    ]
    assert w3.eth.accounts == expected
    assert all(w3.eth.get_balance(a) == Web3.to_wei("5.5", "ether") for a in expected)


def test_chain_id_flag_reaches_the_evm_and_signatures(custom_chain, contract):
    node, mnemonic = custom_chain
    w3 = node.web3()
    sender = Account.from_mnemonic(mnemonic, account_path="m/44'/60'/0'/0/0")
    factory = w3.eth.contract(abi=contract.abi, bytecode=contract.bytecode)
    deploy = factory.constructor(1).build_transaction(
        {"from": sender.address, "nonce": 0, "gas": 1_000_000, "chainId": 1337,
         "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9}
    )
    tx_hash = w3.eth.send_raw_transaction(sender.sign_transaction(deploy).raw_transaction)
    receipt = w3.eth.get_transaction_receipt(tx_hash)
    assert receipt["status"] == 1
    deployed = w3.eth.contract(address=receipt["contractAddress"], abi=contract.abi)
    assert deployed.functions.chain_id().call() == 1337

    # A transaction signed for 31337 must be refused by a 1337 chain.
    wrong = sender.sign_transaction(
        {"to": sender.address, "value": 1, "gas": 21000, "nonce": 1, "chainId": 31337,
         "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9}
    )
    error = node.error("eth_sendRawTransaction", "0x" + wrong.raw_transaction.hex())
    assert error["code"] == -32000
    assert "chain id" in error["message"] and "1337" in error["message"]


def test_small_identity_methods(devchain):
    from eth_utils import keccak

    assert devchain.result("web3_sha3", "0x68656c6c6f") == "0x" + keccak(b"hello").hex()
    assert devchain.result("eth_syncing") is False
    assert devchain.result("net_listening") is True
    assert devchain.result("eth_coinbase") == "0x" + "00" * 20
