"""JSON-RPC 2.0 envelope handling: single requests, batches, notifications, errors."""

from __future__ import annotations

import json
import sys
import traceback
from typing import Any

from .errors import INTERNAL_ERROR, RpcError, invalid_request, parse_error
from .methods import RpcMethods


def _error_response(request_id: Any, error: RpcError) -> dict:
    return {"jsonrpc": "2.0", "id": request_id, "error": error.to_json()}


def _encode(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


class Dispatcher:
    def __init__(self, methods: RpcMethods) -> None:
        self.methods = methods

    def handle_body(self, body: bytes) -> bytes | None:
        """The response body for an HTTP request body; None when only notifications came."""
        try:
            payload = json.loads(body)
        except UnicodeDecodeError as error:
            return _encode(_error_response(None, parse_error(f"body is not UTF-8: {error}")))
        except ValueError as error:
            return _encode(_error_response(None, parse_error(str(error))))
        if isinstance(payload, list):
            if not payload:
                return _encode(_error_response(None, invalid_request("empty batch")))
            responses = [self.handle_request(item) for item in payload]
            responses = [response for response in responses if response is not None]
            return _encode(responses) if responses else None
        response = self.handle_request(payload)
        return None if response is None else _encode(response)

    def handle_request(self, request: Any) -> dict | None:
        if not isinstance(request, dict):
            return _error_response(None, invalid_request("expected a JSON object"))
        request_id = request.get("id")
        if isinstance(request_id, bool) or not (
            request_id is None or isinstance(request_id, (str, int, float))
        ):
            return _error_response(None, invalid_request("id must be a string, a number or null"))
        if "jsonrpc" in request and request["jsonrpc"] != "2.0":
            return _error_response(request_id, invalid_request('jsonrpc must be "2.0"'))
        method = request.get("method")
        if not isinstance(method, str):
            return _error_response(request_id, invalid_request("method must be a string"))
        is_notification = "id" not in request
        try:
            result = self.methods.dispatch(method, request.get("params"))
        except RpcError as error:
            return None if is_notification else _error_response(request_id, error)
        except Exception as error:
            traceback.print_exc(file=sys.stderr)
            internal = RpcError(INTERNAL_ERROR, f"internal error in {method}: {error!r}")
            return None if is_notification else _error_response(request_id, internal)
        if is_notification:
            return None
        return {"jsonrpc": "2.0", "id": request_id, "result": result}
