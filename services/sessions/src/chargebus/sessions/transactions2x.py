"""OCPP 2.x TransactionEvent (E01-E15): every event merged into the session
of (charger, transactionId), created by whichever event arrives first.

Rules (docs/sessions.md, "2.x merging"): seqNos merge as a set, so a
redelivered or resent event changes nothing; the start is the Started
event's timestamp (the earliest event's until a Started arrives); Ended
sets the end, the stop reason (``Local`` when absent) and the status, and
later events still merge their readings; the charging state follows the
highest seqNo.  ``merge_event`` is the pure decision; ``handle_transaction_event``
loads, merges in a compare-and-set and stores the samples.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chargebus.common.events import DomainEvent
from chargebus.common.store import StoreUnavailable
from chargebus.common.store.documents import UniqueConflict
from chargebus.sessions.context import Answer, HandlerPorts, MessageContext
from chargebus.sessions.meter import samples_from
from chargebus.sessions.model import Sample, Session
from chargebus.sessions.readings import add_charging_state, apply_readings, derive_energy
from chargebus.sessions.session_events import events_for_change, started_event
from chargebus.sessions.tokens import check_token
from chargebus.sessions.values import new_session_id, optional

__all__ = ["handle_transaction_event", "merge_event"]

#: Tries to create a session another consumer may be creating at once.
_CREATE_ATTEMPTS = 3


def merge_event(
    current: Session | None,
    request: Any,
    *,
    session_id: str,
    charger_id: str,
    protocol: str,
    samples: list[Sample],
    token_status: str | None,
    at: float,
    update_interval: float,
) -> tuple[Session | None, list[DomainEvent]]:
    """The order-independent merge of one TransactionEvent into its session
    (None: not created yet); (None, []) when it was merged already."""
    info = request.transaction_info
    transaction_id = info.transaction_id
    tx_key = f"{charger_id}|{transaction_id}"
    id_token = optional(request.id_token)
    evse = optional(request.evse)
    event_at = request.timestamp.timestamp()
    created = current is None
    if current is None:
        current = Session(
            id=session_id,
            charger_id=charger_id,
            protocol=protocol,
            transaction_id=transaction_id,
            tx_key=tx_key,
            start_key=tx_key,
            started_at=event_at,
            created_at=at,
            updated_at=at,
        )
    elif request.seq_no in current.seq_nos:
        return None, []  # merged already
    current.seq_nos = sorted({*current.seq_nos, request.seq_no})
    if request.event_type == "Started":
        current.started_seen = True
        current.started_at = event_at
    elif not current.started_seen and (current.started_at is None or event_at < current.started_at):
        current.started_at = event_at
    if evse is not None:
        current.evse_id = evse.id
        connector = optional(evse.connector_id)
        if connector is not None:
            current.connector_id = connector
    if id_token is not None and (current.id_token is None or request.event_type == "Started"):
        current.id_token = id_token.id_token
        current.id_token_type = id_token.type
        current.id_token_status = token_status
    remote_start_id = optional(info.remote_start_id)
    if remote_start_id is not None:
        current.remote_start_id = remote_start_id
    reservation_id = optional(request.reservation_id)
    if reservation_id is not None:
        current.reservation_id = reservation_id
    state = optional(info.charging_state)
    if state is not None:
        add_charging_state(current, event_at, state)
        if current.charging_state_seq is None or request.seq_no > current.charging_state_seq:
            current.charging_state = state
            current.charging_state_seq = request.seq_no
    if optional(request.offline):
        current.offline = True
    apply_readings(current, samples)
    if request.event_type == "Ended":
        current.ended_seen = True
        current.ended_at = event_at
        current.stop_reason = optional(info.stopped_reason) or "Local"
        current.status = "ended"
    derive_energy(current)
    current.updated_at = max(current.updated_at, at)
    events: list[DomainEvent] = [started_event(current)] if created else []
    events += events_for_change(current, at, update_interval)
    return current, events


def _merger(
    ctx: MessageContext,
    ports: HandlerPorts,
    session_id: str,
    samples: list[Sample],
    token_status: str | None,
) -> Callable[[Session | None], Session | None]:
    """The change that merges this TransactionEvent into its session."""

    def change(current: Session | None) -> Session | None:
        updated, events = merge_event(
            current,
            ctx.request,
            session_id=session_id,
            charger_id=ctx.charger_id,
            protocol=ctx.message.version,
            samples=samples,
            token_status=token_status,
            at=ctx.at,
            update_interval=ports.settings.session_update_interval,
        )
        return ctx.emit(updated, events)

    return change


async def handle_transaction_event(ctx: MessageContext, ports: HandlerPorts) -> Answer:
    request = ctx.request
    transaction_id = request.transaction_info.transaction_id
    id_token = optional(request.id_token)
    answer: dict[str, Any] | None = None
    token_status: str | None = None
    if id_token is not None:
        token_info = await check_token(ports, id_token.id_token, id_token.type, is_2x=True)
        token_status = token_info["status"]
        answer = {"idTokenInfo": token_info}
    if not optional(request.offline):
        ports.presence.clock_read(ctx.message, request.timestamp.timestamp())
    tx_key = f"{ctx.charger_id}|{transaction_id}"
    evse = optional(request.evse)
    sessions = ports.repositories.sessions
    for _ in range(_CREATE_ATTEMPTS):
        existing = await sessions.by_tx_key(tx_key)
        session_id = existing.id if existing is not None else new_session_id(ctx.at)
        samples = samples_from(
            ctx.charger_id,
            optional(request.meter_value),
            evse_id=evse.id if evse else (existing.evse_id if existing else None) or 0,
            connector_id=(optional(evse.connector_id) if evse else None),
            session_id=session_id,
            transaction_id=transaction_id,
            is_2x=True,
        )

        try:
            session, changed = await sessions.modify(
                session_id, _merger(ctx, ports, session_id, samples, token_status)
            )
            break
        except UniqueConflict:
            continue  # another consumer created it first: merge into that one
    else:
        raise StoreUnavailable(f"session {tx_key} could not be created")
    await ports.repositories.samples.add(samples)
    ctx.changed(session, changed)
    return answer
