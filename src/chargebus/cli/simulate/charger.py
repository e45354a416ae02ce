"""What a simulated charger does, per OCPP version and scenario, over its
``Link``:

* ``idle``: boot, a StatusNotification per connector, heartbeats;
* ``charging``: plug-in sessions: Preparing, Authorize, a transaction
  started, Charging, meter values every ``meter_interval``, stopped after
  ``session_length``, Finishing, Available; again after a pause;
* ``remote``: idle, but accepts remote starts and stops, and charges when told;
* ``storm``: ``idle`` (the fleet connects every charger at once);
* ``chaos``: ``charging`` with random disconnects; what a charger would have
  sent meanwhile is queued and sent after it reconnects (2.x marks it offline).

Rules: transaction messages are never lost (offline they wait, and go first,
in order, once back); a run that ends mid-session leaves it open, as a
charger's would; a stalled charger stops reading and floods Heartbeats.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import random
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import msgspec
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from chargebus.cli.simulate.link import CallFailed, Link, sleep_or
from chargebus.cli.simulate.options import Options
from chargebus.cli.simulate.stats import Stats
from chargebus.common.backoff import Backoff
from chargebus.common.ocpp.session import CallReceived
from chargebus.common.ocpp.versions import OcppVersion

__all__ = ["Charger"]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Reconnected(Exception):
    """The connection came back: start again from what a charger does
    after a reconnect."""


class Charger(Link):
    """A charger of the fleet: ``run()`` it until the run winds down."""

    def __init__(
        self,
        options: Options,
        stats: Stats,
        charger_id: str,
        version: OcppVersion,
        source: str | None = None,
        *,
        transactions: Iterator[int] | None = None,
    ) -> None:
        super().__init__(options, stats, charger_id, version, source)
        #: 2.x transaction ids are ``<charger id>-<n>``: n from the fleet's count.
        self.transactions = itertools.count(1) if transactions is None else transactions
        self.heartbeat: float = options.heartbeat or 300.0
        #: What would have been sent while offline (action, payload), in order.
        self.offline: list[tuple[str, dict[str, Any]]] = []
        self.transaction: str | None = None  # 1.6: its id as a string; 2.x: ours
        self.seq = 0
        self.meter_wh = 0.0
        self.remote_start: asyncio.Event = asyncio.Event()
        self.remote_stop: asyncio.Event = asyncio.Event()
        self.remote_start_id: int | None = None
        self.remote_token: str | None = None
        self.stalled = False
        self.wind_down = asyncio.Event()
        #: Its work is over, and what waited offline is sent (or given up).
        self.done = asyncio.Event()
        #: The open session ends then (loop time).
        self.session_until = 0.0

    async def run(self, wind_down: asyncio.Event, stop: asyncio.Event) -> None:
        """Work until ``wind_down``, then send what waits offline (a charger
        back online does), then close at ``stop``."""
        self.wind_down = wind_down
        work = asyncio.create_task(self._work(wind_down))
        connections = asyncio.create_task(self.keep_connected(stop))
        try:
            with contextlib.suppress(asyncio.CancelledError):
                await work
            await self._last_sends(stop)
            self.done.set()
            await connections
        finally:
            for task in (work, connections):
                task.cancel()
            await asyncio.gather(work, connections, return_exceptions=True)

    async def _last_sends(self, stop: asyncio.Event) -> None:
        backoff = Backoff(first=1.0, cap=10.0)
        while self.offline and not stop.is_set():
            if not self.connected.is_set():
                await sleep_or(stop, 30, self.connected)
                continue
            try:
                await self._send_offline()
            except CallFailed:
                await sleep_or(stop, backoff.next_delay())

    def answer(self, call: CallReceived) -> bytes | None:
        """Remote starts and stops as the scenario says; else a minimal answer."""
        action = call.action
        remote = self.options.scenario == "remote"
        if action in ("RemoteStartTransaction", "RequestStartTransaction"):
            busy = self.transaction is not None or not remote
            if not busy:
                self.remote_start_id = getattr(call.request, "remote_start_id", None)
                asked = getattr(call.request, "id_tag", None) or getattr(
                    getattr(call.request, "id_token", None), "id_token", None
                )
                self.remote_token = asked or self.options.id_token
                self.remote_start.set()
            return msgspec.json.encode({"status": "Rejected" if busy else "Accepted"})
        if action in ("RemoteStopTransaction", "RequestStopTransaction"):
            ours = self.transaction is not None
            if ours:
                self.remote_stop.set()
            return msgspec.json.encode({"status": "Accepted" if ours else "Rejected"})
        return super().answer(call)

    # -- what a charger does ----------------------------------------------------------

    async def _work(self, stop: asyncio.Event) -> None:
        options = self.options
        backoff = Backoff(first=1.0, cap=60.0)
        while not stop.is_set():
            if not self.connected.is_set():
                await sleep_or(stop, 3600, self.connected)
                continue
            try:
                self.reconnected.clear()
                if not self.booted:
                    await self._boot()
                else:  # a reconnect: what was queued, then where it stands
                    await self._send_offline()
                    await self._status(1, "Charging" if self.transaction else "Available")
                if self.stalled:
                    await self._stalled(stop)
                elif options.scenario in ("charging", "chaos"):
                    await self._charge_forever(stop)
                elif options.scenario == "remote":
                    await self._remote_forever(stop)
                else:
                    await self._idle(stop, math.inf)
            except Reconnected:
                continue
            except CallFailed:
                # A lost connection: the connection loop reconnects.  Refused
                # or unanswered while connected: try again, later and later,
                # rather than several times a second.
                if self.connected.is_set():
                    await sleep_or(stop, backoff.next_delay() * random.uniform(0.5, 1.5))

    async def _boot(self) -> None:
        if self.is_2x:
            payload: dict[str, Any] = {
                "chargingStation": {"model": "Simulated", "vendorName": "chargebus"},
                "reason": "PowerUp",
            }
        else:
            payload = {"chargePointVendor": "chargebus", "chargePointModel": "Simulated"}
        while True:
            answer = await self.call("BootNotification", payload)
            if answer.status == "Accepted":
                break
            if await sleep_or(self.wind_down, max(1, answer.interval or 10)):
                raise CallFailed("stopped while not accepted")
        if self.options.heartbeat is None and answer.interval:
            self.heartbeat = float(answer.interval)
        self.booted = True
        self.stats.booted.add(self.charger_id)
        self.stats.boots += 1
        for connector in range(1, self.options.connectors + 1):
            await self._status(connector, "Charging" if self.transaction else "Available")

    async def _status(self, connector: int, status: str) -> None:
        if self.is_2x:
            await self.call(
                "StatusNotification",
                {
                    "timestamp": _now(),
                    "connectorStatus": "Occupied" if status != "Available" else "Available",
                    "evseId": connector,
                    "connectorId": 1,
                },
            )
        else:
            await self.call(
                "StatusNotification",
                {
                    "connectorId": connector,
                    "errorCode": "NoError",
                    "status": status,
                    "timestamp": _now(),
                },
            )

    async def _idle(self, stop: asyncio.Event, seconds: float) -> None:
        """Heartbeats for ``seconds`` (or until stopped or told to start)."""
        loop = asyncio.get_running_loop()
        until = loop.time() + seconds
        while not stop.is_set() and loop.time() < until and not self.remote_start.is_set():
            wait = min(self.heartbeat, until - loop.time())
            if await sleep_or(stop, wait, self.remote_start, self.reconnected):
                if self.reconnected.is_set():
                    raise Reconnected
                return
            if loop.time() < until:
                await self.call("Heartbeat", {})

    async def _stalled(self, stop: asyncio.Event) -> None:
        """Back-pressure: stop reading the socket (the charger's receive
        path hung) and keep sending Heartbeats without waiting for answers,
        until the run winds down; then the link just drops."""
        ws = self.ws
        assert ws is not None
        stats = self.stats
        stats.stalled += 1
        # A small receive buffer fills in seconds rather than minutes, so
        # what the CSMS does once a socket is full shows within a run.
        sock = ws.transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        ws.transport.pause_reading()
        flood = asyncio.create_task(self._flood(ws))
        try:
            await sleep_or(stop, math.inf)
        finally:
            flood.cancel()
            await asyncio.gather(flood, return_exceptions=True)
            stats.stalled -= 1
            ws.transport.abort()

    async def _flood(self, ws: ClientConnection) -> None:
        """Heartbeats, ``stall_rate`` a second (0: as fast as the socket
        takes them: once the CSMS stops reading, a send waits)."""
        stats, rate = self.stats, self.options.stall_rate
        for n in itertools.count(1):
            try:
                await ws.send(f'[2,"stall-{n}","Heartbeat",{{}}]')
            except ConnectionClosed:
                return
            stats.stalled_sent += 1
            await asyncio.sleep(1 / rate if rate > 0 else 0)

    async def _remote_forever(self, stop: asyncio.Event) -> None:
        if self.transaction is not None:  # back from a reconnect mid-session
            await self._session(stop, remote=True)
        while not stop.is_set():
            await self._idle(stop, math.inf)
            if stop.is_set():
                return
            self.remote_start.clear()
            await self._session(stop, remote=True)

    async def _charge_forever(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self._session(stop, remote=False)
            await self._idle(stop, random.uniform(5, 30))

    async def _session(self, stop: asyncio.Event, *, remote: bool) -> None:
        """A charging session, or the rest of one a dropped connection
        interrupted."""
        options = self.options
        token = self.remote_token if remote and self.remote_token else options.id_token
        loop = asyncio.get_running_loop()
        if self.transaction is None:
            if not remote:
                await self._status(1, "Preparing")
                if self.is_2x:
                    answer = await self.call(
                        "Authorize", {"idToken": {"idToken": token, "type": "ISO14443"}}
                    )
                    status = answer.id_token_info.status
                else:
                    answer = await self.call("Authorize", {"idTag": token})
                    status = answer.id_tag_info.status
                if status != "Accepted":  # a charger doesn't start: it says so, and waits
                    self.stats.not_authorized[status] += 1
                    await self._status(1, "Available")
                    return
            self.remote_stop.clear()
            self.session_until = loop.time() + options.session_length
            await self._start(token)  # counts the session once it exists
            await self._status(1, "Charging")
        until = self.session_until
        while not stop.is_set() and loop.time() < until:
            wait = min(options.meter_interval, until - loop.time())
            if await sleep_or(stop, wait, self.remote_stop, self.reconnected):
                if self.reconnected.is_set() and not stop.is_set():
                    raise Reconnected
                break
            self.meter_wh += random.uniform(100, 2000)
            await self._meter()
            await self._maybe_drop()
        if stop.is_set() and not self.remote_stop.is_set():
            return  # the run ends with the session open: a charger does too
        await self._stop("Remote" if self.remote_stop.is_set() else "Local")
        with contextlib.suppress(CallFailed):
            await self._status(1, "Finishing")
            await self._status(1, "Available")

    async def _start(self, token: str) -> None:
        if self.is_2x:
            self.seq = 0
            self.transaction = f"{self.charger_id}-{next(self.transactions)}"
            # It exists from here: a Started that can't be sent waits offline.
            self.stats.sessions_started += 1
            info: dict[str, Any] = {"transactionId": self.transaction, "chargingState": "Charging"}
            if self.remote_start_id is not None:
                info["remoteStartId"] = self.remote_start_id
                self.remote_start_id = None
            await self._transaction_event(
                "Started",
                "RemoteStart" if "remoteStartId" in info else "Authorized",
                info,
                idToken={"idToken": token, "type": "ISO14443"},
                evse={"id": 1, "connectorId": 1},
            )
        else:
            answer = await self.call(
                "StartTransaction",
                {
                    "connectorId": 1,
                    "idTag": token,
                    "meterStart": int(self.meter_wh),
                    "timestamp": _now(),
                },
            )
            self.transaction = str(answer.transaction_id)
            self.stats.sessions_started += 1
            if answer.id_tag_info.status != "Accepted":
                # Started, but not authorised: stopped at once (1.6 §5.15).
                self.stats.not_authorized[answer.id_tag_info.status] += 1
                self.session_until = 0.0

    def _reading(self) -> list[dict[str, Any]]:
        sample: dict[str, Any] = {"measurand": "Energy.Active.Import.Register"}
        if self.is_2x:
            sample["value"] = round(self.meter_wh, 1)
        else:
            sample.update(value=f"{self.meter_wh:.1f}", unit="Wh")
        return [{"timestamp": _now(), "sampledValue": [sample]}]

    async def _meter(self) -> None:
        if self.is_2x:
            await self._transaction_event(
                "Updated",
                "MeterValuePeriodic",
                {"transactionId": self.transaction, "chargingState": "Charging"},
                meterValue=self._reading(),
            )
        else:
            await self._send_or_queue(
                "MeterValues",
                {
                    "connectorId": 1,
                    "transactionId": int(self.transaction or 0),
                    "meterValue": self._reading(),
                },
            )

    async def _stop(self, reason: str) -> None:
        if self.is_2x:
            await self._transaction_event(
                "Ended",
                "RemoteStop" if reason == "Remote" else "StopAuthorized",
                {"transactionId": self.transaction, "stoppedReason": reason},
                meterValue=self._reading(),
            )
        else:
            await self._send_or_queue(
                "StopTransaction",
                {
                    "transactionId": int(self.transaction or 0),
                    "meterStop": int(self.meter_wh),
                    "timestamp": _now(),
                    "reason": reason,
                },
            )
        self.transaction = None

    async def _transaction_event(
        self, kind: str, trigger: str, info: dict[str, Any], **extra: Any
    ) -> None:
        payload = {
            "eventType": kind,
            "timestamp": _now(),
            "triggerReason": trigger,
            "seqNo": self.seq,
            "transactionInfo": info,
            **extra,
        }
        self.seq += 1
        await self._send_or_queue("TransactionEvent", payload)

    async def _send_or_queue(self, action: str, payload: dict[str, Any]) -> None:
        """Transaction messages are never lost: offline, they wait (chaos),
        and go first, in order, once the charger is back."""
        if self.connected.is_set() and self.offline:
            with contextlib.suppress(CallFailed):
                await self._send_offline()
        if not self.connected.is_set() or self.offline:
            self.offline.append((action, payload))
            self.stats.queued_offline += 1
            return
        try:
            await self.call(action, payload)
            self._delivered(action, payload)
        except CallFailed:
            self.offline.append((action, payload))
            self.stats.queued_offline += 1
            raise

    async def _send_offline(self) -> None:
        while self.offline:
            action, payload = self.offline[0]
            if action == "TransactionEvent":
                payload = {**payload, "offline": True}
            await self.call(action, payload)
            self.offline.pop(0)
            self._delivered(action, payload)

    def _delivered(self, action: str, payload: dict[str, Any]) -> None:
        """A session counts as ended once the CSMS has its end."""
        if action == "StopTransaction" or (
            action == "TransactionEvent" and payload["eventType"] == "Ended"
        ):
            self.stats.sessions_ended += 1

    async def _maybe_drop(self) -> None:
        """Chaos: now and then the connection drops for a while."""
        options = self.options
        if options.scenario != "chaos" or self.ws is None:
            return
        chance = options.drop_rate * options.meter_interval / 60
        if random.random() >= chance:
            return
        self.drop(random.uniform(*options.offline_for))
