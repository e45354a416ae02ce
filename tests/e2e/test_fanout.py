"""A command for many chargers at once (a fan-out), end to end in both
modes: over HTTP and the bus client, to chargers of both versions (the
``ocpp`` package's ChargePoint) and to many 1.6 chargers of the simulator's
(``chargebus simulate``'s link), through the gateway's CommandBatch path."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pytest
from chargers import SimulatedCharger
from drivers import plug, unplug

from chargebus.commands import fanout
from chargebus.common.commands import CommandClient
from chargebus.common.routes import RouteTableUnavailable


async def fan(csms: Any, name: str, body: dict[str, Any], **query: Any) -> Any:
    headers = {}
    if "key" in query:
        headers["Idempotency-Key"] = query.pop("key")
    return await csms.api.post(f"/v1/fanouts/{name}", json=body, params=query, headers=headers)


async def commands_of(csms: Any, fanout_id: str) -> dict[str, dict[str, Any]]:
    page = (await csms.api.get("/v1/commands", params={"fanout_id": fanout_id})).json()
    return {c["charger_id"]: c for c in page["items"]}


async def test_a_reset_to_both_versions_and_an_offline_charger(csms: Any) -> None:
    await csms.start()
    one, ws1, task1 = await plug(csms, "FO-16")
    two, ws2, task2 = await plug(csms, "FO-201", "2.0.1")
    try:
        body = {"charger_ids": ["FO-16", "FO-201", "FO-OFF", "FO-16"], "params": {"type": "hard"}}
        response = await fan(csms, "reset", body, key="reset-all", wait=10)
        assert response.status_code == 200, response.text
        state = response.json()
        assert state["fanout_id"] == "reset-all" and state["final"]
        assert state["chargers"] == 3  # the same charger twice is one command
        assert state["statuses"] == {"accepted": 2, "charger_offline": 1}
        assert one.received == ["Reset Hard"] and two.received == ["Reset Immediate"]

        commands = await commands_of(csms, "reset-all")
        assert {c: s["status"] for c, s in commands.items()} == {
            "FO-16": "accepted",
            "FO-201": "accepted",
            "FO-OFF": "charger_offline",
        }
        assert commands["FO-16"]["command_id"] == "fanout:reset-all:FO-16"
        assert commands["FO-16"]["calls"][0]["action"] == "Reset"
        assert commands["FO-201"]["protocol"] == "ocpp2.0.1"
        single = (await csms.api.get("/v1/commands/fanout:reset-all:FO-201")).json()
        assert single["status"] == "accepted"
        assert [t["status"] for t in single["history"]] == [
            "received",
            "routed",
            "sent",
            "accepted",
        ]
        # Only the final states are published for a fan-out's commands.
        await csms.eventually(lambda: len(csms.events_of("command.accepted")) == 2)
        assert csms.events_of("command.charger_offline", charger_id="FO-OFF")
        assert not csms.events_of("command.sent") and not csms.events_of("command.received")

        again = await fan(csms, "reset", body, key="reset-all", wait=5)
        assert again.json()["statuses"] == state["statuses"]
        assert one.received == ["Reset Hard"]  # not sent twice
        other = await fan(csms, "reset", {**body, "params": {"type": "soft"}}, key="reset-all")
        assert other.status_code == 409 and "already used" in other.text
        assert (await csms.api.get("/v1/fanouts/reset-all")).json()["final"]
    finally:
        await unplug(ws1, task1)
        await unplug(ws2, task2)


async def test_params_one_version_cannot_take_are_invalid_for_its_chargers(csms: Any) -> None:
    await csms.start()
    one, ws1, task1 = await plug(csms, "FV-16")
    two, ws2, task2 = await plug(csms, "FV-201", "2.0.1")
    try:
        body = {"charger_ids": ["FV-16", "FV-201"], "params": {"keys": ["HeartbeatInterval"]}}
        state = (await fan(csms, "get_configuration", body, wait=10)).json()
        assert state["statuses"] == {"accepted": 1, "invalid": 1}, state
        commands = await commands_of(csms, state["fanout_id"])
        assert commands["FV-16"]["calls"][0]["response"]["configurationKey"][0]["value"] == "300"
        assert "needs variables" in commands["FV-201"]["detail"]
        assert two.received == []
    finally:
        await unplug(ws1, task1)
        await unplug(ws2, task2)


async def test_many_chargers_in_several_batches_through_the_bus_client(
    csms: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fanout, "CHUNK", 25)  # several batches per gateway
    await csms.start(commands={"call_timeout": 1.0})
    chargers = [SimulatedCharger(csms.url(f"FB-{n:03d}")) for n in range(80)]
    chargers.append(SimulatedCharger(csms.url("FB-SILENT"), silent=True))
    chargers.append(SimulatedCharger(csms.url("FB-NO"), reply={"status": "Rejected"}))
    await asyncio.gather(*(c.start() for c in chargers))
    bus = csms.deployment.bus("fanout client")
    await bus.start()
    client = CommandClient(bus)
    await client.start()
    try:
        for c in chargers:
            await csms.eventually(
                lambda c=c: c.charger_id in csms.gateway_of(c.charger_id).connections
            )
        ids = [c.charger_id for c in chargers] + ["FB-GONE"]
        state = await client.fanout("clear_cache", ids, fanout_id="cc-1", timeout=60)
        assert state.final, state
        assert state.statuses == {
            "accepted": 80,
            "timed_out": 1,
            "rejected": 1,
            "charger_offline": 1,
        }
        assert all(c.calls == ["ClearCache"] for c in chargers)
        refused = await client.fanout("remote_start", ids, {"id_token": "X"}, timeout=10)
        assert refused.fanout_id == "" and "can't go to many chargers" in (refused.detail or "")
    finally:
        await client.close()
        await asyncio.gather(*(c.close() for c in chargers))


async def test_bad_fanouts_are_refused_up_front(csms: Any) -> None:
    await csms.start()
    for name, body, fragment in (
        ("fly", {"charger_ids": ["A"]}, "can't go to many chargers"),
        ("remote_start", {"charger_ids": ["A"], "params": {"id_token": "X"}}, "remote_start"),
        ("reset", {"charger_ids": []}, "charger_ids"),
        ("reset", {"charger_ids": ["A"], "params": {"type": "gentle"}}, "type"),
        ("reset", {"charger_ids": ["A"], "ttl_s": -1}, "ttl_s"),
        ("reset", {"chargers": ["A"]}, "unknown field `chargers`"),
    ):
        response = await fan(csms, name, body)
        assert response.status_code == 400, (name, response.text)
        assert fragment in response.text, response.text
    bad_key = await fan(csms, "reset", {"charger_ids": ["A"]}, key="a/b")
    assert bad_key.status_code == 400 and "fanout_id" in bad_key.text
    assert (await csms.api.get("/v1/fanouts/nope")).status_code == 404
    assert (await csms.api.get("/v1/commands")).json()["items"] == []


async def test_a_fanout_that_stopped_half_way_is_finished_by_the_same_request_again(
    csms: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await csms.start()
    charger = SimulatedCharger(csms.url("FR-1"))
    await charger.start()
    try:
        await csms.eventually(lambda: "FR-1" in csms.gateway_of("FR-1").connections)
        routes = csms.commands.routes
        lookup_many = routes.lookup_many

        async def unavailable(ids: Any) -> Any:
            raise RouteTableUnavailable("down for the test")

        # The id is claimed, then the route table fails: 503, nothing sent.
        monkeypatch.setattr(routes, "lookup_many", unavailable)
        body = {"charger_ids": ["FR-1", "FR-OFF"]}
        first = await fan(csms, "clear_cache", body, key="half")
        assert first.status_code == 503, first.text
        assert charger.calls == []
        assert "statuses" not in (await csms.api.get("/v1/fanouts/half")).json()

        # The same request again finishes it; a different one under the id is refused.
        monkeypatch.setattr(routes, "lookup_many", lookup_many)
        other = await fan(csms, "clear_cache", {"charger_ids": ["FR-1"]}, key="half")
        assert other.status_code == 409, other.text
        again = await fan(csms, "clear_cache", body, key="half", wait=10)
        assert again.status_code == 200, again.text
        assert again.json()["statuses"] == {"accepted": 1, "charger_offline": 1}
        assert charger.calls == ["ClearCache"]
        third = await fan(csms, "clear_cache", body, key="half", wait=10)
        assert third.json()["statuses"] == {"accepted": 1, "charger_offline": 1}
        assert charger.calls == ["ClearCache"]  # sent once
        # Single commands can't take a fan-out's command ids.
        single = await csms.api.post(
            "/v1/chargers/FR-1/commands/clear_cache",
            json={},
            headers={"Idempotency-Key": "fanout:half:FR-1"},
        )
        assert single.status_code == 400 and "fan-outs" in single.text
    finally:
        await charger.close()


async def test_an_offline_charger_with_a_ttl_gets_its_fanout_command_when_it_connects(
    csms: Any,
) -> None:
    await csms.start()
    online = SimulatedCharger(csms.url("FT-ON"))
    await online.start()
    later = SimulatedCharger(csms.url("FT-LATER"))
    try:
        await csms.eventually(lambda: "FT-ON" in csms.gateway_of("FT-ON").connections)
        body = {"charger_ids": ["FT-ON", "FT-LATER"], "ttl_s": 60}
        state = (await fan(csms, "clear_cache", body, key="kept", wait=5)).json()
        assert state["statuses"] == {"accepted": 1, "waiting": 1} and not state["final"]
        assert csms.events_of("command.waiting", charger_id="FT-LATER")

        await later.start()

        async def final() -> bool:
            return bool((await csms.api.get("/v1/fanouts/kept")).json()["final"])

        await csms.eventually(final)
        done = (await csms.api.get("/v1/fanouts/kept")).json()
        assert done["statuses"] == {"accepted": 2}
        assert online.calls == later.calls == ["ClearCache"]
    finally:
        await online.close()
        with contextlib.suppress(AttributeError):
            await later.close()
