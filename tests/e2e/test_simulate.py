"""`chargebus simulate` against `chargebus run` (embedded, in this process):
what the simulator says it did is what the CSMS stored."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from chargebus.billing.settings import BillingSettings
from chargebus.cli.allinone import AllInOne
from chargebus.cli.simulate import Options, Simulation
from chargebus.commands.settings import CommandsSettings
from chargebus.common.ocpp.versions import OcppVersion
from chargebus.gateway.settings import GatewaySettings
from chargebus.sessions.settings import SessionsSettings

MIX = [(OcppVersion.V16, 2.0), (OcppVersion.V201, 1.0), (OcppVersion.V21, 1.0)]


class Csms:
    def __init__(self, app: AllInOne, api: httpx.AsyncClient) -> None:
        self.app, self.api = app, api

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.app.gateway.ocpp_port}/ocpp/"

    async def sessions(self, prefix: str, status: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        after = None
        while True:
            params: dict[str, Any] = {"status": status, "limit": 1000}
            if after:
                params["after"] = after
            page = (await self.api.get("/v1/sessions", params=params)).json()
            found += [s for s in page["items"] if s["charger_id"].startswith(prefix)]
            after = page.get("next")
            if not after:
                return found


@pytest.fixture
async def csms(tmp_path: Path) -> AsyncIterator[Csms]:
    data = str(tmp_path / "data")
    app = AllInOne(
        GatewaySettings(host="127.0.0.1", ocpp_port=0, api_port=0),
        SessionsSettings(host="127.0.0.1", api_port=0, data_dir=data),
        CommandsSettings(data_dir=data),
        BillingSettings(data_dir=data, cdr_delay=0),
    )
    await app.start()
    # Idle connections are dropped before the server's keep-alive (5 s) can
    # close one under a request: a run lasts longer than that.
    assert app.key_file is not None  # the admin key chargebus run made
    api = httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{app.http.port}",
        timeout=30,
        limits=httpx.Limits(keepalive_expiry=1.0),
        headers={"Authorization": f"Bearer {app.key_file.read_text().strip()}"},
    )
    await api.put("/v1/id-tokens/SIMTOKEN", json={"status": "Accepted"})
    try:
        yield Csms(app, api)
    finally:
        await api.aclose()
        await app.stop()


def options(csms: Csms, prefix: str, **changes: Any) -> Options:
    values: dict[str, Any] = {
        "url": csms.url,
        "count": 40,
        "mix": MIX,
        "prefix": prefix,
        "ramp": 200.0,
        "duration": 4.0,
        "heartbeat": 300.0,
        "meter_interval": 0.5,
        "session_length": 1.5,
        "progress": False,
        "seed": 7,
        **changes,
    }
    return Options(**values)


async def test_an_idle_fleet_boots_and_beats(csms: Csms) -> None:
    simulation = Simulation(options(csms, "IDLE-", scenario="idle", heartbeat=1.0))
    stats = await simulation.run()
    assert len(stats.booted) == 40 and stats.connections == 40 and stats.reconnects == 0
    assert stats.sent["BootNotification"] == stats.answered["BootNotification"] == 40
    assert stats.answered["Heartbeat"] >= 40 * 2  # about one a second for 4 s
    assert stats.sent == stats.answered and not stats.errors and not stats.invalid
    assert stats.closes == {1000: 40}
    # The mix, as asked: half 1.6, a quarter each of 2.0.1 and 2.1.
    versions = [c.version for c in simulation.chargers]
    assert versions.count(OcppVersion.V16) == 20 and versions.count(OcppVersion.V21) == 10
    chargers = (await csms.api.get("/v1/chargers", params={"limit": 1000})).json()["items"]
    assert len([c for c in chargers if c["id"].startswith("IDLE-")]) == 40
    assert stats.percentile("Heartbeat", 0.99) is not None


async def test_charging_sessions_are_all_stored(csms: Csms) -> None:
    simulation = Simulation(options(csms, "CHG-", scenario="charging"))
    stats = await simulation.run()
    # A run ends when it should: its waits wake when it winds down.
    assert simulation.elapsed < 4.0 + 0.2 + 5.0, simulation.elapsed
    assert stats.sessions_ended >= 40 and not stats.errors and not stats.invalid
    await asyncio.sleep(0.5)
    ended = await csms.sessions("CHG-", "ended")
    active = await csms.sessions("CHG-", "active")
    assert len(ended) == stats.sessions_ended
    assert len(ended) + len(active) == stats.sessions_started
    assert all(s["energy_wh"] is not None and s["energy_wh"] > 0 for s in ended)


async def test_chaos_loses_nothing(csms: Csms) -> None:
    stats = await Simulation(
        options(
            csms,
            "CHAOS-",
            scenario="chaos",
            duration=6.0,
            drop_rate=30.0,  # about one drop per charger every two seconds
            offline_for=(0.2, 1.0),
        )
    ).run()
    assert stats.reconnects > 0 and stats.queued_offline > 0 and stats.still_queued == 0
    assert stats.closes[1006] > 0  # the dropped links: no close frame
    await asyncio.sleep(0.5)
    ended = await csms.sessions("CHAOS-", "ended")
    active = await csms.sessions("CHAOS-", "active")
    assert len(ended) == stats.sessions_ended > 0
    assert len(ended) + len(active) == stats.sessions_started
    assert any(s["offline"] for s in ended if s["protocol"] != "v16")


async def test_the_remote_scenario_charges_when_told(
    csms: Csms, wait_until: Callable[..., Awaitable[None]]
) -> None:
    simulation = Simulation(
        options(csms, "RMT-", scenario="remote", count=6, duration=6.0, session_length=30.0)
    )
    run = asyncio.create_task(simulation.run())
    await wait_until(lambda: len(simulation.stats.booted) >= 6, 30)
    outcomes = await asyncio.gather(
        *(
            csms.api.post(
                f"/v1/chargers/{c.charger_id}/commands/remote_start",
                json={"id_token": "SIMTOKEN", "evse_id": 1},
                params={"wait": 10},
            )
            for c in simulation.chargers
        )
    )
    # (Heartbeats are 300 s apart: a remote start wakes the charger at once.)
    assert [o.json()["status"] for o in outcomes] == ["session_started"] * 6
    stopped = await csms.api.post(
        f"/v1/chargers/{simulation.chargers[0].charger_id}/commands/remote_stop",
        json={"session_id": outcomes[0].json()["session_id"]},
        params={"wait": 10},
    )
    assert stopped.json()["status"] == "accepted"
    stats = await run
    assert stats.received["RemoteStartTransaction"] + stats.received["RequestStartTransaction"] == 6
    assert stats.sessions_started == 6 and stats.sessions_ended == 1


async def test_a_storm_connects_everyone_at_once_from_the_given_addresses(csms: Csms) -> None:
    sources = ["127.0.0.2", "127.0.0.3"]
    simulation = Simulation(
        options(csms, "STORM-", scenario="storm", count=100, duration=3.0, sources=sources)
    )
    run = asyncio.create_task(simulation.run())
    while len(simulation.stats.booted) < 100:
        assert not run.done(), run.result().summary(100, 0)
        await asyncio.sleep(0.05)
    used = {c.ws.local_address[0] for c in simulation.chargers if c.ws is not None}
    stats = await run
    assert used == set(sources)
    assert stats.connections == 100 and not stats.refused and not stats.errors


async def test_a_csms_that_answers_otherwise_is_survived_and_reported() -> None:
    """Pending before Accepted, a time without a zone (the `ocpp` package's
    examples send one), and CALLERRORs for what it doesn't implement: the
    fleet boots, backs off instead of flooding, and says what it saw."""
    import json

    from websockets.asyncio.server import serve

    pending_once: set[str] = set()

    async def handler(ws: Any) -> None:
        charger = ws.request.path.rsplit("/", 1)[-1]
        async for raw in ws:
            _, message_id, action, _ = json.loads(raw)
            if action == "BootNotification":
                status = "Accepted" if charger in pending_once else "Pending"
                pending_once.add(charger)
                answer: Any = [
                    3,
                    message_id,
                    {"status": status, "currentTime": "2026-11-23T12:00:00", "interval": 1},
                ]
            elif action == "Heartbeat":
                answer = [3, message_id, {"currentTime": "2026-11-23T12:00:00"}]
            else:
                answer = [4, message_id, "NotImplemented", "not here", {}]
            await ws.send(json.dumps(answer))

    async with serve(handler, "127.0.0.1", 0, subprotocols=["ocpp1.6"]) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        simulation = Simulation(
            Options(
                url=f"ws://127.0.0.1:{port}/ocpp/",
                count=20,
                prefix="ODD-",
                duration=4.0,
                heartbeat=1.0,
                progress=False,
                seed=1,
            )
        )
        stats = await simulation.run()
    assert len(stats.booted) == 20
    assert stats.sent["BootNotification"] == 40  # Pending once, then Accepted
    assert stats.errors["NotImplemented"] > 0
    assert any("BootNotification" in k for k in stats.forgiven)
    # Refused StatusNotifications are tried again, but seconds apart.
    assert stats.sent["StatusNotification"] <= 20 * 4, stats.sent
    assert simulation.elapsed < 4.0 + 5.0


class FakeCsms:
    """A minimal 1.6 CSMS that accepts everything and records what came,
    and can be stopped and started again on the same port (a restart)."""

    def __init__(self) -> None:
        self.port = 0
        self.server: Any = None
        self.received: list[tuple[str, str]] = []  # (charger, action)

    async def handler(self, ws: Any) -> None:
        import json

        charger = ws.request.path.rsplit("/", 1)[-1]
        async for raw in ws:
            _, message_id, action, _ = json.loads(raw)
            self.received.append((charger, action))
            body: dict[str, Any] = {}
            if action == "BootNotification":
                body = {
                    "status": "Accepted",
                    "currentTime": "2026-11-23T12:00:00Z",
                    "interval": 300,
                }
            elif action == "Heartbeat":
                body = {"currentTime": "2026-11-23T12:00:00Z"}
            await ws.send(json.dumps([3, message_id, body]))

    async def start(self) -> None:
        from websockets.asyncio.server import serve

        self.server = await serve(self.handler, "127.0.0.1", self.port, subprotocols=["ocpp1.6"])
        self.port = next(iter(self.server.sockets)).getsockname()[1]

    async def stop(self) -> None:
        self.server.close()
        await self.server.wait_closed()

    def count(self, action: str) -> int:
        return sum(1 for _, a in self.received if a == action)


@pytest.mark.parametrize("boot_again", [False, True])
async def test_after_a_restart_the_fleet_is_back_within_the_spread(
    boot_again: bool, tmp_path: Path
) -> None:
    """The CSMS restarts: every charger reconnects within the spread and
    says where it stands (a StatusNotification at once, though its next
    heartbeat is minutes away), booting again when asked to; the status
    file follows the run and the JSON summary matches the printed one."""
    import json

    csms = FakeCsms()
    await csms.start()
    status_file, json_file = tmp_path / "status.json", tmp_path / "summary.json"
    simulation = Simulation(
        Options(
            url=f"ws://127.0.0.1:{csms.port}/ocpp/",
            count=30,
            prefix="RST-",
            ramp=0,
            duration=5.0,
            progress=False,
            seed=3,
            reconnect_spread=1.0,
            boot_on_reconnect=boot_again,
            status_file=str(status_file),
            status_interval=0.1,
            json_file=str(json_file),
        )
    )
    run = asyncio.create_task(simulation.run())
    while simulation.stats.boots < 30:
        assert not run.done()
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)
    live = json.loads(status_file.read_text())
    assert live["boots"] == 30 and live["phase"] == "run" and live["connected"] == 30
    await csms.stop()  # closes every connection with 1001
    await asyncio.sleep(0.2)
    restarted = asyncio.get_running_loop().time()
    csms.received.clear()
    await csms.start()
    while csms.count("StatusNotification") < 30:
        assert asyncio.get_running_loop().time() - restarted < 4.0, csms.received
        await asyncio.sleep(0.05)
    stats = await run
    assert csms.count("BootNotification") == (30 if boot_again else 0)
    assert stats.boots == (60 if boot_again else 30) and stats.reconnects == 30
    assert stats.closes[1001] == 30 and not stats.errors
    summary = json.loads(json_file.read_text())
    assert summary["boots"] == stats.boots and summary["reconnects"] == 30
    assert summary["actions"]["StatusNotification"]["answered"] == 60
    assert summary["actions"]["BootNotification"]["p99_ms"] is not None
    assert json.loads(status_file.read_text())["phase"] == "done"


async def test_stalled_chargers_stop_reading_and_keep_sending() -> None:
    """A share of the fleet stops reading once booted and keeps sending
    Heartbeats unanswered-for; the rest carry on as usual."""
    csms = FakeCsms()
    await csms.start()
    simulation = Simulation(
        Options(
            url=f"ws://127.0.0.1:{csms.port}/ocpp/",
            count=20,
            prefix="STL-",
            ramp=0,
            duration=3.0,
            heartbeat=0.5,
            progress=False,
            seed=5,
            stall=0.1,
            stall_rate=20.0,
        )
    )
    stats = await simulation.run()
    await csms.stop()
    stalled = {c.charger_id for c in simulation.chargers if c.stalled}
    assert len(stalled) == 2
    from_stalled = [a for c, a in csms.received if c in stalled and a == "Heartbeat"]
    assert len(from_stalled) == stats.stalled_sent >= 2 * 20  # about 20 a second for 3 s
    # Their Heartbeats are never read back, nor counted as answered.
    assert stats.answered["Heartbeat"] == stats.sent["Heartbeat"] > 0
    others = [a for c, a in csms.received if c not in stalled and a == "Heartbeat"]
    assert len(others) == stats.sent["Heartbeat"]
    assert len(stats.booted) == 20 and not stats.errors
