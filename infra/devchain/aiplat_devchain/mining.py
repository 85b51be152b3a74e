"""Interval mining: a timer thread that mines a block every N seconds (anvil's --block-time)."""

from __future__ import annotations

import sys
import threading
import time
from typing import Callable


class IntervalMiner:
    """Calls `mine(self)` on a fixed schedule until stopped.

    `stop` never joins: the caller may hold the chain lock the thread is waiting for, so
    the callback checks that its miner is still the active one before it mines.
    """

    def __init__(self, interval: float, mine: Callable[["IntervalMiner"], None]) -> None:
        if interval <= 0:
            raise ValueError(f"block time must be positive, got {interval}")
        self.interval = interval
        self._mine = mine
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="interval-miner", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()

    def _run(self) -> None:
        deadline = time.monotonic() + self.interval
        while not self._stopped.wait(max(0.0, deadline - time.monotonic())):
            try:
                self._mine(self)
            except Exception as error:  # keep mining; one bad block must not stop the chain
                print(f"devchain: interval mining failed: {error}", file=sys.stderr, flush=True)
            deadline += self.interval
            # After a long stall (a suspended machine) restart the schedule instead of bursting.
            now = time.monotonic()
            if deadline < now:
                deadline = now + self.interval
