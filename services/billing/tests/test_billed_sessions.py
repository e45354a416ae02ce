"""Session events applied to a billed session (chargebus.billing.billed_sessions):
decisions only, no store and no bus; the clock is a number."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

from chargebus.billing.billed_sessions import apply_event, merge, tariff_wanted, too_late
from chargebus.billing.model import BillingSession
from chargebus.billing.settings import BillingSettings
from chargebus.billing.tariffs import TariffChoice
from chargebus.common.billing import Tariff
from chargebus.common.events import SessionEnded, SessionStarted, SessionUpdated

T0 = 1_772_445_600.0  # Monday 2 March 2026, 10:00 UTC
SETTINGS = BillingSettings(cdr_delay=5.0, cost_update_interval=60.0)
#: 0.30/kWh, no VAT.
TARIFF = Tariff(id="std", currency="EUR", energy_price=D("0.30"))
IDS: dict[str, Any] = {
    "charger_id": "CP-1",
    "session_id": "S-1",
    "transaction_id": "tx-1",
    "evse_id": 1,
    "connector_id": 1,
}


def started(**fields: Any) -> SessionStarted:
    return SessionStarted(
        **{**IDS, "event_id": "S-1:s", "occurred_at": T0, "started_at": T0, **fields}
    )


def updated(minutes: float, wh: float, **fields: Any) -> SessionUpdated:
    at = T0 + minutes * 60
    return SessionUpdated(
        **{
            **IDS,
            "event_id": f"S-1:u{minutes}",
            "occurred_at": at,
            "started_at": T0,
            "energy_wh": wh,
            "meter_wh": wh,
            "meter_at": at,
            **fields,
        }
    )


def ended(revision: int = 1, **fields: Any) -> SessionEnded:
    return SessionEnded(
        **{
            **IDS,
            "event_id": f"S-1:e{revision}",
            "occurred_at": T0 + 3600,
            "started_at": T0,
            "ended_at": T0 + 3600,
            "energy_wh": 10_000.0,
            "revision": revision,
            **fields,
        }
    )


def priced_session(now: float = T0) -> BillingSession:
    applied = apply_event(
        None, started(meter_start_wh=0.0), TariffChoice(TARIFF, "default"), now, SETTINGS
    )
    assert applied is not None
    return applied.session


def test_a_first_event_makes_the_session_with_the_tariff_found_for_its_start() -> None:
    applied = apply_event(None, started(), TariffChoice(TARIFF, "charger"), T0, SETTINGS)
    assert applied is not None
    session = applied.session
    assert (session.id, session.charger_id, session.transaction_id) == ("S-1", "CP-1", "tx-1")
    assert (session.tariff, session.tariff_via, session.tariff_for) == (TARIFF, "charger", T0)
    assert session.started_at == T0
    assert not applied.untariffed
    assert applied.cost_updated is not None  # nothing sent yet: 0.00 so far
    assert applied.cost_updated.total_incl_vat == D("0.00")


def test_no_tariff_in_force_is_said_once_and_priced_at_zero() -> None:
    applied = apply_event(None, started(), TariffChoice(None, None), T0, SETTINGS)
    assert applied is not None
    assert applied.untariffed and applied.session.tariff is None
    assert applied.cost_updated is None  # nothing to price with
    again = apply_event(applied.session, updated(10, 1000.0), None, T0 + 600, SETTINGS)
    assert again is not None and not again.untariffed


def test_the_tariff_is_looked_up_only_when_the_start_moves() -> None:
    session = priced_session()
    assert tariff_wanted(None, started()) == T0
    assert tariff_wanted(session, updated(10, 1000.0)) is None
    assert tariff_wanted(session, started(started_at=T0 - 60)) == T0 - 60
    # An end whose start was never seen is priced from its end.
    assert tariff_wanted(None, ended(started_at=None)) == T0 + 3600


def test_the_running_cost_is_published_at_most_once_per_interval_and_when_it_moved() -> None:
    session = priced_session()
    first = apply_event(session, updated(1, 1000.0), None, T0 + 30, SETTINGS)
    assert first is not None and first.cost_updated is None  # 30 s after the last
    second = apply_event(first.session, updated(2, 2000.0), None, T0 + 60, SETTINGS)
    assert second is not None and second.cost_updated is not None
    assert second.cost_updated.total_excl_vat == D("0.60")  # 2 kWh at 0.30
    assert second.cost_updated.event_id == "S-1:cost:2"
    same = apply_event(second.session, updated(3, 2000.0), None, T0 + 200, SETTINGS)
    assert same is not None and same.cost_updated is None  # the total didn't move


def test_an_end_makes_the_cdr_due_after_the_delay() -> None:
    applied = apply_event(priced_session(), ended(), None, T0 + 3600, SETTINGS)
    assert applied is not None
    session = applied.session
    assert session.ended is not None and session.ended.revision == 1
    assert session.cdr_pending and session.cdr_due_at == T0 + 3605
    assert applied.cost_updated is None  # ended: the CDR says what it cost


def test_after_the_end_only_a_later_revision_says_anything() -> None:
    applied = apply_event(priced_session(), ended(), None, T0 + 3600, SETTINGS)
    assert applied is not None
    session = applied.session
    assert too_late(session, ended())  # redelivered
    assert too_late(session, updated(70, 11_000.0))  # late
    assert apply_event(session, ended(), None, T0 + 3700, SETTINGS) is None
    assert not too_late(session, ended(revision=2))
    later = apply_event(session, ended(revision=2, energy_wh=12_000.0), None, T0 + 3700, SETTINGS)
    assert later is not None
    assert later.session.ended is not None and later.session.ended.revision == 2
    assert later.session.energy_wh == 12_000.0


def test_an_event_that_says_nothing_new_changes_nothing() -> None:
    session = priced_session()
    applied = apply_event(session, updated(5, 500.0), None, T0 + 300, SETTINGS)
    assert applied is not None
    assert apply_event(applied.session, updated(5, 500.0), None, T0 + 400, SETTINGS) is None


def test_an_older_update_adds_its_reading_but_not_its_state() -> None:
    session = priced_session()
    assert merge(session, updated(20, 2000.0, idle_since=T0 + 1200))
    assert merge(session, updated(10, 1000.0))  # older, out of order
    assert session.points == [(T0 + 600, 1000.0), (T0 + 1200, 2000.0)]
    assert (session.energy_wh, session.idle_since) == (2000.0, T0 + 1200)
