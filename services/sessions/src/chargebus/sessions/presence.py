"""When each charger was last seen, on which protocol, and how far its clock
is from ours: kept in memory and written in batches (a heartbeat costs no
database write).

Rules: a message older than the one noted changes nothing (messages are
worked on out of order); a charger whose presence changed is marked dirty
until a flush writes it; a flush that fails keeps them dirty.
"""

from __future__ import annotations

import logging

from chargebus.common.envelope import OcppMessage
from chargebus.common.store import StoreUnavailable
from chargebus.sessions.model import Presence
from chargebus.sessions.repositories import Presences

__all__ = ["PresenceBook"]

log = logging.getLogger(__name__)


class PresenceBook:
    def __init__(self, presences: Presences, clock_skew_tolerance: float) -> None:
        self.presences = presences
        self.clock_skew_tolerance = clock_skew_tolerance
        self.by_charger: dict[str, Presence] = {}
        self._dirty: set[str] = set()

    def get(self, charger_id: str) -> Presence | None:
        return self.by_charger.get(charger_id)

    def seen(self, message: OcppMessage, skew: float | None = None) -> None:
        current = self.by_charger.get(message.charger_id)
        if current is None or current.last_seen <= message.received_at:
            self.by_charger[message.charger_id] = Presence(
                id=message.charger_id,
                last_seen=message.received_at,
                protocol=message.version,
                clock_skew_s=skew
                if skew is not None
                else (current.clock_skew_s if current else None),
            )
            self._dirty.add(message.charger_id)

    def clock_read(self, message: OcppMessage, charger_time: float) -> None:
        """Note how far the charger's clock is from ours (live messages only)."""
        skew = round(charger_time - message.received_at, 3)
        previous = self.by_charger.get(message.charger_id)
        tolerance = self.clock_skew_tolerance
        if abs(skew) > tolerance and (
            previous is None
            or previous.clock_skew_s is None
            or abs(previous.clock_skew_s) <= tolerance
        ):
            log.warning("charger %s clock is off by %.1f s", message.charger_id, skew)
        self.seen(message, skew)

    async def flush(self) -> None:
        dirty, self._dirty = self._dirty, set()
        try:
            await self.presences.put_newer(
                [self.by_charger[c] for c in dirty if c in self.by_charger]
            )
        except StoreUnavailable:
            self._dirty |= dirty
            raise
