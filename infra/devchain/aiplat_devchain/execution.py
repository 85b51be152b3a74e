"""eth_call and eth_estimateGas: run a transaction on a throw-away state, decode reverts.

Calls run in the context of the block after `parent` (as anvil and Hardhat do for
"latest") with a zero base fee, so a call needs no gas price and no balance for gas,
like geth's eth_call.
"""

from __future__ import annotations

from eth.exceptions import OutOfGas, Revert
from eth.vm.spoof import SpoofTransaction
from eth_abi import abi
from eth_utils import ValidationError as EthUtilsValidationError

from . import params
from .errors import RpcError, execution_reverted, invalid_params, server_error

ZERO_ADDRESS = b"\x00" * 20
ERROR_SELECTOR = bytes.fromhex("08c379a0")  # Error(string)
PANIC_SELECTOR = bytes.fromhex("4e487b71")  # Panic(uint256)
CALL_STIPEND = 2300
# geth stops the binary search once the window is within 1.5% of the upper bound.
ESTIMATE_ERROR_RATIO = 0.015

PANIC_REASONS = {
    0x00: "generic/unspecified error",
    0x01: "assertion failed",
    0x11: "arithmetic underflow or overflow",
    0x12: "division or modulo by zero",
    0x21: "failed to convert value into enum type",
    0x22: "storage byte array incorrectly encoded",
    0x31: "called pop() on an empty array",
    0x32: "array out-of-bounds access",
    0x41: "out of memory",
    0x51: "called an uninitialized internal function",
}


def decode_revert_reason(revert_data: bytes) -> str | None:
    """The human-readable reason in Error(string) or Panic(uint256) revert data."""
    if revert_data[:4] == ERROR_SELECTOR:
        try:
            (reason,) = abi.decode(["string"], revert_data[4:])
            return reason
        except Exception:
            return None
    if revert_data[:4] == PANIC_SELECTOR and len(revert_data) == 36:
        code = int.from_bytes(revert_data[4:], "big")
        description = PANIC_REASONS.get(code, "unknown panic code")
        return f"panic: {description} (0x{code:02x})"
    return None


def revert_error(computation) -> RpcError:
    revert_data = computation.output
    return execution_reverted(decode_revert_reason(revert_data), revert_data)


def failure_error(computation) -> RpcError:
    """An RPC error for a computation that failed, reverted or not."""
    error = computation.error
    if isinstance(error, Revert):
        return revert_error(computation)
    if isinstance(error, OutOfGas):
        return server_error("out of gas")
    detail = str(error) or type(error).__name__
    return server_error(f"execution failed: {type(error).__name__}: {detail}")


class CallState:
    """A scratch state on top of a mined block; every run is rolled back afterwards."""

    def __init__(self, chain, parent_header, timestamp: int, coinbase: bytes = ZERO_ADDRESS):
        header = chain.create_header_from_parent(
            parent_header, timestamp=timestamp, coinbase=coinbase
        ).copy(base_fee_per_gas=0)
        self.gas_limit = header.gas_limit
        self.vm = chain.get_vm(header)
        self.state = self.vm.state

    def apply_overrides(self, overrides) -> None:
        """geth's eth_call state override set: balance, nonce, code, state, stateDiff."""
        if overrides is None:
            return
        if not isinstance(overrides, dict):
            raise invalid_params("state overrides: expected an object keyed by address")
        for key, override in overrides.items():
            account = params.address(key, "state overrides")
            if not isinstance(override, dict):
                raise invalid_params(f"state overrides.{key}: expected an object")
            if override.get("balance") is not None:
                self.state.set_balance(
                    account, params.quantity(override["balance"], f"{key}.balance")
                )
            if override.get("nonce") is not None:
                self.state.set_nonce(
                    account, params.quantity(override["nonce"], f"{key}.nonce", 2**64 - 1)
                )
            if override.get("code") is not None:
                self.state.set_code(account, params.data(override["code"], f"{key}.code"))
            if override.get("state") is not None and override.get("stateDiff") is not None:
                raise invalid_params(f"state overrides.{key}: give state or stateDiff, not both")
            slots = override.get("state") or override.get("stateDiff")
            if override.get("state") is not None:
                self.state.delete_storage(account)
            if slots is not None:
                if not isinstance(slots, dict):
                    raise invalid_params(f"state overrides.{key}: slots must be an object")
                for slot, value in slots.items():
                    self.state.set_storage(
                        account,
                        int.from_bytes(params.hash32(slot, f"{key} slot"), "big"),
                        int.from_bytes(params.hash32(value, f"{key} slot value"), "big"),
                    )

    def _transaction(self, request: params.CallRequest, gas: int):
        sender = request.sender or ZERO_ADDRESS
        if request.gas_price is not None:
            gas_price = request.gas_price
        elif request.max_fee_per_gas is not None:
            # With a zero base fee the effective price is the tip, capped by the fee cap.
            gas_price = min(request.max_fee_per_gas, request.max_priority_fee_per_gas or 0)
        else:
            gas_price = 0
        unsigned = self.vm.create_unsigned_transaction(
            nonce=self.state.get_nonce(sender),
            gas_price=gas_price,
            gas=gas,
            to=request.to or b"",
            value=request.value,
            data=request.data,
        )
        return SpoofTransaction(unsigned, from_=sender)

    def run(self, request: params.CallRequest, gas: int):
        """The computation of `request` with `gas`; raises -32000 when the tx is invalid."""
        snapshot = self.state.snapshot()
        try:
            return self.state.apply_transaction(self._transaction(request, gas))
        except EthUtilsValidationError as error:
            raise server_error(_validation_message(error)) from None
        finally:
            self.state.revert(snapshot)

    def _succeeds(self, request: params.CallRequest, gas: int) -> bool:
        try:
            return not self.run(request, gas).is_error
        except RpcError:
            return False

    def call(self, request: params.CallRequest) -> bytes:
        gas = request.gas if request.gas is not None else self.gas_limit
        computation = self.run(request, gas)
        if computation.is_error:
            raise failure_error(computation)
        return computation.output

    def estimate_gas(self, request: params.CallRequest) -> int:
        """geth's estimator: one run at the cap, one optimistic guess, then a binary search."""
        cap = request.gas if request.gas is not None else self.gas_limit
        price = request.gas_price or request.max_fee_per_gas or 0
        if price > 0:
            balance = self.state.get_balance(request.sender or ZERO_ADDRESS)
            available = balance - request.value
            if available < 0:
                raise server_error("insufficient funds for transfer")
            cap = min(cap, available // price)

        if (
            request.to
            and not request.data
            and not self.state.get_code(request.to)
            and self._succeeds(request, 21000)
        ):
            return 21000

        computation = self.run(request, cap)
        if computation.is_error:
            if isinstance(computation.error, OutOfGas):
                raise server_error(f"gas required exceeds allowance ({cap})")
            raise failure_error(computation)
        used_before_refund = cap - computation.get_gas_remaining()
        refund = min(computation.get_gas_refund(), used_before_refund // 5)
        low = used_before_refund - refund - 1
        high = cap

        optimistic = (used_before_refund + CALL_STIPEND) * 64 // 63
        if optimistic < high:
            if self._succeeds(request, optimistic):
                high = optimistic
            else:
                low = optimistic
        while low + 1 < high:
            if (high - low) / high < ESTIMATE_ERROR_RATIO:
                break
            middle = (high + low) // 2
            if middle > low * 2:
                middle = low * 2
            if self._succeeds(request, middle):
                high = middle
            else:
                low = middle
        return high


def _validation_message(error: Exception) -> str:
    message = str(error)
    lowered = message.lower()
    if "intrinsic" in lowered:
        return f"intrinsic gas too low: {message}"
    if "cannot afford" in lowered or "insufficient" in lowered:
        return f"insufficient funds for gas * price + value: {message}"
    return message
