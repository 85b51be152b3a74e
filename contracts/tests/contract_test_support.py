"""Helpers shared by the contract tests (a module with a unique name, so that
it never collides with another test directory's conftest)."""

from __future__ import annotations

import json
from pathlib import Path

from eth_abi import encode
from eth_tester.exceptions import TransactionFailed
from eth_utils import function_signature_to_4byte_selector
from web3 import Web3
from web3.exceptions import ContractLogicError

REPO_ROOT = Path(__file__).resolve().parents[2]
BUILD_DIR = REPO_ROOT / "contracts" / "build"

# Reverts surface through web3 as one of these, depending on the path taken.
REVERT_ERRORS = (TransactionFailed, ContractLogicError)


def error_string_payload(reason: str) -> bytes:
    """Revert data for `Error(string)`, built independently of the contracts."""
    return function_signature_to_4byte_selector("Error(string)") + encode(["string"], [reason])


def calldata_of(function) -> str:
    """Calldata of a bound web3 contract function, encoded with eth-abi."""
    selector = function_signature_to_4byte_selector(function.signature)
    return Web3.to_hex(selector + encode(function.argument_types, function.args))


def load_artifact(name: str) -> dict:
    return json.loads((BUILD_DIR / f"{name}.json").read_text(encoding="utf-8"))
