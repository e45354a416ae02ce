"""Pricing, one tariff dimension at a time, then together: exact amounts
worked out by hand in the comments."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
import pytest

from chargebus.billing.model import Invalid, check_tariff
from chargebus.billing.pricing import Usage, price
from chargebus.common.billing import Tariff

D = Decimal
BERLIN = ZoneInfo("Europe/Berlin")


def tariff(**fields: Any) -> Tariff:
    body = {"id": "T", "currency": "EUR", **fields}
    t = msgspec.json.decode(msgspec.json.encode(body), type=Tariff)
    check_tariff(t)
    return t


def local(*args: int, zone: ZoneInfo = BERLIN) -> float:
    return datetime(*args, tzinfo=zone).timestamp()  # type: ignore[misc]


def usage(start: float, hours: float, kwh: float | None = None, **extra: Any) -> Usage:
    end = start + hours * 3600
    meter = ((start, D(0)), (end, D(repr(kwh * 1000)))) if kwh is not None else ()
    return Usage(started_at=start, ended_at=end, meter=meter, **extra)


START = local(2026, 11, 23, 10, 0)  # a Monday


def test_energy_rounds_once_half_up_and_vat_on_the_rounded_amount() -> None:
    # 12.345 kWh x 0.39 = 4.81455 -> 4.81; x 1.19 = 5.7239 -> 5.72
    priced = price(tariff(energy_price="0.39", vat_rate="19"), usage(START, 1, 12.345))
    assert priced.total.excl_vat == D("4.81") and priced.total.incl_vat == D("5.72")
    assert priced.energy_kwh == D("12.345") and priced.charging_hours == 1


def test_half_a_cent_rounds_up() -> None:
    # 1 kWh x 0.125 = 0.125 -> 0.13 (half up, not to even); VAT 0
    assert price(tariff(energy_price="0.125"), usage(START, 1, 1)).total.excl_vat == D("0.13")
    # 1 kWh x 0.115 = 0.115 -> 0.12 (to even would give 0.12 too); 0.105 -> 0.11 (not 0.10)
    assert price(tariff(energy_price="0.105"), usage(START, 1, 1)).total.excl_vat == D("0.11")


@pytest.mark.parametrize(
    ("currency", "excl"),
    [("JPY", D("123")), ("KWD", D("123.457")), ("EUR", D("123.46"))],
)
def test_the_minor_unit_is_the_currencys(currency: str, excl: Decimal) -> None:
    # 1 kWh x 123.4567 = 123.4567: 0, 3 and 2 decimal places
    t = tariff(currency=currency, energy_price="123.4567")
    assert price(t, usage(START, 1, 1)).total.excl_vat == excl


def test_charging_minutes() -> None:
    # 90 minutes x 0.05 = 4.50; the energy (no price) costs nothing
    priced = price(tariff(time_price="0.05"), usage(START, 1.5, 20))
    assert priced.total.excl_vat == D("4.50") and priced.time_cost == D("4.50")
    [period] = priced.periods
    assert period.state == "charging"
    assert {d.type: d.volume for d in period.dimensions} == {"ENERGY": 20, "TIME": D("1.5")}


def test_idle_minutes_after_the_grace_period() -> None:
    # Charging 60 min, then idle 50 min: 15 free, 35 x 0.20 = 7.00
    t = tariff(time_price="0.10", idle_price="0.20", idle_grace_minutes=15)
    priced = price(t, usage(START, 110 / 60, 10, idle_since=START + 3600))
    assert priced.time_cost == D("6.0") and priced.idle_cost == D("7.0")
    assert priced.total.excl_vat == D("13.00")
    assert [p.state for p in priced.periods] == ["charging", "grace", "idle"]
    assert priced.idle_hours.quantize(D("0.000001")) == D("0.833333")  # 50 min


def test_no_idle_fee_without_word_that_charging_stopped() -> None:
    t = tariff(idle_price="0.20")
    assert price(t, usage(START, 5, 10)).total.excl_vat == 0


def test_a_grace_period_longer_than_the_idle_time_costs_nothing() -> None:
    t = tariff(idle_price="0.20", idle_grace_minutes=60)
    priced = price(t, usage(START, 1.5, 10, idle_since=START + 3600))
    assert priced.idle_cost == 0 and [p.state for p in priced.periods] == ["charging", "grace"]


def test_session_fee_minimum_and_maximum() -> None:
    fee = tariff(session_fee="1.50", energy_price="0.30")
    # 1.50 + 10 x 0.30 = 4.50
    assert price(fee, usage(START, 1, 10)).total.excl_vat == D("4.50")
    low = tariff(energy_price="0.30", min_price="5")
    priced = price(low, usage(START, 1, 1))  # 0.30, raised to 5.00
    assert priced.total.excl_vat == D("5.00") and "minimum" in priced.remarks[0]
    # A running cost isn't a bill yet: no minimum.
    assert price(low, usage(START, 1, 1), final=False).total.excl_vat == D("0.30")
    high = tariff(energy_price="0.30", max_price="20", vat_rate="20")
    capped = price(high, usage(START, 1, 100))  # 30.00, capped at 20.00, +20% = 24.00
    assert capped.total.excl_vat == D("20.00") and capped.total.incl_vat == D("24.00")
    assert price(high, usage(START, 1, 100), final=False).total.excl_vat == D("20.00")


def test_a_night_band_across_midnight_splits_the_energy_by_time() -> None:
    # 21:00 to 01:00 Berlin, 40 kWh evenly: 10 kWh at 0.40 before 22:00,
    # 30 kWh at 0.25 after: 4.00 + 7.50 = 11.50
    t = tariff(
        energy_price="0.40",
        timezone="Europe/Berlin",
        bands=[{"start": "22:00", "end": "06:00", "energy_price": "0.25"}],
    )
    priced = price(t, usage(local(2026, 11, 23, 21, 0), 4, 40))
    assert priced.total.excl_vat == D("11.50")
    assert [(p.band, p.start_date_time.astimezone(BERLIN).hour) for p in priced.periods] == [
        (None, 21),
        (0, 22),
    ]
    assert [p.cost_excl_vat for p in priced.periods] == [D(4), D("7.5")]


def test_the_meter_profile_puts_the_energy_where_it_flowed() -> None:
    # 21:00 to 23:00; 18 of 20 kWh flowed by 22:00: 18 x 0.40 + 2 x 0.25 = 7.70
    start = local(2026, 11, 23, 21, 0)
    t = tariff(
        energy_price="0.40",
        timezone="Europe/Berlin",
        bands=[{"start": "22:00", "end": "06:00", "energy_price": "0.25"}],
    )
    meter = ((start, D(1000)), (start + 3600, D(19000)), (start + 7200, D(21000)))
    priced = price(t, Usage(started_at=start, ended_at=start + 7200, meter=meter))
    assert priced.total.excl_vat == D("7.70")
    # A profile that goes backwards is not believed: the straight line
    # (10 + 10 kWh): 4.00 + 2.50 = 6.50; the total energy stands.
    bad = ((start, D(1000)), (start + 3600, D(500)), (start + 7200, D(21000)))
    priced = price(t, Usage(started_at=start, ended_at=start + 7200, meter=bad))
    assert priced.total.excl_vat == D("6.50") and priced.energy_kwh == 20


def test_a_band_past_midnight_belongs_to_the_day_it_starts_on() -> None:
    t = tariff(
        energy_price="0.40",
        timezone="Europe/Berlin",
        bands=[{"days": ["FRIDAY"], "start": "22:00", "end": "06:00", "energy_price": "0.10"}],
    )
    # Saturday 02:00-03:00 is in Friday's night: 10 x 0.10
    saturday_night = local(2026, 11, 28, 2, 0)
    assert price(t, usage(saturday_night, 1, 10)).total.excl_vat == D("1.00")
    # Saturday 23:00-23:30 isn't (Saturday isn't in the band): 10 x 0.40
    assert price(t, usage(local(2026, 11, 28, 23, 0), 0.5, 10)).total.excl_vat == D("4.00")
    # Thursday 23:00: not Friday either
    assert price(t, usage(local(2026, 11, 26, 23, 0), 0.5, 10)).total.excl_vat == D("4.00")


def test_day_of_week_bands_and_the_first_matching_band_wins() -> None:
    t = tariff(
        time_price="0.10",
        timezone="Europe/Berlin",
        bands=[
            {"days": ["SATURDAY", "SUNDAY"], "time_price": "0.05"},
            {"start": "08:00", "end": "20:00", "time_price": "0.20"},
        ],
    )
    # Sunday 10:00-11:00: the weekend band (first) wins over the daytime one: 60 x 0.05
    assert price(t, usage(local(2026, 11, 29, 10, 0), 1, 5)).total.excl_vat == D("3.00")
    # Monday 19:00-21:00: 60 x 0.20 + 60 x 0.10 = 18.00
    assert price(t, usage(local(2026, 11, 23, 19, 0), 2, 5)).total.excl_vat == D("18.00")
    # Sunday 23:30 to Monday 00:30: 30 x 0.05 + 30 x 0.10 = 4.50
    assert price(t, usage(local(2026, 11, 29, 23, 30), 1, 5)).total.excl_vat == D("4.50")


def test_band_times_are_wall_clock_times_across_a_dst_change() -> None:
    # Berlin leaves summer time on 2026-10-25 at 03:00 (back to 02:00).
    # 23:00 to 07:00 local is 9 real hours; the 00:00-06:00 band is 7 of them.
    t = tariff(
        time_price="0.10",
        timezone="Europe/Berlin",
        bands=[{"start": "00:00", "end": "06:00", "time_price": "0.05"}],
    )
    start = local(2026, 10, 24, 23, 0)
    end = local(2026, 10, 25, 7, 0)
    assert end - start == 9 * 3600
    priced = price(t, Usage(started_at=start, ended_at=end))
    # 7 h x 60 x 0.05 + 2 h x 60 x 0.10 = 21.00 + 12.00
    assert priced.total.excl_vat == D("33.00")
    band_hours = sum(
        (d.volume for p in priced.periods if p.band == 0 for d in p.dimensions if d.type == "TIME"),
        D(0),
    )
    assert band_hours == 7


def test_everything_together() -> None:
    # Monday 17:00-20:00 Berlin, peak band 16:00-19:00; 30 kWh evenly over
    # the first 2 h, then idle from 19:00 with 10 min grace.
    # 17-19 peak: 30 kWh x 0.50 = 15.00, 120 min x 0.02 = 2.40
    # 19:00-19:10 grace: free; 19:10-20:00: 50 min x 0.30 = 15.00
    # fee 1.00: 33.40, capped at 30.00; +19% = 35.70
    t = tariff(
        energy_price="0.35",
        time_price="0.02",
        idle_price="0.30",
        idle_grace_minutes=10,
        session_fee="1",
        max_price="30",
        vat_rate="19",
        timezone="Europe/Berlin",
        bands=[{"start": "16:00", "end": "19:00", "energy_price": "0.50"}],
    )
    start = local(2026, 11, 23, 17, 0)
    meter = ((start, D(500)), (start + 7200, D(30500)), (start + 10800, D(30500)))
    priced = price(
        t, Usage(started_at=start, ended_at=start + 10800, meter=meter, idle_since=start + 7200)
    )
    assert priced.energy_cost == D("15.00") and priced.time_cost == D("2.40")
    assert priced.idle_cost == D("15.00") and priced.fixed_cost == 1
    assert priced.total.excl_vat == D("30.00") and priced.total.incl_vat == D("35.70")
    assert [(p.band, p.state) for p in priced.periods] == [
        (0, "charging"),
        (None, "grace"),
        (None, "idle"),
    ]


def test_a_session_of_no_length_costs_its_fee() -> None:
    priced = price(tariff(session_fee="2", time_price="1"), usage(START, 0, 0))
    assert priced.total.excl_vat == D("2.00") and priced.periods == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"currency": "EUX"}, "currency"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"energy_price": "-0.1"}, "energy_price"),
        ({"energy_price": "0.1234567"}, "six decimal places"),
        ({"energy_price": "NaN"}, "energy_price"),
        ({"vat_rate": "101"}, "vat_rate"),
        ({"min_price": "10", "max_price": "5"}, "min_price"),
        ({"bands": [{"days": ["MONDAY", "MONDAY"]}]}, "bands[0].days"),
        ({"bands": [{"idle_price": "-1"}]}, "bands[0].idle_price"),
    ],
)
def test_a_tariff_that_cant_be_used_is_refused_naming_the_field(
    fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(Invalid, match=message.replace("[", r"\[").replace("]", r"\]")):
        tariff(**fields)


@pytest.mark.parametrize(
    "fields",
    [
        {"bands": [{"start": "25:00"}]},
        {"bands": [{"days": ["MONDAYS"]}]},
        {"energy_prize": "0.3"},
        {"currency": "eur"},
        {"idle_grace_minutes": -1},
    ],
)
def test_a_tariff_that_doesnt_parse_is_refused(fields: dict[str, Any]) -> None:
    with pytest.raises(msgspec.ValidationError):
        tariff(**fields)


def test_prices_as_json_numbers_are_read_exactly() -> None:
    t = msgspec.json.decode(b'{"currency": "EUR", "energy_price": 0.1}', type=Tariff)
    assert t.energy_price == D("0.1")  # not 0.1000000000000000055511151231257827


def test_a_session_known_only_by_its_end_pays_for_its_energy() -> None:
    # A reconciliation session: no start, 5 kWh known: 5 x 0.40 + 1.00 = 3.00
    t = tariff(energy_price="0.40", session_fee="1", time_price="1")
    meter = ((START, D(0)), (START, D(5000)))
    priced = price(t, Usage(started_at=START, ended_at=START, meter=meter))
    assert priced.total.excl_vat == D("3.00") and priced.energy_kwh == 5
    [period] = priced.periods
    assert {d.type: d.volume for d in period.dimensions} == {"ENERGY": 5}


def test_a_band_across_the_autumn_dst_change_counts_the_repeated_hour() -> None:
    # Berlin 2026-10-25: 02:00-03:00 happens twice. 00:00-04:00 local is 5
    # real hours; the band 01:00-02:30 covers 01:00-02:30 summer time and
    # 02:00-02:30 winter time: 120 free minutes, 180 at 1/min.
    t = tariff(
        time_price="1",
        timezone="Europe/Berlin",
        bands=[{"start": "01:00", "end": "02:30", "time_price": "0"}],
    )
    start, end = local(2026, 10, 25, 0, 0), local(2026, 10, 25, 4, 0)
    assert end - start == 5 * 3600
    assert price(t, Usage(started_at=start, ended_at=end)).total.excl_vat == D("180.00")


def test_a_band_across_the_spring_dst_change_skips_the_missing_hour() -> None:
    # Berlin 2026-03-29: 02:00-03:00 doesn't happen. 00:00-04:00 local is 3
    # real hours; the band 01:30-02:30 covers 01:30-02:00 (then the clock
    # jumps to 03:00): 30 free minutes, 150 at 1/min.
    t = tariff(
        time_price="1",
        timezone="Europe/Berlin",
        bands=[{"start": "01:30", "end": "02:30", "time_price": "0"}],
    )
    start, end = local(2026, 3, 29, 0, 0), local(2026, 3, 29, 4, 0)
    assert end - start == 3 * 3600
    assert price(t, Usage(started_at=start, ended_at=end)).total.excl_vat == D("150.00")


def test_a_meter_that_runs_backwards_is_not_billed_negative_energy() -> None:
    t = tariff(energy_price="0.30", session_fee="1")
    meter = ((START, D(21000)), (START + 3600, D(1000)))
    priced = price(t, Usage(started_at=START, ended_at=START + 3600, meter=meter))
    assert priced.total.excl_vat == D("1.00") and priced.energy_kwh == 0
    assert "below its start" in priced.remarks[0]


def test_huge_readings_are_priced_exactly_or_refused_not_truncated() -> None:
    t = tariff(energy_price="1000000000")
    meter = ((START, D(0)), (START + 3600, D("1E+20")))  # 10^17 kWh
    total = price(t, Usage(started_at=START, ended_at=START + 3600, meter=meter)).total
    assert total.excl_vat == D("100000000000000000000000000.00")
