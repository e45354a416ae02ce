"""Last seen in memory: the newest message wins, clock skew is kept, a
failed flush keeps what it couldn't write."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from chargebus.common.envelope import OcppMessage
from chargebus.common.store import StoreUnavailable
from chargebus.sessions.model import Presence
from chargebus.sessions.presence import PresenceBook


class Presences:
    """Stands in for the repository: keeps what is written, or fails."""

    def __init__(self) -> None:
        self.written: list[Presence] = []
        self.down = False

    async def put_newer(self, presences: list[Presence]) -> None:
        if self.down:
            raise StoreUnavailable("down")
        self.written += presences


def message(received_at: float, charger_id: str = "CP-1") -> OcppMessage:
    return OcppMessage(
        charger_id=charger_id,
        version="v16",
        action="Heartbeat",
        message_id="m",
        payload=msgspec.Raw(b"{}"),
        received_at=received_at,
        gateway="gw",
    )


def book() -> tuple[PresenceBook, Presences]:
    presences = Presences()
    return PresenceBook(presences, clock_skew_tolerance=60.0), presences  # type: ignore[arg-type]


def test_the_newest_message_wins_and_keeps_the_skew() -> None:
    presence, _ = book()
    presence.clock_read(message(100.0), 190.0)
    presence.seen(message(50.0))  # older: ignored
    presence.seen(message(120.0))
    seen = presence.get("CP-1")
    assert seen is not None and seen.last_seen == 120.0 and seen.clock_skew_s == 90.0


async def test_a_failed_flush_writes_them_next_time() -> None:
    presence, presences = book()
    presence.seen(message(1.0))
    presences.down = True
    with pytest.raises(StoreUnavailable):
        await presence.flush()
    presences.down = False
    await presence.flush()
    await presence.flush()  # nothing dirty: nothing written again
    assert [p.id for p in presences.written] == ["CP-1"]


def test_a_charger_off_by_more_than_the_tolerance_is_logged_once(caplog: Any) -> None:
    presence, _ = book()
    presence.clock_read(message(100.0), 200.0)
    presence.clock_read(message(101.0), 202.0)
    assert caplog.text.count("clock is off") == 1
