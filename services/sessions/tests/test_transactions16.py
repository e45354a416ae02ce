"""1.6 transactions' decisions: a start's session, its key, a stop, a stop
the CSMS never started, a connector's status as a charging state."""

from __future__ import annotations

from typing import Any

import msgspec

from chargebus.common.events import SessionEnded, SessionStarted
from chargebus.common.ocpp.versions import OcppVersion, actions_for
from chargebus.sessions.model import Connector
from chargebus.sessions.transactions16 import (
    apply_stop,
    apply_v16_charging_state,
    covers,
    new_v16_session,
    reconciliation_session,
    start_key,
)

START = {
    "connectorId": 1,
    "idTag": "TAG-1",
    "meterStart": 1000,
    "timestamp": "2026-11-01T12:00:00Z",
}
T_START = 1793534400.0  # 2026-11-01T12:00:00Z


def request(action: str, payload: dict[str, Any]) -> Any:
    table = actions_for(OcppVersion.V16)
    return msgspec.json.decode(msgspec.json.encode(payload), type=table[action].request)


def started(token_status: str = "Accepted", connectors: list[Connector] | None = None) -> Any:
    return new_v16_session(
        request("StartTransaction", START),
        session_id="S-1",
        charger_id="CP-1",
        protocol="v16",
        transaction_id="7",
        token_status=token_status,
        connectors=connectors or [],
        at=T_START + 1,
    )


def test_the_same_start_has_the_same_key_whatever_the_tag_case() -> None:
    again = request("StartTransaction", {**START, "idTag": "tag-1"})
    assert start_key("CP-1", request("StartTransaction", START)) == start_key("CP-1", again)
    later = request("StartTransaction", {**START, "meterStart": 1001})
    assert start_key("CP-1", later) != start_key("CP-1", again)


def test_a_start_makes_a_session_and_its_event() -> None:
    session, [event] = started()
    assert session.tx_key == "CP-1|v16|7" and session.evse_id == 1
    assert session.meter_start_wh == 1000 and session.meter_start_source == "start"
    assert session.started_at == T_START and session.notes == []
    assert isinstance(event, SessionStarted) and event.meter_start_wh == 1000


def test_a_start_with_a_refused_tag_is_flagged() -> None:
    session, _ = started("Blocked")
    assert session.notes == ["started with an idTag the CSMS answered Blocked"]


def test_a_charging_status_stored_before_its_start_counts() -> None:
    def status(evse: int, value: str, at: float) -> Connector:
        return Connector(evse_id=evse, connector_id=1, status=value, status_at=at, received_at=at)

    session, _ = started(
        connectors=[
            status(1, "Charging", T_START + 5),
            status(1, "Preparing", T_START + 6),  # not a charging state
            status(2, "Charging", T_START + 5),  # another connector
        ]
    )
    assert session.charging_states == [(T_START + 5, "Charging")]


def test_a_stop_ends_the_session_once() -> None:
    session, _ = started()
    stop = request(
        "StopTransaction",
        {"transactionId": 7, "meterStop": 1500, "timestamp": "2026-11-01T12:30:00Z"},
    )
    ended, [event] = apply_stop(session, stop, [], T_START + 1801, 60.0)
    assert ended is not None and ended.status == "ended" and ended.stop_reason == "Local"
    assert ended.energy_wh == 500 and ended.meter_stop_wh == 1500
    assert isinstance(event, SessionEnded) and event.energy_wh == 500
    assert apply_stop(ended, stop, [], T_START + 1802, 60.0) == (None, [])


def test_an_unknown_stop_is_kept_for_reconciliation() -> None:
    stop = request(
        "StopTransaction",
        {"transactionId": -1, "meterStop": 1500, "timestamp": "2026-11-01T12:30:00Z"},
    )
    first = reconciliation_session(
        stop, charger_id="CP-1", protocol="v16", transaction_id="-1", at=1
    )
    again = reconciliation_session(
        stop, charger_id="CP-1", protocol="v16", transaction_id="-1", at=2
    )
    assert first.status == "reconciliation" and first.tx_key == again.tx_key
    assert first.id == again.id
    assert first.notes == ["StopTransaction with transactionId -1: the charger never got an id"]


def test_a_status_is_the_charging_state_of_the_session_it_falls_in() -> None:
    session, _ = started()
    assert covers(session, 1, T_START + 10)
    assert not covers(session, 2, T_START + 10)
    assert not covers(session, 1, T_START - 10)
    session.ended_at = T_START + 20
    assert not covers(session, 1, T_START + 30)
    updated, events = apply_v16_charging_state(session, "Charging", T_START + 10, T_START, 0.0)
    assert updated is not None and updated.charging_states == [(T_START + 10, "Charging")]
    assert apply_v16_charging_state(session, "Charging", T_START + 10, T_START, 0.0) == (None, [])
