"""Outcomes of batched commands, gathered into :class:`OutcomeBatch` messages.

A fan-out sends one :class:`~chargebus.common.envelope.CommandBatch` to a
gateway for thousands of chargers; a message back per charger would cost
the gateway (and the sender) more than the commands themselves.  So the
outcomes of a batch's commands are gathered per destination (``reply_to``,
``correlation_id``) and published together:

* once ``limit`` (500) have gathered, at once;
* else ``delay`` (20 ms) after the first outcome not yet flushed.

One flush task at a time per destination publishes what is due, at most
``limit`` outcomes a message; a destination with nothing left is dropped.
:meth:`OutcomeGatherer.close` flushes everything (a gateway stopping).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from chargebus.common import envelope
from chargebus.common.bus import Bus, BusError, reply
from chargebus.common.envelope import CommandOutcome, OutcomeBatch

__all__ = ["OutcomeGatherer"]

log = logging.getLogger(__name__)

#: Most outcomes in one OutcomeBatch message, and the count that flushes.
FLUSH_COUNT = 500
#: How long the first outcome not yet flushed may wait for others (s).
FLUSH_DELAY = 0.02

_Key = tuple[str, str | None]


class _Gathering:
    __slots__ = ("due", "outcomes", "task", "timer")

    def __init__(self) -> None:
        #: Gathered, not yet due: the timer runs for the first of them.
        self.outcomes: list[CommandOutcome] = []
        #: Due: the flush task publishes them.
        self.due: list[CommandOutcome] = []
        self.timer: asyncio.TimerHandle | None = None
        self.task: asyncio.Task[None] | None = None


class OutcomeGatherer:
    def __init__(
        self,
        bus: Bus,
        *,
        limit: int = FLUSH_COUNT,
        delay: float = FLUSH_DELAY,
        published: Callable[[int], None] | None = None,
    ) -> None:
        self.bus = bus
        self.limit = limit
        self.delay = delay
        #: Told how many outcomes each published message carried.
        self._published = published
        self._gatherings: dict[_Key, _Gathering] = {}
        self._closing = False

    def __len__(self) -> int:
        """Destinations with outcomes gathered or being published."""
        return len(self._gatherings)

    def add(
        self, reply_to: str | None, correlation_id: str | None, outcome: CommandOutcome
    ) -> None:
        """Gather an outcome for ``reply_to`` (none: nobody asked; dropped,
        as a single command's outcome is)."""
        if not reply_to:
            return
        key = (reply_to, correlation_id)
        gathering = self._gatherings.get(key)
        if gathering is None:
            gathering = self._gatherings[key] = _Gathering()
        gathering.outcomes.append(outcome)
        if self._closing or len(gathering.outcomes) >= self.limit:
            self._make_due(key, gathering)
        elif gathering.timer is None:
            gathering.timer = asyncio.get_running_loop().call_later(
                self.delay, self._make_due, key, gathering
            )

    async def send_now(
        self, reply_to: str | None, correlation_id: str | None, outcomes: list[CommandOutcome]
    ) -> None:
        """Publish one OutcomeBatch at once, not gathered (a batch that
        can't be read)."""
        if reply_to:
            await self._publish((reply_to, correlation_id), outcomes)

    async def close(self) -> None:
        """Flush everything gathered and wait for it to be published; what
        is added from now on is published at once."""
        self._closing = True
        for key, gathering in list(self._gatherings.items()):
            if gathering.outcomes:
                self._make_due(key, gathering)
        tasks = [g.task for g in self._gatherings.values() if g.task is not None]
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    def _make_due(self, key: _Key, gathering: _Gathering) -> None:
        if gathering.timer is not None:
            gathering.timer.cancel()
            gathering.timer = None
        gathering.due.extend(gathering.outcomes)
        gathering.outcomes = []
        if gathering.task is None and gathering.due:
            gathering.task = asyncio.get_running_loop().create_task(self._flush(key, gathering))

    async def _flush(self, key: _Key, gathering: _Gathering) -> None:
        try:
            while gathering.due:
                chunk = gathering.due[: self.limit]
                del gathering.due[: self.limit]
                await self._publish(key, chunk)
        finally:
            gathering.task = None
            if gathering.due:  # only when cancelled midway (the loop is going)
                log.warning(
                    "%d outcomes of batch %s lost: not published",
                    len(gathering.due),
                    key[1] or "?",
                )
                gathering.due = []
            if not gathering.outcomes and self._gatherings.get(key) is gathering:
                del self._gatherings[key]

    async def _publish(self, key: _Key, outcomes: list[CommandOutcome]) -> None:
        reply_to, correlation_id = key
        try:
            await reply(
                self.bus,
                reply_to,
                envelope.encode(OutcomeBatch(outcomes=outcomes)),
                correlation_id=correlation_id,
                headers={"kind": "outcomes"},
            )
        except BusError as exc:
            log.warning(
                "%d outcomes of batch %s lost: %r", len(outcomes), correlation_id or "?", exc
            )
            return
        except Exception:  # pragma: no cover - keep flushing whatever happens
            log.exception("%d outcomes of batch %s lost", len(outcomes), correlation_id or "?")
            return
        if self._published is not None:
            self._published(len(outcomes))
