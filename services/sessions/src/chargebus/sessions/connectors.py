"""Connector states: StatusNotification (1.6 connectors, 0 included; 2.x
EVSE and connector) and NotifyEvent's Connector/AvailabilityState.

Rules: the newest status by the charger's timestamp wins whatever order the
messages are worked on in (receipt time breaks ties; the same message again
changes nothing); ``connector.status_changed`` is emitted when the status
differs from the one it replaces.  A 1.6 connector N is EVSE N, connector 1;
connector 0 (the whole charge point) is EVSE 0, connector 0.  A 1.6
connector's charging statuses are also its session's charging states
(``transactions16.handle_v16_charging_state``).
"""

from __future__ import annotations

from chargebus.common.events import ConnectorStatusChanged
from chargebus.sessions.boot import unknown_charger
from chargebus.sessions.context import Answer, HandlerPorts, MessageContext
from chargebus.sessions.model import Charger, Connector
from chargebus.sessions.readings import CHARGING_STATUSES_V16
from chargebus.sessions.reports import keep_record
from chargebus.sessions.transactions16 import handle_v16_charging_state
from chargebus.sessions.values import content_hash, optional

__all__ = ["apply_connector_status", "handle_notify_event", "handle_status", "set_connector"]


def apply_connector_status(
    charger: Charger,
    reported: Connector,
) -> tuple[Charger | None, list[ConnectorStatusChanged]]:
    """The charger with the reported connector state, and the event when
    the status changed; (None, []) when the state held is as new or newer."""
    evse_id, connector_id = reported.evse_id, reported.connector_id
    existing = next(
        (c for c in charger.connectors if c.evse_id == evse_id and c.connector_id == connector_id),
        None,
    )
    if existing is not None and (existing.status_at, existing.received_at) >= (
        reported.status_at,
        reported.received_at,
    ):
        return None, []  # this one is older (or the same, redelivered)
    charger.connectors = sorted(
        [c for c in charger.connectors if c is not existing] + [reported],
        key=lambda c: (c.evse_id, c.connector_id),
    )
    charger.updated_at = max(charger.updated_at, reported.received_at)
    previous = existing.status if existing is not None else None
    if previous == reported.status:
        return charger, []
    event = ConnectorStatusChanged(
        event_id=f"{charger.id}:status:{evse_id}:{connector_id}:"
        f"{content_hash(reported.status_at, reported.received_at, reported.status)[:16]}",
        charger_id=charger.id,
        occurred_at=reported.status_at,
        evse_id=evse_id,
        connector_id=connector_id,
        status=reported.status,
        previous_status=previous,
        error_code=reported.error_code,
    )
    return charger, [event]


async def set_connector(ctx: MessageContext, ports: HandlerPorts, reported: Connector) -> None:
    def change(charger: Charger | None) -> Charger | None:
        if charger is None:  # it never booted (the gateway lets it talk, or failed open)
            charger = unknown_charger(
                ctx.charger_id,
                ctx.message.version,
                ctx.at,
                ports.settings.unknown_charger_policy,
                "reported a status without booting",
            )
        updated, events = apply_connector_status(charger, reported)
        return ctx.emit(updated, events)

    charger, changed = await ports.repositories.chargers.modify(ctx.charger_id, change)
    ctx.changed(charger, changed)


async def handle_status(ctx: MessageContext, ports: HandlerPorts) -> Answer:
    request = ctx.request
    if ctx.is_2x:
        evse_id, connector_id = request.evse_id, request.connector_id
        status, error_code, info, vendor_error = request.connector_status, None, None, None
        at = request.timestamp.timestamp()
        ports.presence.clock_read(ctx.message, at)
    else:
        evse_id = request.connector_id
        connector_id = 1 if evse_id > 0 else 0
        status, error_code = request.status, request.error_code
        info, vendor_error = optional(request.info), optional(request.vendor_error_code)
        timestamp = optional(request.timestamp)
        at = timestamp.timestamp() if timestamp is not None else ctx.at
        if timestamp is not None:
            ports.presence.clock_read(ctx.message, at)
    reported = Connector(
        evse_id=evse_id,
        connector_id=connector_id,
        status=status,
        error_code=error_code,
        info=info,
        vendor_error_code=vendor_error,
        status_at=at,
        received_at=ctx.at,
    )
    await set_connector(ctx, ports, reported)
    if not ctx.is_2x and evse_id > 0 and status in CHARGING_STATUSES_V16:
        await handle_v16_charging_state(ctx, ports, evse_id, status, at)
    return None


async def handle_notify_event(ctx: MessageContext, ports: HandlerPorts) -> Answer:
    """Kept as a record; a Connector's AvailabilityState is its status."""
    await keep_record(ctx, ports)
    for item in ctx.request.event_data:
        component, variable = item.component, item.variable
        evse = optional(component.evse)
        if component.name == "Connector" and variable.name == "AvailabilityState" and evse:
            connector_id = optional(evse.connector_id)
            reported = Connector(
                evse_id=evse.id,
                connector_id=connector_id if connector_id is not None else 1,
                status=item.actual_value,
                status_at=item.timestamp.timestamp(),
                received_at=ctx.at,
            )
            await set_connector(ctx, ports, reported)
    return None
