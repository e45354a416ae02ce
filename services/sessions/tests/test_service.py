"""The sessions service's consumers, fed directly: idempotent under
redelivery, order-independent under concurrency, durable across restarts,
and its outbox publishes what a failed publish left behind."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from chargebus.common.bus import BusUnavailable
from chargebus.sessions.model import IdToken, to_doc
from chargebus.sessions.store import StoreUnavailable

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def at(seconds: float) -> str:
    return (T0 + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")


async def token(harness: Any, value: str, status: str = "Accepted") -> None:
    await harness.service.store.put(
        "id_tokens",
        to_doc(IdToken(id=value.casefold(), token=value, status=status, updated_at=0.0)),
    )


async def boot(harness: Any, charger_id: str = "CP-1", version: str = "v16") -> None:
    payload: dict[str, Any] = (
        {"chargePointVendor": "ACME", "chargePointModel": "X1"}
        if version == "v16"
        else {"chargingStation": {"vendorName": "ACME", "model": "X2"}, "reason": "PowerUp"}
    )
    answer = await harness.deliver(
        harness.envelope("BootNotification", payload, version=version, charger_id=charger_id)
    )
    assert answer["status"] == "Accepted"


def tx_event(kind: str, seq: int, seconds: int, wh: float, **extra: Any) -> dict[str, Any]:
    return {
        "eventType": kind,
        "timestamp": at(seconds),
        "triggerReason": "MeterValuePeriodic",
        "seqNo": seq,
        "transactionInfo": {"transactionId": "TX-1", **extra.pop("info", {})},
        "meterValue": [
            {
                "timestamp": at(seconds),
                "sampledValue": [
                    {"value": wh, "measurand": "Energy.Active.Import.Register"},
                    {
                        "value": 11,
                        "measurand": "Power.Active.Import",
                        "unitOfMeasure": {"unit": "kW"},
                    },
                ],
            }
        ],
        **extra,
    }


async def counts(harness: Any) -> dict[str, int]:
    await harness.settle()
    return {
        "sessions": len(await harness.all("sessions")),
        "samples": len(await harness.all("samples")),
        "records": len(await harness.all("records")),
        "audit": len(await harness.all("audit")),
        "events": len(harness.events),
    }


# -- redelivery ------------------------------------------------------------------------


async def test_every_1_6_message_delivered_twice_is_stored_once(harness: Any) -> None:
    await token(harness, "TAG")
    await boot(harness)
    start = harness.envelope(
        "StartTransaction",
        {"connectorId": 1, "idTag": "TAG", "meterStart": 100, "timestamp": at(0)},
    )
    first = await harness.deliver(start)
    before = await counts(harness)
    assert await harness.deliver(start, redelivered=True) == first
    assert await counts(harness) == before

    transaction_id = first["transactionId"]
    messages = [
        (
            harness.envelope(
                "StatusNotification",
                {
                    "connectorId": 1,
                    "errorCode": "NoError",
                    "status": "Charging",
                    "timestamp": at(1),
                },
            ),
            False,
        ),
        (
            harness.envelope(
                "MeterValues",
                {
                    "connectorId": 1,
                    "transactionId": transaction_id,
                    "meterValue": [
                        {"timestamp": at(60), "sampledValue": [{"value": "0.6", "unit": "kWh"}]}
                    ],
                },
            ),
            False,
        ),
        (harness.envelope("FirmwareStatusNotification", {"status": "Downloading"}), False),
        (
            harness.envelope(
                "StopTransaction",
                {
                    "transactionId": transaction_id,
                    "meterStop": 900,
                    "timestamp": at(120),
                    "reason": "Local",
                },
            ),
            True,
        ),
        (
            harness.envelope(
                "StopTransaction", {"transactionId": 4242, "meterStop": 1, "timestamp": at(130)}
            ),
            True,
        ),
    ]
    for message, decision in messages:
        answer = await harness.deliver(message, decision=decision)
        before = await counts(harness)
        again = await harness.deliver(message, decision=decision, redelivered=True)
        assert again == answer, message.action
        assert await counts(harness) == before, message.action

    sessions = await harness.all("sessions", charger_id="CP-1")
    assert sorted(s["status"] for s in sessions) == ["ended", "reconciliation"]
    ended = next(s for s in sessions if s["status"] == "ended")
    assert ended["energy_wh"] == 800 and ended["meter_last_wh"] == 600
    types = [e["type"] for e in harness.events]
    assert types.count("session.started") == 1 and types.count("session.ended") == 2
    assert types.count("charger.booted") == 1


async def test_a_boot_delivered_twice_is_one_boot_but_a_new_boot_is_another(harness: Any) -> None:
    message = harness.envelope(
        "BootNotification", {"chargePointVendor": "ACME", "chargePointModel": "X1"}
    )
    await harness.deliver(message)
    await harness.deliver(message, redelivered=True)
    await harness.deliver(
        harness.envelope(
            "BootNotification", {"chargePointVendor": "ACME", "chargePointModel": "X1"}
        )
    )
    await harness.settle()
    assert len(harness.events_of("charger.booted")) == 2


# -- concurrency -----------------------------------------------------------------------


async def test_transaction_events_worked_on_at_once_in_any_order_merge_into_one(
    harness: Any,
) -> None:
    await boot(harness, version="v201")
    payloads = [tx_event("Started", 0, 0, 1000, evse={"id": 1, "connectorId": 1})]
    payloads += [tx_event("Updated", n, n * 60, 1000 + n * 100) for n in range(1, 19)]
    payloads.append(tx_event("Ended", 19, 19 * 60, 2900, info={"stoppedReason": "EVDisconnected"}))
    random.Random(7).shuffle(payloads)
    messages = [harness.envelope("TransactionEvent", p, version="v201") for p in payloads]
    # every one twice, all at once
    await asyncio.gather(*(harness.deliver(m, decision=False) for m in messages + messages))
    await harness.settle()
    [session] = await harness.all("sessions")
    assert session["seq_nos"] == list(range(20))
    assert session["status"] == "ended" and session["stop_reason"] == "EVDisconnected"
    assert session["meter_start_wh"] == 1000 and session["energy_wh"] == 1900
    assert session["started_at"] == (T0).timestamp()
    assert session["power_w"] == 11000
    assert len(harness.events_of("session.started")) == 1
    assert len(harness.events_of("session.ended")) == 1
    samples = await harness.all("samples", session_id=session["_id"])
    assert len(samples) == 40  # 20 readings of energy and of power, each once


async def test_status_notifications_out_of_order_keep_the_newest(harness: Any) -> None:
    await boot(harness)
    statuses = [("Preparing", 10), ("Charging", 20), ("Available", 0), ("Finishing", 30)]
    await asyncio.gather(
        *(
            harness.deliver(
                harness.envelope(
                    "StatusNotification",
                    {"connectorId": 2, "errorCode": "NoError", "status": s, "timestamp": at(t)},
                ),
                decision=False,
            )
            for s, t in statuses
        )
    )
    [charger] = await harness.all("chargers")
    assert [(c["evse_id"], c["status"]) for c in charger["connectors"]] == [(2, "Finishing")]


# -- outbox, restart, retention, presence -------------------------------------------------


async def test_an_event_the_broker_refused_is_published_by_the_sweep(harness: Any) -> None:
    await token(harness, "TAG")
    await boot(harness)
    bus = harness.service.bus
    publish = bus.publish

    async def refuse_events(exchange: str, routing_key: str, body: bytes, **kw: Any) -> None:
        if exchange == "chargebus.events":
            raise BusUnavailable("broker away")
        await publish(exchange, routing_key, body, **kw)

    bus.publish = refuse_events
    answer = await harness.deliver(
        harness.envelope(
            "StartTransaction",
            {"connectorId": 1, "idTag": "TAG", "meterStart": 0, "timestamp": at(0)},
        )
    )
    assert answer["transactionId"] > 0  # the charger isn't kept waiting on events
    await harness.settle()
    assert harness.events_of("session.started") == []
    [session] = await harness.all("sessions")
    assert session["outbox"] is True
    bus.publish = publish
    await harness.service.sweep_outboxes()
    await harness.service.sweep_outboxes()
    await harness.settle()
    assert len(harness.events_of("session.started")) == 1
    [session] = await harness.all("sessions")
    assert session["outbox"] is False and session["events"] == []


async def test_sessions_and_the_transaction_counter_survive_a_restart(harness: Any) -> None:
    await token(harness, "TAG")
    await boot(harness)
    first = await harness.deliver(
        harness.envelope(
            "StartTransaction",
            {"connectorId": 1, "idTag": "TAG", "meterStart": 0, "timestamp": at(0)},
        )
    )
    await harness.restart()
    second = await harness.deliver(
        harness.envelope(
            "StartTransaction",
            {"connectorId": 2, "idTag": "TAG", "meterStart": 0, "timestamp": at(5)},
        )
    )
    assert second["transactionId"] > first["transactionId"]
    assert len(await harness.all("sessions")) == 2
    # the route table forgot (a Redis restart); the service writes states back
    harness.routes.forget_everything()
    await harness.restart()
    assert await harness.routes.registration("CP-1") == "Accepted"


async def test_the_audit_log_keeps_what_it_should_for_as_long_as_it_should(harness: Any) -> None:
    await boot(harness)
    await harness.deliver(harness.envelope("Heartbeat", {}), decision=False)
    entries = await harness.all("audit")
    assert [e["action"] for e in entries] == ["BootNotification"]  # heartbeats: last seen only
    assert entries[0]["answer"]["status"] == "Accepted"
    assert entries[0]["payload"] == {"chargePointVendor": "ACME", "chargePointModel": "X1"}
    now = harness.clock()
    harness.clock = lambda: now + 91 * 86400
    assert await harness.service.purge_audit() == 1
    assert await harness.all("audit") == []


async def test_a_heartbeat_costs_no_write_and_last_seen_is_flushed(harness: Any) -> None:
    await boot(harness)
    await harness.service.flush_presence()
    [before] = await harness.all("presence")
    later = before["last_seen"] + 30
    await harness.deliver(harness.envelope("Heartbeat", {}, received_at=later), decision=False)
    assert (await harness.all("presence"))[0]["last_seen"] == before["last_seen"]
    await harness.service.flush_presence()
    assert (await harness.all("presence"))[0]["last_seen"] == later


async def test_an_unknown_vendors_data_transfer_and_a_registered_one(harness: Any) -> None:
    await boot(harness)

    async def echo(charger_id: str, message_id: str | None, data: Any) -> tuple[str, Any]:
        return "Accepted", f"{charger_id}:{message_id}:{data}"

    harness.service.data_transfer["com.example"] = echo
    unknown = await harness.deliver(harness.envelope("DataTransfer", {"vendorId": "other"}))
    assert unknown == {"status": "UnknownVendorId"}
    known = await harness.deliver(
        harness.envelope("DataTransfer", {"vendorId": "com.example", "messageId": "m", "data": "d"})
    )
    assert known == {"status": "Accepted", "data": "CP-1:m:d"}


async def test_an_unreachable_store_answers_a_decision_internal_error(harness: Any) -> None:
    await boot(harness)
    await harness.service.store.close()
    # The charger hears InternalError at once (and retries); the message goes
    # back to the broker, as it couldn't be audited.
    reply = await harness.deliver(
        harness.envelope("Authorize", {"idTag": "X"}), raises=StoreUnavailable
    )
    assert reply.error_code == "InternalError" and "retry" in reply.error_description


async def test_a_charger_that_never_booted_here_is_still_recorded(harness: Any) -> None:
    # What a gateway with registration_required=false (a migration) lets through.
    await harness.deliver(
        harness.envelope(
            "StatusNotification",
            {"connectorId": 1, "errorCode": "NoError", "status": "Available"},
            charger_id="CP-MIGRATED",
        ),
        decision=False,
    )
    await harness.deliver(
        harness.envelope(
            "FirmwareStatusNotification", {"status": "Idle"}, charger_id="CP-MIGRATED"
        ),
        decision=False,
    )
    [charger] = await harness.all("chargers")
    assert charger["_id"] == "CP-MIGRATED" and charger["registration"] == "Accepted"
    assert [c["status"] for c in charger["connectors"]] == ["Available"]
    assert charger["firmware"]["status"] == "Idle"
