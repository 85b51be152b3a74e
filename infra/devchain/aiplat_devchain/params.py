"""Parsing of JSON-RPC parameters into Python values, with errors that name what was wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

from .errors import invalid_params

BLOCK_TAGS = ("latest", "earliest", "pending", "safe", "finalized")
MAX_UINT256 = 2**256 - 1


@dataclass(frozen=True)
class BlockByHash:
    """An EIP-1898 block reference by hash."""

    block_hash: bytes
    require_canonical: bool = False


# A block reference: one of BLOCK_TAGS, a block number, or a BlockByHash.
BlockRef = Union[str, int, BlockByHash]


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 80 else text[:77] + "..."


def quantity(value: Any, name: str, maximum: int = MAX_UINT256) -> int:
    """A hex quantity ("0x1a"); plain non-negative JSON integers are accepted too."""
    if isinstance(value, bool):
        raise invalid_params(f"{name}: expected a hex quantity, got {_show(value)}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value[:2] in ("0x", "0X"):
        digits = value[2:]
        if not digits or len(digits) > 64 or any(c not in "0123456789abcdefABCDEF" for c in digits):
            raise invalid_params(f"{name}: expected a hex quantity, got {_show(value)}")
        number = int(digits, 16)
    else:
        raise invalid_params(f"{name}: expected a hex quantity, got {_show(value)}")
    if number < 0 or number > maximum:
        raise invalid_params(f"{name}: {number} is out of range")
    return number


def data(value: Any, name: str, length: int | None = None) -> bytes:
    """Hex-encoded bytes ("0x..."); `length` enforces an exact byte count."""
    if not isinstance(value, str) or value[:2] not in ("0x", "0X"):
        raise invalid_params(f"{name}: expected 0x-prefixed hex data, got {_show(value)}")
    digits = value[2:]
    if len(digits) % 2:
        raise invalid_params(f"{name}: hex data has an odd number of digits: {_show(value)}")
    try:
        raw = bytes.fromhex(digits)
    except ValueError:
        raise invalid_params(f"{name}: invalid hex data {_show(value)}") from None
    if length is not None and len(raw) != length:
        raise invalid_params(f"{name}: expected {length} bytes, got {len(raw)}")
    return raw


def address(value: Any, name: str) -> bytes:
    return data(value, name, 20)


def hash32(value: Any, name: str) -> bytes:
    return data(value, name, 32)


def boolean(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise invalid_params(f"{name}: expected true or false, got {_show(value)}")
    return value


def block_ref(value: Any, name: str = "block") -> BlockRef:
    """A block tag, a hex block number, or an EIP-1898 object."""
    if isinstance(value, str) and value in BLOCK_TAGS:
        return value
    if isinstance(value, dict):
        if "blockHash" in value and "blockNumber" in value:
            raise invalid_params(f"{name}: give blockHash or blockNumber, not both")
        if "blockHash" in value:
            require = value.get("requireCanonical", False)
            return BlockByHash(
                hash32(value["blockHash"], f"{name}.blockHash"),
                boolean(require, f"{name}.requireCanonical"),
            )
        if "blockNumber" in value:
            return block_ref(value["blockNumber"], f"{name}.blockNumber")
        raise invalid_params(f"{name}: expected blockHash or blockNumber in {_show(value)}")
    if isinstance(value, str) and value[:2] in ("0x", "0X"):
        return quantity(value, name, 2**64 - 1)
    raise invalid_params(
        f"{name}: expected a block number or one of {', '.join(BLOCK_TAGS)}, got {_show(value)}"
    )


def positional(params: Any, method: str, required: int, optional: int = 0) -> list:
    """The params array padded with None up to required+optional entries."""
    if params is None:
        params = []
    if not isinstance(params, list):
        raise invalid_params(f"{method} expects its params as an array")
    maximum = required + optional
    if len(params) < required or len(params) > maximum:
        if required == maximum:
            expected = f"{required}"
        else:
            expected = f"{required} to {maximum}"
        raise invalid_params(
            f"{method} expects {expected} parameter{'s' if maximum != 1 else ''}, got {len(params)}"
        )
    return list(params) + [None] * (maximum - len(params))


@dataclass
class CallRequest:
    """A transaction object as eth_call / eth_estimateGas / eth_sendTransaction receive it."""

    sender: bytes | None = None
    to: bytes | None = None
    gas: int | None = None
    gas_price: int | None = None
    max_fee_per_gas: int | None = None
    max_priority_fee_per_gas: int | None = None
    value: int = 0
    data: bytes = b""
    nonce: int | None = None
    tx_type: int | None = None
    chain_id: int | None = None
    access_list: list = field(default_factory=list)


_CALL_FIELDS = {
    "from", "to", "gas", "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas", "value",
    "data", "input", "nonce", "type", "chainId", "accessList",
}


def call_request(value: Any, name: str = "transaction") -> CallRequest:
    if not isinstance(value, dict):
        raise invalid_params(f"{name}: expected a transaction object, got {_show(value)}")
    request = CallRequest()
    for key, item in value.items():
        if item is None:
            continue
        path = f"{name}.{key}"
        if key == "from":
            request.sender = address(item, path)
        elif key == "to":
            request.to = address(item, path)
        elif key == "gas":
            request.gas = quantity(item, path, 2**64 - 1)
        elif key == "gasPrice":
            request.gas_price = quantity(item, path)
        elif key == "maxFeePerGas":
            request.max_fee_per_gas = quantity(item, path)
        elif key == "maxPriorityFeePerGas":
            request.max_priority_fee_per_gas = quantity(item, path)
        elif key == "value":
            request.value = quantity(item, path)
        elif key in ("data", "input"):
            payload = data(item, path)
            other = "input" if key == "data" else "data"
            if other in value and value[other] is not None and data(value[other], other) != payload:
                raise invalid_params(f"{name}: data and input differ")
            request.data = payload
        elif key == "nonce":
            request.nonce = quantity(item, path, 2**64 - 1)
        elif key == "type":
            request.tx_type = quantity(item, path, 0xFF)
        elif key == "chainId":
            request.chain_id = quantity(item, path, 2**64 - 1)
        elif key == "accessList":
            request.access_list = access_list(item, path)
        # Unknown members (blob fields, "hash", ...) are ignored like geth does.
    return request


def access_list(value: Any, name: str) -> list:
    if not isinstance(value, list):
        raise invalid_params(f"{name}: expected an array")
    entries = []
    for index, entry in enumerate(value):
        path = f"{name}[{index}]"
        if not isinstance(entry, dict) or "address" not in entry:
            raise invalid_params(f"{path}: expected {{address, storageKeys}}")
        keys = entry.get("storageKeys") or []
        if not isinstance(keys, list):
            raise invalid_params(f"{path}.storageKeys: expected an array")
        entries.append(
            (
                address(entry["address"], f"{path}.address"),
                tuple(
                    int.from_bytes(hash32(key, f"{path}.storageKeys[{i}]"), "big")
                    for i, key in enumerate(keys)
                ),
            )
        )
    return entries


@dataclass
class LogFilter:
    from_block: BlockRef = "latest"
    to_block: BlockRef = "latest"
    block_hash: bytes | None = None
    addresses: frozenset | None = None  # None: any address
    # One entry per topic position: None (any) or a frozenset of accepted 32-byte topics.
    topics: list = field(default_factory=list)


def log_filter(value: Any, name: str = "filter") -> LogFilter:
    if not isinstance(value, dict):
        raise invalid_params(f"{name}: expected a filter object, got {_show(value)}")
    result = LogFilter()
    if value.get("blockHash") is not None:
        if value.get("fromBlock") is not None or value.get("toBlock") is not None:
            raise invalid_params(f"{name}: blockHash cannot be combined with fromBlock/toBlock")
        result.block_hash = hash32(value["blockHash"], f"{name}.blockHash")
    if value.get("fromBlock") is not None:
        result.from_block = block_ref(value["fromBlock"], f"{name}.fromBlock")
    if value.get("toBlock") is not None:
        result.to_block = block_ref(value["toBlock"], f"{name}.toBlock")
    for ref_name, ref in (("fromBlock", result.from_block), ("toBlock", result.to_block)):
        if isinstance(ref, BlockByHash):
            raise invalid_params(f"{name}.{ref_name}: expected a block number or tag")
    addresses = value.get("address")
    if isinstance(addresses, str):
        result.addresses = frozenset([address(addresses, f"{name}.address")])
    elif isinstance(addresses, list):
        result.addresses = frozenset(
            address(item, f"{name}.address[{i}]") for i, item in enumerate(addresses)
        )
    elif addresses is not None:
        raise invalid_params(f"{name}.address: expected an address or an array of addresses")
    topics = value.get("topics")
    if topics is not None:
        if not isinstance(topics, list):
            raise invalid_params(f"{name}.topics: expected an array")
        if len(topics) > 4:
            raise invalid_params(f"{name}.topics: at most 4 topic positions, got {len(topics)}")
        for position, entry in enumerate(topics):
            path = f"{name}.topics[{position}]"
            if entry is None:
                result.topics.append(None)
            elif isinstance(entry, str):
                result.topics.append(frozenset([hash32(entry, path)]))
            elif isinstance(entry, list):
                if not entry or any(item is None for item in entry):
                    result.topics.append(None)  # [] or a null alternative matches anything
                else:
                    result.topics.append(
                        frozenset(hash32(item, f"{path}[{i}]") for i, item in enumerate(entry))
                    )
            else:
                raise invalid_params(f"{path}: expected a topic, null, or an array of topics")
    return result
