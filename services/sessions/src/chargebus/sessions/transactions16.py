"""OCPP 1.6 transactions: StartTransaction, StopTransaction, and a
connector's status as its session's charging state (1.6 §4.8, §4.10).

Rules: transaction ids are ours, from one atomic counter; the same
StartTransaction sent again (charger, connector, idTag, timestamp,
meterStart: its start key) gets the same id; a token that isn't Accepted
still gets its session (the charger will stop it), flagged in ``notes``.  A
stop for a transaction the CSMS never issued (or -1) is never refused: it
is kept as a ``reconciliation`` session.  Every merge is order-independent
(see ``readings``).  The decisions are the pure functions; the handlers
load, apply them in a compare-and-set and record what to publish.
"""

from __future__ import annotations

import logging
from typing import Any

from chargebus.common.events import DomainEvent
from chargebus.common.store import StoreUnavailable
from chargebus.sessions.context import Answer, HandlerPorts, MessageContext
from chargebus.sessions.meter import samples_from
from chargebus.sessions.model import Connector, Sample, Session, normalise_token
from chargebus.sessions.readings import (
    CHARGING_STATUSES_V16,
    add_charging_state,
    apply_readings,
    derive_energy,
)
from chargebus.sessions.session_events import events_for_change, started_event
from chargebus.sessions.tokens import check_token
from chargebus.sessions.values import content_hash, new_session_id, optional, v16_tx_key

__all__ = [
    "apply_stop",
    "apply_v16_charging_state",
    "covers",
    "handle_start",
    "handle_stop",
    "handle_v16_charging_state",
    "new_v16_session",
    "reconciliation_session",
    "start_key",
]

log = logging.getLogger(__name__)

#: Tries for a free transaction id before giving up (the counter is behind
#: the sessions: a restored backup?).
_ID_ATTEMPTS = 5


def start_key(charger_id: str, request: Any) -> str:
    """What makes a StartTransaction the same one sent again."""
    return content_hash(
        charger_id,
        request.connector_id,
        normalise_token(request.id_tag),
        request.timestamp.timestamp(),
        request.meter_start,
    )


def new_v16_session(
    request: Any,
    *,
    session_id: str,
    charger_id: str,
    protocol: str,
    transaction_id: str,
    token_status: str,
    connectors: list[Connector],
    at: float,
) -> tuple[Session, list[DomainEvent]]:
    """The session a StartTransaction starts, and ``session.started``.  A
    Charging status stored before the start it follows is its first state."""
    started_at = request.timestamp.timestamp()
    session = Session(
        id=session_id,
        charger_id=charger_id,
        protocol=protocol,
        evse_id=request.connector_id,
        connector_id=1,
        transaction_id=transaction_id,
        tx_key=v16_tx_key(charger_id, transaction_id),
        start_key=start_key(charger_id, request),
        id_token=request.id_tag,
        id_token_status=token_status,
        started_at=started_at,
        meter_start_wh=float(request.meter_start),
        meter_start_at=started_at,
        meter_start_source="start",
        reservation_id=optional(request.reservation_id),
        started_seen=True,
        created_at=at,
        updated_at=at,
    )
    if token_status != "Accepted":
        session.notes.append(f"started with an idTag the CSMS answered {token_status}")
    for connector in connectors:
        if (
            connector.evse_id == request.connector_id
            and connector.status in CHARGING_STATUSES_V16
            and connector.status_at >= started_at
        ):
            add_charging_state(session, connector.status_at, connector.status)
    return session, [started_event(session)]


def apply_stop(
    session: Session, request: Any, samples: list[Sample], at: float, update_interval: float
) -> tuple[Session | None, list[DomainEvent]]:
    """The session a StopTransaction ends; (None, []) when it has ended
    already (a resent StopTransaction)."""
    if session.ended_seen:
        return None, []
    stopped_at = request.timestamp.timestamp()
    apply_readings(session, samples)
    session.meter_end_wh = float(request.meter_stop)
    session.meter_end_at = stopped_at
    session.meter_end_source = "stop"
    session.ended_at = stopped_at
    session.ended_seen = True
    session.stop_reason = optional(request.reason) or "Local"
    if session.status == "active":
        session.status = "ended"
    derive_energy(session)
    session.updated_at = max(session.updated_at, at)
    return session, events_for_change(session, at, update_interval)


def reconciliation_session(
    request: Any, *, charger_id: str, protocol: str, transaction_id: str, at: float
) -> Session:
    """A stop for a transaction the CSMS never started (unknown id, or -1
    when the charger never got one): kept, flagged, never refused.  Its
    keys come from the stop, so the same stop again finds it."""
    stopped_at = request.timestamp.timestamp()
    key = content_hash(charger_id, transaction_id, stopped_at, request.meter_stop)
    tx_key = f"{v16_tx_key(charger_id, transaction_id)}|unmatched|{key[:16]}"
    return Session(
        id=f"{int(stopped_at * 1000):012x}r{key[:11]}",
        charger_id=charger_id,
        protocol=protocol,
        transaction_id=transaction_id,
        tx_key=tx_key,
        start_key=tx_key,
        id_token=optional(request.id_tag),
        status="reconciliation",
        notes=[
            "StopTransaction for a transaction id the CSMS never issued"
            if transaction_id != "-1"
            else "StopTransaction with transactionId -1: the charger never got an id"
        ],
        created_at=at,
        updated_at=at,
    )


def covers(session: Session, evse_id: int, status_at: float) -> bool:
    """Does a 1.6 connector's status at ``status_at`` fall in this session?"""
    return not (
        session.evse_id != evse_id
        or session.started_at is None
        or status_at < session.started_at
        or (session.ended_at is not None and status_at > session.ended_at)
    )


def apply_v16_charging_state(
    session: Session, status: str, status_at: float, at: float, update_interval: float
) -> tuple[Session | None, list[DomainEvent]]:
    """A 1.6 connector's status as its session's charging state; (None, [])
    when it is known already."""
    if not add_charging_state(session, status_at, status):
        return None, []
    session.updated_at = max(session.updated_at, at)
    return session, events_for_change(session, at, update_interval)


async def handle_v16_charging_state(
    ctx: MessageContext, ports: HandlerPorts, evse_id: int, status: str, status_at: float
) -> None:
    """A 1.6 connector's status is its session's charging state (2.x
    chargers say it in their TransactionEvents): the session on that
    connector still active or (stored out of order, after the stop)
    recently ended."""
    sessions = ports.repositories.sessions
    candidates = await sessions.of_charger(ctx.charger_id, "active", limit=10)
    candidates += await sessions.of_charger(ctx.charger_id, "ended", limit=5, newest_first=True)
    interval = ports.settings.session_update_interval
    for candidate in candidates:
        if not covers(candidate, evse_id, status_at):
            continue

        def change(current: Session | None) -> Session | None:
            if current is None:
                return None
            updated, events = apply_v16_charging_state(current, status, status_at, ctx.at, interval)
            return ctx.emit(updated, events)

        updated, changed = await sessions.modify(candidate.id, change)
        ctx.changed(updated, changed)


async def handle_start(ctx: MessageContext, ports: HandlerPorts) -> Answer:
    request = ctx.request
    repositories = ports.repositories
    key = start_key(ctx.charger_id, request)
    id_tag_info = await check_token(ports, request.id_tag, None, is_2x=False)
    existing = await repositories.sessions.by_start_key(key)
    charger = await repositories.chargers.get(ctx.charger_id) if existing is None else None
    connectors = charger.connectors if charger is not None else []
    attempts = 0
    while existing is None:
        attempts += 1
        if attempts > _ID_ATTEMPTS:
            raise StoreUnavailable(f"no free 1.6 transaction id after {_ID_ATTEMPTS} tries")
        transaction_id = await repositories.counters.next_transaction_id()
        session, events = new_v16_session(
            request,
            session_id=new_session_id(ctx.at),
            charger_id=ctx.charger_id,
            protocol=ctx.message.version,
            transaction_id=transaction_id,
            token_status=id_tag_info["status"],
            connectors=connectors,
            at=ctx.at,
        )
        ctx.emit(session, events)
        if await repositories.sessions.insert(session):
            session.v = 1
            ctx.outbox.append(session)
            return {"idTagInfo": id_tag_info, "transactionId": int(transaction_id)}
        # Lost to the same start worked on at once (then it's that one),
        # or to a session already holding this id (then take the next id).
        existing = await repositories.sessions.by_start_key(key)
    # A resent StartTransaction (its answer was lost): the same id; the
    # idTag is checked again.
    ctx.outbox.append(existing)
    return {"idTagInfo": id_tag_info, "transactionId": int(existing.transaction_id)}


async def _reconciliation(ctx: MessageContext, ports: HandlerPorts, transaction_id: str) -> Session:
    session = reconciliation_session(
        ctx.request,
        charger_id=ctx.charger_id,
        protocol=ctx.message.version,
        transaction_id=transaction_id,
        at=ctx.at,
    )
    sessions = ports.repositories.sessions
    if not await sessions.insert(session):
        stored = await sessions.by_tx_key(session.tx_key)
        assert stored is not None
        return stored
    session.v = 1
    log.warning(
        "charger %s stopped transaction %s the CSMS doesn't know: kept for reconciliation",
        ctx.charger_id,
        transaction_id,
    )
    return session


async def handle_stop(ctx: MessageContext, ports: HandlerPorts) -> Answer:
    request = ctx.request
    transaction_id = str(request.transaction_id)
    id_tag = optional(request.id_tag)
    answer: dict[str, Any] = {}
    if id_tag is not None:
        answer["idTagInfo"] = await check_token(ports, id_tag, None, is_2x=False)
    sessions = ports.repositories.sessions
    session = await sessions.by_tx_key(v16_tx_key(ctx.charger_id, transaction_id))
    if session is None:
        session = await _reconciliation(ctx, ports, transaction_id)
    samples = samples_from(
        ctx.charger_id,
        optional(request.transaction_data),
        evse_id=session.evse_id or 0,
        connector_id=session.connector_id,
        session_id=session.id,
        transaction_id=transaction_id,
        is_2x=False,
    )
    await ports.repositories.samples.add(samples)
    interval = ports.settings.session_update_interval

    def change(current: Session | None) -> Session | None:
        if current is None:
            return None
        updated, events = apply_stop(current, request, samples, ctx.at, interval)
        return ctx.emit(updated, events)

    updated, changed = await sessions.modify(session.id, change)
    ctx.changed(updated, changed)
    return answer
