"""The devchain: a py-evm chain with a mempool, mining modes, clock control and snapshots.

Every public method takes `self.lock`; the HTTP server calls them from many threads and
the interval miner from its own, so the chain is only ever touched by one at a time.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass

import rlp
from eth.constants import GENESIS_PARENT_HASH
from eth.db.account import AccountDB
from eth.exceptions import HeaderNotFound, TransactionNotFound
from eth_bloom import BloomFilter
from eth_utils import ValidationError as EthUtilsValidationError

from . import params
from .accounts import DevAccount
from .backend import DEFAULT_GAS_LIMIT, DevchainBackend
from .cache import BoundedCache
from .errors import invalid_params, server_error
from .execution import CallState
from .fees import DEFAULT_PRIORITY_FEE, MAX_FEE_HISTORY_BLOCKS, fee_history_json
from .mining import IntervalMiner
from .pool import TransactionPool
from .serialization import (
    ACCESS_LIST_TYPE,
    DYNAMIC_FEE_TYPE,
    LEGACY_TYPE,
    Inclusion,
    block_json,
    fee_cap,
    hex_address,
    hex_hash,
    logs_json,
    receipt_json,
    transaction_json,
    transaction_type,
)

SUPPORTED_TYPES = (LEGACY_TYPE, ACCESS_LIST_TYPE, DYNAMIC_FEE_TYPE)
CACHED_BLOCKS = 2048
REMEMBERED_DROPS = 1024


@dataclass(frozen=True)
class ChainConfig:
    chain_id: int
    accounts: tuple[DevAccount, ...]
    balance_wei: int
    block_time: float | None = None  # None: automine
    gas_limit: int = DEFAULT_GAS_LIMIT


@dataclass(frozen=True)
class Snapshot:
    head_hash: bytes
    pool: TransactionPool
    time_offset: int
    next_timestamp: int | None


class Devchain:
    def __init__(self, config: ChainConfig) -> None:
        self.lock = threading.RLock()
        self.chain_id = config.chain_id
        self.accounts = config.accounts
        self._signers = {account.address: account for account in config.accounts}
        self._backend = DevchainBackend(
            config.chain_id, config.accounts, config.balance_wei, config.gas_limit
        )
        self.chain = self._backend.chain
        self._builder = self.chain.get_vm().get_transaction_builder()
        self._pool = TransactionPool()
        self._dropped: dict[bytes, str] = {}
        self._time_offset = 0
        self._next_timestamp: int | None = None
        self._snapshots: dict[int, Snapshot] = {}
        self._next_snapshot_id = 0
        self._blocks = BoundedCache(CACHED_BLOCKS)
        self._receipts = BoundedCache(CACHED_BLOCKS)
        self._logs = BoundedCache(CACHED_BLOCKS)
        self._head_state = (None, None)
        self._automine = config.block_time is None
        self._miner: IntervalMiner | None = None
        if config.block_time is not None:
            self._start_interval(config.block_time)

    # -- blocks -------------------------------------------------------------------

    def _head(self):
        return self.chain.get_canonical_head()

    def _block(self, block_hash: bytes):
        return self._blocks.get_or_compute(
            block_hash, lambda: self.chain.get_block_by_hash(block_hash)
        )

    def _receipts_of(self, block):
        return self._receipts.get_or_compute(
            block.hash, lambda: block.get_receipts(self.chain.chaindb)
        )

    def _logs_of(self, block):
        return self._logs.get_or_compute(
            block.hash, lambda: logs_json(block, self._receipts_of(block))
        )

    def _canonical_block(self, number: int):
        return self._block(self.chain.chaindb.get_canonical_block_hash(number))

    def _is_canonical(self, header) -> bool:
        if header.block_number > self._head().block_number:
            return False
        return self.chain.chaindb.get_canonical_block_hash(header.block_number) == header.hash

    def _header_by_hash(self, block_hash: bytes):
        try:
            return self.chain.chaindb.get_block_header_by_hash(block_hash)
        except HeaderNotFound:
            return None

    def _number_for(self, ref: params.BlockRef) -> int | None:
        """The block number a tag or number names; None when it lies beyond the head."""
        head = self._head().block_number
        if ref == "earliest":
            return 0
        if isinstance(ref, str):  # latest, pending, safe, finalized
            return head
        return ref if ref <= head else None

    def _header_for_state(self, ref: params.BlockRef):
        """The header whose post-state a state query reads; -32000 when there is none."""
        if isinstance(ref, params.BlockByHash):
            header = self._header_by_hash(ref.block_hash)
            if header is None:
                raise server_error(f"block {hex_hash(ref.block_hash)} not found")
            if ref.require_canonical and not self._is_canonical(header):
                raise server_error(f"block {hex_hash(ref.block_hash)} is not canonical")
            return header
        number = self._number_for(ref)
        if number is None:
            raise server_error(f"header for block {hex(ref)} not found")
        return self.chain.get_canonical_block_header_by_number(number)

    def _state_at(self, header) -> AccountDB:
        """Read-only accounts after `header`; a bare AccountDB is much cheaper than a VM state."""
        cached_hash, cached_state = self._head_state
        if cached_hash == header.hash:
            return cached_state
        state = AccountDB(self.chain.chaindb.db, header.state_root)
        if header.hash == self._head().hash:
            self._head_state = (header.hash, state)
        return state

    def block_number(self) -> int:
        with self.lock:
            return self._head().block_number

    def block_by_number(self, ref: params.BlockRef, full: bool) -> dict | None:
        with self.lock:
            number = self._number_for(ref)
            if number is None:
                return None
            return block_json(self._canonical_block(number), full)

    def block_by_hash(self, block_hash: bytes, full: bool) -> dict | None:
        with self.lock:
            header = self._header_by_hash(block_hash)
            if header is None or not self._is_canonical(header):
                return None
            return block_json(self._block(block_hash), full)

    # -- state --------------------------------------------------------------------

    def balance(self, account: bytes, ref: params.BlockRef) -> int:
        with self.lock:
            return self._state_at(self._header_for_state(ref)).get_balance(account)

    def code(self, account: bytes, ref: params.BlockRef) -> bytes:
        with self.lock:
            return self._state_at(self._header_for_state(ref)).get_code(account)

    def storage(self, account: bytes, slot: int, ref: params.BlockRef) -> int:
        with self.lock:
            return self._state_at(self._header_for_state(ref)).get_storage(account, slot)

    def nonce(self, account: bytes, ref: params.BlockRef) -> int:
        with self.lock:
            state_nonce = self._state_at(self._header_for_state(ref)).get_nonce(account)
            if ref == "pending":
                return self._pool.pending_nonce(account, state_nonce)
            return state_nonce

    # -- fees ---------------------------------------------------------------------

    def _next_base_fee(self) -> int:
        return self.chain.header.base_fee_per_gas

    def gas_price(self) -> int:
        with self.lock:
            return self._next_base_fee() + DEFAULT_PRIORITY_FEE

    def max_priority_fee(self) -> int:
        return DEFAULT_PRIORITY_FEE

    def fee_history(self, count: int, newest: params.BlockRef, percentiles) -> dict:
        with self.lock:
            if isinstance(newest, params.BlockByHash):
                raise invalid_params("newestBlock: expected a block number or tag")
            newest_number = self._number_for(newest)
            if newest_number is None:
                raise server_error(f"block {hex(newest)} is beyond the head of the chain")
            count = min(count, MAX_FEE_HISTORY_BLOCKS, newest_number + 1)
            blocks = [
                self._canonical_block(number)
                for number in range(newest_number - count + 1, newest_number + 1)
            ]
            if newest_number == self._head().block_number:
                next_base_fee = self._next_base_fee()
            else:
                next_base_fee = self._canonical_block(newest_number + 1).header.base_fee_per_gas
            return fee_history_json(blocks, self._receipts_of, next_base_fee, percentiles)

    # -- execution ----------------------------------------------------------------

    def _call_state(self, ref: params.BlockRef) -> CallState:
        header = self._header_for_state(ref)
        if header.hash == self._head().hash:
            timestamp = self._peek_next_timestamp(header)
        else:
            timestamp = header.timestamp + 1
        return CallState(self.chain, header, timestamp)

    def call(self, request: params.CallRequest, ref: params.BlockRef, overrides) -> bytes:
        with self.lock:
            state = self._call_state(ref)
            state.apply_overrides(overrides)
            return state.call(request)

    def estimate_gas(self, request: params.CallRequest, ref: params.BlockRef) -> int:
        with self.lock:
            return self._call_state(ref).estimate_gas(request)

    # -- transactions ---------------------------------------------------------------

    def send_raw_transaction(self, raw: bytes) -> bytes:
        if not raw:
            raise invalid_params("transaction: empty data")
        if raw[0] == 3:
            raise server_error("transaction type 0x3 (blob) is not supported by the devchain")
        try:
            transaction = self._builder.decode(raw)
        except Exception as error:
            raise invalid_params(f"transaction: cannot decode raw transaction: {error}") from None
        with self.lock:
            return self._submit(transaction)

    def send_transaction(self, request: params.CallRequest) -> bytes:
        if request.sender is None:
            raise invalid_params("transaction.from is required")
        with self.lock:
            signer = self._signers.get(request.sender)
            if signer is None:
                raise server_error(
                    f"unknown account {hex_address(request.sender)}: eth_sendTransaction signs "
                    "only for the devchain's own accounts (eth_accounts)"
                )
            if request.chain_id is not None and request.chain_id != self.chain_id:
                raise server_error(
                    f"invalid chain id: expected {self.chain_id}, got {request.chain_id}"
                )
            head = self._head()
            nonce = request.nonce
            if nonce is None:
                state_nonce = self._state_at(head).get_nonce(request.sender)
                nonce = self._pool.pending_nonce(request.sender, state_nonce)
            tx_type = request.tx_type
            if tx_type is None:
                if request.gas_price is not None:
                    tx_type = ACCESS_LIST_TYPE if request.access_list else LEGACY_TYPE
                else:
                    tx_type = DYNAMIC_FEE_TYPE
            if tx_type not in SUPPORTED_TYPES:
                raise server_error(f"transaction type {hex(tx_type)} is not supported")
            gas = request.gas
            if gas is None:
                gas = CallState(self.chain, head, self._peek_next_timestamp(head)).estimate_gas(
                    request
                )
            to = request.to or b""
            if tx_type == DYNAMIC_FEE_TYPE:
                priority = request.max_priority_fee_per_gas
                if priority is None:
                    priority = DEFAULT_PRIORITY_FEE
                    if request.max_fee_per_gas is not None:
                        priority = min(priority, request.max_fee_per_gas)
                max_fee = request.max_fee_per_gas
                if max_fee is None:
                    max_fee = 2 * self._next_base_fee() + priority
                unsigned = self._builder.new_unsigned_dynamic_fee_transaction(
                    self.chain_id, nonce, priority, max_fee, gas, to, request.value,
                    request.data, request.access_list,
                )
                signed = unsigned.as_signed_transaction(signer.private_key)
            else:
                gas_price = request.gas_price
                if gas_price is None:
                    gas_price = self._next_base_fee() + DEFAULT_PRIORITY_FEE
                if tx_type == ACCESS_LIST_TYPE:
                    unsigned = self._builder.new_unsigned_access_list_transaction(
                        self.chain_id, nonce, gas_price, gas, to, request.value,
                        request.data, request.access_list,
                    )
                    signed = unsigned.as_signed_transaction(signer.private_key)
                else:
                    unsigned = self._builder.create_unsigned_transaction(
                        nonce=nonce, gas_price=gas_price, gas=gas, to=to,
                        value=request.value, data=request.data,
                    )
                    signed = unsigned.as_signed_transaction(
                        signer.private_key, chain_id=self.chain_id
                    )
            # Re-decode so the transaction has this VM's concrete class, as a raw one would.
            encoded = signed.encode() if tx_type != LEGACY_TYPE else rlp.encode(signed)
            return self._submit(self._builder.decode(encoded))

    def _submit(self, transaction) -> bytes:
        """Validates like geth's txpool, pools the transaction, and mines when automining."""
        tx_type = transaction_type(transaction)
        if tx_type not in SUPPORTED_TYPES:
            raise server_error(f"transaction type {hex(tx_type)} is not supported")
        try:
            transaction.validate()
            sender = transaction.sender
        except Exception as error:
            raise server_error(f"invalid transaction: {error}") from None
        if transaction.chain_id is not None and transaction.chain_id != self.chain_id:
            raise server_error(
                f"invalid chain id: expected {self.chain_id}, got {transaction.chain_id}"
            )
        address = hex_address(sender)
        if self._pool.get(transaction.hash) is not None or self._find_mined(transaction.hash):
            raise server_error(f"already known: {hex_hash(transaction.hash)}")
        state = self._state_at(self._head())
        state_nonce = state.get_nonce(sender)
        if transaction.nonce < state_nonce:
            raise server_error(
                f"nonce too low: address {address}, tx: {transaction.nonce} state: {state_nonce}"
            )
        gas_limit = self.chain.header.gas_limit
        if transaction.gas > gas_limit:
            raise server_error(
                f"exceeds block gas limit: tx gas {transaction.gas}, block gas limit {gas_limit}"
            )
        intrinsic = transaction.intrinsic_gas
        if transaction.gas < intrinsic:
            raise server_error(
                f"intrinsic gas too low: gas {transaction.gas}, minimum needed {intrinsic}"
            )
        cap = fee_cap(transaction)
        if tx_type == DYNAMIC_FEE_TYPE and transaction.max_priority_fee_per_gas > cap:
            raise server_error(
                f"max priority fee per gas higher than max fee per gas: address {address}, "
                f"maxPriorityFeePerGas: {transaction.max_priority_fee_per_gas}, maxFeePerGas: {cap}"
            )
        base_fee = self._next_base_fee()
        if cap < base_fee:
            raise server_error(
                f"max fee per gas less than block base fee: address {address}, "
                f"maxFeePerGas: {cap}, baseFee: {base_fee}"
            )
        balance = state.get_balance(sender)
        cost = transaction.gas * cap + transaction.value
        if balance < cost:
            raise server_error(
                f"insufficient funds for gas * price + value: address {address} "
                f"have {balance} want {cost}"
            )
        existing = self._pool.at(sender, transaction.nonce)
        if existing is not None and cap <= existing.fee_cap:
            raise server_error(
                f"replacement transaction underpriced: nonce {transaction.nonce} of {address} "
                f"is already pooled with fee cap {existing.fee_cap}"
            )
        self._pool.add(transaction, sender, cap)
        # A transaction behind a nonce gap waits in the pool; anvil mines nothing for it.
        is_ready = self._pool.pending_nonce(sender, state_nonce) > transaction.nonce
        if self._automine and is_ready:
            self._mine_block(None)
            reason = self._dropped.pop(transaction.hash, None)
            if reason is not None:
                raise server_error(reason)
        return transaction.hash

    def _find_mined(self, tx_hash: bytes):
        """(block, index) of a transaction on the canonical chain, or None."""
        try:
            number, index = self.chain.chaindb.get_transaction_index(tx_hash)
        except TransactionNotFound:
            return None
        if number > self._head().block_number:
            return None
        block = self._canonical_block(number)
        if index < len(block.transactions) and block.transactions[index].hash == tx_hash:
            return block, index
        return None

    def transaction_by_hash(self, tx_hash: bytes) -> dict | None:
        with self.lock:
            found = self._find_mined(tx_hash)
            if found is not None:
                block, index = found
                inclusion = Inclusion(block.hash, block.number, index, block.header.base_fee_per_gas)
                return transaction_json(block.transactions[index], inclusion)
            pooled = self._pool.get(tx_hash)
            if pooled is not None:
                return transaction_json(pooled.transaction, None)
            return None

    def transaction_receipt(self, tx_hash: bytes) -> dict | None:
        with self.lock:
            found = self._find_mined(tx_hash)
            if found is None:
                return None
            block, index = found
            return receipt_json(block, self._receipts_of(block), self._logs_of(block), index)

    # -- logs -----------------------------------------------------------------------

    def logs(self, log_filter: params.LogFilter) -> list:
        with self.lock:
            if log_filter.block_hash is not None:
                header = self._header_by_hash(log_filter.block_hash)
                # Blocks rewound by evm_revert are gone, as on anvil.
                if header is None or not self._is_canonical(header):
                    raise server_error(f"unknown block {hex_hash(log_filter.block_hash)}")
                headers = [header]
            else:
                head = self._head().block_number
                first = self._number_for(log_filter.from_block)
                last = self._number_for(log_filter.to_block)
                if first is None:
                    return []
                last = head if last is None else last
                headers = (
                    self.chain.get_canonical_block_header_by_number(n)
                    for n in range(first, last + 1)
                )
            addresses = (
                None
                if log_filter.addresses is None
                else {hex_address(a) for a in log_filter.addresses}
            )
            topics = [
                None if choice is None else {hex_hash(t) for t in choice}
                for choice in log_filter.topics
            ]
            matches = []
            for header in headers:
                if not _bloom_may_match(header.bloom, log_filter):
                    continue
                for log in self._logs_of(self._block(header.hash)):
                    if addresses is not None and log["address"] not in addresses:
                        continue
                    # Like geth: a filter with more positions than the log has topics fails.
                    if len(topics) > len(log["topics"]):
                        continue
                    if all(
                        choice is None or log["topics"][position] in choice
                        for position, choice in enumerate(topics)
                    ):
                        matches.append(log)
            return matches

    # -- mining and time ------------------------------------------------------------

    def _peek_next_timestamp(self, parent) -> int:
        if self._next_timestamp is not None:
            return max(self._next_timestamp, parent.timestamp + 1)
        return max(int(time.time()) + self._time_offset, parent.timestamp + 1)

    def _take_next_timestamp(self, parent, explicit: int | None) -> int:
        if explicit is not None:
            if explicit <= parent.timestamp:
                raise server_error(
                    f"timestamp {explicit} is not greater than the latest block's "
                    f"timestamp {parent.timestamp}"
                )
            timestamp = explicit
        elif self._next_timestamp is not None:
            timestamp = max(self._next_timestamp, parent.timestamp + 1)
        else:
            return max(int(time.time()) + self._time_offset, parent.timestamp + 1)
        # Later blocks continue from the chosen time, as on anvil.
        self._next_timestamp = None
        self._time_offset = timestamp - int(time.time())
        return timestamp

    def _state_nonce(self, sender: bytes) -> int:
        return self._state_at(self._head()).get_nonce(sender)

    def _mine_block(self, timestamp: int | None):
        head = self._head()
        chain = self.chain
        block_time = self._take_next_timestamp(head, timestamp)
        if chain.header.parent_hash == head.hash:
            # Only the timestamp changes; building a Prague header from scratch costs ~3 ms.
            chain.header = chain.header.copy(timestamp=block_time)
        else:
            chain.header = chain.create_header_from_parent(head, timestamp=block_time)
        self._pool.drop_stale(self._state_nonce)
        base_fee = chain.header.base_fee_per_gas
        gas_limit = chain.header.gas_limit
        ready = [entry for entry in self._pool.ready(self._state_nonce) if entry.fee_cap >= base_fee]
        if ready and sum(entry.transaction.gas for entry in ready) <= gas_limit:
            block = self._mine_all(ready)
            if block is not None:
                return block
        blocked_senders = set()
        for entry in ready:
            if entry.sender in blocked_senders:
                continue
            if chain.header.gas_used + entry.transaction.gas > gas_limit:
                blocked_senders.add(entry.sender)  # waits for a later block
                continue
            try:
                chain.apply_transaction(entry.transaction)
            except EthUtilsValidationError as error:
                blocked_senders.add(entry.sender)
                self._pool.remove(entry)
                self._remember_drop(entry.hash, f"transaction rejected: {error}")
                continue
            self._pool.remove(entry)
        block = chain.mine_block(mix_hash=os.urandom(32))
        self._blocks.get_or_compute(block.hash, lambda: block)
        return block

    def _mine_all(self, entries):
        """Mines `entries` in one go (the fast path); None when one of them is invalid."""
        try:
            result, _, _ = self.chain.mine_all(
                [entry.transaction for entry in entries], mix_hash=os.urandom(32)
            )
        except EthUtilsValidationError:
            return None  # the caller retries one transaction at a time and drops the bad one
        for entry in entries:
            self._pool.remove(entry)
        block = result.imported_block
        self._blocks.get_or_compute(block.hash, lambda: block)
        return block

    def _remember_drop(self, tx_hash: bytes, reason: str) -> None:
        self._dropped[tx_hash] = reason
        while len(self._dropped) > REMEMBERED_DROPS:
            del self._dropped[next(iter(self._dropped))]

    def mine(self, timestamp: int | None = None, blocks: int = 1) -> None:
        with self.lock:
            for _ in range(blocks):
                self._mine_block(timestamp)
                timestamp = None

    def increase_time(self, seconds: int) -> int:
        with self.lock:
            self._time_offset += seconds
            return self._time_offset

    def set_next_block_timestamp(self, timestamp: int) -> None:
        with self.lock:
            latest = self._head().timestamp
            if timestamp <= latest:
                raise server_error(
                    f"timestamp {timestamp} is not greater than the latest block's timestamp {latest}"
                )
            self._next_timestamp = timestamp

    def set_automine(self, enabled: bool) -> None:
        with self.lock:
            if enabled:
                self._stop_interval()
                self._automine = True
                if len(self._pool):
                    self._mine_block(None)
            else:
                self._automine = False

    def set_interval_mining(self, seconds: float) -> None:
        with self.lock:
            self._stop_interval()
            self._automine = False
            if seconds > 0:
                self._start_interval(seconds)

    def mining_mode(self) -> str:
        with self.lock:
            if self._automine:
                return "auto"
            return "interval" if self._miner is not None else "manual"

    def _start_interval(self, seconds: float) -> None:
        self._automine = False
        self._miner = IntervalMiner(seconds, self._mine_on_interval)
        self._miner.start()

    def _stop_interval(self) -> None:
        if self._miner is not None:
            self._miner.stop()
            self._miner = None

    def _mine_on_interval(self, miner: IntervalMiner) -> None:
        with self.lock:
            # A miner replaced while it waited for the lock must not mine any more.
            if miner is self._miner:
                self._mine_block(None)

    def shutdown(self) -> None:
        with self.lock:
            self._stop_interval()

    # -- snapshots ------------------------------------------------------------------

    def snapshot(self) -> int:
        with self.lock:
            snapshot_id = self._next_snapshot_id
            self._next_snapshot_id += 1
            self._snapshots[snapshot_id] = Snapshot(
                self._head().hash, self._pool.copy(), self._time_offset, self._next_timestamp
            )
            return snapshot_id

    def revert(self, snapshot_id: int) -> bool:
        """Rewinds to the snapshot and forgets it and every later one; False if unknown."""
        with self.lock:
            snapshot = self._snapshots.get(snapshot_id)
            if snapshot is None:
                return False
            for later in [i for i in self._snapshots if i >= snapshot_id]:
                del self._snapshots[later]
            chaindb = self.chain.chaindb
            header = chaindb.get_block_header_by_hash(snapshot.head_hash)
            # eth-tester's revert_to_snapshot does the same re-pointing of the head; we skip its
            # re-import of the head block, which re-executes it for nothing.
            chaindb._set_as_canonical_chain_head(chaindb.db, header, GENESIS_PARENT_HASH)
            self.chain.header = self.chain.create_header_from_parent(header)
            self._head_state = (None, None)
            self._pool = snapshot.pool
            self._time_offset = snapshot.time_offset
            self._next_timestamp = snapshot.next_timestamp
            return True


def _bloom_may_match(bloom_value: int, log_filter: params.LogFilter) -> bool:
    if bloom_value == 0:
        return False
    bloom = BloomFilter(bloom_value)
    if log_filter.addresses is not None and not any(a in bloom for a in log_filter.addresses):
        return False
    for choice in log_filter.topics:
        if choice is not None and not any(topic in bloom for topic in choice):
            return False
    return True
