"""How long to wait before trying again: one object per piece of work.

A delivery that waits for the store, a reconnect, a push to a party: each
keeps its own ``Backoff``, so one piece of work succeeding never shortens
another's wait (they used to share one counter per service).  The waits
double from ``first`` up to ``cap``; ``reset`` starts again from ``first``.
"""

from __future__ import annotations

import asyncio

__all__ = ["Backoff"]


class Backoff:
    __slots__ = ("_next", "cap", "first")

    def __init__(self, first: float = 0.1, cap: float = 5.0) -> None:
        if first <= 0 or cap < first:
            raise ValueError("Backoff needs 0 < first <= cap")
        self.first = first
        self.cap = cap
        self._next = first

    def next_delay(self) -> float:
        """The wait to make now; the one after it is twice as long (capped)."""
        delay = self._next
        self._next = min(self._next * 2, self.cap)
        return delay

    async def wait(self) -> None:
        await asyncio.sleep(self.next_delay())

    def reset(self) -> None:
        self._next = self.first
