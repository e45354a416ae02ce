"""The seeds' flows end to end: real sockets, the ``ocpp`` package's
ChargePoint as the charger, the gateway, the sessions service and its HTTP
API; embedded (in-memory bus, SQLite) and distributed (RabbitMQ, Redis,
the MongoDB adapter)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from chargers import boot16, boot201, connect16, connect201, iso, put_token, settled
from ocpp.exceptions import SecurityError
from ocpp.v16 import call as call16
from ocpp.v201 import call as call201

T0 = datetime.now(UTC).replace(microsecond=0)


def at(seconds: float) -> str:
    return iso(T0 + timedelta(seconds=seconds))


def status16(connector: int, status: str, when: str | None = None) -> Any:
    return call16.StatusNotification(
        connector_id=connector, error_code="NoError", status=status, timestamp=when
    )


async def session_of(csms: Any, charger_id: str) -> dict[str, Any]:
    response = await csms.api.get("/v1/sessions", params={"charger_id": charger_id})
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert len(items) == 1, items
    return items[0]


# -- 1.6 -------------------------------------------------------------------------------


async def test_1_6_plug_in_start_to_stop(csms: Any) -> None:
    await csms.start()
    await put_token(csms, "TAG-1", "Accepted")
    client = await connect16(csms, "CP-16")
    try:
        boot = await boot16(client)
        assert boot.status == "Accepted" and boot.interval == 300
        await client.call(status16(0, "Available", at(0)))
        await client.call(status16(1, "Available", at(0)))
        await client.call(status16(1, "Preparing", at(5)))
        auth = await client.call(call16.Authorize(id_tag="tag-1"))  # case-insensitive
        assert auth.id_tag_info["status"] == "Accepted"
        start = await client.call(
            call16.StartTransaction(
                connector_id=1, id_tag="TAG-1", meter_start=1000, timestamp=at(10)
            )
        )
        assert start.id_tag_info["status"] == "Accepted"
        transaction_id = start.transaction_id
        assert isinstance(transaction_id, int) and transaction_id > 0
        await client.call(status16(1, "Charging", at(11)))
        await client.call(
            call16.MeterValues(
                connector_id=1,
                transaction_id=transaction_id,
                meter_value=[
                    {
                        "timestamp": at(70),
                        "sampled_value": [
                            {
                                "value": "1.5",
                                "unit": "kWh",
                                "measurand": "Energy.Active.Import.Register",
                            },
                            {"value": "7.2", "unit": "kW", "measurand": "Power.Active.Import"},
                        ],
                    }
                ],
            )
        )
        stop = await client.call(
            call16.StopTransaction(
                transaction_id=transaction_id,
                meter_stop=2500,
                timestamp=at(130),
                id_tag="TAG-1",
                reason="Local",
            )
        )
        assert stop.id_tag_info["status"] == "Accepted"
        await client.call(status16(1, "Finishing", at(131)))
        await client.call(status16(1, "Available", at(140)))
        await client.call(call16.Heartbeat())
        await settled(csms, "CP-16", 11)

        session = await session_of(csms, "CP-16")
        assert session["transaction_id"] == str(transaction_id)
        assert session["status"] == "ended"
        assert session["energy_wh"] == 1500
        assert session["meter_start_wh"] == 1000 and session["meter_stop_wh"] == 2500
        assert session["stop_reason"] == "Local"
        assert session["id_token"] == "TAG-1" and session["id_token_status"] == "Accepted"
        assert (session["evse_id"], session["connector_id"]) == (1, 1)
        detail = (await csms.api.get(f"/v1/sessions/{session['id']}")).json()
        assert detail == session
        samples = (await csms.api.get(f"/v1/sessions/{session['id']}/samples")).json()["items"]
        values = {(s["measurand"], s["unit"], s["value"]) for s in samples}
        assert ("Energy.Active.Import.Register", "Wh", 1500.0) in values
        assert ("Power.Active.Import", "W", 7200.0) in values

        charger = (await csms.api.get("/v1/chargers/CP-16")).json()
        assert charger["connected"] is True and charger["protocol"] == "ocpp1.6"
        assert (charger["vendor"], charger["model"], charger["firmware_version"]) == (
            "ACME",
            "X1",
            "1.2.3",
        )
        assert charger["registration"] == "Accepted"
        assert charger["last_seen"] is not None
        assert [(c["evse_id"], c["connector_id"], c["status"]) for c in charger["connectors"]] == [
            (0, 0, "Available"),
            (1, 1, "Available"),
        ]

        await csms.eventually(lambda: csms.events_of("session.ended"))
        assert len(csms.events_of("charger.booted", charger_id="CP-16")) == 1
        assert len(csms.events_of("session.started", session_id=session["id"])) == 1
        # Notifications are stored concurrently: the MeterValues may land
        # after the stop, and then session.ended comes again (revision 2)
        # with the reading in its profile; the energy is the same.
        ended = csms.events_of("session.ended", session_id=session["id"])
        assert {e["energy_wh"] for e in ended} == {1500}
        assert sorted(e.get("revision", 1) for e in ended) == list(range(1, len(ended) + 1))
        # (Stored concurrently too, and published as each write lands: a
        # status that lands after a newer one is kept out of the connector,
        # and so out of the events, and the events' order is the writes'.)
        changes = csms.events_of("connector.status_changed", evse_id=1)
        assert {e["status"] for e in changes} <= {"Available", "Preparing", "Charging", "Finishing"}
        assert all(e["status"] != e.get("previous_status") for e in changes), changes
    finally:
        await client.close()

    async def disconnected() -> bool:
        charger = (await csms.api.get("/v1/chargers/CP-16")).json()
        return charger["connected"] is False and charger["protocol"] == "ocpp1.6"

    await csms.eventually(disconnected)


async def test_1_6_invalid_blocked_and_expired_tokens(csms: Any) -> None:
    await csms.start()
    await put_token(csms, "BLOCKED", "Blocked")
    await put_token(csms, "OLD", "Accepted", expires_at=iso(T0 - timedelta(days=1)))
    client = await connect16(csms, "CP-T")
    try:
        await boot16(client)
        for tag, expected in (("NOBODY", "Invalid"), ("BLOCKED", "Blocked"), ("OLD", "Expired")):
            answer = await client.call(call16.Authorize(id_tag=tag))
            assert answer.id_tag_info["status"] == expected, tag
        # StartTransaction checks the tag again; the session is kept, flagged.
        start = await client.call(
            call16.StartTransaction(
                connector_id=1, id_tag="BLOCKED", meter_start=0, timestamp=at(0)
            )
        )
        assert start.id_tag_info["status"] == "Blocked" and start.transaction_id > 0
        await settled(csms, "CP-T", 5)
        session = await session_of(csms, "CP-T")
        assert session["id_token_status"] == "Blocked" and session["notes"]
    finally:
        await client.close()


async def test_1_6_a_resent_start_transaction_gets_the_same_id(csms: Any) -> None:
    await csms.start()
    await put_token(csms, "TAG", "Accepted")
    client = await connect16(csms, "CP-R")
    try:
        await boot16(client)
        request = call16.StartTransaction(
            connector_id=2, id_tag="TAG", meter_start=42, timestamp=at(0)
        )
        first = await client.call(request)
        again = await client.call(request)
        assert again.transaction_id == first.transaction_id
        other = await client.call(
            call16.StartTransaction(connector_id=2, id_tag="TAG", meter_start=50, timestamp=at(60))
        )
        assert other.transaction_id != first.transaction_id
        await settled(csms, "CP-R", 4)
        sessions = (await csms.api.get("/v1/sessions", params={"charger_id": "CP-R"})).json()
        assert len(sessions["items"]) == 2
        await csms.eventually(
            lambda: len(csms.events_of("session.started", charger_id="CP-R")) == 2
        )
    finally:
        await client.close()


async def test_1_6_a_stop_for_an_unknown_transaction_is_answered_and_kept(csms: Any) -> None:
    await csms.start()
    await put_token(csms, "TAG", "Accepted")
    client = await connect16(csms, "CP-U")
    try:
        await boot16(client)
        for transaction_id in (987654, -1):
            answer = await client.call(
                call16.StopTransaction(
                    transaction_id=transaction_id, meter_stop=5000, timestamp=at(0), id_tag="TAG"
                )
            )
            assert answer.id_tag_info["status"] == "Accepted"
        # and without an idTag: an empty answer
        answer = await client.call(
            call16.StopTransaction(transaction_id=555, meter_stop=1, timestamp=at(1))
        )
        assert answer.id_tag_info is None
        await settled(csms, "CP-U", 4)
        listed = await csms.api.get(
            "/v1/sessions", params={"charger_id": "CP-U", "status": "reconciliation"}
        )
        items = listed.json()["items"]
        assert sorted(s["transaction_id"] for s in items) == ["-1", "555", "987654"]
        assert all(s["meter_stop_wh"] in (5000, 1) and s["notes"] for s in items)
        await csms.eventually(lambda: len(csms.events_of("session.ended", charger_id="CP-U")) == 3)
        assert {e["status"] for e in csms.events_of("session.ended", charger_id="CP-U")} == {
            "reconciliation"
        }
    finally:
        await client.close()


async def test_a_pending_charger_gets_security_error_until_accepted(csms: Any) -> None:
    await csms.start(unknown_chargers="pending", boot_retry_interval=30)
    client = await connect16(csms, "CP-P")
    try:
        boot = await boot16(client)
        assert boot.status == "Pending" and boot.interval == 30
        with pytest.raises(SecurityError):
            await client.call(call16.Heartbeat())
        with pytest.raises(SecurityError):
            await client.call(status16(1, "Available"))
        response = await csms.api.put("/v1/chargers/CP-P", json={"registration": "Accepted"})
        assert response.status_code == 200 and response.json()["registration"] == "Accepted"
        assert (await boot16(client)).status == "Accepted"
        await client.call(call16.Heartbeat())
    finally:
        await client.close()
    # the state holds across a reconnect without a BootNotification
    client = await connect16(csms, "CP-P")
    try:
        await client.call(status16(1, "Available"))
    finally:
        await client.close()
    # a charger nobody registered, that never booted, is refused
    client = await connect16(csms, "CP-NEVER-BOOTED")
    try:
        with pytest.raises(SecurityError):
            await client.call(call16.Heartbeat())
    finally:
        await client.close()


async def test_a_rejected_unknown_charger_is_recorded_for_the_operator(csms: Any) -> None:
    await csms.start(unknown_chargers="reject")
    client = await connect16(csms, "CP-X")
    try:
        assert (await boot16(client)).status == "Rejected"
        with pytest.raises(SecurityError):
            await client.call(call16.Heartbeat())
    finally:
        await client.close()
    charger = (await csms.api.get("/v1/chargers/CP-X")).json()
    assert charger["registration"] == "Rejected" and charger["vendor"] == "ACME"


async def test_firmware_progress_data_transfer_and_security_events(csms: Any) -> None:
    await csms.start()
    client = await connect16(csms, "CP-F")
    try:
        await boot16(client)
        for status in ("Downloading", "Downloaded", "Installing", "Installed"):
            await client.call(call16.FirmwareStatusNotification(status=status))
        await client.call(call16.DiagnosticsStatusNotification(status="Uploaded"))
        answer = await client.call(call16.DataTransfer(vendor_id="com.example", message_id="x"))
        assert answer.status == "UnknownVendorId"
        await settled(csms, "CP-F", 7)
        charger = (await csms.api.get("/v1/chargers/CP-F")).json()
        assert charger["firmware"]["status"] == "Installed"
        assert charger["logs"]["status"] == "Uploaded"
        records = await csms.api.get(
            "/v1/chargers/CP-F/records", params={"kind": "FirmwareStatusNotification"}
        )
        assert [r["data"]["status"] for r in records.json()["items"]] == [
            "Downloading",
            "Downloaded",
            "Installing",
            "Installed",
        ]
    finally:
        await client.close()


# -- 2.0.1 -----------------------------------------------------------------------------


def energy(value: float, context: str | None = None, unit: str = "Wh") -> dict[str, Any]:
    sampled: dict[str, Any] = {
        "value": value,
        "measurand": "Energy.Active.Import.Register",
        "unit_of_measure": {"unit": unit},
    }
    if context:
        sampled["context"] = context
    return sampled


async def test_2_0_1_plug_in_start_to_stop(csms: Any) -> None:
    await csms.start()
    await put_token(csms, "RFID-9", "Accepted", type="ISO14443")
    client = await connect201(csms, "CS-201")
    try:
        assert (await boot201(client)).status == "Accepted"
        await client.call(
            call201.StatusNotification(
                timestamp=at(0), connector_status="Occupied", evse_id=1, connector_id=1
            )
        )
        auth = await client.call(
            call201.Authorize(id_token={"id_token": "rfid-9", "type": "ISO14443"})
        )
        assert auth.id_token_info["status"] == "Accepted"
        wrong_type = await client.call(
            call201.Authorize(id_token={"id_token": "RFID-9", "type": "eMAID"})
        )
        assert wrong_type.id_token_info["status"] == "Invalid"
        started = await client.call(
            call201.TransactionEvent(
                event_type="Started",
                timestamp=at(10),
                trigger_reason="Authorized",
                seq_no=0,
                transaction_info={"transaction_id": "TX-A", "remote_start_id": 7},
                id_token={"id_token": "RFID-9", "type": "ISO14443"},
                evse={"id": 1, "connector_id": 1},
                meter_value=[
                    {
                        "timestamp": at(10),
                        "sampled_value": [energy(10.0, "Transaction.Begin", "kWh")],
                    }
                ],
            )
        )
        assert started.id_token_info["status"] == "Accepted"
        await client.call(
            call201.TransactionEvent(
                event_type="Updated",
                timestamp=at(70),
                trigger_reason="MeterValuePeriodic",
                seq_no=1,
                transaction_info={"transaction_id": "TX-A", "charging_state": "Charging"},
                meter_value=[{"timestamp": at(70), "sampled_value": [energy(10.8, unit="kWh")]}],
            )
        )
        await client.call(
            call201.TransactionEvent(
                event_type="Ended",
                timestamp=at(130),
                trigger_reason="EVCommunicationLost",
                seq_no=2,
                transaction_info={"transaction_id": "TX-A", "stopped_reason": "EVDisconnected"},
                meter_value=[
                    {
                        "timestamp": at(130),
                        "sampled_value": [energy(11.25, "Transaction.End", "kWh")],
                    }
                ],
            )
        )
        await settled(csms, "CS-201", 7)
        session = await session_of(csms, "CS-201")
        assert session["transaction_id"] == "TX-A" and session["status"] == "ended"
        assert session["energy_wh"] == 1250
        assert session["remote_start_id"] == 7
        assert session["stop_reason"] == "EVDisconnected"
        assert session["id_token"] == "RFID-9" and session["id_token_type"] == "ISO14443"
        assert session["seq_nos"] == [0, 1, 2]
        assert session["charging_state"] == "Charging"
        assert (session["evse_id"], session["connector_id"]) == (1, 1)
        charger = (await csms.api.get("/v1/chargers/CS-201")).json()
        assert (
            charger["protocol"] == "ocpp2.0.1" and charger["connectors"][0]["status"] == "Occupied"
        )
        await csms.eventually(lambda: csms.events_of("session.ended", session_id=session["id"]))
        assert len(csms.events_of("session.started", session_id=session["id"])) == 1
    finally:
        await client.close()


async def test_2_0_1_events_out_of_order_and_offline_merge_into_one_session(csms: Any) -> None:
    await csms.start()
    client = await connect201(csms, "CS-OOO")
    try:
        await boot201(client)

        def event(kind: str, seq: int, seconds: int, wh: float, **extra: Any) -> Any:
            return call201.TransactionEvent(
                event_type=kind,
                timestamp=at(seconds),
                trigger_reason="MeterValuePeriodic",
                seq_no=seq,
                offline=True,
                transaction_info={"transaction_id": "TX-OFF", **extra.pop("info", {})},
                meter_value=[{"timestamp": at(seconds), "sampled_value": [energy(wh)]}],
                **extra,
            )

        # TC_E_31's order: Ended first, then the skipped events.
        await client.call(event("Ended", 3, 300, 4000, info={"stopped_reason": "Local"}))
        await client.call(event("Updated", 2, 200, 3000))
        await client.call(event("Started", 0, 0, 1000, evse={"id": 2, "connector_id": 1}))
        await client.call(event("Updated", 1, 100, 2000))
        await client.call(event("Updated", 1, 100, 2000))  # resent: merged once
        await settled(csms, "CS-OOO", 6)
        session = await session_of(csms, "CS-OOO")
        assert session["status"] == "ended" and session["offline"] is True
        assert session["seq_nos"] == [0, 1, 2, 3]
        assert session["started_at"] == at(0) and session["ended_at"] == at(300)
        assert session["meter_start_wh"] == 1000 and session["energy_wh"] == 3000
        assert session["evse_id"] == 2
        await csms.eventually(lambda: csms.events_of("session.ended", session_id=session["id"]))
        assert len(csms.events_of("session.started", session_id=session["id"])) == 1
        # Ended came first: the messages merged after it revised it, and the
        # latest revision has the whole session.
        ended = csms.events_of("session.ended", session_id=session["id"])
        latest = max(ended, key=lambda e: e.get("revision", 1))
        assert latest["energy_wh"] == 3000
        assert latest["started_at"] == datetime.fromisoformat(at(0)).timestamp()
        samples = (await csms.api.get(f"/v1/sessions/{session['id']}/samples")).json()["items"]
        assert [s["value"] for s in samples] == [1000, 2000, 3000, 4000]
    finally:
        await client.close()


async def test_2_0_1_availability_from_notify_event_and_clock_skew(csms: Any) -> None:
    await csms.start()
    client = await connect201(csms, "CS-EV")
    try:
        await boot201(client)
        ahead = datetime.now(UTC) + timedelta(minutes=10)
        await client.call(
            call201.StatusNotification(
                timestamp=iso(ahead), connector_status="Available", evse_id=1, connector_id=1
            )
        )
        await client.call(
            call201.NotifyEvent(
                generated_at=iso(ahead),
                seq_no=0,
                event_data=[
                    {
                        "event_id": 1,
                        "timestamp": iso(ahead + timedelta(seconds=1)),
                        "trigger": "Delta",
                        "actual_value": "Unavailable",
                        "component": {"name": "Connector", "evse": {"id": 1, "connector_id": 1}},
                        "variable": {"name": "AvailabilityState"},
                        "event_notification_type": "HardWiredNotification",
                    }
                ],
            )
        )
        await settled(csms, "CS-EV", 3)
        charger = (await csms.api.get("/v1/chargers/CS-EV")).json()
        assert charger["connectors"][0]["status"] == "Unavailable"
        assert charger["clock_skew_flagged"] is True and charger["clock_skew_s"] > 500
    finally:
        await client.close()
