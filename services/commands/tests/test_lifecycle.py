"""A command's life cycle is the table in chargebus.common.commands: every
status, every move it has and every move it hasn't, and :func:`move`, which
applies one to a document."""

from __future__ import annotations

import itertools
import typing

import pytest

from chargebus.commands.model import CommandDoc, move
from chargebus.common.commands import (
    FINAL,
    TRANSITIONS,
    CommandStatus,
    IllegalTransition,
    advance,
)

STATUSES: tuple[CommandStatus, ...] = typing.get_args(CommandStatus)

#: The life cycle as docs/commands.md tells it, written out once more.
LEGAL: set[tuple[str, str]] = {
    *(
        ("received", to)
        for to in ("waiting", "routed", "expired", "invalid", "charger_offline", "failed")
    ),
    *(
        ("waiting", to)
        for to in ("received", "routed", "expired", "invalid", "charger_offline", "failed")
    ),
    ("routed", "sent"),
    ("routed", "received"),
    ("routed", "failed"),
    *(
        ("sent", to)
        for to in (
            "accepted",
            "rejected",
            "failed",
            "timed_out",
            "charger_offline",
            "expired",
            "waiting",
            "received",
            "session_started",
            "installed",
            "install_failed",
        )
    ),
    *(
        ("accepted", to)
        for to in (
            "session_started",
            "start_timed_out",
            "timed_out",
            "installed",
            "install_failed",
            "failed",
        )
    ),
}


def test_every_status_has_a_row() -> None:
    assert set(TRANSITIONS) == set(STATUSES)
    assert all(set(following) <= set(STATUSES) for following in TRANSITIONS.values())


def test_the_final_statuses_are_those_with_nothing_after_them() -> None:
    assert {s for s in STATUSES if not TRANSITIONS[s]} == FINAL
    assert {
        "rejected",
        "failed",
        "timed_out",
        "charger_offline",
        "expired",
        "invalid",
        "session_started",
        "start_timed_out",
        "installed",
        "install_failed",
    } == FINAL


@pytest.mark.parametrize(("current", "to"), list(itertools.product(STATUSES, STATUSES)))
def test_each_move_is_legal_or_refused(current: CommandStatus, to: CommandStatus) -> None:
    if (current, to) in LEGAL:
        assert advance(current, to) == to
    else:
        with pytest.raises(IllegalTransition, match=f"from {current} to {to}"):
            advance(current, to)


def test_nothing_is_sent_twice_nothing_comes_back_to_life() -> None:
    # only routed leads to sent; nothing leads back to a final state's past
    assert [s for s in STATUSES if "sent" in TRANSITIONS[s]] == ["routed"]
    assert not any(TRANSITIONS[s] for s in FINAL)


def _doc(name: str = "reset", status: CommandStatus = "received") -> CommandDoc:
    return CommandDoc(
        id="c1",
        command_id="cmd-1",
        charger_id="CP-1",
        name=name,
        params={},
        status=status,
        created_at=1.0,
        updated_at=1.0,
    )


def test_move_records_the_state_its_history_and_its_event() -> None:
    doc = _doc()
    event_id = move(doc, "routed", 2.0)
    assert (doc.status, doc.final, doc.updated_at) == ("routed", False, 2.0)
    assert [(t.status, t.at) for t in doc.history] == [("routed", 2.0)]
    assert event_id == "cmd-1:1:routed" and doc.outbox
    move(doc, "sent", 3.0)
    move(doc, "rejected", 4.0, "Reset: Rejected")
    assert doc.final and doc.detail == "Reset: Rejected"
    with pytest.raises(IllegalTransition):
        move(doc, "accepted", 5.0)
    assert doc.status == "rejected" and len(doc.history) == 3


def test_accepted_is_final_unless_the_command_goes_on() -> None:
    reset, start = _doc("reset", "sent"), _doc("remote_start", "sent")
    move(reset, "accepted", 2.0)
    move(start, "accepted", 2.0)
    assert reset.final and not start.final
    with pytest.raises(IllegalTransition, match="final"):
        move(reset, "failed", 3.0)
    move(start, "session_started", 3.0)
    assert start.final


def test_an_illegal_move_changes_nothing() -> None:
    doc = _doc()
    with pytest.raises(IllegalTransition):
        move(doc, "sent", 2.0)
    assert (doc.status, doc.history, doc.events) == ("received", [], [])
