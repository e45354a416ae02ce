"""A running session's cost (chargebus.billing.costs): no store, no bus."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

from chargebus.billing.costs import cost_command, cost_update, running_cost
from chargebus.billing.model import BillingSession
from chargebus.common.billing import Tariff

T0 = 1_772_445_600.0
#: 0.30/kWh, a 0.50 fee, at least 5.00, 19 % VAT.
TARIFF = Tariff(
    id="std",
    currency="EUR",
    energy_price=D("0.30"),
    session_fee=D("0.50"),
    min_price=D(5),
    vat_rate=D(19),
)


def session(**fields: Any) -> BillingSession:
    return BillingSession(
        **{
            "id": "S-1",
            "charger_id": "CP-1",
            "transaction_id": "tx-1",
            "tariff": TARIFF,
            "started_at": T0,
            "meter_start_wh": 1000.0,
            "points": [(T0 + 600, 3000.0), (T0 + 1200, 5000.0)],
            "created_at": T0,
            "updated_at": T0,
            **fields,
        }
    )


def test_the_running_cost_runs_to_the_latest_reading_without_the_minimum_price() -> None:
    running = running_cost(session())
    assert running is not None
    priced, as_of = running
    assert as_of == T0 + 1200
    assert priced.total.excl_vat == D("1.70")  # 4 kWh at 0.30 + 0.50; 5.00 not yet
    assert priced.total.incl_vat == D("2.02")  # 1.70 * 1.19 = 2.023


def test_the_running_cost_runs_to_the_start_of_idle_time_when_later() -> None:
    running = running_cost(session(idle_since=T0 + 1500))
    assert running is not None and running[1] == T0 + 1500


def test_no_running_cost_without_a_tariff_or_a_start() -> None:
    assert running_cost(session(tariff=None)) is None
    assert running_cost(session(started_at=None)) is None


def test_a_cost_update_is_recorded_as_sent_and_not_repeated() -> None:
    s = session()
    event = cost_update(s, T0 + 1300, 60.0)
    assert event is not None
    assert (event.event_id, event.total_incl_vat, event.as_of) == (
        "S-1:cost:1",
        D("2.02"),
        T0 + 1200,
    )
    assert (s.cost_seq, s.cost_sent_at, s.cost_sent) == (1, T0 + 1300, D("2.02"))
    assert cost_update(s, T0 + 1330, 60.0) is None  # within the interval
    assert cost_update(s, T0 + 1400, 60.0) is None  # the same total
    s.points.append((T0 + 1800, 7000.0))
    assert cost_update(s, T0 + 1330, 60.0) is None  # moved, still within the interval
    later = cost_update(s, T0 + 1400, 60.0)
    assert later is not None and later.event_id == "S-1:cost:2"


def test_the_cost_is_shown_only_on_2x_chargers_when_turned_on() -> None:
    s = session(protocol="ocpp2.0.1", cost_sent=D("2.02"), cost_seq=3)
    request = cost_command(s, show_on_charger=True)
    assert request is not None
    assert request.command_id == "cost-S-1-3"
    assert request.params == {
        "action": "CostUpdated",
        "payload": {"totalCost": 2.02, "transactionId": "tx-1"},
    }
    assert cost_command(s, show_on_charger=False) is None
    assert cost_command(session(protocol="ocpp1.6", cost_sent=D(1)), show_on_charger=True) is None
    assert cost_command(session(protocol="ocpp2.1"), show_on_charger=True) is None  # none sent
