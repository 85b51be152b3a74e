"""RevertTester.vy: the exact revert payloads and the mixed-type event that
EthereumKit's revert and log decoders are tested against."""

import pytest
from eth_abi import decode, encode
from eth_utils import function_signature_to_4byte_selector, keccak
from web3.exceptions import ContractPanicError

from contract_test_support import REVERT_ERRORS, error_string_payload

MAX_UINT256 = 2**256 - 1


@pytest.fixture(scope="module")
def tester_contract(deploy):
    return deploy("RevertTester")


def payload(signature: str, types: list[str], values: list) -> bytes:
    return function_signature_to_4byte_selector(signature) + encode(types, values)


@pytest.mark.parametrize(
    "reason",
    [
        "",
        "short",
        "exactly thirty-two bytes long!!!",
        "a reason longer than one ABI word, " * 4,
        "ünïcødé ✓",
    ],
    ids=["empty", "short", "one-word", "multi-word", "unicode"],
)
def test_revert_with_reason_returns_error_string(tester_contract, accounts, revert_data, reason):
    data = revert_data(tester_contract.functions.revertWithReason(reason), accounts[0])
    assert data == error_string_payload(reason)
    assert data[:4] == bytes.fromhex("08c379a0")
    assert decode(["string"], data[4:]) == (reason,)


def test_a_reverted_transaction_is_refused_with_its_reason(tester_contract, accounts):
    with pytest.raises(REVERT_ERRORS) as refused:
        tester_contract.functions.revertWithReason("refused").transact({"from": accounts[0]})
    assert "refused" in str(refused.value)


def test_a_reverted_transaction_mined_anyway_has_status_zero(w3, tester_contract, accounts):
    tx = tester_contract.functions.revertWithReason("mined").transact(
        {"from": accounts[0], "gas": 100_000}
    )
    assert w3.eth.wait_for_transaction_receipt(tx).status == 0


def test_require_positive_reverts_only_on_zero(tester_contract, accounts, expect_revert):
    assert tester_contract.functions.requirePositive(7).call() == 7
    expect_revert(
        tester_contract.functions.requirePositive(0),
        accounts[0],
        "RevertTester: amount must be positive",
    )


def test_revert_without_reason_returns_no_data(tester_contract, accounts, revert_data):
    assert revert_data(tester_contract.functions.revertWithoutReason(), accounts[0]) == b""


@pytest.mark.parametrize(("available", "required"), [(0, 1), (5, 10**18), (MAX_UINT256, 0)])
def test_custom_error_is_abi_encoded_like_solidity(
    tester_contract, accounts, revert_data, available, required
):
    data = revert_data(
        tester_contract.functions.revertWithCustomError(available, required), accounts[0]
    )
    assert data == payload(
        "InsufficientFunds(uint256,uint256)", ["uint256", "uint256"], [available, required]
    )
    assert data[:4] == keccak(text="InsufficientFunds(uint256,uint256)")[:4]


@pytest.mark.parametrize("code", [0x01, 0x11, 0x12, 0x32, 0x51])
def test_panic_carries_its_code(tester_contract, accounts, revert_data, code):
    data = revert_data(tester_contract.functions.revertWithPanic(code), accounts[0])
    assert data == payload("Panic(uint256)", ["uint256"], [code])
    assert data[:4] == bytes.fromhex("4e487b71")


def test_division_by_zero_panics_with_code_0x12(tester_contract, accounts, revert_data):
    assert tester_contract.functions.divide(7, 2).call() == 3
    data = revert_data(tester_contract.functions.divide(7, 0), accounts[0])
    assert data == payload("Panic(uint256)", ["uint256"], [0x12])
    with pytest.raises(ContractPanicError, match="Division by zero"):
        tester_contract.functions.divide(1, 0).call()


def test_overflow_reverts_with_no_data(tester_contract, accounts, revert_data):
    assert tester_contract.functions.add(2, 3).call() == 5
    assert tester_contract.functions.add(MAX_UINT256 - 1, 1).call() == MAX_UINT256
    assert revert_data(tester_contract.functions.add(MAX_UINT256, 1), accounts[0]) == b""


RECORD_CASES = [
    (1, b"\x11" * 32, "note", b"\x00\x01\x02", [1, 2, 255]),
    (MAX_UINT256, b"\x00" * 32, "", b"", []),
    (
        2**128 + 7,
        keccak(text="tag"),
        "a note longer than thirty-two bytes, with ünïcødé",
        bytes(range(200)),
        list(range(32)),
    ),
]


@pytest.mark.parametrize(
    ("record_id", "tag", "note", "data", "values"), RECORD_CASES, ids=["small", "empty", "large"]
)
def test_recorded_event_layout(tester_contract, accounts, send, record_id, tag, note, data, values):
    receipt = send(
        tester_contract.functions.record(record_id, tag, note, data, values), accounts[2]
    )
    (log,) = receipt.logs
    assert log.address == tester_contract.address
    assert log.topics == [
        keccak(text="Recorded(uint256,address,bytes32,string,bytes,uint8[])"),
        record_id.to_bytes(32, "big"),
        bytes(12) + bytes.fromhex(accounts[2][2:]),
        tag,
    ]
    assert bytes(log.data) == encode(["string", "bytes", "uint8[]"], [note, data, values])
    (event,) = tester_contract.events.Recorded().process_receipt(receipt)
    assert dict(event.args) == {
        "id": record_id,
        "sender": accounts[2],
        "tag": tag,
        "note": note,
        "data": data,
        "values": values,
    }


def test_record_counts_calls(tester_contract, accounts, send):
    assert tester_contract.functions.record(1, b"\x00" * 32, "", b"", []).call() == 1
    send(tester_contract.functions.record(1, b"\x00" * 32, "", b"", []), accounts[0])
    send(tester_contract.functions.record(2, b"\x00" * 32, "", b"", []), accounts[1])
    assert tester_contract.functions.count().call() == 2


def test_record_rejects_more_values_than_declared(tester_contract, accounts, revert_data):
    """uint8[] is bounded at 32 elements; ABI-valid calldata with 33 is rejected."""
    function = tester_contract.functions.record(1, b"\x00" * 32, "", b"", list(range(32)))
    calldata = function_signature_to_4byte_selector(function.signature) + encode(
        ["uint256", "bytes32", "string", "bytes", "uint8[]"],
        [1, b"\x00" * 32, "", b"", list(range(33))],
    )
    with pytest.raises(REVERT_ERRORS):
        tester_contract.w3.eth.call(
            {"from": accounts[0], "to": tester_contract.address, "data": calldata}
        )
