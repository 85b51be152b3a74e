"""The JSON-RPC method table: parameter checking and result encoding around Devchain."""

from __future__ import annotations

import platform
from typing import Any, Callable

from . import params
from .chain import Devchain
from .errors import invalid_params, method_not_found
from .fees import MAX_FEE_HISTORY_BLOCKS
from .serialization import hex_address, hex_data, hex_hash, hex_quantity

VERSION = "0.1.0"


def client_version() -> str:
    from importlib.metadata import version

    return f"aiplat-devchain/v{VERSION}/py-evm-{version('py-evm')}/python-{platform.python_version()}"


def _block_number_or_tag(value: Any, name: str) -> params.BlockRef:
    ref = params.block_ref(value, name)
    if isinstance(ref, params.BlockByHash):
        raise invalid_params(f"{name}: expected a block number or tag")
    return ref


def _state_block(value: Any) -> params.BlockRef:
    return "latest" if value is None else params.block_ref(value, "block")


def _seconds(value: Any, name: str, allow_negative: bool = False) -> int:
    """anvil accepts time arguments as JSON numbers or hex quantities."""
    if isinstance(value, bool):
        raise invalid_params(f"{name}: expected a number of seconds, got {value!r}")
    if isinstance(value, int):
        if value < 0 and not allow_negative:
            raise invalid_params(f"{name}: must not be negative, got {value}")
        return value
    if isinstance(value, float) and value.is_integer():
        return _seconds(int(value), name, allow_negative)
    if isinstance(value, str) and not value.startswith(("0x", "0X")) and value.lstrip("-").isdigit():
        return _seconds(int(value), name, allow_negative)
    return params.quantity(value, name, 2**64 - 1)


class RpcMethods:
    def __init__(self, devchain: Devchain) -> None:
        self.devchain = devchain
        self._client_version = client_version()
        self.table: dict[str, Callable[[Any], Any]] = {
            "web3_clientVersion": self.web3_client_version,
            "web3_sha3": self.web3_sha3,
            "net_version": self.net_version,
            "net_listening": self.net_listening,
            "eth_chainId": self.eth_chain_id,
            "eth_syncing": self.eth_syncing,
            "eth_accounts": self.eth_accounts,
            "eth_coinbase": self.eth_coinbase,
            "eth_blockNumber": self.eth_block_number,
            "eth_getBalance": self.eth_get_balance,
            "eth_getCode": self.eth_get_code,
            "eth_getStorageAt": self.eth_get_storage_at,
            "eth_getTransactionCount": self.eth_get_transaction_count,
            "eth_gasPrice": self.eth_gas_price,
            "eth_maxPriorityFeePerGas": self.eth_max_priority_fee_per_gas,
            "eth_feeHistory": self.eth_fee_history,
            "eth_estimateGas": self.eth_estimate_gas,
            "eth_call": self.eth_call,
            "eth_sendRawTransaction": self.eth_send_raw_transaction,
            "eth_sendTransaction": self.eth_send_transaction,
            "eth_getTransactionByHash": self.eth_get_transaction_by_hash,
            "eth_getTransactionReceipt": self.eth_get_transaction_receipt,
            "eth_getBlockByNumber": self.eth_get_block_by_number,
            "eth_getBlockByHash": self.eth_get_block_by_hash,
            "eth_getLogs": self.eth_get_logs,
            "evm_mine": self.evm_mine,
            "evm_snapshot": self.evm_snapshot,
            "evm_revert": self.evm_revert,
            "evm_increaseTime": self.evm_increase_time,
            "evm_setNextBlockTimestamp": self.evm_set_next_block_timestamp,
            "evm_setAutomine": self.evm_set_automine,
            "evm_setIntervalMining": self.evm_set_interval_mining,
            "anvil_getAutomine": self.anvil_get_automine,
        }

    def dispatch(self, method: str, raw_params: Any) -> Any:
        handler = self.table.get(method)
        if handler is None:
            raise method_not_found(method)
        if raw_params is not None and not isinstance(raw_params, list):
            raise invalid_params(f"{method} expects its params as an array")
        return handler(raw_params)

    # -- identity -------------------------------------------------------------------

    def web3_client_version(self, raw):
        params.positional(raw, "web3_clientVersion", 0)
        return self._client_version

    def web3_sha3(self, raw):
        from eth_utils import keccak

        (payload,) = params.positional(raw, "web3_sha3", 1)
        return hex_hash(keccak(params.data(payload, "data")))

    def net_version(self, raw):
        params.positional(raw, "net_version", 0)
        return str(self.devchain.chain_id)

    def net_listening(self, raw):
        params.positional(raw, "net_listening", 0)
        return True

    def eth_chain_id(self, raw):
        params.positional(raw, "eth_chainId", 0)
        return hex_quantity(self.devchain.chain_id)

    def eth_syncing(self, raw):
        params.positional(raw, "eth_syncing", 0)
        return False

    def eth_accounts(self, raw):
        params.positional(raw, "eth_accounts", 0)
        return [hex_address(account.address) for account in self.devchain.accounts]

    def eth_coinbase(self, raw):
        params.positional(raw, "eth_coinbase", 0)
        return hex_address(b"\x00" * 20)

    # -- state ----------------------------------------------------------------------

    def eth_block_number(self, raw):
        params.positional(raw, "eth_blockNumber", 0)
        return hex_quantity(self.devchain.block_number())

    def eth_get_balance(self, raw):
        account, block = params.positional(raw, "eth_getBalance", 1, 1)
        return hex_quantity(
            self.devchain.balance(params.address(account, "address"), _state_block(block))
        )

    def eth_get_code(self, raw):
        account, block = params.positional(raw, "eth_getCode", 1, 1)
        return hex_data(self.devchain.code(params.address(account, "address"), _state_block(block)))

    def eth_get_storage_at(self, raw):
        account, slot, block = params.positional(raw, "eth_getStorageAt", 2, 1)
        value = self.devchain.storage(
            params.address(account, "address"),
            params.quantity(slot, "slot"),
            _state_block(block),
        )
        return "0x" + value.to_bytes(32, "big").hex()

    def eth_get_transaction_count(self, raw):
        account, block = params.positional(raw, "eth_getTransactionCount", 1, 1)
        return hex_quantity(
            self.devchain.nonce(params.address(account, "address"), _state_block(block))
        )

    # -- fees -----------------------------------------------------------------------

    def eth_gas_price(self, raw):
        params.positional(raw, "eth_gasPrice", 0)
        return hex_quantity(self.devchain.gas_price())

    def eth_max_priority_fee_per_gas(self, raw):
        params.positional(raw, "eth_maxPriorityFeePerGas", 0)
        return hex_quantity(self.devchain.max_priority_fee())

    def eth_fee_history(self, raw):
        count, newest, percentiles = params.positional(raw, "eth_feeHistory", 2, 1)
        block_count = params.quantity(count, "blockCount", 2**64 - 1)
        if block_count < 1 or block_count > MAX_FEE_HISTORY_BLOCKS:
            raise invalid_params(
                f"blockCount: must be between 1 and {MAX_FEE_HISTORY_BLOCKS}, got {block_count}"
            )
        newest_ref = _block_number_or_tag(newest, "newestBlock")
        rewards = None
        if percentiles is not None:
            if not isinstance(percentiles, list):
                raise invalid_params("rewardPercentiles: expected an array of numbers")
            rewards = []
            for index, percentile in enumerate(percentiles):
                if isinstance(percentile, bool) or not isinstance(percentile, (int, float)):
                    raise invalid_params(f"rewardPercentiles[{index}]: expected a number")
                if not 0 <= percentile <= 100:
                    raise invalid_params(
                        f"rewardPercentiles[{index}]: {percentile} is not between 0 and 100"
                    )
                if rewards and percentile < rewards[-1]:
                    raise invalid_params("rewardPercentiles: values must be increasing")
                rewards.append(percentile)
        return self.devchain.fee_history(block_count, newest_ref, rewards)

    # -- execution ------------------------------------------------------------------

    def eth_call(self, raw):
        transaction, block, overrides = params.positional(raw, "eth_call", 1, 2)
        request = params.call_request(transaction)
        return hex_data(self.devchain.call(request, _state_block(block), overrides))

    def eth_estimate_gas(self, raw):
        transaction, block = params.positional(raw, "eth_estimateGas", 1, 1)
        request = params.call_request(transaction)
        return hex_quantity(self.devchain.estimate_gas(request, _state_block(block)))

    # -- transactions ---------------------------------------------------------------

    def eth_send_raw_transaction(self, raw):
        (payload,) = params.positional(raw, "eth_sendRawTransaction", 1)
        return hex_hash(self.devchain.send_raw_transaction(params.data(payload, "transaction")))

    def eth_send_transaction(self, raw):
        (transaction,) = params.positional(raw, "eth_sendTransaction", 1)
        return hex_hash(self.devchain.send_transaction(params.call_request(transaction)))

    def eth_get_transaction_by_hash(self, raw):
        (tx_hash,) = params.positional(raw, "eth_getTransactionByHash", 1)
        return self.devchain.transaction_by_hash(params.hash32(tx_hash, "transactionHash"))

    def eth_get_transaction_receipt(self, raw):
        (tx_hash,) = params.positional(raw, "eth_getTransactionReceipt", 1)
        return self.devchain.transaction_receipt(params.hash32(tx_hash, "transactionHash"))

    # -- blocks and logs ------------------------------------------------------------

    def eth_get_block_by_number(self, raw):
        block, full = params.positional(raw, "eth_getBlockByNumber", 1, 1)
        return self.devchain.block_by_number(
            _block_number_or_tag(block, "block"),
            False if full is None else params.boolean(full, "fullTransactions"),
        )

    def eth_get_block_by_hash(self, raw):
        block_hash, full = params.positional(raw, "eth_getBlockByHash", 1, 1)
        return self.devchain.block_by_hash(
            params.hash32(block_hash, "blockHash"),
            False if full is None else params.boolean(full, "fullTransactions"),
        )

    def eth_get_logs(self, raw):
        (log_filter,) = params.positional(raw, "eth_getLogs", 1)
        return self.devchain.logs(params.log_filter(log_filter))

    # -- dev controls ---------------------------------------------------------------

    def evm_mine(self, raw):
        (options,) = params.positional(raw, "evm_mine", 0, 1)
        timestamp = None
        blocks = 1
        if isinstance(options, dict):
            if options.get("timestamp") is not None:
                timestamp = _seconds(options["timestamp"], "timestamp")
            if options.get("blocks") is not None:
                blocks = _seconds(options["blocks"], "blocks")
                if blocks < 1 or blocks > 10_000:
                    raise invalid_params(f"blocks: must be between 1 and 10000, got {blocks}")
        elif options is not None:
            timestamp = _seconds(options, "timestamp")
        self.devchain.mine(timestamp, blocks)
        return "0x0"

    def evm_snapshot(self, raw):
        params.positional(raw, "evm_snapshot", 0)
        return hex_quantity(self.devchain.snapshot())

    def evm_revert(self, raw):
        (snapshot_id,) = params.positional(raw, "evm_revert", 1)
        return self.devchain.revert(params.quantity(snapshot_id, "snapshotId", 2**64 - 1))

    def evm_increase_time(self, raw):
        (seconds,) = params.positional(raw, "evm_increaseTime", 1)
        # anvil answers with the total offset in seconds as a JSON number.
        return self.devchain.increase_time(_seconds(seconds, "seconds", allow_negative=True))

    def evm_set_next_block_timestamp(self, raw):
        (timestamp,) = params.positional(raw, "evm_setNextBlockTimestamp", 1)
        self.devchain.set_next_block_timestamp(_seconds(timestamp, "timestamp"))
        return None

    def evm_set_automine(self, raw):
        (enabled,) = params.positional(raw, "evm_setAutomine", 1)
        self.devchain.set_automine(params.boolean(enabled, "enabled"))
        return None

    def evm_set_interval_mining(self, raw):
        (seconds,) = params.positional(raw, "evm_setIntervalMining", 1)
        if isinstance(seconds, float) and not isinstance(seconds, bool) and seconds >= 0:
            interval = seconds
        else:
            interval = _seconds(seconds, "seconds")
        self.devchain.set_interval_mining(interval)
        return None

    def anvil_get_automine(self, raw):
        params.positional(raw, "anvil_getAutomine", 0)
        return self.devchain.mining_mode() == "auto"
