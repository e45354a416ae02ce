"""MeterValues, both versions: every sampled value kept as a sample, and a
1.6 message naming a transaction merged into its session (2.x chargers send
a transaction's readings in their TransactionEvents)."""

from __future__ import annotations

from chargebus.common.events import DomainEvent
from chargebus.sessions.context import Answer, HandlerPorts, MessageContext
from chargebus.sessions.meter import samples_from
from chargebus.sessions.model import Sample, Session
from chargebus.sessions.readings import apply_readings, derive_energy
from chargebus.sessions.session_events import events_for_change
from chargebus.sessions.values import optional, v16_tx_key

__all__ = ["apply_meter_values", "handle_meter_values"]


def apply_meter_values(
    session: Session, samples: list[Sample], at: float, update_interval: float
) -> tuple[Session | None, list[DomainEvent]]:
    """The session with the readings merged; (None, []) when they were
    merged already."""
    if not apply_readings(session, samples):
        return None, []
    derive_energy(session)
    session.updated_at = max(session.updated_at, at)
    return session, events_for_change(session, at, update_interval)


async def handle_meter_values(ctx: MessageContext, ports: HandlerPorts) -> Answer:
    request = ctx.request
    sessions = ports.repositories.sessions
    session: Session | None = None
    transaction_id: str | None = None
    if ctx.is_2x:
        evse_id, connector_id = request.evse_id, None
    else:
        evse_id, connector_id = request.connector_id, 1 if request.connector_id else 0
        tx = optional(request.transaction_id)
        transaction_id = str(tx) if tx is not None else None
        if transaction_id is not None:
            session = await sessions.by_tx_key(v16_tx_key(ctx.charger_id, transaction_id))
    samples = samples_from(
        ctx.charger_id,
        request.meter_value,
        evse_id=evse_id,
        connector_id=connector_id,
        session_id=session.id if session else None,
        transaction_id=transaction_id,
        is_2x=ctx.is_2x,
    )
    await ports.repositories.samples.add(samples)
    if session is None:
        return None
    interval = ports.settings.session_update_interval

    def change(current: Session | None) -> Session | None:
        if current is None:
            return None
        updated, events = apply_meter_values(current, samples, ctx.at, interval)
        return ctx.emit(updated, events)

    updated, changed = await sessions.modify(session.id, change)
    ctx.changed(updated, changed)
    return None
