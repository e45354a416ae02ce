"""A 2.x TransactionEvent's merge: any order of a transaction's events
gives the same session, and one merged again changes nothing."""

from __future__ import annotations

import itertools
from typing import Any

import msgspec

from chargebus.common.events import SessionEnded, SessionStarted
from chargebus.common.ocpp.versions import OcppVersion, actions_for
from chargebus.sessions.meter import samples_from
from chargebus.sessions.model import Session
from chargebus.sessions.transactions2x import merge_event


def event(kind: str, seq: int, second: int, wh: float, **info: Any) -> Any:
    payload = {
        "eventType": kind,
        "timestamp": f"2026-11-01T12:00:{second:02d}Z",
        "triggerReason": "MeterValuePeriodic",
        "seqNo": seq,
        "transactionInfo": {"transactionId": "TX-1", **info},
        "evse": {"id": 1, "connectorId": 1},
        "meterValue": [
            {
                "timestamp": f"2026-11-01T12:00:{second:02d}Z",
                "sampledValue": [{"value": wh, "measurand": "Energy.Active.Import.Register"}],
            }
        ],
    }
    table = actions_for(OcppVersion.V201)
    return msgspec.json.decode(msgspec.json.encode(payload), type=table["TransactionEvent"].request)


def merge(current: Session | None, request: Any, at: float = 5000.0) -> Any:
    samples = samples_from(
        "CP-1",
        request.meter_value,
        evse_id=1,
        connector_id=1,
        session_id="S-1",
        transaction_id="TX-1",
        is_2x=True,
    )
    return merge_event(
        current,
        request,
        session_id="S-1",
        charger_id="CP-1",
        protocol="v201",
        samples=samples,
        token_status=None,
        at=at,
        update_interval=60.0,
    )


EVENTS = [
    event("Started", 0, 0, 100, chargingState="Charging"),
    event("Updated", 1, 10, 200, chargingState="SuspendedEV"),
    event("Ended", 2, 20, 300, stoppedReason="EVDisconnected"),
]


def test_any_order_gives_the_same_session() -> None:
    results = set()
    for order in itertools.permutations(EVENTS):
        session: Session | None = None
        for request in order:
            session = merge(session, request)[0] or session
        assert session is not None
        results.add(
            (
                session.started_at,
                session.ended_at,
                session.energy_wh,
                session.stop_reason,
                session.status,
                session.charging_state,
                session.idle_since,
                tuple(session.seq_nos),
            )
        )
    assert len(results) == 1, results
    [(_, _, energy, reason, status, state, _, seq_nos)] = results
    # The charging state is the one of the highest seqNo that said one.
    expected = (200, "EVDisconnected", "ended", "SuspendedEV", (0, 1, 2))
    assert (energy, reason, status, state, seq_nos) == expected


def test_the_first_event_creates_the_session_and_an_event_merged_again_changes_nothing() -> None:
    session, events = merge(None, EVENTS[1])
    assert session is not None and session.tx_key == "CP-1|TX-1"
    assert isinstance(events[0], SessionStarted)
    assert merge(session, EVENTS[1]) == (None, [])


def test_ended_publishes_ended() -> None:
    session, _ = merge(None, EVENTS[0])
    session, events = merge(session, EVENTS[2])
    assert [type(e) for e in events] == [SessionEnded]
