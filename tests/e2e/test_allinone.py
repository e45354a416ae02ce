"""``chargebus run`` as a newcomer runs it: every service in one process,
one HTTP port, SQLite in the data directory; a charger boots, a token and
a tariff are set over HTTP, an app's remote start ends in a session, and
its stop in a CDR."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from ocpp.routing import after, on
from ocpp.v16 import ChargePoint, call, call_result
from websockets.asyncio.client import connect

from chargebus.billing.settings import BillingSettings
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


def databases(folder: str) -> list[str]:
    """The SQLite files in the data folder, by name."""
    return sorted(p.name for p in Path(folder).glob("*.db"))


async def test_everything_in_one_process(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    app = AllInOne(
        GatewaySettings(host="127.0.0.1", ocpp_port=0, api_port=0),
        SessionsSettings(host="127.0.0.1", api_port=0, data_dir=data),
        CommandsSettings(data_dir=data),
        BillingSettings(data_dir=data, cdr_delay=0.2),
    )
    await app.start()
    # With no keys configured, the first start made an admin key: its
    # secret in data/api-key (for the owner only), only its hash in data/api-keys.
    key_file = Path(data) / "api-key"
    assert app.key_file == key_file and app.key_made
    assert key_file.stat().st_mode & 0o777 == 0o600
    key = key_file.read_text().strip()
    assert key.startswith("cb_") and key not in (Path(data) / "api-keys").read_text()
    api = httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{app.http.port}",
        timeout=10,
        headers={"Authorization": f"Bearer {key}"},
    )
    anonymous = httpx.AsyncClient(base_url=f"http://127.0.0.1:{app.http.port}", timeout=10)
    assert (await anonymous.get("/v1/chargers")).status_code == 401
    await anonymous.aclose()
    ws = await connect(
        f"ws://127.0.0.1:{app.gateway.ocpp_port}/ocpp/CP-LAPTOP", subprotocols=["ocpp1.6"]
    )
    charger = Charger("CP-LAPTOP", ws)
    task = asyncio.create_task(charger.start())
    try:
        assert (await api.get("/readyz")).status_code == 200
        await api.put("/v1/id-tokens/APP", json={"status": "Accepted"})
        tariff = {"currency": "EUR", "vat_rate": "20", "energy_price": "0.40"}
        assert (await api.put("/v1/tariffs/laptop", json=tariff)).status_code == 200
        assert (
            await api.put("/v1/tariff-groups/default", json={"tariff_id": "laptop"})
        ).status_code == 200
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
        transaction = (await charger.task).transaction_id
        await charger.call(
            call.StopTransaction(
                transaction_id=transaction,
                meter_stop=10000,
                timestamp=datetime.now(UTC).isoformat(),
            )
        )
        for _ in range(200):  # the CDR follows the end (bounded: 10 s)
            cdr = await api.get(f"/v1/sessions/{session['id']}/cdr")
            if cdr.status_code == 200:
                break
            await asyncio.sleep(0.05)
        # 10 kWh x 0.40 = 4.00, +20% = 4.80
        assert cdr.json()["total_cost"] == {"excl_vat": "4.00", "incl_vat": "4.80"}
        metrics = (await api.get("/metrics")).text
        for family in (
            "chargebus_gateway",
            "chargebus_sessions",
            "chargebus_commands",
            "chargebus_billing",
        ):
            assert family in metrics, family
        metrics_text = metrics
        assert 'chargebus_api_refused_total{reason="missing"} 1.0' in metrics_text
        assert await asyncio.to_thread(databases, data) == [
            "billing.db",
            "commands.db",
            "sessions.db",
        ]
    finally:
        await ws.close()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await api.aclose()
        await app.stop()
