"""The domain events a session's changes call for: ``session.started`` when
it is created, ``session.updated`` now and then while active,
``session.ended`` when it ends (and again, as a new revision, when an ended
session changes after all).

Pure: each function takes the session (and the time of the change) and
returns the events; the bookkeeping that decides "again or not" (the ended
revision and digest, the last update's time) is kept in the session itself,
so it is written in the same compare-and-set as the change.
"""

from __future__ import annotations

from typing import Any

import msgspec

from chargebus.common.events import DomainEvent, SessionEnded, SessionStarted, SessionUpdated
from chargebus.sessions.model import Session
from chargebus.sessions.values import content_hash, subprotocol

__all__ = ["ended_event", "events_for_change", "started_event"]


def _session_fields(session: Session) -> dict[str, Any]:
    """What every session event carries."""
    return {
        "charger_id": session.charger_id,
        "session_id": session.id,
        "transaction_id": session.transaction_id,
        "evse_id": session.evse_id or 0,
        "connector_id": session.connector_id or 0,
        "id_token": session.id_token,
        "remote_start_id": session.remote_start_id,
        "id_token_type": session.id_token_type,
        "protocol": subprotocol(session.protocol),
        "idle_since": session.idle_since,
    }


def started_event(session: Session) -> SessionStarted:
    started_at = session.started_at or session.created_at
    return SessionStarted(
        **_session_fields(session),
        event_id=f"{session.id}:started",
        occurred_at=started_at,
        started_at=started_at,
        meter_start_wh=session.meter_start_wh,
        id_token_status=session.id_token_status,
    )


def ended_event(session: Session, revision: int) -> SessionEnded:
    ended_at = session.ended_at or session.updated_at
    return SessionEnded(
        **_session_fields(session),
        event_id=f"{session.id}:ended" if revision == 1 else f"{session.id}:ended:{revision}",
        revision=revision,
        meter_profile=session.meter_profile,
        occurred_at=ended_at,
        started_at=session.started_at,
        ended_at=ended_at,
        energy_wh=session.energy_wh,
        meter_start_wh=session.meter_start_wh,
        meter_stop_wh=session.meter_stop_wh,
        stop_reason=session.stop_reason,
        status=session.status,
    )


def events_for_change(session: Session, at: float, update_interval: float) -> list[DomainEvent]:
    """The events a change to a session (received at ``at``) calls for:
    session.ended when it ended (again, as a new revision, when an ended
    session changed after all), else session.updated at most once per
    ``update_interval``."""
    if not session.ended_seen:
        return _maybe_updated(session, at, update_interval)
    event = ended_event(session, session.ended_revision + 1)
    facts = msgspec.to_builtins(event)
    facts.pop("event_id")
    facts.pop("revision", None)
    digest = content_hash(msgspec.json.encode(facts, order="sorted"))
    if digest == session.ended_digest:
        return []
    session.ended_revision += 1
    session.ended_digest = digest
    return [event]


def _maybe_updated(session: Session, at: float, update_interval: float) -> list[DomainEvent]:
    if session.status != "active":
        return []
    last = session.updated_event_at
    if last is not None and at - last < update_interval:
        return []
    session.updated_event_at = at
    return [
        SessionUpdated(
            **_session_fields(session),
            event_id=f"{session.id}:updated:{at:.6f}",
            occurred_at=at,
            started_at=session.started_at,
            energy_wh=session.energy_wh,
            meter_wh=session.meter_last_wh,
            meter_at=session.meter_last_at,
            power_w=session.power_w,
        )
    ]
