"""Chargers on real sockets for the end-to-end tests (the CSMS side is
tests/e2e/conftest.py's ``Csms``): driven by the ``ocpp`` package (an
implementation independent of ours), or the simulator's own link
(``chargebus simulate``'s charger) where a test needs a charger of ours.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import msgspec
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from websockets.asyncio.client import ClientConnection, connect

from chargebus.cli.simulate import Link, Options, Stats
from chargebus.common.ocpp.session import CallReceived, Session
from chargebus.common.ocpp.versions import OcppVersion


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


class SimulatedCharger(Link):
    """``chargebus simulate``'s charger link on its own, at ``url`` (up to and
    with the charger id): answers the CSMS's CALLs as the simulator does, or
    with ``reply``, or (``silent``) not until ``answer_held()``; keeps their
    actions in ``calls`` and their payloads in ``requests``.  ``call()``
    sends a CALL of its own.  It logs in with ``headers`` when given, and
    connects again after a close unless ``reconnect`` is off."""

    def __init__(
        self,
        url: str,
        version: OcppVersion = OcppVersion.V16,
        *,
        reply: dict[str, Any] | None = None,
        silent: bool = False,
        headers: dict[str, str] | None = None,
        reconnect: bool = True,
        call_timeout: float = 30.0,
    ) -> None:
        base, _, charger_id = url.rpartition("/")
        super().__init__(Options(url=base, call_timeout=call_timeout), Stats(), charger_id, version)
        self.reply = reply
        self.silent = silent
        self.headers = headers
        self.reconnect = reconnect
        self.calls: list[str] = []
        self.requests: list[tuple[str, dict[str, Any]]] = []
        #: The CALLs a silent charger hasn't answered, by message id.
        self.held: dict[str, CallReceived] = {}
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def login_headers(self) -> dict[str, str] | None:
        return self.headers

    async def _read(self, ws: ClientConnection, stop: asyncio.Event) -> None:
        await super()._read(ws, stop)
        if not self.reconnect:
            self._stop.set()

    def _answer(self, session: Session, call: CallReceived) -> None:
        self.calls.append(call.action)
        self.requests.append((call.action, msgspec.to_builtins(call.request)))
        if self.silent:
            self.held[call.message_id] = call
        else:
            super()._answer(session, call)

    def answer(self, call: CallReceived) -> bytes | None:
        if self.reply is not None:
            return msgspec.json.encode(self.reply)
        return super().answer(call)

    async def answer_held(self, message_id: str) -> None:
        """Answer a CALL kept while silent: late, as a slow charger does."""
        assert self.session is not None and self.ws is not None
        super()._answer(self.session, self.held.pop(message_id))
        await self._flush(self.ws)

    async def start(self, timeout: float = 10) -> None:
        """Connect (and keep connecting until closed); return once connected."""
        self._task = asyncio.create_task(self.keep_connected(self._stop))
        try:
            await asyncio.wait_for(self.connected.wait(), timeout)
        except TimeoutError:
            await self.close()
            raise

    async def close(self) -> None:
        self._stop.set()
        if self._task is not None:
            await asyncio.wait_for(self._task, 10)


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
