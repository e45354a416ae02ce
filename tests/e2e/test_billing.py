"""Billing end to end: tariffs over HTTP, the seeds' sessions from real
chargers (the ``ocpp`` package's ChargePoint) through the gateway and the
sessions service, CDRs out; embedded and distributed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import msgspec
from chargers import boot16, boot201, connect16, connect201, iso, put_token, settled
from ocpp.routing import on
from ocpp.v16 import call as call16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201
from websockets.asyncio.client import connect

from chargebus.common.bus.topology import EVENTS


def clock() -> Any:
    """Charger times from just after now: tariffs put now are in force."""
    t0 = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=2)
    return lambda seconds: iso(t0 + timedelta(seconds=seconds))


async def put(csms: Any, path: str, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
    response = await csms.api.put(path, json=body)
    assert response.status_code == status, response.text
    result: dict[str, Any] = response.json()
    return result


async def cdr_of(csms: Any, session_id: str, version: int = 1) -> dict[str, Any]:
    """The session's CDR once its version is at least ``version``."""
    found: dict[str, Any] = {}

    async def made() -> bool:
        response = await csms.api.get(f"/v1/sessions/{session_id}/cdr")
        if response.status_code == 200 and response.json()["version"] >= version:
            found.update(response.json())
            return True
        return False

    await csms.eventually(made)
    return found


async def only_session(csms: Any, charger_id: str) -> dict[str, Any]:
    response = await csms.api.get("/v1/sessions", params={"charger_id": charger_id})
    [session] = response.json()["items"]
    return dict(session)


def energy(wh: float) -> dict[str, Any]:
    return {
        "value": wh,
        "measurand": "Energy.Active.Import.Register",
        "unit_of_measure": {"unit": "Wh"},
    }


async def test_a_1_6_session_gets_a_cdr_with_the_default_tariff(csms: Any) -> None:
    await csms.start()
    at = clock()
    await put(
        csms,
        "/v1/tariffs/standard",
        {"currency": "EUR", "vat_rate": "19", "energy_price": "0.39", "session_fee": "0.50"},
    )
    await put(csms, "/v1/tariff-groups/default", {"tariff_id": "standard"})
    charger = await csms.api.get("/v1/chargers/CP-B16/tariff")
    assert charger.json()["effective_tariff_id"] == "standard"
    assert charger.json()["via"] == "default"
    await put_token(csms, "TAG-B", "Accepted")
    client = await connect16(csms, "CP-B16")
    try:
        await boot16(client)
        await client.call(call16.Authorize(id_tag="TAG-B"))
        started = await client.call(
            call16.StartTransaction(
                connector_id=1, id_tag="TAG-B", meter_start=1000, timestamp=at(0)
            )
        )
        tx = started.transaction_id
        await client.call(
            call16.StatusNotification(
                connector_id=1, error_code="NoError", status="Charging", timestamp=at(1)
            )
        )
        await client.call(
            call16.MeterValues(
                connector_id=1,
                transaction_id=tx,
                meter_value=[{"timestamp": at(1800), "sampled_value": [{"value": "7000"}]}],
            )
        )
        await client.call(
            call16.StopTransaction(transaction_id=tx, meter_stop=13345, timestamp=at(3600))
        )
        await settled(csms, "CP-B16", 5)
        session = await only_session(csms, "CP-B16")
        cdr = await cdr_of(csms, session["id"])
        # 12.345 kWh x 0.39 = 4.81455, + 0.50 = 5.31455 -> 5.31; x 1.19 = 6.3189 -> 6.32
        assert cdr["total_cost"] == {"excl_vat": "5.31", "incl_vat": "6.32"}
        assert Decimal(cdr["total_energy"]) == Decimal("12.345")
        assert Decimal(cdr["total_time"]) == 1
        assert cdr["total_fixed_cost"] == {"excl_vat": "0.50", "incl_vat": "0.60"}
        assert cdr["currency"] == "EUR" and cdr["version"] == 1
        assert cdr["tariffs"][0]["id"] == "standard"
        assert cdr["cdr_token"]["uid"] == "TAG-B" and cdr["auth_method"] == "AUTH_REQUEST"
        assert cdr["transaction_id"] == str(tx) and cdr["charger_id"] == "CP-B16"
        assert cdr["start_date_time"] == at(0) and cdr["end_date_time"] == at(3600)
        listed = (await csms.api.get("/v1/cdrs", params={"charger_id": "CP-B16"})).json()
        assert [c["id"] for c in listed["items"]] == [session["id"]]
        await csms.eventually(lambda: csms.events_of("billing.cdr_created"))
        [created] = csms.events_of("billing.cdr_created", session_id=session["id"])
        assert created["cdr"]["total_cost"] == cdr["total_cost"]
        # The running cost was published while it charged.
        costs = csms.events_of("billing.cost_updated", session_id=session["id"])
        assert costs and costs[0]["currency"] == "EUR"

        # The same session.ended again (the bus delivers at least once): one CDR.
        ended = max(
            csms.events_of("session.ended", session_id=session["id"]),
            key=lambda e: e.get("revision", 1),
        )
        bus = csms.deployment.bus("replay")
        await bus.start()
        for _ in range(2):
            await bus.publish(EVENTS, "session.ended", msgspec.json.encode(ended))
        await asyncio.sleep(1.0)
        assert (await cdr_of(csms, session["id"]))["version"] == 1
        assert len(csms.events_of("billing.cdr_created", session_id=session["id"])) == 1
        everything = await csms.api.get("/v1/cdrs", params={"versions": "all"})
        assert len(everything.json()["items"]) == 1
    finally:
        await client.close()


async def test_a_2_0_1_session_pays_for_idle_time_past_the_grace_period(csms: Any) -> None:
    await csms.start(billing={"cdr_delay": 0.3})  # made by the sweep, not the handler
    at = clock()
    await put(
        csms,
        "/v1/tariffs/fleet",
        {"currency": "EUR", "energy_price": "0.30", "idle_price": "0.10", "idle_grace_minutes": 5},
    )
    await put(csms, "/v1/tariffs/other", {"currency": "EUR", "energy_price": "9"})
    await put(csms, "/v1/tariff-groups/default", {"tariff_id": "other"})
    assigned = await put(csms, "/v1/chargers/CS-B201/tariff", {"tariff_id": "fleet"})
    assert assigned["effective_tariff_id"] == "fleet" and assigned["via"] == "charger"
    await put_token(csms, "RFID-B", "Accepted")
    client = await connect201(csms, "CS-B201")
    try:
        await boot201(client)

        def event(kind: str, seq: int, seconds: int, wh: float, state: str, **extra: Any) -> Any:
            return call201.TransactionEvent(
                event_type=kind,
                timestamp=at(seconds),
                trigger_reason="MeterValuePeriodic",
                seq_no=seq,
                transaction_info={"transaction_id": "TX-B", "charging_state": state},
                meter_value=[{"timestamp": at(seconds), "sampled_value": [energy(wh)]}],
                **extra,
            )

        await client.call(
            event(
                "Started",
                0,
                0,
                0,
                "Charging",
                evse={"id": 1, "connector_id": 1},
                id_token={"id_token": "RFID-B", "type": "ISO14443"},
            )
        )
        await client.call(event("Updated", 1, 3600, 20000, "EVConnected"))
        await client.call(event("Ended", 2, 5400, 20000, "EVConnected"))
        await settled(csms, "CS-B201", 4)
        session = await only_session(csms, "CS-B201")
        cdr = await cdr_of(csms, session["id"])
        # 20 kWh x 0.30 = 6.00; idle 30 min from 60 min: 5 free, 25 x 0.10 = 2.50
        assert cdr["total_cost"] == {"excl_vat": "8.50", "incl_vat": "8.50"}
        assert cdr["total_parking_cost"]["excl_vat"] == "2.50"
        assert Decimal(cdr["total_parking_time"]) == Decimal("0.5")
        assert [p["state"] for p in cdr["charging_periods"]] == ["charging", "grace", "idle"]
        assert cdr["cdr_token"]["type"] == "RFID"
        cost = (await csms.api.get(f"/v1/sessions/{session['id']}/cost")).json()
        assert cost["ended"] is True and cost["total_incl_vat"] == "8.50"
        assert cost["via"] == "charger"
    finally:
        await client.close()


async def test_messages_after_the_end_correct_the_cdr_as_a_new_version(csms: Any) -> None:
    await csms.start()
    at = clock()
    await put(csms, "/v1/tariffs/standard", {"currency": "EUR", "energy_price": "0.40"})
    await put(csms, "/v1/tariff-groups/default", {"tariff_id": "standard"})
    client = await connect201(csms, "CS-FIX")
    try:
        await boot201(client)

        def event(kind: str, seq: int, seconds: int, wh: float, **extra: Any) -> Any:
            return call201.TransactionEvent(
                event_type=kind,
                timestamp=at(seconds),
                trigger_reason="MeterValuePeriodic",
                seq_no=seq,
                offline=True,
                transaction_info={"transaction_id": "TX-FIX"},
                meter_value=[{"timestamp": at(seconds), "sampled_value": [energy(wh)]}],
                **extra,
            )

        # An offline charger's queue, Ended first (TC_E_31's order): the
        # first CDR knows only the end; the start corrects it.
        await client.call(event("Ended", 2, 3600, 13000))
        await settled(csms, "CS-FIX", 2)
        session = await only_session(csms, "CS-FIX")
        first = await cdr_of(csms, session["id"])
        assert first["total_cost"]["excl_vat"] == "0.00"
        await client.call(event("Started", 0, 0, 1000, evse={"id": 1, "connector_id": 1}))
        await client.call(event("Updated", 1, 1800, 7000))
        await settled(csms, "CS-FIX", 4)

        async def corrected() -> bool:
            cdr = await cdr_of(csms, session["id"])
            return cdr["total_cost"]["excl_vat"] == "4.80"  # 12 kWh x 0.40

        await csms.eventually(corrected)
        latest = await cdr_of(csms, session["id"])
        assert latest["version"] >= 2 and latest["start_date_time"] == at(0)
        old = await csms.api.get(f"/v1/sessions/{session['id']}/cdr", params={"version": 1})
        assert old.status_code == 200 and old.json() == first
        listed = (await csms.api.get("/v1/cdrs", params={"charger_id": "CS-FIX"})).json()
        assert [(c["id"], c["version"]) for c in listed["items"]] == [
            (session["id"], latest["version"])
        ]
        every = (
            await csms.api.get("/v1/cdrs", params={"charger_id": "CS-FIX", "versions": "all"})
        ).json()
        assert sorted(c["version"] for c in every["items"]) == list(range(1, latest["version"] + 1))
        await csms.eventually(
            lambda: (
                len(csms.events_of("billing.cdr_created", session_id=session["id"]))
                == latest["version"]
            )
        )
    finally:
        await client.close()


class CostDisplay(ChargePoint201):
    def setup(self) -> None:
        self.costs: list[tuple[float, str]] = []

    @on("CostUpdated")
    async def on_cost(self, total_cost: float, transaction_id: str, **kwargs: Any) -> Any:
        self.costs.append((total_cost, transaction_id))
        return result201.CostUpdated()


async def test_a_2_0_1_charger_can_show_the_running_cost(csms: Any) -> None:
    await csms.start(billing={"show_cost_on_charger": True})
    at = clock()
    await put(
        csms,
        "/v1/tariffs/standard",
        {"currency": "EUR", "vat_rate": "19", "energy_price": "0.40", "session_fee": "1"},
    )
    await put(csms, "/v1/tariff-groups/default", {"tariff_id": "standard"})
    ws = await connect(csms.url("CS-COST"), subprotocols=["ocpp2.0.1"])
    charger = CostDisplay("CS-COST", ws, response_timeout=10)
    charger.setup()
    task = asyncio.create_task(charger.start())
    try:
        await charger.call(
            call201.BootNotification(
                charging_station={"model": "X2", "vendor_name": "ACME"}, reason="PowerUp"
            ),
            suppress=False,
        )
        await charger.call(
            call201.TransactionEvent(
                event_type="Started",
                timestamp=at(0),
                trigger_reason="CablePluggedIn",
                seq_no=0,
                transaction_info={"transaction_id": "TX-C", "charging_state": "Charging"},
                evse={"id": 1, "connector_id": 1},
                meter_value=[{"timestamp": at(0), "sampled_value": [energy(0)]}],
            ),
            suppress=False,
        )
        # The session fee so far: 1.00 + 19% = 1.19
        await csms.eventually(lambda: charger.costs == [(1.19, "TX-C")])
    finally:
        await ws.close()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_bad_tariffs_and_assignments_are_refused_with_nothing_written(csms: Any) -> None:
    await csms.start()
    bad = [
        ({"currency": "EUX"}, "currency"),
        ({"currency": "EUR", "energy_price": "-1"}, "energy_price"),
        ({"currency": "EUR", "energy_prize": "1"}, "energy_prize"),
        ({"currency": "EUR", "bands": [{"start": "25:00"}]}, "bands[0].start"),
        ({"currency": "EUR", "valid_from": "2020-01-01T00:00:00Z"}, "valid_from"),
        ({"currency": "EUR", "timezone": "Nowhere/Special"}, "timezone"),
    ]
    for body, field in bad:
        response = await csms.api.put("/v1/tariffs/bad", json=body)
        assert response.status_code == 400, (body, response.text)
        assert field in response.text, (field, response.text)
    assert (await csms.api.get("/v1/tariffs/bad")).status_code == 404
    response = await csms.api.put("/v1/chargers/CP-X/tariff", json={"tariff_id": "missing"})
    assert response.status_code == 400 and "missing" in response.text
    assert (await csms.api.get("/v1/chargers/CP-X/tariff")).json()["tariff_id"] is None
    assert (await csms.api.get("/v1/sessions/nothing/cdr")).status_code == 404
    # A tariff put twice unchanged is one version; changed, two.
    body = {"currency": "EUR", "energy_price": "0.30"}
    await put(csms, "/v1/tariffs/t", body)
    await put(csms, "/v1/tariffs/t", body)
    await put(csms, "/v1/tariffs/t", {**body, "energy_price": "0.31"})
    view = (await csms.api.get("/v1/tariffs/t")).json()
    assert [v["energy_price"] for v in view["versions"]] == ["0.30", "0.31"]
    assert view["in_force"]["energy_price"] == "0.31"
