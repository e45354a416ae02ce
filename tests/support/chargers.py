"""Chargers on real sockets, driven by the ``ocpp`` package, for the
end-to-end tests (the CSMS side is tests/e2e/conftest.py's ``Csms``)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from websockets.asyncio.client import connect


def iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


class Client:
    """A charger on a real socket, driven by the ocpp package."""

    def __init__(self, charger: Any, ws: Any, task: asyncio.Task[None]) -> None:
        self.charger, self.ws, self.task = charger, ws, task

    async def call(self, payload: Any) -> Any:
        return await self.charger.call(payload, suppress=False)

    async def close(self) -> None:
        await self.ws.close()
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)


async def connect16(csms: Any, charger_id: str) -> Client:
    ws = await connect(csms.url(charger_id), subprotocols=["ocpp1.6"])
    charger = ChargePoint16(charger_id, ws, response_timeout=10)
    return Client(charger, ws, asyncio.create_task(charger.start()))


async def connect201(csms: Any, charger_id: str) -> Client:
    ws = await connect(csms.url(charger_id), subprotocols=["ocpp2.0.1"])
    charger = ChargePoint201(charger_id, ws, response_timeout=10)
    return Client(charger, ws, asyncio.create_task(charger.start()))


async def boot16(client: Client) -> Any:
    return await client.call(
        call16.BootNotification(
            charge_point_model="X1",
            charge_point_vendor="ACME",
            charge_point_serial_number="SN-1",
            firmware_version="1.2.3",
        )
    )


async def boot201(client: Client) -> Any:
    return await client.call(
        call201.BootNotification(
            charging_station={"model": "X2", "vendor_name": "ACME", "firmware_version": "2.0"},
            reason="PowerUp",
        )
    )


async def put_token(csms: Any, token: str, status: str, **extra: Any) -> None:
    response = await csms.api.put(f"/v1/id-tokens/{token}", json={"status": status, **extra})
    assert response.status_code == 200, response.text


async def settled(csms: Any, charger_id: str, count: int) -> None:
    """Wait until the sessions service has stored ``count`` messages of the
    charger (notifications are answered once the broker has them, before
    the service has stored them)."""

    async def audited() -> bool:
        response = await csms.api.get(f"/v1/chargers/{charger_id}/audit", params={"limit": 1000})
        return len(response.json()["items"]) >= count

    await csms.eventually(audited)
