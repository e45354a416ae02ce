"""``chargebus run`` as a newcomer runs it: every service in one process,
one HTTP port, SQLite in the data directory; a charger boots, a token is
registered over HTTP, and an app's remote start ends in a session."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from ocpp.routing import after, on
from ocpp.v16 import ChargePoint, call, call_result
from websockets.asyncio.client import connect

from chargebus.cli.allinone import AllInOne
from chargebus.commands.settings import CommandsSettings
from chargebus.gateway.settings import GatewaySettings
from chargebus.sessions.settings import SessionsSettings


class Charger(ChargePoint):
    @on("RemoteStartTransaction")
    async def on_remote_start(self, id_tag: str, **kwargs: Any) -> Any:
        return call_result.RemoteStartTransaction(status="Accepted")

    @after("RemoteStartTransaction")
    async def begin(self, id_tag: str, connector_id: int = 1, **kwargs: Any) -> None:
        self.task = asyncio.create_task(
            self.call(
                call.StartTransaction(
                    connector_id=connector_id,
                    id_tag=id_tag,
                    meter_start=0,
                    timestamp=datetime.now(UTC).isoformat(),
                )
            )
        )


async def test_everything_in_one_process(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    app = AllInOne(
        GatewaySettings(host="127.0.0.1", ocpp_port=0, api_port=0),
        SessionsSettings(host="127.0.0.1", api_port=0, data_dir=data),
        CommandsSettings(data_dir=data),
    )
    await app.start()
    api = httpx.AsyncClient(base_url=f"http://127.0.0.1:{app.http.port}", timeout=10)
    ws = await connect(
        f"ws://127.0.0.1:{app.gateway.ocpp_port}/ocpp/CP-LAPTOP", subprotocols=["ocpp1.6"]
    )
    charger = Charger("CP-LAPTOP", ws)
    task = asyncio.create_task(charger.start())
    try:
        assert (await api.get("/readyz")).status_code == 200
        await api.put("/v1/id-tokens/APP", json={"status": "Accepted"})
        boot = await charger.call(
            call.BootNotification(charge_point_model="X", charge_point_vendor="Y")
        )
        assert boot.status == "Accepted"  # unknown chargers are accepted when embedded
        started = await api.post(
            "/v1/chargers/CP-LAPTOP/commands/remote_start",
            json={"id_token": "APP", "evse_id": 1},
            params={"wait": 10},
        )
        assert started.status_code == 200 and started.json()["status"] == "session_started"
        session = (await api.get(f"/v1/sessions/{started.json()['session_id']}")).json()
        assert session["charger_id"] == "CP-LAPTOP" and session["status"] == "active"
        metrics = (await api.get("/metrics")).text
        for family in ("chargebus_gateway", "chargebus_sessions", "chargebus_commands"):
            assert family in metrics, family
        assert sorted(p.name for p in Path(data).glob("*.db")) == ["commands.db", "sessions.db"]
    finally:
        await ws.close()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await api.aclose()
        await app.stop()
