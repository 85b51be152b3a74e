"""ERC20.vy on py-evm: balances, allowances, minting, events and revert reasons."""

import random

import pytest
from eth_utils import keccak
from web3.logs import DISCARD

NAME, SYMBOL, DECIMALS = "Test Token", "TST", 18
INITIAL_SUPPLY = 1_000_000 * 10**DECIMALS
MAX_UINT256 = 2**256 - 1
ZERO_ADDRESS = "0x" + "00" * 20


@pytest.fixture(scope="module")
def token(deploy, accounts):
    return deploy("ERC20", NAME, SYMBOL, DECIMALS, INITIAL_SUPPLY, sender=accounts[0])


def transfer_events(token, receipt):
    return [
        dict(event.args)
        for event in token.events.Transfer().process_receipt(receipt, errors=DISCARD)
    ]


def approval_events(token, receipt):
    return [
        dict(event.args)
        for event in token.events.Approval().process_receipt(receipt, errors=DISCARD)
    ]


def test_constructor_sets_metadata_and_mints_the_initial_supply_to_the_deployer(token, accounts):
    assert token.functions.name().call() == NAME
    assert token.functions.symbol().call() == SYMBOL
    assert token.functions.decimals().call() == DECIMALS
    assert token.functions.totalSupply().call() == INITIAL_SUPPLY
    assert token.functions.balanceOf(accounts[0]).call() == INITIAL_SUPPLY
    assert token.functions.balanceOf(accounts[1]).call() == 0
    assert token.functions.owner().call() == accounts[0]


def test_deployment_logs_the_initial_mint_as_a_transfer_from_the_zero_address(w3, deploy, accounts):
    token = deploy("ERC20", NAME, SYMBOL, DECIMALS, 12345, sender=accounts[2])
    logs = token.events.Transfer().get_logs(from_block=w3.eth.block_number)
    assert [dict(log.args) for log in logs] == [
        {"sender": ZERO_ADDRESS, "receiver": accounts[2], "value": 12345}
    ]


def test_zero_initial_supply_mints_nothing(w3, deploy, accounts):
    token = deploy("ERC20", NAME, SYMBOL, 6, 0)
    assert token.functions.totalSupply().call() == 0
    assert token.functions.decimals().call() == 6
    assert list(token.events.Transfer().get_logs(from_block=w3.eth.block_number)) == []


def test_transfer_moves_balance_and_emits_transfer(token, accounts, send):
    assert token.functions.transfer(accounts[1], 250).call({"from": accounts[0]}) is True
    receipt = send(token.functions.transfer(accounts[1], 250), accounts[0])
    assert token.functions.balanceOf(accounts[0]).call() == INITIAL_SUPPLY - 250
    assert token.functions.balanceOf(accounts[1]).call() == 250
    assert token.functions.totalSupply().call() == INITIAL_SUPPLY
    assert transfer_events(token, receipt) == [
        {"sender": accounts[0], "receiver": accounts[1], "value": 250}
    ]


def test_transfer_event_has_the_standard_topic_layout(token, accounts, send):
    receipt = send(token.functions.transfer(accounts[1], 7), accounts[0])
    (log,) = receipt.logs
    assert log.topics[0] == keccak(text="Transfer(address,address,uint256)")
    assert log.topics[1][-20:] == bytes.fromhex(accounts[0][2:])
    assert log.topics[2][-20:] == bytes.fromhex(accounts[1][2:])
    assert int.from_bytes(log.data, "big") == 7


def test_transfer_to_self_keeps_the_balance(token, accounts, send):
    send(token.functions.transfer(accounts[0], 100), accounts[0])
    assert token.functions.balanceOf(accounts[0]).call() == INITIAL_SUPPLY


def test_transfer_of_more_than_the_balance_reverts(token, accounts, send, expect_revert):
    send(token.functions.transfer(accounts[1], 10), accounts[0])
    expect_revert(
        token.functions.transfer(accounts[2], 11), accounts[1], "ERC20: insufficient balance"
    )
    assert token.functions.balanceOf(accounts[1]).call() == 10


def test_transfer_to_the_zero_address_reverts(token, accounts, expect_revert):
    expect_revert(
        token.functions.transfer(ZERO_ADDRESS, 1),
        accounts[0],
        "ERC20: transfer to the zero address",
    )


def test_approve_sets_allowance_and_emits_approval(token, accounts, send):
    receipt = send(token.functions.approve(accounts[1], 500), accounts[0])
    assert token.functions.allowance(accounts[0], accounts[1]).call() == 500
    assert approval_events(token, receipt) == [
        {"owner": accounts[0], "spender": accounts[1], "value": 500}
    ]
    send(token.functions.approve(accounts[1], 0), accounts[0])
    assert token.functions.allowance(accounts[0], accounts[1]).call() == 0


def test_approve_of_the_zero_address_reverts(token, accounts, expect_revert):
    expect_revert(
        token.functions.approve(ZERO_ADDRESS, 1), accounts[0], "ERC20: approve to the zero address"
    )


def test_transfer_from_spends_the_allowance(token, accounts, send):
    owner, spender, receiver = accounts[0], accounts[1], accounts[2]
    send(token.functions.approve(spender, 500), owner)
    receipt = send(token.functions.transferFrom(owner, receiver, 200), spender)
    assert token.functions.balanceOf(receiver).call() == 200
    assert token.functions.balanceOf(owner).call() == INITIAL_SUPPLY - 200
    assert token.functions.allowance(owner, spender).call() == 300
    assert transfer_events(token, receipt) == [
        {"sender": owner, "receiver": receiver, "value": 200}
    ]
    assert approval_events(token, receipt) == [{"owner": owner, "spender": spender, "value": 300}]


def test_transfer_from_beyond_the_allowance_reverts(token, accounts, send, expect_revert):
    send(token.functions.approve(accounts[1], 5), accounts[0])
    expect_revert(
        token.functions.transferFrom(accounts[0], accounts[2], 6),
        accounts[1],
        "ERC20: insufficient allowance",
    )
    expect_revert(
        token.functions.transferFrom(accounts[0], accounts[2], 1),
        accounts[3],
        "ERC20: insufficient allowance",
    )


def test_transfer_from_beyond_the_owners_balance_reverts(token, accounts, send, expect_revert):
    send(token.functions.transfer(accounts[1], 10), accounts[0])
    send(token.functions.approve(accounts[2], 100), accounts[1])
    expect_revert(
        token.functions.transferFrom(accounts[1], accounts[3], 11),
        accounts[2],
        "ERC20: insufficient balance",
    )


def test_unlimited_allowance_is_never_spent(token, accounts, send):
    send(token.functions.approve(accounts[1], MAX_UINT256), accounts[0])
    receipt = send(token.functions.transferFrom(accounts[0], accounts[2], 1000), accounts[1])
    assert token.functions.allowance(accounts[0], accounts[1]).call() == MAX_UINT256
    assert approval_events(token, receipt) == []
    assert token.functions.balanceOf(accounts[2]).call() == 1000


def test_owner_mints_new_supply(token, accounts, send):
    receipt = send(token.functions.mint(accounts[3], 42), accounts[0])
    assert token.functions.balanceOf(accounts[3]).call() == 42
    assert token.functions.totalSupply().call() == INITIAL_SUPPLY + 42
    assert transfer_events(token, receipt) == [
        {"sender": ZERO_ADDRESS, "receiver": accounts[3], "value": 42}
    ]


def test_mint_by_anyone_but_the_owner_reverts(token, accounts, expect_revert):
    expect_revert(
        token.functions.mint(accounts[1], 1), accounts[1], "ERC20: caller is not the owner"
    )
    assert token.functions.totalSupply().call() == INITIAL_SUPPLY


def test_mint_to_the_zero_address_reverts(token, accounts, expect_revert):
    expect_revert(
        token.functions.mint(ZERO_ADDRESS, 1), accounts[0], "ERC20: mint to the zero address"
    )


def test_mint_past_the_uint256_range_reverts(token, accounts, expect_revert):
    expect_revert(
        token.functions.mint(accounts[1], MAX_UINT256 - INITIAL_SUPPLY + 1),
        accounts[0],
        "ERC20: total supply overflow",
    )


def test_transfer_ownership_hands_over_the_mint_right(token, accounts, send, expect_revert):
    receipt = send(token.functions.transferOwnership(accounts[1]), accounts[0])
    assert [
        dict(e.args)
        for e in token.events.OwnershipTransferred().process_receipt(receipt, errors=DISCARD)
    ] == [{"previous_owner": accounts[0], "new_owner": accounts[1]}]
    assert token.functions.owner().call() == accounts[1]
    send(token.functions.mint(accounts[1], 9), accounts[1])
    expect_revert(
        token.functions.mint(accounts[0], 9), accounts[0], "ERC20: caller is not the owner"
    )
    expect_revert(
        token.functions.transferOwnership(accounts[0]),
        accounts[0],
        "ERC20: caller is not the owner",
    )
    expect_revert(
        token.functions.transferOwnership(ZERO_ADDRESS),
        accounts[1],
        "ERC20: new owner is the zero address",
    )


def test_random_transfers_match_a_reference_ledger(token, accounts, send):
    """Balances and the total supply follow a plain Python ledger over random operations."""
    rng = random.Random(20240521)
    holders = accounts[:4]
    ledger = {holder: 0 for holder in holders}
    ledger[accounts[0]] = INITIAL_SUPPLY
    supply = INITIAL_SUPPLY
    for _ in range(40):
        sender, receiver = rng.choice(holders), rng.choice(holders)
        if rng.random() < 0.2:
            amount = rng.randrange(1, 10**6)
            send(token.functions.mint(receiver, amount), accounts[0])
            ledger[receiver] += amount
            supply += amount
        elif ledger[sender] > 0:
            amount = rng.randrange(0, ledger[sender] + 1)
            send(token.functions.transfer(receiver, amount), sender)
            ledger[sender] -= amount
            ledger[receiver] += amount
    for holder in holders:
        assert token.functions.balanceOf(holder).call() == ledger[holder]
    assert token.functions.totalSupply().call() == supply == sum(ledger.values())
