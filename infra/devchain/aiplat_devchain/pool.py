"""Transactions accepted but not yet mined, by sender and nonce (a minimal mempool)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Callable, Iterator


@dataclass(frozen=True)
class PooledTransaction:
    transaction: object  # py-evm signed transaction
    sender: bytes
    nonce: int
    fee_cap: int
    arrival: int

    @property
    def hash(self) -> bytes:
        return self.transaction.hash


@dataclass
class TransactionPool:
    _by_sender: dict[bytes, dict[int, PooledTransaction]] = field(default_factory=dict)
    _by_hash: dict[bytes, PooledTransaction] = field(default_factory=dict)
    _arrivals: Iterator[int] = field(default_factory=itertools.count)

    def __len__(self) -> int:
        return len(self._by_hash)

    def get(self, tx_hash: bytes) -> PooledTransaction | None:
        return self._by_hash.get(tx_hash)

    def at(self, sender: bytes, nonce: int) -> PooledTransaction | None:
        return self._by_sender.get(sender, {}).get(nonce)

    def add(self, transaction, sender: bytes, fee_cap: int) -> PooledTransaction:
        """Adds or replaces the sender's transaction with this nonce (the caller checked fees)."""
        entry = PooledTransaction(transaction, sender, transaction.nonce, fee_cap, next(self._arrivals))
        previous = self.at(sender, entry.nonce)
        if previous is not None:
            del self._by_hash[previous.hash]
        self._by_sender.setdefault(sender, {})[entry.nonce] = entry
        self._by_hash[entry.hash] = entry
        return entry

    def remove(self, entry: PooledTransaction) -> None:
        if self._by_hash.pop(entry.hash, None) is None:
            return
        per_sender = self._by_sender[entry.sender]
        del per_sender[entry.nonce]
        if not per_sender:
            del self._by_sender[entry.sender]

    def pending_nonce(self, sender: bytes, state_nonce: int) -> int:
        """The next nonce after the sender's gap-free run of pooled transactions."""
        per_sender = self._by_sender.get(sender, {})
        nonce = state_nonce
        while nonce in per_sender:
            nonce += 1
        return nonce

    def drop_stale(self, state_nonce: Callable[[bytes], int]) -> None:
        """Forgets transactions whose nonce the chain has already used."""
        for sender in list(self._by_sender):
            current = state_nonce(sender)
            for nonce in [n for n in self._by_sender[sender] if n < current]:
                self.remove(self._by_sender[sender][nonce])

    def ready(self, state_nonce: Callable[[bytes], int]) -> list[PooledTransaction]:
        """Executable transactions in arrival order, each sender's in nonce order."""
        queues = []
        for sender, per_sender in self._by_sender.items():
            nonce = state_nonce(sender)
            run = []
            while nonce in per_sender:
                run.append(per_sender[nonce])
                nonce += 1
            if run:
                queues.append(run)
        ordered = []
        heads = [0] * len(queues)
        while True:
            candidates = [
                (queue[heads[i]].arrival, i) for i, queue in enumerate(queues) if heads[i] < len(queue)
            ]
            if not candidates:
                return ordered
            _, chosen = min(candidates)
            ordered.append(queues[chosen][heads[chosen]])
            heads[chosen] += 1

    def copy(self) -> "TransactionPool":
        clone = TransactionPool()
        clone._by_sender = {sender: dict(txs) for sender, txs in self._by_sender.items()}
        clone._by_hash = dict(self._by_hash)
        clone._arrivals = self._arrivals
        return clone

    def entries(self) -> list[PooledTransaction]:
        return sorted(self._by_hash.values(), key=lambda entry: entry.arrival)
