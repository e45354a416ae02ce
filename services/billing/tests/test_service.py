"""The billing service, from the session events it consumes to the CDRs and
running costs it publishes (chargebus.billing.service), on SQLite and on the
MongoDB stand-in.

Covered: a CDR's totals, VAT and charging periods; which tariff applies (the
charger's, its group's, the default's, none) and which version (the one in
force at the session's start); session.ended redelivered or delivered
concurrently; corrected revisions as CDR versions; sessions whose start was
never seen; the throttled billing.cost_updated and the optional CostUpdated
CALL to 2.x chargers; a CDR a crash left unwritten, finished by the sweep.

Events are handed to ``on_delivery`` directly, as the broker would deliver
them, so a test can deliver one twice, late, or concurrently; the service's
clock is the test's.  Amounts are worked out by hand next to each assertion:
prices exclude VAT; the total is rounded once, half up, to cents; VAT is
added to the rounded total and rounded the same way.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import msgspec
import pytest

from chargebus.billing.model import SCHEMA, BillingSession, Invalid
from chargebus.billing.service import BillingService
from chargebus.billing.settings import BillingSettings
from chargebus.common.billing import Cdr, Price, Tariff
from chargebus.common.bus import Delivery
from chargebus.common.bus.memory import MemoryBroker, MemoryBus
from chargebus.common.bus.topology import COMMANDS, EVENTS
from chargebus.common.commands import CommandRequest
from chargebus.common.events import SessionEnded, SessionStarted, SessionUpdated
from chargebus.common.store.documents import sweep_outboxes

#: Monday 2 March 2026, 10:00 UTC: when the test sessions start.  The
#: service's clock starts an hour earlier, so that tariffs and assignments
#: made first are in force by then.
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC).timestamp()
HOUR = 3600.0

SessionEvent = SessionStarted | SessionUpdated | SessionEnded


def tariff(**fields: Any) -> Tariff:
    return Tariff(**{"currency": "EUR", **fields})


#: 0.30/kWh, 0.02/min of charging, 0.50 per session, 19 % VAT.
STANDARD = tariff(
    energy_price=D("0.30"), time_price=D("0.02"), session_fee=D("0.50"), vat_rate=D(19)
)


def at(t: float) -> datetime:
    return datetime.fromtimestamp(t, UTC)


# -- the harness ---------------------------------------------------------------------


class Clock:
    """The service's clock: stands still until the test moves it."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Harness:
    def __init__(self, path: Path, *, mongo: bool, **settings: Any) -> None:
        self.path = path
        self.mongo = mongo
        self.settings = BillingSettings(**{"cdr_delay": 0.0, **settings})
        self.clock = Clock(T0 - HOUR)
        self.broker = MemoryBroker()
        #: Everything published on chargebus.events, decoded.
        self.events: list[dict[str, Any]] = []
        #: Everything published on chargebus.commands: (routing key, body).
        self.commands: list[tuple[str, dict[str, Any]]] = []
        self._ids = itertools.count(1)
        self._listeners: list[MemoryBus] = []
        self.service: BillingService | None = None

    def make_store(self) -> Any:
        if not self.mongo:
            from chargebus.common.store.sqlite import SqliteStore

            return SqliteStore(self.path, SCHEMA)
        from mongo_standin import standin_client_factory

        from chargebus.common.store.mongo import MongoStore

        client = standin_client_factory("mongodb://standin")
        return MongoStore("mongodb://standin/chargebus", SCHEMA, client_factory=lambda _u: client)

    async def start(self) -> Harness:
        for exchange, key, handler in (
            (EVENTS, "#", self._on_event),
            (COMMANDS, "command.#", self._on_command),
        ):
            listener = MemoryBus(self.broker)
            await listener.start()
            await listener.inbox(exchange, key, handler)
            self._listeners.append(listener)
        self.service = BillingService(
            self.settings, self.make_store(), MemoryBus(self.broker), clock=self.clock
        )
        await self.service.start()
        return self

    async def close(self) -> None:
        if self.service is not None:
            await self.service.stop()
        for listener in self._listeners:
            await listener.close()

    async def _on_event(self, delivery: Delivery) -> None:
        self.events.append(msgspec.json.decode(delivery.body))

    async def _on_command(self, delivery: Delivery) -> None:
        self.commands.append((delivery.routing_key, msgspec.json.decode(delivery.body)))

    @property
    def svc(self) -> BillingService:
        assert self.service is not None
        return self.service

    # -- tariffs -------------------------------------------------------------------

    async def default_tariff(self, tariff_id: str, body: Tariff = STANDARD) -> None:
        await self.svc.put_tariff(tariff_id, body)
        await self.svc.assign("group:default", tariff_id)

    # -- session events ------------------------------------------------------------

    def _fields(self, session_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        return {
            "event_id": f"{session_id}:{next(self._ids)}",
            "charger_id": "CP-1",
            "session_id": session_id,
            "transaction_id": f"tx-{session_id}",
            "evse_id": 1,
            "connector_id": 1,
            "id_token": "TAG-1",
            "protocol": "ocpp1.6",
            **fields,
        }

    def started(
        self,
        session_id: str = "S-1",
        *,
        started_at: float = T0,
        meter_start_wh: float | None = 1000.0,
        **fields: Any,
    ) -> SessionStarted:
        return SessionStarted(
            **self._fields(session_id, fields),
            occurred_at=started_at,
            started_at=started_at,
            meter_start_wh=meter_start_wh,
        )

    def updated(
        self, session_id: str = "S-1", *, meter_at: float, meter_wh: float, **fields: Any
    ) -> SessionUpdated:
        """A reading of the energy register (``meter_wh`` at ``meter_at``)."""
        return SessionUpdated(
            **self._fields(session_id, fields),
            occurred_at=meter_at,
            meter_at=meter_at,
            meter_wh=meter_wh,
            energy_wh=meter_wh - 1000.0,
        )

    def ended(
        self,
        session_id: str = "S-1",
        *,
        started_at: float | None = T0,
        ended_at: float = T0 + HOUR,
        meter_start_wh: float | None = 1000.0,
        meter_stop_wh: float | None = 12_500.0,
        revision: int = 1,
        **fields: Any,
    ) -> SessionEnded:
        """By default an hour's session from T0, 11.5 kWh (1000 to 12500 Wh)."""
        energy = (
            meter_stop_wh - meter_start_wh
            if meter_start_wh is not None and meter_stop_wh is not None
            else None
        )
        return SessionEnded(
            **{"energy_wh": energy, **self._fields(session_id, fields)},
            occurred_at=ended_at,
            started_at=started_at,
            ended_at=ended_at,
            meter_start_wh=meter_start_wh,
            meter_stop_wh=meter_stop_wh,
            revision=revision,
        )

    @staticmethod
    def delivery(event: SessionEvent) -> Delivery:
        """The event as the broker hands it over: routing key = its type tag."""
        tag = type(event).__struct_config__.tag
        assert isinstance(tag, str)
        return Delivery(body=msgspec.json.encode(event), routing_key=tag, exchange=EVENTS)

    async def deliver(self, *events: SessionEvent) -> None:
        """Hand each event to the service in turn, then let the bus settle."""
        for event in events:
            await self.svc.on_delivery(self.delivery(event))
        await self.settle()

    async def settle(self) -> None:
        """Let the in-memory broker hand out what was published."""
        for _ in range(20):
            await asyncio.sleep(0)

    # -- what came out -------------------------------------------------------------

    def events_of(self, type_: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["type"] == type_]

    async def cdr(self, session_id: str = "S-1", version: int | None = None) -> Cdr:
        cdr = await self.svc.cdr_of(session_id, version)
        assert cdr is not None, f"no CDR for {session_id} (version {version})"
        return cdr

    async def cdr_docs(self, session_id: str = "S-1") -> list[dict[str, Any]]:
        docs = await self.svc.store.find("cdrs", {"session_id": session_id}, limit=1000)
        return sorted(docs, key=lambda d: d["version"])

    async def billed(self, session_id: str = "S-1") -> BillingSession:
        raw = await self.svc.store.get("billed_sessions", session_id)
        assert raw is not None
        return msgspec.convert(raw, BillingSession)


MakeHarness = Callable[..., Awaitable[Harness]]


@pytest.fixture(params=["sqlite", "mongo"])
async def make_harness(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[MakeHarness]:
    """Started harnesses with the given settings, on SQLite and on the
    MongoDB stand-in."""
    made: list[Harness] = []

    async def make(**settings: Any) -> Harness:
        path = tmp_path / f"billing-{len(made)}.db"
        h = Harness(path, mongo=request.param == "mongo", **settings)
        made.append(h)
        return await h.start()

    yield make
    for h in made:
        await h.close()


@pytest.fixture
async def harness(make_harness: MakeHarness) -> Harness:
    return await make_harness()


# -- a CDR -----------------------------------------------------------------------------


async def test_cdr_of_a_session_under_the_default_tariff(harness: Harness) -> None:
    h = harness
    await h.default_tariff("std")
    h.clock.now = T0
    await h.deliver(h.started())
    h.clock.now = T0 + HOUR + 1
    await h.deliver(h.ended())  # T0 to T0 + 1 h, 1000 to 12500 Wh

    cdr = await h.cdr()
    # energy 11.5 kWh x 0.30 = 3.45; time 60 min x 0.02 = 1.20; fee 0.50
    # -> 5.15 excl. VAT; x 1.19 = 6.1285 -> 6.13
    assert cdr.total_cost == Price(excl_vat=D("5.15"), incl_vat=D("6.13"))
    assert cdr.total_energy == D("11.5")
    assert cdr.total_time == D(1)
    assert cdr.total_parking_time is None
    # The parts, each rounded on its own: 3.45 x 1.19 = 4.1055 -> 4.11,
    # 1.20 x 1.19 = 1.428 -> 1.43, 0.50 x 1.19 = 0.595 -> 0.60.
    assert cdr.total_energy_cost == Price(excl_vat=D("3.45"), incl_vat=D("4.11"))
    assert cdr.total_time_cost == Price(excl_vat=D("1.20"), incl_vat=D("1.43"))
    assert cdr.total_fixed_cost == Price(excl_vat=D("0.50"), incl_vat=D("0.60"))
    assert cdr.total_parking_cost is None
    assert cdr.currency == "EUR"
    assert (cdr.id, cdr.version, cdr.session_id, cdr.charger_id) == ("S-1", 1, "S-1", "CP-1")
    assert cdr.transaction_id == "tx-S-1"
    assert (cdr.start_date_time, cdr.end_date_time) == (at(T0), at(T0 + HOUR))
    assert cdr.session_status == "ended"
    assert cdr.remark is None
    assert [t.id for t in cdr.tariffs] == ["std"]
    assert cdr.cdr_token is not None and cdr.cdr_token.uid == "TAG-1"
    assert cdr.auth_method == "AUTH_REQUEST"
    assert cdr.cdr_location.evse_uid == "CP-1*1"
    # One period at one price: its cost is energy and time, the fee is not
    # in any period (3.45 + 1.20 = 4.65).
    [period] = cdr.charging_periods
    assert period.start_date_time == at(T0)
    assert (period.state, period.band, period.tariff_id) == ("charging", None, "std")
    assert {d.type: d.volume for d in period.dimensions} == {"ENERGY": D("11.5"), "TIME": D(1)}
    assert period.cost_excl_vat == D("4.65")

    [event] = h.events_of("billing.cdr_created")
    assert event["event_id"] == "S-1:cdr:1"
    assert (event["session_id"], event["cdr_id"], event["version"]) == ("S-1", "S-1", 1)
    assert msgspec.convert(event["cdr"], Cdr) == cdr
    # The CDR's own document, the one version, the latest.
    [doc] = await h.cdr_docs()
    assert (doc["version"], doc["latest"]) == (1, True)
    assert await h.cdr("S-1", 1) == cdr
    assert await h.svc.cdr_of("S-1", 2) is None
    assert await h.svc.cdr_of("S-unknown") is None


async def test_idle_time_after_the_grace_period_is_a_period_of_its_own(harness: Harness) -> None:
    h = harness
    # 0.30/kWh, 0.02/min charging, 0.10/min idle after 10 minutes' grace, 0.50 fee.
    await h.default_tariff(
        "idle",
        msgspec.structs.replace(STANDARD, idle_price=D("0.10"), idle_grace_minutes=10),
    )
    h.clock.now = T0 + HOUR
    # Charging 40 minutes (all 11.5 kWh by then), then 20 minutes idle.
    await h.deliver(
        h.ended(idle_since=T0 + 2400, meter_profile=[(T0 + 2400, 12_500.0)]),
    )
    cdr = await h.cdr()
    # energy 11.5 x 0.30 = 3.45; charging 40 min x 0.02 = 0.80; idle: 20 min
    # less 10 of grace = 10 min x 0.10 = 1.00; fee 0.50 -> 5.75;
    # x 1.19 = 6.8425 -> 6.84
    assert cdr.total_cost == Price(excl_vat=D("5.75"), incl_vat=D("6.84"))
    # 40 min = 0.666667 h charging, 20 min = 0.333333 h parked: 1 h in all.
    assert cdr.total_time == D(1)
    assert cdr.total_parking_time == D("0.333333")
    assert cdr.total_parking_cost == Price(excl_vat=D("1.00"), incl_vat=D("1.19"))
    periods = [
        (p.start_date_time, p.state, {d.type: d.volume for d in p.dimensions}, p.cost_excl_vat)
        for p in cdr.charging_periods
    ]
    assert periods == [
        # 3.45 + 0.80 = 4.25
        (at(T0), "charging", {"ENERGY": D("11.5"), "TIME": D("0.666667")}, D("4.25")),
        (at(T0 + 2400), "grace", {"ENERGY": D(0), "PARKING_TIME": D("0.166667")}, D(0)),
        (at(T0 + 3000), "idle", {"ENERGY": D(0), "PARKING_TIME": D("0.166667")}, D(1)),
    ]


# -- which tariff ----------------------------------------------------------------------


async def test_the_chargers_tariff_beats_its_groups_which_beats_the_default(
    harness: Harness,
) -> None:
    h = harness
    for tariff_id, per_kwh in (("own", "0.40"), ("grp", "0.35"), ("dflt", "0.30")):
        await h.svc.put_tariff(tariff_id, tariff(energy_price=D(per_kwh)))
    await h.svc.assign("group:default", "dflt")
    await h.svc.assign("group:g1", "grp")
    await h.svc.assign("charger:CP-1", "own", group="g1")  # its own and a group
    await h.svc.assign("charger:CP-2", None, group="g1")  # a group only
    await h.svc.assign("charger:CP-3", None, group="g2")  # a group without a tariff
    # CP-4: never assigned anything.

    resolved = {}
    for charger in ("CP-1", "CP-2", "CP-3", "CP-4"):
        found, via = await h.svc.resolve(charger, T0)
        resolved[charger] = (found.id if found else None, via)
    assert resolved == {
        "CP-1": ("own", "charger"),
        "CP-2": ("grp", "group:g1"),
        "CP-3": ("dflt", "default"),
        "CP-4": ("dflt", "default"),
    }
    # Before any assignment took effect: none.
    assert await h.svc.resolve("CP-1", T0 - 2 * HOUR) == (None, None)

    h.clock.now = T0 + HOUR
    for n in (1, 2, 3, 4):
        session = f"S-{n}"
        await h.deliver(
            h.started(session, charger_id=f"CP-{n}"),
            h.ended(session, charger_id=f"CP-{n}", meter_stop_wh=11_000.0),  # 10 kWh
        )
    cdrs = {n: await h.cdr(f"S-{n}") for n in (1, 2, 3, 4)}
    totals = {n: (cdr.tariffs[0].id, cdr.total_cost.excl_vat) for n, cdr in cdrs.items()}
    # 10 kWh x 0.40, x 0.35, x 0.30, x 0.30 (no VAT)
    assert totals == {
        1: ("own", D("4.00")),
        2: ("grp", D("3.50")),
        3: ("dflt", D("3.00")),
        4: ("dflt", D("3.00")),
    }
    assert (await h.billed("S-2")).tariff_via == "group:g1"


async def test_a_session_without_any_tariff_costs_nothing_in_the_settings_currency(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness(currency="SEK")
    await h.svc.put_tariff("unassigned", STANDARD)  # exists, but nobody has it
    h.clock.now = T0 + HOUR
    await h.deliver(h.started(), h.ended())

    cdr = await h.cdr()
    assert cdr.currency == "SEK"
    assert cdr.total_cost == Price(excl_vat=D(0), incl_vat=D(0))
    assert cdr.total_energy == D("11.5")  # the energy is still what it was
    assert cdr.tariffs == []
    assert cdr.remark is not None and "no tariff" in cdr.remark
    assert len(h.events_of("billing.cdr_created")) == 1
    assert h.events_of("billing.cost_updated") == []
    registry = h.svc.metrics.registry
    assert registry.get_sample_value("chargebus_billing_sessions_without_tariff_total") == 1


# -- which version ---------------------------------------------------------------------


async def test_the_version_in_force_at_the_sessions_start_applies(harness: Harness) -> None:
    h = harness
    await h.default_tariff("t", tariff(energy_price=D("0.30")))  # v1, from T0 - 1 h
    h.clock.now = T0
    await h.deliver(h.started("S-1"))
    h.clock.now = T0 + 300
    # S-2 starts at T0 + 300 too, but its event is only worked on after v2.
    s2_started = h.started("S-2", started_at=T0 + 300)

    h.clock.now = T0 + 600
    await h.svc.put_tariff("t", tariff(energy_price=D("0.50")))  # v2, from T0 + 600
    await h.svc.put_tariff(  # v3, from T0 + 2 h
        "t", tariff(energy_price=D("0.70"), valid_from=at(T0 + 2 * HOUR))
    )
    doc = await h.svc.get_tariff("t")
    assert doc is not None
    assert [v.energy_price for v in doc.versions] == [D("0.30"), D("0.50"), D("0.70")]

    h.clock.now = T0 + 900
    await h.deliver(s2_started)
    await h.deliver(h.started("S-3", started_at=T0 + 1200))
    await h.deliver(h.started("S-4", started_at=T0 + 2 * HOUR))
    h.clock.now = T0 + 5 * HOUR
    for session, started_at in (
        ("S-1", T0),
        ("S-2", T0 + 300),
        ("S-3", T0 + 1200),
        ("S-4", T0 + 2 * HOUR),
    ):
        # 10 kWh each; S-3 ends after v3 took effect.
        await h.deliver(
            h.ended(session, started_at=started_at, ended_at=T0 + 3 * HOUR, meter_stop_wh=11_000)
        )
    totals = {s: (await h.cdr(s)).total_cost.excl_vat for s in ("S-1", "S-2", "S-3", "S-4")}
    # 10 kWh x 0.30 (v1), x 0.30 (v1: started before v2), x 0.50 (v2), x 0.70 (v3)
    assert totals == {"S-1": D("3.00"), "S-2": D("3.00"), "S-3": D("5.00"), "S-4": D("7.00")}
    cdr = await h.cdr("S-1")
    assert cdr.tariffs[0].valid_from == at(T0 - HOUR)
    assert cdr.charging_periods[0].tariff_id == "t"


async def test_a_tariff_version_cannot_take_effect_in_the_past(harness: Harness) -> None:
    h = harness
    await h.svc.put_tariff("t", tariff(energy_price=D("0.30")))
    with pytest.raises(Invalid, match="valid_from"):
        await h.svc.put_tariff(
            "t", tariff(energy_price=D("0.10"), valid_from=at(h.clock.now - HOUR))
        )
    with pytest.raises(Invalid, match="valid_from"):  # no time zone
        await h.svc.put_tariff("t", tariff(valid_from=datetime(2026, 12, 1)))
    with pytest.raises(Invalid, match="id"):
        await h.svc.put_tariff("t", tariff(id="other"))
    doc = await h.svc.get_tariff("t")
    assert doc is not None and [v.energy_price for v in doc.versions] == [D("0.30")]
    # The same body again is no new version.
    h.clock.now += 60
    await h.svc.put_tariff("t", tariff(energy_price=D("0.30")))
    doc = await h.svc.get_tariff("t")
    assert doc is not None and len(doc.versions) == 1


# -- session.ended, again --------------------------------------------------------------


async def test_session_ended_redelivered_makes_one_cdr(harness: Harness) -> None:
    h = harness
    await h.default_tariff("std")
    h.clock.now = T0 + HOUR
    ended = h.ended()
    await h.deliver(h.started(), ended, ended)
    h.clock.now += 60
    await h.deliver(ended)
    await h.svc.sweep()
    await h.settle()

    assert [d["version"] for d in await h.cdr_docs()] == [1]
    assert len(h.events_of("billing.cdr_created")) == 1
    assert (await h.cdr()).version == 1


async def test_with_a_cdr_delay_the_sweep_makes_the_cdr_once_it_is_due(
    make_harness: MakeHarness,
) -> None:
    h = await make_harness(cdr_delay=5.0)
    await h.default_tariff("std")
    h.clock.now = T0 + HOUR
    await h.deliver(h.started(), h.ended())
    await h.svc.sweep()
    assert await h.svc.cdr_of("S-1") is None  # not due yet
    h.clock.now += 3
    # A correction within the delay lands in the first version (12.5 kWh:
    # 3.75 + 1.20 + 0.50 = 5.45, as in the revision test).
    await h.deliver(h.ended(meter_stop_wh=13_500.0, revision=2))
    await h.svc.sweep()
    assert await h.svc.cdr_of("S-1") is None  # due 5 s after revision 2 came
    h.clock.now += 5
    await h.svc.sweep()
    await h.settle()

    cdr = await h.cdr()
    assert (cdr.version, cdr.total_cost.excl_vat) == (1, D("5.45"))
    assert [d["version"] for d in await h.cdr_docs()] == [1]
    assert len(h.events_of("billing.cdr_created")) == 1


@pytest.mark.parametrize("started_first", [True, False], ids=["started", "ended-only"])
async def test_session_ended_delivered_concurrently_makes_one_cdr(
    harness: Harness, started_first: bool
) -> None:
    h = harness
    await h.default_tariff("std")
    h.clock.now = T0 + HOUR
    if started_first:
        await h.deliver(h.started())
    ended = h.ended()
    await asyncio.gather(*(h.svc.on_delivery(h.delivery(ended)) for _ in range(2)))
    await h.settle()

    assert [d["version"] for d in await h.cdr_docs()] == [1]
    assert len(h.events_of("billing.cdr_created")) == 1
    assert (await h.cdr()).total_cost.excl_vat == D("5.15")  # as in the first test


async def test_a_later_revision_that_changes_the_cdr_makes_version_2(harness: Harness) -> None:
    h = harness
    await h.default_tariff("std")
    h.clock.now = T0 + HOUR
    first = h.ended()
    await h.deliver(h.started(), first)
    h.clock.now += 60
    await h.deliver(h.ended(meter_stop_wh=13_500.0, revision=2))  # 12.5 kWh

    v1, v2 = await h.cdr("S-1", 1), await h.cdr("S-1", 2)
    assert (v1.version, v2.version) == (1, 2)
    assert v1.id == v2.id == "S-1"
    # v1 as in the first test; v2: 12.5 x 0.30 = 3.75 + 1.20 + 0.50 = 5.45;
    # x 1.19 = 6.4855 -> 6.49
    assert v1.total_cost == Price(excl_vat=D("5.15"), incl_vat=D("6.13"))
    assert v2.total_cost == Price(excl_vat=D("5.45"), incl_vat=D("6.49"))
    assert (v1.total_energy, v2.total_energy) == (D("11.5"), D("12.5"))
    assert await h.cdr() == v2
    docs = await h.cdr_docs()
    assert [(d["version"], d["latest"]) for d in docs] == [(1, False), (2, True)]
    assert len(await h.svc.store.find("cdrs", {"session_id": "S-1", "latest": True})) == 1
    created = h.events_of("billing.cdr_created")
    assert [(e["event_id"], e["version"]) for e in created] == [("S-1:cdr:1", 1), ("S-1:cdr:2", 2)]
    assert (
        h.svc.metrics.registry.get_sample_value(
            "chargebus_billing_cdrs_total", {"kind": "corrected"}
        )
        == 1
    )

    # Revision 1 again, after revision 2: too late to count.
    h.clock.now += 60
    await h.deliver(first)
    assert (await h.cdr()).version == 2
    assert (await h.cdr()).total_energy == D("12.5")
    assert len(await h.cdr_docs()) == 2
    assert len(h.events_of("billing.cdr_created")) == 2


async def test_a_later_revision_with_the_same_cdr_makes_no_new_version(harness: Harness) -> None:
    h = harness
    await h.default_tariff("std")
    h.clock.now = T0 + HOUR
    await h.deliver(h.started(), h.ended())
    h.clock.now += 60
    # A revision for something billing doesn't price (the stop reason).
    await h.deliver(h.ended(revision=2, stop_reason="EVDisconnected"))

    assert [d["version"] for d in await h.cdr_docs()] == [1]
    assert len(h.events_of("billing.cdr_created")) == 1
    assert (await h.cdr()).version == 1
    ended = (await h.billed()).ended
    assert ended is not None and ended.revision == 2  # taken, just not a new CDR


async def test_an_older_revision_does_not_change_the_billed_session(harness: Harness) -> None:
    h = harness
    await h.default_tariff("std")
    h.clock.now = T0 + HOUR
    first = h.ended()
    await h.deliver(h.started(), first, h.ended(meter_stop_wh=13_500.0, revision=2))
    before = await h.billed()
    assert before.energy_wh == 12_500.0

    await h.deliver(first)  # revision 1, redelivered after revision 2
    after = await h.billed()
    assert after.energy_wh == 12_500.0  # what the CDR says, and GET .../cost shows
    assert after.v == before.v  # nothing to change


# -- a session whose start was never seen ----------------------------------------------


async def test_a_session_ended_without_start_is_priced_for_reconciliation(
    harness: Harness,
) -> None:
    h = harness
    await h.default_tariff("std")
    h.clock.now = T0 + HOUR
    await h.deliver(
        h.ended(
            "S-r",
            started_at=None,
            status="reconciliation",
            meter_start_wh=None,
            meter_stop_wh=None,
        )
    )
    cdr = await h.cdr("S-r")
    assert cdr.session_status == "reconciliation"
    assert cdr.remark is not None and "start was never seen" in cdr.remark
    # Known: when it ended, the tariff then in force.  Nothing else: the fee
    # only, 0.50; x 1.19 = 0.595 -> 0.60.
    assert cdr.start_date_time == cdr.end_date_time == at(T0 + HOUR)
    assert [t.id for t in cdr.tariffs] == ["std"]
    assert cdr.total_cost == Price(excl_vat=D("0.50"), incl_vat=D("0.60"))
    assert cdr.total_energy == D(0)
    [event] = h.events_of("billing.cdr_created")
    assert event["cdr"]["session_status"] == "reconciliation"


async def test_a_reconciliation_session_with_known_energy_is_billed_for_it(
    harness: Harness,
) -> None:
    h = harness
    await h.default_tariff("std")
    h.clock.now = T0 + HOUR
    await h.deliver(
        h.ended(
            "S-r",
            started_at=None,
            status="reconciliation",
            meter_start_wh=None,
            meter_stop_wh=None,
            energy_wh=5000.0,
        )
    )
    cdr = await h.cdr("S-r")
    # 5 kWh x 0.30 = 1.50 + fee 0.50 = 2.00; x 1.19 = 2.38
    assert cdr.total_energy == D(5)
    assert cdr.total_cost == Price(excl_vat=D("2.00"), incl_vat=D("2.38"))


# -- the running cost ------------------------------------------------------------------


async def test_running_cost_is_published_at_most_once_per_interval(harness: Harness) -> None:
    h = harness  # cost_update_interval: 60 s
    await h.default_tariff("std")
    h.clock.now = T0
    await h.deliver(h.started())  # the fee so far: 0.50; x 1.19 = 0.595 -> 0.60
    h.clock.now = T0 + 30
    await h.deliver(h.updated(meter_at=T0 + 30, meter_wh=1_100.0))  # too soon
    h.clock.now = T0 + 60
    # 0.5 kWh x 0.30 = 0.15 + 1 min x 0.02 + 0.50 = 0.67; x 1.19 = 0.7973 -> 0.80
    await h.deliver(h.updated(meter_at=T0 + 60, meter_wh=1_500.0))
    h.clock.now = T0 + 90
    await h.deliver(h.updated(meter_at=T0 + 90, meter_wh=2_000.0))  # too soon
    h.clock.now = T0 + 600
    # 3 kWh x 0.30 = 0.90 + 10 min x 0.02 = 0.20 + 0.50 = 1.60; x 1.19 = 1.904 -> 1.90
    await h.deliver(h.updated(meter_at=T0 + 600, meter_wh=4_000.0))
    h.clock.now = T0 + 700
    await h.deliver(h.updated(meter_at=T0 + 600, meter_wh=4_000.0))  # the same reading

    costs = [
        (e["event_id"], D(e["total_excl_vat"]), D(e["total_incl_vat"]), e["as_of"])
        for e in h.events_of("billing.cost_updated")
    ]
    assert costs == [
        ("S-1:cost:1", D("0.50"), D("0.60"), T0),
        ("S-1:cost:2", D("0.67"), D("0.80"), T0 + 60),
        ("S-1:cost:3", D("1.60"), D("1.90"), T0 + 600),
    ]
    last = h.events_of("billing.cost_updated")[-1]
    assert (last["currency"], last["tariff_id"], last["energy_wh"]) == ("EUR", "std", 3000.0)

    # None once it ended, even for a reading that comes late.
    h.clock.now = T0 + 900
    await h.deliver(h.ended(ended_at=T0 + 900, meter_stop_wh=5_000.0))
    h.clock.now = T0 + 2000
    await h.deliver(h.updated(meter_at=T0 + 800, meter_wh=4_800.0))
    assert len(h.events_of("billing.cost_updated")) == 3
    assert len(h.events_of("billing.cdr_created")) == 1
    # The ordinary settings never ask a charger to show it.
    assert h.commands == []


@pytest.mark.parametrize(
    ("show", "protocol", "shown"),
    [
        (True, "ocpp2.0.1", True),
        (True, "ocpp2.1", True),
        (True, "ocpp1.6", False),
        (False, "ocpp2.0.1", False),
    ],
)
async def test_cost_shown_on_the_charger_only_when_asked_and_supported(
    make_harness: MakeHarness, show: bool, protocol: str, shown: bool
) -> None:
    h = await make_harness(show_cost_on_charger=show)
    await h.default_tariff("std")
    h.clock.now = T0
    await h.deliver(h.started(protocol=protocol))
    h.clock.now = T0 + 60
    await h.deliver(h.updated(meter_at=T0 + 60, meter_wh=1_500.0, protocol=protocol))

    assert len(h.events_of("billing.cost_updated")) == 2  # published either way
    if not shown:
        assert h.commands == []
        return
    # As in the running cost test: 0.60, then 0.80 with VAT.
    assert [(key, msgspec.convert(body, CommandRequest)) for key, body in h.commands] == [
        (
            "command.call",
            CommandRequest(
                charger_id="CP-1",
                params={
                    "action": "CostUpdated",
                    "payload": {"totalCost": total, "transactionId": "tx-S-1"},
                },
                command_id=f"cost-S-1-{seq}",
            ),
        )
        for seq, total in ((1, 0.6), (2, 0.8))
    ]


# -- crashes ---------------------------------------------------------------------------


async def test_a_cdr_left_unwritten_by_a_crash_is_finished_by_the_sweep(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness
    await h.default_tariff("std")
    h.clock.now = T0 + HOUR
    await h.deliver(h.started())

    real_store_cdr = h.svc.issuer.write
    calls = 0

    async def crash_once(doc: BillingSession) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("crash after the session's write, before the CDR's")
        await real_store_cdr(doc)

    monkeypatch.setattr(h.svc.issuer, "write", crash_once)
    ended = h.ended()
    with pytest.raises(RuntimeError, match="crash"):
        await h.svc.on_delivery(h.delivery(ended))
    await h.settle()
    # The session has its CDR; its document and its event are not out yet.
    assert (await h.billed()).cdr_unstored
    assert await h.cdr_docs() == []
    assert h.events_of("billing.cdr_created") == []
    # The broker redelivers the event: the CDR is made already.
    await h.deliver(ended)
    assert await h.cdr_docs() == []

    await h.svc.sweep()
    [doc] = await h.cdr_docs()
    assert (doc["version"], doc["latest"]) == (1, True)
    assert msgspec.convert(doc["cdr"], Cdr) == await h.cdr()
    assert not (await h.billed()).cdr_unstored
    await h.svc.sweep()  # nothing left to do
    assert len(await h.cdr_docs()) == 1

    # The outbox sweep publishes the event the crash held back, once.
    await sweep_outboxes(h.svc.store, h.svc.bus, "billed_sessions", BillingSession, settle_s=0)
    await sweep_outboxes(h.svc.store, h.svc.bus, "billed_sessions", BillingSession, settle_s=0)
    await h.settle()
    [event] = h.events_of("billing.cdr_created")
    assert event["event_id"] == "S-1:cdr:1"


async def test_a_correction_before_the_sweep_keeps_one_latest_version(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness
    await h.default_tariff("std")
    h.clock.now = T0 + HOUR
    await h.deliver(h.started(), h.ended())  # version 1, written

    real_store_cdr = h.svc.issuer.write
    failures = iter([True])

    async def fail_once(doc: BillingSession) -> None:
        if next(failures, False):
            raise RuntimeError("crash before version 2's document is written")
        await real_store_cdr(doc)

    monkeypatch.setattr(h.svc.issuer, "write", fail_once)
    h.clock.now += 60
    with pytest.raises(RuntimeError):
        await h.svc.on_delivery(h.delivery(h.ended(meter_stop_wh=13_500.0, revision=2)))
    h.clock.now += 60
    await h.deliver(h.ended(meter_stop_wh=14_500.0, revision=3))  # before any sweep
    await h.svc.sweep()

    docs = await h.cdr_docs()
    assert [d["version"] for d in docs if d["latest"]] == [3]
    assert [d["version"] for d in docs] == [1, 2, 3]


# -- the wiring ------------------------------------------------------------------------


async def test_session_events_on_the_bus_reach_the_service(harness: Harness) -> None:
    """Through the broker this time: chargebus.events to chargebus.billing."""
    h = harness
    await h.default_tariff("std")
    h.clock.now = T0 + HOUR

    async def published(event: SessionEvent, answer: str) -> None:
        tag = type(event).__struct_config__.tag
        assert isinstance(tag, str)
        await h.svc.bus.publish(EVENTS, tag, msgspec.json.encode(event))
        for _ in range(500):
            if h.events_of(answer):
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"no {answer} after {tag}")

    await published(h.started(), "billing.cost_updated")
    await published(h.ended(), "billing.cdr_created")
    [event] = h.events_of("billing.cdr_created")
    assert D(event["cdr"]["total_cost"]["excl_vat"]) == D("5.15")  # as in the first test
