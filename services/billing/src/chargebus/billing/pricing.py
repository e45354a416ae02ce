"""What a session costs under a tariff: a pure function of the tariff and
what the session's events say (docs/billing.md).

The session, from its start to its end, is cut wherever something that
sets a price changes: a band's start or end (in the tariff's time zone),
the moment the car stopped charging for good (``idle_since``) and the end
of the idle grace period.  Each piece is priced with the prices in force
in it: its energy (from the meter readings, linearly between them), its
minutes of charging, or its minutes of idle time past the grace period.
Adjacent pieces with the same prices form one charging period.

Amounts are exact decimals until the end: the sum is bounded by the
tariff's minimum and maximum, then rounded once, half up, to the
currency's minor unit; VAT is added to the rounded amount and rounded the
same way.  The parts shown (energy, time, parking, fixed) are rounded on
their own, so they may differ from the total by a minor unit.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, Inexact, localcontext
from zoneinfo import ZoneInfo

from chargebus.common.billing import DAYS, Band, CdrDimension, ChargingPeriod, Price, Tariff
from chargebus.common.billing import minor_unit as _minor_unit

__all__ = ["Priced", "Usage", "band_at", "price", "tidy", "total_price"]

_ZERO = Decimal(0)
_KWH = Decimal("0.000001")  # volumes shown: 1 mWh
_HOURS = Decimal("0.000001")  # 3.6 ms
_COST = Decimal("0.000001")
_STATES = ("charging", "grace", "idle")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Usage:
    """What is known of a session, in the charger's clock (seconds since
    the epoch)."""

    started_at: float
    ended_at: float
    #: Energy register readings (time, Wh), start and end included when
    #: known.  Fewer than two: no energy is priced.
    meter: tuple[tuple[float, Decimal], ...] = ()
    #: When the car stopped charging for good; None: it charged to the end
    #: (or nobody said otherwise), and no idle time is charged.
    idle_since: float | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Priced:
    periods: list[ChargingPeriod]
    energy_kwh: Decimal
    charging_hours: Decimal
    idle_hours: Decimal
    #: Exact, before VAT.
    energy_cost: Decimal
    time_cost: Decimal
    idle_cost: Decimal
    fixed_cost: Decimal
    #: Rounded, after the minimum and maximum.
    total: Price
    remarks: list[str]

    def part(self, tariff: Tariff, amount: Decimal) -> Price:
        return _with_vat(tariff, amount.quantize(_minor_unit(tariff.currency), ROUND_HALF_UP))


def tidy(x: Decimal, step: Decimal) -> Decimal:
    """Rounded to ``step``, without trailing zeros (7.5, not 7.500000)."""
    return Decimal(format(x.quantize(step, ROUND_HALF_UP).normalize(), "f"))


def _d(x: float) -> Decimal:
    """A float's shortest exact decimal form (1793534400.1, not its binary value)."""
    return Decimal(repr(x))


def _with_vat(tariff: Tariff, excl: Decimal) -> Price:
    incl = (excl * (1 + tariff.vat_rate / 100)).quantize(
        _minor_unit(tariff.currency), ROUND_HALF_UP
    )
    return Price(excl_vat=excl, incl_vat=incl)


def total_price(tariff: Tariff, exact: Decimal, *, final: bool = True) -> tuple[Price, list[str]]:
    """Bound by the minimum (``final`` only: a running cost isn't a bill
    yet) and the maximum, round, add VAT."""
    remarks = []
    if final and tariff.min_price is not None and exact < tariff.min_price:
        exact = tariff.min_price
        remarks.append(f"minimum price {tariff.min_price} {tariff.currency} applied")
    if tariff.max_price is not None and exact > tariff.max_price:
        exact = tariff.max_price
        remarks.append(f"maximum price {tariff.max_price} {tariff.currency} applied")
    excl = exact.quantize(_minor_unit(tariff.currency), ROUND_HALF_UP)
    return _with_vat(tariff, excl), remarks


# -- time of day ------------------------------------------------------------------------


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _in_band(band: Band, local: datetime) -> bool:
    now = local.hour * 60 + local.minute + local.second / 60 + local.microsecond / 60e6
    start, end = _minutes(band.start), _minutes(band.end)
    days = band.days or DAYS
    today = DAYS[local.weekday()]
    if start < end:
        return today in days and start <= now < end
    # Past midnight (or a whole day when start == end): it belongs to the day it starts on.
    yesterday = DAYS[(local.weekday() - 1) % 7]
    return (today in days and now >= start) or (yesterday in days and now < end)


def band_at(tariff: Tariff, zone: ZoneInfo, at: float) -> int | None:
    """The band in force at ``at`` (the first that matches), if any."""
    if not tariff.bands:
        return None
    local = datetime.fromtimestamp(at, zone)
    for n, band in enumerate(tariff.bands):
        if _in_band(band, local):
            return n
    return None


def _local(day: date, clock: str, zone: ZoneInfo) -> set[float]:
    """The instants a wall-clock time happens on a day: two when the clocks
    go back over it (fold 0 and 1), and for a time the clocks skip, where
    each reading of it lands."""
    # Wall-clock arithmetic: 24:00 is the next day's midnight, local time.
    naive = datetime(day.year, day.month, day.day) + timedelta(minutes=_minutes(clock))
    return {naive.replace(tzinfo=zone, fold=fold).timestamp() for fold in (0, 1)}


def _transitions(zone: ZoneInfo, start: float, end: float) -> set[float]:
    """The instants the zone's UTC offset changes between start and end (to
    the second), so no piece of the session straddles one."""
    found: set[float] = set()
    day = 86400.0
    t = start
    while t < end:
        u = min(t + day, end)
        if (
            datetime.fromtimestamp(t, zone).utcoffset()
            != datetime.fromtimestamp(u, zone).utcoffset()
        ):
            low, high = t, u
            before = datetime.fromtimestamp(low, zone).utcoffset()
            while high - low > 1:
                middle = (low + high) // 2
                if datetime.fromtimestamp(middle, zone).utcoffset() == before:
                    low = middle
                else:
                    high = middle
            found.add(high)
        t = u
    return found


def _band_edges(tariff: Tariff, zone: ZoneInfo, start: float, end: float) -> set[float]:
    edges: set[float] = set()
    if not tariff.bands:
        return edges
    first = datetime.fromtimestamp(start, zone).date() - timedelta(days=1)
    last = datetime.fromtimestamp(end, zone).date() + timedelta(days=1)
    clocks = tuple((band.start, band.end) for band in tariff.bands)
    day = first
    while day <= last:
        edges.update(_day_edges(zone, clocks, day))
        day += timedelta(days=1)
    edges |= _transitions(zone, start, end)
    return {e for e in edges if start < e < end}


@functools.lru_cache(maxsize=4096)
def _day_edges(zone: ZoneInfo, clocks: tuple[tuple[str, str], ...], day: date) -> frozenset[float]:
    """The instants the bands (as (start, end) clocks) starting on ``day``
    begin and end: the same for every session that day, so kept."""
    edges: set[float] = set()
    for start, end in clocks:
        edges |= _local(day, start, zone)
        ends_on = day if _minutes(end) > _minutes(start) else day + timedelta(days=1)
        edges |= _local(ends_on, end, zone)
    return frozenset(edges)


# -- energy -----------------------------------------------------------------------------


class _Meter:
    """The energy register between readings, linearly.  A profile that
    isn't monotonic within the start and end readings (a meter swapped, a
    bad reading) is dropped for the straight line from start to end: the
    total stays the session's energy either way."""

    def __init__(self, readings: tuple[tuple[float, Decimal], ...]) -> None:
        points = sorted(readings)
        #: The stop reading is below the start (a meter swapped or reset):
        #: no energy is priced rather than a negative amount.
        self.backwards = len(points) >= 2 and points[-1][1] < points[0][1]
        if self.backwards:
            points = []
        if len(points) > 2:
            first, last = points[0][1], points[-1][1]
            values = [v for _, v in points]
            if any(b < a for a, b in itertools.pairwise(values)) or not (
                first <= min(values) and max(values) <= last
            ):
                points = [points[0], points[-1]]
        self.points = [(_d(t), v) for t, v in points]

    def total(self) -> Decimal:
        return self.points[-1][1] - self.points[0][1] if self.points else _ZERO

    def at(self, t: Decimal) -> Decimal:
        points = self.points
        if not points:
            return _ZERO
        if t <= points[0][0]:
            return points[0][1]
        for (t0, v0), (t1, v1) in itertools.pairwise(points):
            if t <= t1:
                if t1 == t0:
                    return v1
                return v0 + (v1 - v0) * (t - t0) / (t1 - t0)
        return points[-1][1]


# -- the price --------------------------------------------------------------------------


def price(tariff: Tariff, usage: Usage, *, final: bool = True) -> Priced:
    # Room for any plausible amount at six decimal places; beyond it
    # (a reading of 10^40 Wh) the caller gets an ArithmeticError.
    with localcontext() as context:
        context.prec = 60
        context.traps[Inexact] = False
        return _price(tariff, usage, final)


def _price(tariff: Tariff, usage: Usage, final: bool) -> Priced:
    zone = ZoneInfo(tariff.timezone)
    start, end = usage.started_at, max(usage.ended_at, usage.started_at)
    idle = usage.idle_since
    grace_end = idle + tariff.idle_grace_minutes * 60 if idle is not None else None
    cuts = {start, end} | _band_edges(tariff, zone, start, end)
    for t in (idle, grace_end):
        if t is not None and start < t < end:
            cuts.add(t)
    times = sorted(cuts)
    meter = _Meter(usage.meter)
    if len(times) == 1 and meter.total():
        # No length (a reconciliation session: only its end is known) but
        # known energy: one instant that carries it all.
        times = [start, start]
    remarks = []
    if meter.backwards:
        remarks.append("the meter's stop reading is below its start: energy not priced")
    elif len(usage.meter) < 2:
        remarks.append("no meter readings: energy not priced")

    periods: list[ChargingPeriod] = []
    key: tuple[int | None, str] | None = None
    totals = {"energy": _ZERO, "time": _ZERO, "idle": _ZERO}
    volumes = {"ENERGY": _ZERO, "TIME": _ZERO, "PARKING_TIME": _ZERO}
    period_volumes: dict[str, Decimal] = {}
    period_cost = _ZERO

    def close() -> None:
        if not periods:
            return
        periods[-1].dimensions = [
            CdrDimension(type=kind, volume=tidy(volume, _KWH if kind == "ENERGY" else _HOURS))  # type: ignore[arg-type]
            for kind, volume in period_volumes.items()
            if volume or kind == "ENERGY"
        ]
        periods[-1].cost_excl_vat = tidy(period_cost, _COST)

    for a, b in itertools.pairwise(times):
        middle = (a + b) / 2
        band_n = band_at(tariff, zone, middle)
        band = tariff.bands[band_n] if band_n is not None else None
        if idle is None or middle < idle:
            state = "charging"
        elif grace_end is not None and middle < grace_end:
            state = "grace"
        else:
            state = "idle"
        da, db = _d(a), _d(b)
        kwh = (meter.at(db) - meter.at(da)) / 1000 if a < b else meter.total() / 1000
        minutes = (db - da) / 60
        energy_price = (
            band.energy_price if band and band.energy_price is not None else tariff.energy_price
        )
        time_price = band.time_price if band and band.time_price is not None else tariff.time_price
        idle_price = band.idle_price if band and band.idle_price is not None else tariff.idle_price
        costs = {"energy": kwh * energy_price, "time": _ZERO, "idle": _ZERO}
        if state == "charging":
            costs["time"] = minutes * time_price
        elif state == "idle":
            costs["idle"] = minutes * idle_price
        if (band_n, state) != key:
            close()
            key = (band_n, state)
            periods.append(
                ChargingPeriod(
                    start_date_time=datetime.fromtimestamp(a, UTC),
                    dimensions=[],
                    tariff_id=tariff.id or None,
                    state=state,  # type: ignore[arg-type]
                    band=band_n,
                )
            )
            period_volumes = {"ENERGY": _ZERO, "TIME": _ZERO, "PARKING_TIME": _ZERO}
            period_cost = _ZERO
        hours = minutes / 60
        period_volumes["ENERGY"] += kwh
        volumes["ENERGY"] += kwh
        kind = "TIME" if state == "charging" else "PARKING_TIME"
        period_volumes[kind] += hours
        volumes[kind] += hours
        for name, cost in costs.items():
            totals[name] += cost
            period_cost += cost
    close()

    fixed = tariff.session_fee
    exact = totals["energy"] + totals["time"] + totals["idle"] + fixed
    total, bounded = total_price(tariff, exact, final=final)
    return Priced(
        periods=periods,
        energy_kwh=volumes["ENERGY"],
        charging_hours=volumes["TIME"],
        idle_hours=volumes["PARKING_TIME"],
        energy_cost=totals["energy"],
        time_cost=totals["time"],
        idle_cost=totals["idle"],
        fixed_cost=fixed,
        total=total,
        remarks=remarks + bounded,
    )
