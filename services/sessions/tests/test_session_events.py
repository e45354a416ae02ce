"""Which events a session's change calls for."""

from __future__ import annotations

from typing import Any

from chargebus.common.events import SessionEnded, SessionStarted, SessionUpdated
from chargebus.sessions.model import Session
from chargebus.sessions.session_events import events_for_change, started_event


def session(**fields: Any) -> Session:
    """A 2.x session as a first TransactionEvent leaves it, changed by ``fields``."""
    base: dict[str, Any] = {
        "id": "S-1",
        "charger_id": "CP-1",
        "protocol": "v201",
        "transaction_id": "TX-1",
        "tx_key": "CP-1|TX-1",
        "start_key": "CP-1|TX-1",
        "created_at": 1000.0,
        "updated_at": 1000.0,
    }
    return Session(**{**base, **fields})


def test_started_carries_the_subprotocol_name() -> None:
    event = started_event(session(started_at=990.0, protocol="v16"))
    assert isinstance(event, SessionStarted)
    assert event.protocol == "ocpp1.6" and event.started_at == 990.0
    assert event.event_id == "S-1:started"


def test_updated_at_most_once_per_interval() -> None:
    s = session()
    assert [type(e) for e in events_for_change(s, 1000.0, 60.0)] == [SessionUpdated]
    assert events_for_change(s, 1030.0, 60.0) == []
    assert len(events_for_change(s, 1060.0, 60.0)) == 1


def test_ended_again_only_when_what_it_says_changed() -> None:
    s = session(ended_seen=True, status="ended", ended_at=2000.0, energy_wh=10.0)
    [first] = events_for_change(s, 2001.0, 60.0)
    assert isinstance(first, SessionEnded) and first.event_id == "S-1:ended"
    assert events_for_change(s, 2002.0, 60.0) == []  # nothing new
    s.energy_wh = 12.0  # a late reading
    [second] = events_for_change(s, 2003.0, 60.0)
    assert isinstance(second, SessionEnded)
    assert second.revision == 2 and second.event_id == "S-1:ended:2"
