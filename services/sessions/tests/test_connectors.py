"""A connector's newest status wins, whatever order they arrive in."""

from __future__ import annotations

import itertools

from chargebus.sessions.connectors import apply_connector_status
from chargebus.sessions.model import Charger, Connector


def charger() -> Charger:
    return Charger(id="CP-1", registration="Accepted", created_at=0.0, updated_at=0.0)


def status(value: str, at: float, received_at: float | None = None) -> Connector:
    return Connector(
        evse_id=1,
        connector_id=1,
        status=value,
        status_at=at,
        received_at=received_at if received_at is not None else at,
    )


def test_the_newest_status_wins_in_any_order() -> None:
    reports = [status("Available", 1), status("Preparing", 2), status("Charging", 3)]
    for order in itertools.permutations(reports):
        current = charger()
        for report in order:
            updated, _ = apply_connector_status(current, report)
            current = updated or current
        assert [c.status for c in current.connectors] == ["Charging"]


def test_a_change_of_status_is_an_event() -> None:
    current, [event] = apply_connector_status(charger(), status("Available", 1))
    assert current is not None
    assert event.status == "Available" and event.previous_status is None
    current, events = apply_connector_status(current, status("Available", 2))
    assert current is not None and events == []  # newer, the same status
    current, [event] = apply_connector_status(current, status("Faulted", 3))
    assert event.previous_status == "Available"


def test_an_older_or_redelivered_status_changes_nothing() -> None:
    current, _ = apply_connector_status(charger(), status("Charging", 5))
    assert current is not None
    assert apply_connector_status(current, status("Charging", 5)) == (None, [])
    assert apply_connector_status(current, status("Available", 4)) == (None, [])


def test_connectors_are_kept_in_order() -> None:
    current = charger()
    for evse in (2, 0, 1):
        report = Connector(
            evse_id=evse,
            connector_id=1 if evse else 0,
            status="Available",
            status_at=1,
            received_at=1,
        )
        current = apply_connector_status(current, report)[0] or current
    assert [c.evse_id for c in current.connectors] == [0, 1, 2]
