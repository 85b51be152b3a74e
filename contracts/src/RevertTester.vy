# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title RevertTester
@license MIT
@notice Fixtures for revert and log decoding: one function per kind of
        failure, and one event mixing indexed and non-indexed types.
@dev Vyper has no custom errors and no Panic codes of its own (its failed
     checks revert with empty data), so the custom error and the Panic
     payloads are built by hand with raw_revert, byte-identical to what
     Solidity emits for `revert InsufficientFunds(a, r)` and a panic.
"""

event Recorded:
    id: indexed(uint256)
    sender: indexed(address)
    tag: indexed(bytes32)
    note: String[256]
    data: Bytes[256]
    values: DynArray[uint8, 32]


# Panic(uint256) code Solidity uses for division or modulo by zero
PANIC_DIVISION_BY_ZERO: constant(uint256) = 18

count: public(uint256)


@external
def revertWithReason(reason: String[256]):
    """
    @notice Reverts with `Error(reason)`.
    """
    raise reason


@external
@view
def requirePositive(amount: uint256) -> uint256:
    """
    @notice Returns `amount`; reverts with a fixed reason when it is zero.
    """
    assert amount > 0, "RevertTester: amount must be positive"
    return amount


@external
def revertWithoutReason():
    """
    @notice Reverts with empty return data.
    """
    raise


@external
def revertWithCustomError(available: uint256, required: uint256):
    """
    @notice Reverts with the custom error `InsufficientFunds(uint256,uint256)`.
    """
    raw_revert(
        abi_encode(
            available,
            required,
            method_id=method_id("InsufficientFunds(uint256,uint256)"),
        )
    )


@external
def revertWithPanic(code: uint256):
    """
    @notice Reverts with `Panic(code)` as Solidity encodes it (0x01 assert,
            0x11 overflow, 0x12 division by zero, ...).
    """
    raw_revert(abi_encode(code, method_id=method_id("Panic(uint256)")))


@external
@view
def divide(numerator: uint256, denominator: uint256) -> uint256:
    """
    @notice numerator / denominator. Division by zero is rejected the way
            Solidity rejects it: Panic(0x12).
    """
    if denominator == 0:
        raw_revert(
            abi_encode(PANIC_DIVISION_BY_ZERO, method_id=method_id("Panic(uint256)"))
        )
    return numerator // denominator


@external
@view
def add(a: uint256, b: uint256) -> uint256:
    """
    @notice a + b with Vyper's own overflow check, which reverts with empty data.
    """
    return a + b


@external
def record(
    id: uint256, tag: bytes32, note: String[256], data: Bytes[256], values: DynArray[uint8, 32]
) -> uint256:
    """
    @notice Emits `Recorded` with the caller as `sender` and counts the call.
    @return The number of records so far, this one included.
    """
    self.count += 1
    log Recorded(id=id, sender=msg.sender, tag=tag, note=note, data=data, values=values)
    return self.count
