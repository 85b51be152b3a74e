"""A small LRU map for immutable per-block data (blocks, receipts, logs by block hash)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._items: OrderedDict[K, V] = OrderedDict()

    def get_or_compute(self, key: K, compute: Callable[[], V]) -> V:
        try:
            value = self._items[key]
        except KeyError:
            value = compute()
            self._items[key] = value
            if len(self._items) > self._capacity:
                self._items.popitem(last=False)
            return value
        self._items.move_to_end(key)
        return value
