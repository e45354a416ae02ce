"""The sessions service's consumers, fed directly: idempotent under
redelivery, order-independent under concurrency, durable across restarts,
and its outbox publishes what a failed publish left behind."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec

from chargebus.common.bus import BusUnavailable
from chargebus.common.store import StoreUnavailable
from chargebus.sessions.model import IdToken, to_doc

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
    # Ended may be merged before other events: each change after it is a
    # new revision of session.ended, and the latest has it all.
    # (Published at least once: two handlers racing may both publish one.)
    ended = list({e["event_id"]: e for e in harness.events_of("session.ended")}.values())
    assert sorted(e.get("revision", 1) for e in ended) == list(range(1, len(ended) + 1))
    latest = max(ended, key=lambda e: e.get("revision", 1))
    assert latest["energy_wh"] == 1900 and latest["started_at"] == T0.timestamp()
    assert len(latest["meter_profile"]) == 4  # 19 minutes: four 5-minute buckets
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
    await harness.service.sweep_outboxes()  # too fresh: a handler may be publishing it
    await harness.settle()
    assert harness.events_of("session.started") == []
    await harness.service.sweep_outboxes(settle_s=0)
    await harness.service.sweep_outboxes(settle_s=0)
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
    # the route table forgot (a Redis restart): the service writes the states
    # back, at start-up and when its periodic check finds them gone
    harness.routes.forget_everything()
    await harness.restart()
    registration = await harness.routes.registration("CP-1")
    assert registration.state == "Accepted"
    assert registration.heartbeat_interval == harness.service.settings.heartbeat_interval
    harness.routes.forget_everything()
    await harness.service.reseed_lost_registrations()
    assert (await harness.routes.registration("CP-1")).state == "Accepted"
    assert (await harness.routes.registration("CP-NOBODY")).state is None


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
    harness.replies.clear()
    delivery = asyncio.create_task(
        harness.deliver(harness.envelope("Authorize", {"idTag": "X"}), raises=StoreUnavailable)
    )
    # The charger hears InternalError at once (and retries) ...
    await eventually(lambda: any(f.done() for f in harness.replies.values()))
    [reply] = [f.result() for f in harness.replies.values()]
    assert reply.error_code == "InternalError" and "retry" in reply.error_description
    # ... while the message waits to be audited; stopping hands it back to the broker.
    await asyncio.sleep(0.3)
    assert not delivery.done()
    harness.service.started = False
    await asyncio.wait_for(delivery, 10)


async def eventually(check: Any, timeout: float = 5) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


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


SESSION_FACTS = [
    "status",
    "started_at",
    "ended_at",
    "meter_start_wh",
    "meter_stop_wh",
    "meter_last_wh",
    "energy_wh",
    "power_w",
    "stop_reason",
    "charging_state",
    "charging_states",
    "idle_since",
    "meter_profile",
    "seq_nos",
    "evse_id",
    "offline",
]


async def test_every_order_of_a_transactions_events_gives_the_same_session(
    harness_class: Any, tmp_path: Any
) -> None:
    import itertools

    events = [
        tx_event(
            "Started",
            0,
            0,
            100,
            evse={"id": 1, "connectorId": 1},
            info={"chargingState": "EVConnected"},
        ),
        tx_event("Updated", 1, 60, 500, info={"chargingState": "Charging"}),
        tx_event("Updated", 2, 90, 900, info={"chargingState": "SuspendedEV"}),
        {  # Ended without readings: the stop is the last reading, whenever it arrives
            "eventType": "Ended",
            "timestamp": at(120),
            "triggerReason": "EVDeparted",
            "seqNo": 3,
            "transactionInfo": {"transactionId": "TX-1", "chargingState": "Idle"},
        },
    ]
    seen = []
    for n, order in enumerate(itertools.permutations(events)):
        harness = harness_class(tmp_path / f"{n}.db")
        await harness.start()
        try:
            for payload in order:
                await harness.deliver(
                    harness.envelope("TransactionEvent", payload, version="v201"), decision=False
                )
            [session] = await harness.all("sessions")
            await harness.settle()
            # The latest session.ended tells the same story in every order;
            # revisions are numbered 1, 2, ... and each one says something new.
            ended = harness.events_of("session.ended")
            assert [e.get("revision", 1) for e in ended] == list(range(1, len(ended) + 1))
            last = {
                k: v
                for k, v in ended[-1].items()
                if k not in ("event_id", "revision", "session_id")
            }
            seen.append({**{k: session[k] for k in SESSION_FACTS}, "ended": last})
        finally:
            await harness.close()
    for facts in seen:
        assert facts == seen[0]
    assert seen[0]["meter_stop_wh"] == 900 and seen[0]["energy_wh"] == 800
    assert seen[0]["charging_state"] == "Idle"
    # SuspendedEV at 90 s came after the last Charging (60 s): idle from then.
    assert seen[0]["idle_since"] == (T0 + timedelta(seconds=90)).timestamp()
    assert seen[0]["ended"]["idle_since"] == seen[0]["idle_since"]
    assert seen[0]["ended"]["meter_profile"] == [[T0.timestamp(), 100]]


async def test_the_1_6_meter_stop_wins_over_an_end_reading_in_either_order(
    harness_class: Any, tmp_path: Any
) -> None:
    results = []
    for n, stop_first in enumerate((True, False)):
        harness = harness_class(tmp_path / f"{n}.db")
        await harness.start()
        try:
            await token(harness, "TAG")
            started = await harness.deliver(
                harness.envelope(
                    "StartTransaction",
                    {"connectorId": 1, "idTag": "TAG", "meterStart": 1000, "timestamp": at(0)},
                )
            )
            stop = harness.envelope(
                "StopTransaction",
                {"transactionId": started["transactionId"], "meterStop": 1400, "timestamp": at(60)},
            )
            end_reading = harness.envelope(
                "MeterValues",
                {
                    "connectorId": 1,
                    "transactionId": started["transactionId"],
                    "meterValue": [
                        {
                            "timestamp": at(61),
                            "sampledValue": [{"value": "1345", "context": "Transaction.End"}],
                        }
                    ],
                },
            )
            for message in (stop, end_reading) if stop_first else (end_reading, stop):
                await harness.deliver(message, decision=message.action == "StopTransaction")
            [session] = await harness.all("sessions")
            results.append((session["meter_stop_wh"], session["energy_wh"]))
        finally:
            await harness.close()
    assert results == [(1400, 400), (1400, 400)]


def nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"a": value}
    return value


async def test_what_mongodb_cant_hold_is_kept_as_text_and_answered(
    harness_class: Any, tmp_path: Any
) -> None:
    harness = harness_class(tmp_path / "db", mongo=True)
    await harness.start()
    try:
        deep = nested(150)
        answer = await harness.deliver(
            harness.envelope(
                "DataTransfer", {"vendorId": "x", "data": deep}, version="v201", charger_id="CS-D"
            )
        )
        assert answer == {"status": "UnknownVendorId"}
        [record] = await harness.all("records")
        assert msgspec.json.decode(record["data"]["json"]) == {"vendorId": "x", "data": deep}
        [entry] = await harness.all("audit")
        assert entry["as_text"] is True and msgspec.json.decode(entry["payload"])["data"] == deep
        # a huge integer in an audited message doesn't fail its batch-mates
        await asyncio.gather(
            harness.deliver(harness.envelope("Heartbeat", {}, charger_id="CS-D"), decision=False),
            harness.deliver(
                harness.envelope(
                    "SecurityEventNotification",
                    {"type": "x", "timestamp": at(0), "techInfo": "t"},
                    charger_id="CS-D",
                ),
                decision=False,
            ),
            harness.deliver(
                harness.envelope("Authorize", {"idTag": "T"}, charger_id=str(2**63)),
            ),
        )
        assert len(await harness.all("audit")) == 3
    finally:
        await harness.close()


async def test_a_notification_waits_out_a_store_outage(harness: Any) -> None:
    await boot(harness)
    store = harness.service.store
    insert_many = store.insert_many
    failures = iter(range(3))

    async def flaky(collection: str, docs: Any) -> int:
        if next(failures, None) is not None:
            raise StoreUnavailable("primary stepped down")
        return await insert_many(collection, docs)

    store.insert_many = flaky
    await harness.deliver(
        harness.envelope(
            "MeterValues",
            {
                "connectorId": 1,
                "meterValue": [{"timestamp": at(0), "sampledValue": [{"value": "1"}]}],
            },
        ),
        decision=False,
    )  # no exception: it waited, then stored
    assert len(await harness.all("samples")) == 1
    assert harness.service.metrics.store_errors._value.get() == 3


async def test_a_1_6_connector_status_is_its_sessions_charging_state_and_late_readings_revise_the_end(
    harness: Any,
) -> None:
    await boot(harness)
    await token(harness, "TAG")
    started = await harness.deliver(
        harness.envelope(
            "StartTransaction",
            {"connectorId": 1, "idTag": "TAG", "meterStart": 1000, "timestamp": at(0)},
        )
    )
    tx = started["transactionId"]

    def status(value: str, seconds: int) -> Any:
        return harness.envelope(
            "StatusNotification",
            {"connectorId": 1, "errorCode": "NoError", "status": value, "timestamp": at(seconds)},
        )

    # SuspendedEV then Charging again is a pause, not the end; Finishing
    # after the last Charging is.  Any order.
    for message in [status("SuspendedEV", 600), status("Finishing", 1800), status("Charging", 10)]:
        await harness.deliver(message, decision=False)
    await harness.deliver(status("Charging", 900), decision=False)
    await harness.deliver(
        harness.envelope(
            "StopTransaction", {"transactionId": tx, "meterStop": 9000, "timestamp": at(2400)}
        )
    )
    await harness.settle()
    [session] = await harness.all("sessions")
    assert session["idle_since"] == (T0 + timedelta(seconds=1800)).timestamp()
    [ended] = harness.events_of("session.ended")
    assert ended["idle_since"] == session["idle_since"] and "revision" not in ended
    assert ended["protocol"] == "ocpp1.6"
    # A reading queued offline and sent after the stop: the profile changes,
    # so session.ended comes again as revision 2; the energy stands (meterStop).
    await harness.deliver(
        harness.envelope(
            "MeterValues",
            {
                "connectorId": 1,
                "transactionId": tx,
                "meterValue": [
                    {"timestamp": at(1200), "sampledValue": [{"value": "6000", "unit": "Wh"}]}
                ],
            },
        ),
        decision=False,
    )
    await harness.settle()
    first, second = harness.events_of("session.ended")
    assert second["revision"] == 2 and second["event_id"] == f"{session['_id']}:ended:2"
    assert second["energy_wh"] == first["energy_wh"] == 8000
    assert [T0.timestamp() + 1200, 6000] in second["meter_profile"]
    # The same reading again changes nothing: no third revision.
    await harness.deliver(
        harness.envelope(
            "MeterValues",
            {
                "connectorId": 1,
                "transactionId": tx,
                "meterValue": [
                    {"timestamp": at(1200), "sampledValue": [{"value": "6000", "unit": "Wh"}]}
                ],
            },
        ),
        decision=False,
    )
    await harness.settle()
    assert len(harness.events_of("session.ended")) == 2


async def test_1_6_statuses_stored_before_the_start_or_after_the_stop_still_count(
    harness: Any,
) -> None:
    await boot(harness)
    await token(harness, "TAG")

    def status(value: str, seconds: int) -> Any:
        return harness.envelope(
            "StatusNotification",
            {"connectorId": 1, "errorCode": "NoError", "status": value, "timestamp": at(seconds)},
        )

    # Charging is stored before the StartTransaction it follows...
    await harness.deliver(status("Charging", 5), decision=False)
    started = await harness.deliver(
        harness.envelope(
            "StartTransaction",
            {"connectorId": 1, "idTag": "TAG", "meterStart": 0, "timestamp": at(0)},
        )
    )
    # ... and SuspendedEV after the StopTransaction it came before.
    await harness.deliver(
        harness.envelope(
            "StopTransaction",
            {"transactionId": started["transactionId"], "meterStop": 500, "timestamp": at(900)},
        )
    )
    await harness.deliver(status("SuspendedEV", 600), decision=False)
    await harness.deliver(status("Available", 950), decision=False)  # after it: not its
    await harness.settle()
    [session] = await harness.all("sessions")
    assert session["idle_since"] == (T0 + timedelta(seconds=600)).timestamp()
    latest = max(harness.events_of("session.ended"), key=lambda e: e.get("revision", 1))
    assert latest["idle_since"] == session["idle_since"]


async def test_a_long_idle_tail_of_charging_states_keeps_its_start(harness: Any) -> None:
    await boot(harness, version="v201")
    payloads = [
        tx_event("Started", 0, 0, 0, info={"chargingState": "Charging"}),
        *(
            tx_event("Updated", n, 600 + n * 60, 5000, info={"chargingState": "SuspendedEV"})
            for n in range(1, 230)
        ),
    ]
    for payload in payloads:
        await harness.deliver(
            harness.envelope("TransactionEvent", payload, version="v201"), decision=False
        )
    [session] = await harness.all("sessions")
    assert session["idle_since"] == (T0 + timedelta(seconds=660)).timestamp()
    assert len(session["charging_states"]) == 200


async def test_a_boot_the_gateway_answered_is_stored_with_the_answer_it_gave(
    harness: Any, caplog: Any
) -> None:
    """A charger the route table holds as Accepted gets its BootNotification
    answered by the gateway (CHARGEBUS_ANSWER_ACCEPTED_BOOTS): the service
    stores it like any boot, the audit log keeps what the charger was told,
    and an operator's change in the meantime is logged and holds for the
    next boot."""
    await boot(harness)
    given = {"status": "Accepted", "currentTime": "2026-12-03T08:00:00Z", "interval": 300}
    payload = {"chargePointVendor": "ACME", "chargePointModel": "X1", "firmwareVersion": "2.0"}
    message = msgspec.structs.replace(
        harness.envelope("BootNotification", payload),
        answer=msgspec.Raw(msgspec.json.encode(given)),
    )
    assert await harness.deliver(message, decision=False) is None
    (charger,) = await harness.all("chargers")
    assert charger["firmware_version"] == "2.0"
    assert charger["last_boot"].startswith(message.message_id)
    (entry,) = [e for e in await harness.all("audit") if e["message_id"] == message.message_id]
    assert entry["answer"] == given
    await harness.service.set_registration("CP-1", "Rejected")
    later = msgspec.structs.replace(
        harness.envelope("BootNotification", payload),
        answer=msgspec.Raw(msgspec.json.encode(given)),
    )
    await harness.deliver(later, decision=False)
    assert "was answered Accepted by its gateway; its registration is now Rejected" in caplog.text
    assert (await harness.routes.registration("CP-1")).state == "Rejected"
