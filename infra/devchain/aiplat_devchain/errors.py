"""JSON-RPC errors with the codes geth and anvil use, so clients can branch on them."""

from __future__ import annotations

from typing import Any

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
# geth's generic server-side failure (nonce too low, insufficient funds, unknown block, ...).
SERVER_ERROR = -32000
# geth and anvil answer a revert in eth_call / eth_estimateGas with code 3 and the raw revert data.
EXECUTION_REVERTED = 3


class RpcError(Exception):
    """An error that becomes the `error` member of a JSON-RPC response."""

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def to_json(self) -> dict:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return error

    def __repr__(self) -> str:
        return f"RpcError({self.code}, {self.message!r})"


def parse_error(detail: str) -> RpcError:
    return RpcError(PARSE_ERROR, f"parse error: {detail}")


def invalid_request(detail: str) -> RpcError:
    return RpcError(INVALID_REQUEST, f"invalid request: {detail}")


def method_not_found(method: str) -> RpcError:
    return RpcError(METHOD_NOT_FOUND, f"the method {method} does not exist/is not available")


def invalid_params(detail: str) -> RpcError:
    return RpcError(INVALID_PARAMS, f"invalid params: {detail}")


def server_error(message: str) -> RpcError:
    return RpcError(SERVER_ERROR, message)


def execution_reverted(reason: str | None, revert_data: bytes) -> RpcError:
    message = "execution reverted" if reason is None else f"execution reverted: {reason}"
    return RpcError(EXECUTION_REVERTED, message, "0x" + revert_data.hex())
