"""What a session event changes in a billed session: pure, clock given.

:func:`apply_event` takes a ``session.started``, ``session.updated`` or
``session.ended``, the session as billing knows it (None: not yet), the tariff
found for its start and the time, and returns the session changed and the
``billing.cost_updated`` to publish, or None when the event changes nothing.

Rules:

* After the session's end only a later ``session.ended`` revision says
  anything; a redelivered or older event changes nothing (:func:`too_late`).
* The tariff is the one in force when the session started; it is looked up
  again only when the start billing knows moves (:func:`tariff_wanted`).
* A ``session.ended`` revision makes a CDR due ``cdr_delay`` seconds later;
  before the end, a change moves the running cost on (chargebus.billing.costs).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import msgspec

from chargebus.billing.costs import cost_update
from chargebus.billing.model import BillingSession
from chargebus.billing.settings import BillingSettings
from chargebus.billing.tariffs import TariffChoice
from chargebus.common.events import CostUpdated, SessionEnded, SessionStarted, SessionUpdated

__all__ = [
    "Applied",
    "SessionEvent",
    "apply_event",
    "merge",
    "session_start",
    "tariff_wanted",
    "too_late",
]

SessionEvent = SessionStarted | SessionUpdated | SessionEnded

#: Readings kept for the running cost: enough for a long session's curve,
#: bounded so that a chatty charger can't grow the document without end.
_MAX_POINTS = 2000


class Applied(NamedTuple):
    session: BillingSession
    #: To publish (the running cost moved), or None.
    cost_updated: CostUpdated | None
    #: The session got its tariff now and there is none: priced at zero.
    untariffed: bool


def session_start(event: SessionEvent) -> float | None:
    """When the session started, as far as the event says (an end seen
    without its start: its end)."""
    if isinstance(event, SessionEnded):
        return event.started_at or event.ended_at
    return event.started_at


def too_late(session: BillingSession | None, event: SessionEvent) -> bool:
    """A duplicate, older than what billing has, or after the session's end."""
    if session is None or session.ended is None:
        return False
    return not isinstance(event, SessionEnded) or event.revision <= session.ended.revision


def tariff_wanted(session: BillingSession | None, event: SessionEvent) -> float | None:
    """The start to look the tariff up for, or None when billing has it."""
    started_at = session_start(event)
    known_for = session.tariff_for if session is not None else None
    return started_at if started_at is not None and started_at != known_for else None


def apply_event(
    session: BillingSession | None,
    event: SessionEvent,
    tariff: TariffChoice | None,
    now: float,
    settings: BillingSettings,
) -> Applied | None:
    """The event applied to the session (changed in place when given); None
    when nothing changes."""
    created = session is None
    if session is None:
        session = BillingSession(
            id=event.session_id,
            charger_id=event.charger_id,
            transaction_id=event.transaction_id,
            created_at=now,
            updated_at=now,
        )
    if too_late(session, event):
        return None
    changed = created
    untariffed = False
    started_at = session_start(event)
    if tariff is not None and started_at is not None and started_at != session.tariff_for:
        session.tariff, session.tariff_via = tariff
        session.tariff_for = started_at
        untariffed = session.tariff is None
        changed = True
    changed = merge(session, event) or changed
    cost_updated = None
    if isinstance(event, SessionEnded):
        # (too_late let through only a revision later than billing's)
        session.ended = event
        session.cdr_pending = True
        session.cdr_due_at = now + settings.cdr_delay
        changed = True
    elif session.ended is None and changed:
        cost_updated = cost_update(session, now, settings.cost_update_interval)
    if not changed:
        return None
    session.updated_at = now
    return Applied(session, cost_updated, untariffed)


def merge(session: BillingSession, event: SessionEvent) -> bool:
    """What the event says about the session; whether anything changed."""
    before: dict[str, Any] = msgspec.to_builtins(session)
    if event.protocol is not None:
        session.protocol = event.protocol
    session.evse_id = event.evse_id or session.evse_id
    session.connector_id = event.connector_id or session.connector_id
    session.id_token = event.id_token or session.id_token
    if event.remote_start_id is not None:
        session.remote_start_id = event.remote_start_id
    if isinstance(event, SessionStarted):
        session.started_at = event.started_at
        if event.meter_start_wh is not None:
            session.meter_start_wh = event.meter_start_wh
    elif isinstance(event, SessionUpdated):
        if session.started_at is None and event.started_at is not None:
            session.started_at = event.started_at
        if event.meter_at is not None and event.meter_wh is not None:
            point = (event.meter_at, event.meter_wh)
            if point not in session.points:
                session.points = sorted([*session.points, point])[-_MAX_POINTS:]
        # Updates may arrive out of order: the newest one says how it is now.
        if session.updated_seen is None or event.occurred_at >= session.updated_seen:
            session.updated_seen = event.occurred_at
            session.idle_since = event.idle_since
            if event.energy_wh is not None:
                session.energy_wh = event.energy_wh
    else:
        if event.started_at is not None:
            session.started_at = event.started_at
        session.idle_since = event.idle_since
        session.energy_wh = event.energy_wh
    after: dict[str, Any] = msgspec.to_builtins(session)
    return after != before
