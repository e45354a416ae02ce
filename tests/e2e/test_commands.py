"""Commands end to end: an operator (HTTP or the bus client) asks, the
commands service routes to the gateway holding the charger, the charger
(the ``ocpp`` package's ChargePoint) answers, and the command is tracked to
its final state; embedded and distributed."""

from __future__ import annotations

import asyncio
from typing import Any

from drivers import Driver16, Driver201, plug, unplug
from ocpp.routing import after, on
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201
from websockets.asyncio.client import connect

from chargebus.common.commands import CommandClient


async def command(
    csms: Any, charger_id: str, name: str, params: dict[str, Any], **query: Any
) -> Any:
    headers = {}
    if "key" in query:
        headers["Idempotency-Key"] = query.pop("key")
    response = await csms.api.post(
        f"/v1/chargers/{charger_id}/commands/{name}", json=params, params=query, headers=headers
    )
    return response


# -- the seeds' remote start, both versions ------------------------------------------------


async def test_1_6_remote_start_to_remote_stop(csms: Any) -> None:
    await csms.start()
    await csms.api.put("/v1/id-tokens/APP-7", json={"status": "Accepted"})
    charger, ws, task = await plug(csms, "CP-RS")
    try:
        response = await command(
            csms, "CP-RS", "remote_start", {"id_token": "APP-7", "evse_id": 1}, wait=10
        )
        assert response.status_code == 200, response.text
        state = response.json()
        assert state["status"] == "session_started", state
        assert state["calls"][0]["action"] == "RemoteStartTransaction"
        assert state["calls"][0]["payload"] == {"idTag": "APP-7", "connectorId": 1}
        # The session can start (and the command say so) before the charger
        # has read StartTransaction's answer: a race of the test's, not ours.
        await csms.eventually(lambda: charger.transaction_id is not None)
        assert state["transaction_id"] == str(charger.transaction_id)
        session = (await csms.api.get(f"/v1/sessions/{state['session_id']}")).json()
        assert (
            session["transaction_id"] == state["transaction_id"] and session["status"] == "active"
        )
        statuses = [s["status"] for s in state["history"]]
        assert statuses[:4] == ["received", "routed", "sent", "accepted"] or statuses[:3] == [
            "received",
            "routed",
            "sent",
        ]

        stop = await command(
            csms, "CP-RS", "remote_stop", {"session_id": state["session_id"]}, wait=10
        )
        assert stop.status_code == 200 and stop.json()["status"] == "accepted", stop.text
        assert stop.json()["calls"][0]["payload"] == {"transactionId": charger.transaction_id}

        async def ended() -> bool:
            s = (await csms.api.get(f"/v1/sessions/{state['session_id']}")).json()
            return s["status"] == "ended" and s["energy_wh"] == 1000

        await csms.eventually(ended)
        kinds = [e["type"] for e in csms.events if e.get("command_id") == state["command_id"]]
        assert kinds[0] == "command.received" and kinds[-1] == "command.session_started"
    finally:
        await unplug(ws, task)


async def test_2_0_1_remote_start_to_remote_stop_through_the_bus_client(csms: Any) -> None:
    await csms.start()
    await csms.api.put("/v1/id-tokens/APP-9", json={"status": "Accepted"})
    charger, ws, task = await plug(csms, "CS-RS", "2.0.1")
    client = CommandClient(csms.deployment.bus("client"))
    await csms.deployment.buses[-1].start()
    await client.start()
    try:
        state = await client.send(
            "remote_start", "CS-RS", {"id_token": "APP-9", "evse_id": 1}, timeout=15
        )
        assert state.status == "session_started", state
        assert state.remote_start_id is not None
        sent = state.calls[0].payload
        assert sent["idToken"] == {"idToken": "APP-9", "type": "Central"}
        assert sent["remoteStartId"] == state.remote_start_id
        session = (await csms.api.get(f"/v1/sessions/{state.session_id}")).json()
        assert (
            session["remote_start_id"] == state.remote_start_id
            and session["transaction_id"] == "TX-R1"
        )
        stop = await client.send(
            "remote_stop", "CS-RS", {"session_id": state.session_id}, timeout=15
        )
        assert stop.status == "accepted" and stop.final
        assert charger.received == ["RequestStartTransaction", "RequestStopTransaction TX-R1"]

        async def ended() -> bool:
            s = (await csms.api.get(f"/v1/sessions/{state.session_id}")).json()
            return s["status"] == "ended" and s["energy_wh"] == 1500

        await csms.eventually(ended)
    finally:
        await unplug(ws, task)


# -- refusals, silence, offline ----------------------------------------------------------


async def test_a_rejected_start_and_a_charger_that_never_answers(csms: Any) -> None:
    await csms.start(commands={"call_timeout": 1.0})
    charger, ws, task = await plug(csms, "CP-NO")
    try:
        charger.answer = "Rejected"  # the connector is occupied
        rejected = (await command(csms, "CP-NO", "remote_start", {"id_token": "X"}, wait=10)).json()
        assert rejected["status"] == "rejected" and rejected["final"]
        assert "Rejected" in rejected["detail"]
        charger.silent = True
        silent = (await command(csms, "CP-NO", "remote_start", {"id_token": "X"}, wait=10)).json()
        assert silent["status"] == "timed_out" and silent["final"], silent
    finally:
        await unplug(ws, task)


async def test_an_offline_charger_with_and_without_a_ttl(csms: Any) -> None:
    await csms.start()
    at_once = (await command(csms, "CP-LATER", "reset", {"type": "hard"}, wait=5)).json()
    assert at_once["status"] == "charger_offline" and at_once["final"]
    kept = await command(csms, "CP-LATER", "reset", {"type": "hard"}, ttl=60)
    assert kept.status_code == 202
    command_id = kept.json()["command_id"]

    async def waiting() -> bool:
        return (await csms.api.get(f"/v1/commands/{command_id}")).json()["status"] == "waiting"

    await csms.eventually(waiting)
    gone = (await command(csms, "CP-LATER", "reset", {}, ttl=0.3)).json()

    async def expired() -> bool:
        return (await csms.api.get(f"/v1/commands/{gone['command_id']}")).json()[
            "status"
        ] == "expired"

    await csms.eventually(expired)
    charger, ws, task = await plug(csms, "CP-LATER")
    try:

        async def delivered() -> bool:
            state = (await csms.api.get(f"/v1/commands/{command_id}")).json()
            return state["status"] == "accepted"

        await csms.eventually(delivered)
        assert charger.received == ["Reset Hard"]  # the expired one never reached it
    finally:
        await unplug(ws, task)


async def test_the_same_idempotency_key_twice_is_one_command(csms: Any) -> None:
    await csms.start()
    charger, ws, task = await plug(csms, "CP-ID")
    try:
        first, second = await asyncio.gather(
            command(csms, "CP-ID", "reset", {"type": "soft"}, key="reset-1", wait=5),
            command(csms, "CP-ID", "reset", {"type": "soft"}, key="reset-1", wait=5),
        )
        assert first.json()["command_id"] == second.json()["command_id"] == "reset-1"
        assert first.json()["status"] == second.json()["status"] == "accepted"
        assert charger.received == ["Reset Soft"]
        listed = (await csms.api.get("/v1/commands", params={"charger_id": "CP-ID"})).json()
        assert [c["command_id"] for c in listed["items"]] == ["reset-1"]
        other = await command(csms, "CP-ID", "clear_cache", {}, key="reset-1")
        assert other.status_code == 409 and "already used" in other.text
    finally:
        await unplug(ws, task)


async def test_bad_commands_are_refused_up_front(csms: Any) -> None:
    await csms.start()
    for name, params, fragment in (
        ("fly", {}, "unknown command"),
        ("remote_start", {}, "id_token"),
        ("remote_start", {"id_token": "X", "colour": "red"}, "colour"),
        ("remote_stop", {}, "session_id or transaction_id"),
        ("reset", {"type": "gentle"}, "type"),
    ):
        response = await command(csms, "CP-1", name, params)
        assert response.status_code == 400, (name, response.text)
        assert fragment in response.text, response.text
    assert (
        await csms.api.post("/v1/chargers/CP-1/commands/reset", content=b"[1]")
    ).status_code == 400
    assert (await csms.api.get("/v1/commands/nope")).status_code == 404
    assert (await csms.api.get("/v1/commands")).json()["items"] == []


async def test_a_command_for_a_1_6_charger_in_2_x_terms_is_invalid_and_not_sent(csms: Any) -> None:
    await csms.start()
    charger, ws, task = await plug(csms, "CP-V")
    try:
        state = (
            await command(
                csms,
                "CP-V",
                "get_configuration",
                {"variables": [{"component": "A", "variable": "B"}]},
                wait=5,
            )
        ).json()
        assert state["status"] == "invalid" and "keys, not variables" in state["detail"]
        raw = (
            await command(
                csms, "CP-V", "call", {"action": "Reset", "payload": {"type": "Sideways"}}, wait=5
            )
        ).json()
        assert raw["status"] == "invalid" and "Reset" in raw["detail"]
        ok = (
            await command(
                csms, "CP-V", "get_configuration", {"keys": ["HeartbeatInterval"]}, wait=5
            )
        ).json()
        assert ok["status"] == "accepted"
        assert ok["calls"][0]["response"]["configurationKey"][0]["value"] == "300"
        assert charger.received == []
    finally:
        await unplug(ws, task)


async def test_a_command_follows_a_charger_that_moved_to_another_gateway(csms: Any) -> None:
    await csms.start()
    first = csms.gateway
    second = await csms.deployment.gateway(registration_required=True)
    charger, ws, task = await plug(csms, "CP-MOVE", gateway=first)
    stale = await csms.commands.routes.lookup("CP-MOVE")
    charger2, ws2, task2 = await plug(csms, "CP-MOVE", gateway=second)
    lookup = csms.commands.routes.lookup
    looked: list[Any] = []

    async def stale_once(charger_id: str) -> Any:
        looked.append(charger_id)
        return stale if len(looked) == 1 else await lookup(charger_id)

    csms.commands.routes.lookup = stale_once  # the route changed between lookup and send
    try:
        state = (await command(csms, "CP-MOVE", "reset", {}, wait=10)).json()
        assert state["status"] == "accepted", state
        assert charger2.received == ["Reset Soft"] and charger.received == []
        assert len(looked) == 2
    finally:
        csms.commands.routes.lookup = lookup
        await unplug(ws2, task2)
        await unplug(ws, task)


class Firmware16(Driver16):
    @on("UpdateFirmware")
    async def on_update(self, location: str, retrieve_date: str, **kwargs: Any) -> Any:
        self.received.append(f"UpdateFirmware {location}")
        return result16.UpdateFirmware()

    @after("UpdateFirmware")
    async def progress(self, location: str, retrieve_date: str, **kwargs: Any) -> None:
        async def report() -> None:
            for status in ("Downloading", "Downloaded", "Installing", "Installed"):
                await self.call(call16.FirmwareStatusNotification(status=status))

        self.later(report())


class Firmware201(Driver201):
    @on("UpdateFirmware")
    async def on_update(self, request_id: int, firmware: dict, **kwargs: Any) -> Any:
        self.received.append(f"UpdateFirmware {request_id}")
        return result201.UpdateFirmware(status="Accepted")

    @after("UpdateFirmware")
    async def progress(self, request_id: int, firmware: dict, **kwargs: Any) -> None:
        async def report() -> None:
            for status in ("Downloading", "Downloaded", "Installing", "InstallationFailed"):
                await self.call(
                    call201.FirmwareStatusNotification(status=status, request_id=request_id)
                )

        self.later(report())


async def test_update_firmware_follows_the_chargers_progress(csms: Any) -> None:
    await csms.start()
    charger, ws, task = await plug(csms, "CP-FW", driver=Firmware16)
    station, ws2, task2 = await plug(csms, "CS-FW", "2.0.1", driver=Firmware201)
    try:
        ok = (
            await command(csms, "CP-FW", "update_firmware", {"location": "https://fw/1.bin"})
        ).json()
        bad = (
            await command(csms, "CS-FW", "update_firmware", {"location": "https://fw/2.bin"})
        ).json()

        async def final(command_id: str) -> dict[str, Any] | None:
            state = (await csms.api.get(f"/v1/commands/{command_id}")).json()
            return state if state["final"] else None

        # Bounded generously: four notifications each, through the sessions
        # and commands services, on a machine that may be running others.
        await csms.eventually(lambda: final(ok["command_id"]), timeout=30)
        await csms.eventually(lambda: final(bad["command_id"]), timeout=30)
        installed = await final(ok["command_id"])
        failed = await final(bad["command_id"])
        assert installed is not None and failed is not None
        assert (installed["status"], installed["firmware_status"]) == ("installed", "Installed")
        assert [h["status"] for h in installed["history"]][-2:] == ["accepted", "installed"]
        assert (
            failed["status"] == "install_failed"
            and failed["firmware_status"] == "InstallationFailed"
        )
        assert station.received == [f"UpdateFirmware {failed['request_id']}"]
    finally:
        await unplug(ws, task)
        await unplug(ws2, task2)


async def test_a_restart_resumes_what_was_not_sent_and_never_resends_what_was(csms: Any) -> None:
    from chargebus.commands.model import CommandDoc
    from chargebus.common.commands import Transition
    from chargebus.common.store.documents import to_doc

    await csms.start(commands={"call_timeout": 1.0})
    charger, ws, task = await plug(csms, "CP-CRASH")
    store = csms.commands.store
    now = csms.commands.clock()

    def doc(id: str, status: str, **fields: Any) -> dict[str, Any]:
        return to_doc(
            CommandDoc(
                id=id,
                command_id=id,
                charger_id="CP-CRASH",
                name="reset",
                params={"type": "hard"},
                status=status,
                created_at=now - 60,
                updated_at=now - 60,
                history=[Transition(status=status, at=now - 60)],
                **fields,
            )
        )

    try:
        # what a crash leaves: one taken but not sent, one sent with no outcome
        assert await store.insert("commands", doc("c-received", "received"))
        assert await store.insert("commands", doc("c-sent", "sent", deadline=now - 30))
        await csms.commands.resume()
        await csms.commands.sweep()

        async def settled() -> bool:
            a = (await csms.api.get("/v1/commands/c-received")).json()["status"]
            b = (await csms.api.get("/v1/commands/c-sent")).json()["status"]
            return (a, b) == ("accepted", "timed_out")

        await csms.eventually(settled)
        assert charger.received == ["Reset Hard"]  # once: the sent one is never resent
    finally:
        await unplug(ws, task)


async def test_a_command_of_several_calls_sends_them_in_turn(csms: Any) -> None:
    await csms.start()
    charger, ws, task = await plug(csms, "CP-CFG")
    try:
        values = {
            "HeartbeatInterval": "300",
            "MeterValueSampleInterval": "60",
            "WebSocketPingInterval": "30",
        }
        state = (
            await command(csms, "CP-CFG", "set_configuration", {"values": values}, wait=10)
        ).json()
        assert state["status"] == "accepted", state
        assert [c["payload"]["key"] for c in state["calls"]] == list(values)
        assert len({c["message_id"] for c in state["calls"]}) == 3
        assert charger.received == [f"ChangeConfiguration {k}={v}" for k, v in values.items()]
    finally:
        await unplug(ws, task)


class Triggered16(Driver16):
    @on("TriggerMessage")
    async def on_trigger(self, requested_message: str, **kwargs: Any) -> Any:
        self.received.append(f"TriggerMessage {requested_message}")
        return result16.TriggerMessage(status="Accepted")

    @after("TriggerMessage")
    async def send_it(self, requested_message: str, connector_id: int = 1, **kwargs: Any) -> None:
        async def status() -> None:
            try:
                await self.call(
                    call16.StatusNotification(
                        connector_id=connector_id, error_code="NoError", status="Available"
                    ),
                    suppress=False,
                )
                self.received.append("StatusNotification answered")
            except Exception as exc:
                self.received.append(f"StatusNotification refused: {type(exc).__name__}")

        self.later(status())


async def test_a_pending_charger_may_send_what_it_was_triggered_to(csms: Any) -> None:
    from ocpp.exceptions import SecurityError

    await csms.start(unknown_chargers="pending")
    ws = await connect(csms.url("CP-PEND"), subprotocols=["ocpp1.6"])
    charger = Triggered16("CP-PEND", ws, response_timeout=10)
    charger.setup()
    task = asyncio.create_task(charger.start())
    try:
        boot = await charger.call(
            call16.BootNotification(charge_point_model="X", charge_point_vendor="Y")
        )
        assert boot.status == "Pending"
        try:
            await charger.call(call16.Heartbeat(), suppress=False)
            raise AssertionError("a Pending charger's Heartbeat was accepted")
        except SecurityError:
            pass
        state = (
            await command(
                csms,
                "CP-PEND",
                "trigger_message",
                {"message": "StatusNotification", "evse_id": 1},
                wait=10,
            )
        ).json()
        assert state["status"] == "accepted", state
        await csms.eventually(
            lambda: (
                "StatusNotification answered" in charger.received
                or any("refused" in r for r in charger.received)
            )
        )
        assert "StatusNotification answered" in charger.received, charger.received
    finally:
        await unplug(ws, task)


async def test_the_sweep_reads_only_the_accepted_commands_that_go_on(csms: Any) -> None:
    """Accepted is final for most commands: the once-a-second sweep must not
    read them all (it did, so it grew with every command ever sent), only
    the remote starts and firmware updates that wait for what comes next."""
    from chargebus.commands.model import CommandDoc
    from chargebus.common.commands import Transition
    from chargebus.common.store.documents import to_doc

    await csms.start(commands={"remote_start_window": 5.0})
    store = csms.commands.store
    now = csms.commands.clock()

    def doc(id: str, name: str, final: bool) -> dict[str, Any]:
        return to_doc(
            CommandDoc(
                id=id,
                command_id=id,
                charger_id="CP-SWEEP",
                name=name,
                params={"type": "hard"} if name == "reset" else {"id_token": "T"},
                status="accepted",
                final=final,
                created_at=now - 60,
                updated_at=now - 60,
                history=[Transition(status="accepted", at=now - 60)],
            )
        )

    for n in range(3):
        assert await store.insert("commands", doc(f"done-{n}", "reset", final=True))
    assert await store.insert("commands", doc("start-1", "remote_start", final=False))
    read: list[str] = []
    find = store.find

    async def recording(collection: str, where: Any, **kwargs: Any) -> list[dict[str, Any]]:
        found = await find(collection, where, **kwargs)
        read.extend(raw["_id"] for raw in found)
        return found

    store.find = recording
    try:
        await csms.commands.sweep()
    finally:
        del store.find
    assert read == ["start-1"]
    state = (await csms.api.get("/v1/commands/start-1")).json()
    assert state["status"] == "start_timed_out"
    assert (await csms.api.get("/v1/commands/done-0")).json()["status"] == "accepted"


async def test_a_final_state_lost_on_its_way_to_the_bus_client_is_sent_again(
    csms: Any, monkeypatch: Any
) -> None:
    """A broker restart can drop the final state the commands service sends
    to a CommandClient (its inbox is being declared again): the client asks
    again (the same request, so the same command, not sent twice) and the
    service answers with the state it has."""
    monkeypatch.setattr("chargebus.common.commands.ASK_AGAIN_EVERY", 0.5)
    await csms.start()
    charger, ws, task = await plug(csms, "CP-LOST", driver=Driver16)
    lost: list[str] = []
    send_reply = csms.commands._send_reply

    async def drop_the_first(reply_to: str, correlation_id: str | None, state: Any) -> None:
        if not lost:
            lost.append(state.command_id)
            return
        await send_reply(reply_to, correlation_id, state)

    monkeypatch.setattr(csms.commands, "_send_reply", drop_the_first)
    client = CommandClient(csms.deployment.bus("client"))
    await csms.deployment.buses[-1].start()
    await client.start()
    try:
        state = await client.send("clear_cache", "CP-LOST", timeout=20)
        assert state.final and lost == [state.command_id]
        assert len(state.calls) == 1  # sent once, however often it was asked for
        listed = (await csms.api.get("/v1/commands", params={"charger_id": "CP-LOST"})).json()
        assert [c["command_id"] for c in listed["items"]] == [state.command_id]
    finally:
        await client.close()
        await unplug(ws, task)
