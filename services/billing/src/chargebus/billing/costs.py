"""A running session's cost so far: pure, clock given.

Rules: the running cost leaves out the minimum price (a session that has
just started would show it all); ``billing.cost_updated`` goes out at most
once per ``cost_update_interval`` and only when the total moved; a 2.0.1 or
2.1 charger is told the cost (CostUpdated, OCPP 2.0.1 I02) only when the
operator turned it on, since many chargers don't support it and a price on a
display is a promise.
"""

from __future__ import annotations

from decimal import Decimal

from chargebus.billing.model import BillingSession
from chargebus.billing.pricing import Priced, Usage, price
from chargebus.common.commands import CommandRequest
from chargebus.common.events import CostUpdated

__all__ = ["cost_command", "cost_update", "running_cost"]

#: The protocols whose chargers have CostUpdated.
_COST_DISPLAY_PROTOCOLS = ("ocpp2.0.1", "ocpp2.1")


def running_cost(session: BillingSession) -> tuple[Priced, float] | None:
    """The cost of a running session so far (the minimum price not yet
    applied), up to its latest reading, or the start of its idle time."""
    if session.tariff is None or session.started_at is None:
        return None
    as_of = max([session.started_at, *(t for t, _ in session.points[-1:])])
    if session.idle_since is not None:
        as_of = max(as_of, session.idle_since)
    meter = [(t, Decimal(repr(v))) for t, v in session.points if t >= session.started_at]
    if session.meter_start_wh is not None:
        meter.insert(0, (session.started_at, Decimal(repr(session.meter_start_wh))))
    usage = Usage(
        started_at=session.started_at,
        ended_at=as_of,
        meter=tuple(meter),
        idle_since=session.idle_since,
    )
    return price(session.tariff, usage, final=False), as_of


def cost_update(session: BillingSession, now: float, interval: float) -> CostUpdated | None:
    """``billing.cost_updated`` when it is due and the cost moved; the
    session then records it as sent."""
    if session.tariff is None or session.started_at is None:
        return None
    if session.cost_sent_at is not None and now - session.cost_sent_at < interval:
        return None
    running = running_cost(session)
    if running is None:
        return None
    priced, as_of = running
    if session.cost_sent is not None and priced.total.incl_vat == session.cost_sent:
        return None
    session.cost_seq += 1
    session.cost_sent_at = now
    session.cost_sent = priced.total.incl_vat
    return CostUpdated(
        event_id=f"{session.id}:cost:{session.cost_seq}",
        charger_id=session.charger_id,
        occurred_at=now,
        session_id=session.id,
        transaction_id=session.transaction_id,
        currency=session.tariff.currency,
        total_excl_vat=priced.total.excl_vat,
        total_incl_vat=priced.total.incl_vat,
        energy_wh=session.energy_wh,
        as_of=as_of,
        tariff_id=session.tariff.id,
    )


def cost_command(session: BillingSession, show_on_charger: bool) -> CommandRequest | None:
    """The CostUpdated command showing the cost last published on the
    charger, or None when it isn't to be shown there."""
    if (
        not show_on_charger
        or session.protocol not in _COST_DISPLAY_PROTOCOLS
        or session.cost_sent is None
    ):
        return None
    return CommandRequest(
        charger_id=session.charger_id,
        params={
            "action": "CostUpdated",
            "payload": {
                "totalCost": float(session.cost_sent),
                "transactionId": session.transaction_id,
            },
        },
        command_id=f"cost-{session.id}-{session.cost_seq}",
    )
