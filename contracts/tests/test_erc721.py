"""ERC721.vy on py-evm: minting, metadata, transfers, approvals, safe transfers, ERC-165."""

import pytest
from eth_utils import keccak
from web3.logs import DISCARD

from contract_test_support import REVERT_ERRORS, error_string_payload

NAME, SYMBOL = "AIGC Artifacts", "AIGC"
URI = "aiplat://models/sha256:" + "ab" * 32
ZERO_ADDRESS = "0x" + "00" * 20
NOT_A_RECEIVER = "ERC721: transfer to non ERC721Receiver implementer"

SAFE_TRANSFER = "safeTransferFrom(address,address,uint256)"
SAFE_TRANSFER_WITH_DATA = "safeTransferFrom(address,address,uint256,bytes)"

# ERC721ReceiverMock modes
ACCEPT, WRONG_SELECTOR, REVERT_WITH_REASON, REVERT_EMPTY = range(4)


@pytest.fixture(scope="module")
def nft(deploy, accounts):
    return deploy("ERC721", NAME, SYMBOL, sender=accounts[0])


@pytest.fixture
def minted(nft, accounts, send):
    """Token 1 owned by accounts[1]."""
    send(nft.functions.mint(accounts[1], URI), accounts[0])
    return 1


def events(nft, name, receipt):
    return [dict(e.args) for e in nft.events[name]().process_receipt(receipt, errors=DISCARD)]


def interface_id(*signatures: str) -> bytes:
    """ERC-165 interface id: XOR of the function selectors."""
    value = 0
    for signature in signatures:
        value ^= int.from_bytes(keccak(text=signature)[:4], "big")
    return value.to_bytes(4, "big")


ERC721_FUNCTIONS = [
    "balanceOf(address)",
    "ownerOf(uint256)",
    SAFE_TRANSFER_WITH_DATA,
    SAFE_TRANSFER,
    "transferFrom(address,address,uint256)",
    "approve(address,uint256)",
    "setApprovalForAll(address,bool)",
    "getApproved(uint256)",
    "isApprovedForAll(address,address)",
]


def test_interface_ids_derive_from_the_standard_signatures():
    assert interface_id("supportsInterface(bytes4)") == bytes.fromhex("01ffc9a7")
    assert interface_id(*ERC721_FUNCTIONS) == bytes.fromhex("80ac58cd")
    assert interface_id("name()", "symbol()", "tokenURI(uint256)") == bytes.fromhex("5b5e139f")


@pytest.mark.parametrize(
    ("interface", "supported"),
    [
        ("01ffc9a7", True),  # ERC-165
        ("80ac58cd", True),  # ERC-721
        ("5b5e139f", True),  # ERC-721 Metadata
        ("780e9d63", False),  # ERC-721 Enumerable
        ("36372b07", False),  # ERC-20
        ("ffffffff", False),  # ERC-165 says never
        ("00000000", False),
    ],
)
def test_supports_interface(nft, interface, supported):
    assert nft.functions.supportsInterface(bytes.fromhex(interface)).call() is supported


def test_every_erc721_function_is_in_the_abi(nft):
    abi_signatures = {
        f"{entry['name']}({','.join(i['type'] for i in entry['inputs'])})"
        for entry in nft.abi
        if entry["type"] == "function"
    }
    assert (
        set(ERC721_FUNCTIONS) | {"supportsInterface(bytes4)", "tokenURI(uint256)"} <= abi_signatures
    )


def test_constructor_sets_metadata_and_roles(nft, accounts):
    assert nft.functions.name().call() == NAME
    assert nft.functions.symbol().call() == SYMBOL
    assert nft.functions.totalSupply().call() == 0
    assert nft.functions.owner().call() == accounts[0]
    assert nft.functions.minter().call() == accounts[0]


def test_mint_assigns_sequential_ids_with_their_uris(nft, accounts, send):
    assert nft.functions.mint(accounts[1], URI).call({"from": accounts[0]}) == 1
    first = send(nft.functions.mint(accounts[1], URI), accounts[0])
    second = send(nft.functions.mint(accounts[2], "ipfs://second"), accounts[0])
    assert events(nft, "Transfer", first) == [
        {"sender": ZERO_ADDRESS, "receiver": accounts[1], "token_id": 1}
    ]
    assert events(nft, "Transfer", second) == [
        {"sender": ZERO_ADDRESS, "receiver": accounts[2], "token_id": 2}
    ]
    assert nft.functions.ownerOf(1).call() == accounts[1]
    assert nft.functions.ownerOf(2).call() == accounts[2]
    assert nft.functions.tokenURI(1).call() == URI
    assert nft.functions.tokenURI(2).call() == "ipfs://second"
    assert nft.functions.balanceOf(accounts[1]).call() == 1
    assert nft.functions.totalSupply().call() == 2


def test_transfer_event_indexes_the_token_id(nft, accounts, send):
    receipt = send(nft.functions.mint(accounts[1], URI), accounts[0])
    (log,) = receipt.logs
    assert log.topics[0] == keccak(text="Transfer(address,address,uint256)")
    assert len(log.topics) == 4
    assert int.from_bytes(log.topics[3], "big") == 1
    assert log.data == b""


def test_token_uri_keeps_long_and_unicode_uris(nft, accounts, send):
    uri = "data:text/plain;charset=utf-8,é✓" + "x" * 400
    send(nft.functions.mint(accounts[1], uri), accounts[0])
    assert nft.functions.tokenURI(1).call() == uri


def test_mint_by_anyone_but_the_minter_reverts(nft, accounts, expect_revert):
    expect_revert(
        nft.functions.mint(accounts[1], URI), accounts[1], "ERC721: caller is not the minter"
    )


def test_mint_to_the_zero_address_reverts(nft, accounts, expect_revert):
    expect_revert(
        nft.functions.mint(ZERO_ADDRESS, URI), accounts[0], "ERC721: mint to the zero address"
    )


def test_owner_appoints_a_new_minter(nft, accounts, send, expect_revert):
    receipt = send(nft.functions.setMinter(accounts[5]), accounts[0])
    assert events(nft, "MinterChanged", receipt) == [
        {"previous_minter": accounts[0], "new_minter": accounts[5]}
    ]
    send(nft.functions.mint(accounts[1], URI), accounts[5])
    expect_revert(
        nft.functions.mint(accounts[1], URI), accounts[0], "ERC721: caller is not the minter"
    )
    expect_revert(
        nft.functions.setMinter(accounts[6]), accounts[5], "ERC721: caller is not the owner"
    )
    expect_revert(
        nft.functions.setMinter(ZERO_ADDRESS), accounts[0], "ERC721: new minter is the zero address"
    )


def test_transfer_ownership_hands_over_minter_appointment(nft, accounts, send, expect_revert):
    send(nft.functions.transferOwnership(accounts[4]), accounts[0])
    assert nft.functions.owner().call() == accounts[4]
    send(nft.functions.setMinter(accounts[4]), accounts[4])
    expect_revert(
        nft.functions.setMinter(accounts[0]), accounts[0], "ERC721: caller is not the owner"
    )


def test_queries_about_a_missing_token_revert(nft, accounts, minted, expect_revert):
    for function in (
        nft.functions.ownerOf(2),
        nft.functions.tokenURI(2),
        nft.functions.getApproved(0),
    ):
        expect_revert(function, accounts[0], "ERC721: invalid token ID")


def test_balance_of_the_zero_address_reverts(nft, accounts, expect_revert):
    expect_revert(
        nft.functions.balanceOf(ZERO_ADDRESS),
        accounts[0],
        "ERC721: address zero is not a valid owner",
    )


def test_owner_transfers_a_token(nft, accounts, minted, send):
    receipt = send(nft.functions.transferFrom(accounts[1], accounts[2], minted), accounts[1])
    assert events(nft, "Transfer", receipt) == [
        {"sender": accounts[1], "receiver": accounts[2], "token_id": minted}
    ]
    assert nft.functions.ownerOf(minted).call() == accounts[2]
    assert nft.functions.balanceOf(accounts[1]).call() == 0
    assert nft.functions.balanceOf(accounts[2]).call() == 1
    assert nft.functions.tokenURI(minted).call() == URI


def test_approved_account_transfers_once_and_the_approval_is_cleared(
    nft, accounts, minted, send, expect_revert
):
    receipt = send(nft.functions.approve(accounts[3], minted), accounts[1])
    assert events(nft, "Approval", receipt) == [
        {"owner": accounts[1], "approved": accounts[3], "token_id": minted}
    ]
    assert nft.functions.getApproved(minted).call() == accounts[3]
    send(nft.functions.transferFrom(accounts[1], accounts[4], minted), accounts[3])
    assert nft.functions.ownerOf(minted).call() == accounts[4]
    assert nft.functions.getApproved(minted).call() == ZERO_ADDRESS
    expect_revert(
        nft.functions.transferFrom(accounts[4], accounts[3], minted),
        accounts[3],
        "ERC721: caller is not token owner or approved",
    )


def test_operator_transfers_and_approves_for_the_owner(nft, accounts, minted, send):
    receipt = send(nft.functions.setApprovalForAll(accounts[3], True), accounts[1])
    assert events(nft, "ApprovalForAll", receipt) == [
        {"owner": accounts[1], "operator": accounts[3], "approved": True}
    ]
    assert nft.functions.isApprovedForAll(accounts[1], accounts[3]).call() is True
    send(nft.functions.approve(accounts[5], minted), accounts[3])
    assert nft.functions.getApproved(minted).call() == accounts[5]
    send(nft.functions.transferFrom(accounts[1], accounts[2], minted), accounts[3])
    assert nft.functions.ownerOf(minted).call() == accounts[2]


def test_revoked_operator_can_no_longer_transfer(nft, accounts, minted, send, expect_revert):
    send(nft.functions.setApprovalForAll(accounts[3], True), accounts[1])
    receipt = send(nft.functions.setApprovalForAll(accounts[3], False), accounts[1])
    assert events(nft, "ApprovalForAll", receipt)[0]["approved"] is False
    assert nft.functions.isApprovedForAll(accounts[1], accounts[3]).call() is False
    expect_revert(
        nft.functions.transferFrom(accounts[1], accounts[2], minted),
        accounts[3],
        "ERC721: caller is not token owner or approved",
    )


@pytest.mark.parametrize(
    ("make_call", "caller_index", "reason"),
    [
        (
            lambda f, a, t: f.transferFrom(a[1], a[2], t),
            2,
            "ERC721: caller is not token owner or approved",
        ),
        (lambda f, a, t: f.transferFrom(a[2], a[3], t), 1, "ERC721: transfer from incorrect owner"),
        (
            lambda f, a, t: f.transferFrom(a[1], ZERO_ADDRESS, t),
            1,
            "ERC721: transfer to the zero address",
        ),
        (lambda f, a, t: f.transferFrom(a[1], a[2], t + 1), 1, "ERC721: invalid token ID"),
        (lambda f, a, t: f.approve(a[1], t), 1, "ERC721: approval to current owner"),
        (
            lambda f, a, t: f.approve(a[3], t),
            2,
            "ERC721: approve caller is not token owner or approved for all",
        ),
        (lambda f, a, t: f.setApprovalForAll(a[1], True), 1, "ERC721: approve to caller"),
        (lambda f, a, t: f.setApprovalForAll(ZERO_ADDRESS, True), 1, "ERC721: invalid operator"),
    ],
    ids=[
        "transfer-by-stranger",
        "transfer-from-wrong-owner",
        "transfer-to-zero",
        "transfer-missing-token",
        "approve-owner",
        "approve-by-stranger",
        "operator-self",
        "operator-zero",
    ],
)
def test_rejected_calls_revert_with_a_reason(
    nft, accounts, minted, expect_revert, make_call, caller_index, reason
):
    expect_revert(make_call(nft.functions, accounts, minted), accounts[caller_index], reason)
    assert nft.functions.ownerOf(minted).call() == accounts[1]


@pytest.mark.parametrize(
    "signature", [SAFE_TRANSFER, SAFE_TRANSFER_WITH_DATA], ids=["without-data", "with-data"]
)
def test_safe_transfer_to_an_account_without_code(nft, accounts, minted, send, signature):
    args = (accounts[1], accounts[2], minted) + (
        (b"\x01\x02",) if signature == SAFE_TRANSFER_WITH_DATA else ()
    )
    receipt = send(nft.get_function_by_signature(signature)(*args), accounts[1])
    assert nft.functions.ownerOf(minted).call() == accounts[2]
    assert events(nft, "Transfer", receipt) == [
        {"sender": accounts[1], "receiver": accounts[2], "token_id": minted}
    ]


@pytest.mark.parametrize(
    ("signature", "data"),
    [(SAFE_TRANSFER, b""), (SAFE_TRANSFER_WITH_DATA, b"model digest \x00\xff" * 3)],
    ids=["without-data", "with-data"],
)
def test_safe_transfer_to_a_receiver_contract_calls_it_back(
    nft, accounts, minted, send, deploy_fixture, signature, data
):
    receiver = deploy_fixture("ERC721ReceiverMock", ACCEPT)
    args = (accounts[1], receiver.address, minted) + (
        (data,) if signature == SAFE_TRANSFER_WITH_DATA else ()
    )
    send(nft.functions.setApprovalForAll(accounts[3], True), accounts[1])
    send(nft.get_function_by_signature(signature)(*args), accounts[3])
    assert nft.functions.ownerOf(minted).call() == receiver.address
    assert receiver.functions.calls().call() == 1
    assert receiver.functions.last_operator().call() == accounts[3]
    assert receiver.functions.last_owner().call() == accounts[1]
    assert receiver.functions.last_token_id().call() == minted
    assert receiver.functions.last_data().call() == data


def test_plain_transfer_to_a_contract_does_not_call_it(nft, accounts, minted, send, deploy_fixture):
    receiver = deploy_fixture("ERC721ReceiverMock", WRONG_SELECTOR)
    send(nft.functions.transferFrom(accounts[1], receiver.address, minted), accounts[1])
    assert nft.functions.ownerOf(minted).call() == receiver.address
    assert receiver.functions.calls().call() == 0


@pytest.mark.parametrize(
    "mode", [WRONG_SELECTOR, REVERT_EMPTY], ids=["wrong-selector", "empty-revert"]
)
def test_safe_transfer_to_a_refusing_receiver_reverts(
    nft, accounts, minted, deploy_fixture, expect_revert, mode
):
    receiver = deploy_fixture("ERC721ReceiverMock", mode)
    transfer = nft.get_function_by_signature(SAFE_TRANSFER)(accounts[1], receiver.address, minted)
    expect_revert(transfer, accounts[1], NOT_A_RECEIVER)
    assert nft.functions.ownerOf(minted).call() == accounts[1]


def test_safe_transfer_passes_on_the_receivers_own_revert_reason(
    nft, accounts, minted, deploy_fixture, expect_revert
):
    receiver = deploy_fixture("ERC721ReceiverMock", REVERT_WITH_REASON)
    transfer = nft.get_function_by_signature(SAFE_TRANSFER)(accounts[1], receiver.address, minted)
    expect_revert(transfer, accounts[1], "ERC721ReceiverMock: rejected")


def test_safe_transfer_to_a_contract_without_the_hook_reverts(
    nft, deploy, accounts, minted, revert_data
):
    not_a_receiver = deploy("ERC20", "T", "T", 18, 0)
    transfer = nft.get_function_by_signature(SAFE_TRANSFER_WITH_DATA)(
        accounts[1], not_a_receiver.address, minted, b"x"
    )
    assert revert_data(transfer, accounts[1]) == error_string_payload(NOT_A_RECEIVER)
    with pytest.raises(REVERT_ERRORS):
        transfer.transact({"from": accounts[1]})
