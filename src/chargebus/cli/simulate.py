"""``chargebus simulate``: a fleet of virtual chargers against any OCPP endpoint.

Each charger is a task with one WebSocket and the OCPP core's sans-I/O
session in the charger role, so what it sends is checked against the
official schemas before it leaves, and what the CSMS answers is checked on
the way in (an invalid answer is counted, not believed).  Scenarios:

* ``idle``: boot, a StatusNotification per connector, heartbeats;
* ``charging``: plug-in sessions: Preparing, Authorize, a transaction
  started, Charging, meter values every ``--meter-interval``, stopped after
  ``--session-length``, Finishing, Available; again after a pause;
* ``remote``: idle, but accepts remote starts and stops, and charges when told;
* ``storm``: ``idle`` with every charger connecting at once (no ramp);
* ``chaos``: ``charging`` with random disconnects; what a charger would have
  sent meanwhile is queued and sent after it reconnects (2.x marks it offline).

It ends with a summary: connected, booted, messages and p50/p99 latency by
action, CALLERRORs by code, invalid answers, time-outs and reconnects.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import itertools
import math
import os
import random
import resource
import signal
import socket
import sys
import time
import typing
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import msgspec
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from chargebus.common.ocpp.errors import ErrorCode, LocalProtocolError
from chargebus.common.ocpp.session import (
    CallErrorReceived,
    CallReceived,
    CallTimedOut,
    ResultInvalid,
    ResultReceived,
    Role,
    Session,
)
from chargebus.common.ocpp.versions import OcppVersion, actions_for
from chargebus.common.wiring import run_loop

__all__ = ["Options", "Simulation", "Stats", "main", "parser"]

SCENARIOS = ("idle", "charging", "remote", "storm", "chaos")
VERSIONS = {"1.6": OcppVersion.V16, "2.0.1": OcppVersion.V201, "2.1": OcppVersion.V21}


@dataclass(kw_only=True)
class Options:
    url: str
    count: int = 100
    #: Protocol mix: (version, weight).
    mix: list[tuple[OcppVersion, float]] = field(default_factory=lambda: [(OcppVersion.V16, 1.0)])
    prefix: str = "SIM-"
    #: Connections opened per second while ramping up (0: all at once).
    ramp: float = 100.0
    #: Local addresses to connect from, round-robin (more 127.0.0.x than one
    #: pass the ephemeral port range of one address).
    sources: list[str] = field(default_factory=list)
    scenario: str = "idle"
    #: Seconds to run after the last charger started (the ramp not counted).
    duration: float = 60.0
    #: Heartbeat interval (s); None: what the CSMS says at boot.
    heartbeat: float | None = None
    meter_interval: float = 60.0
    session_length: float = 600.0
    connectors: int = 1
    id_token: str = "SIMTOKEN"
    #: HTTP Basic password (security profiles 1 and 2), ``{id}`` replaced
    #: by each charger's id; None: no Authorization header.
    password: str | None = None
    call_timeout: float = 30.0
    #: Chaos: the chance a charger drops its connection per minute, and how
    #: long it stays away (s).
    drop_rate: float = 0.2
    offline_for: tuple[float, float] = (1.0, 10.0)
    seed: int | None = None
    progress: bool = True
    #: After the CSMS closes a connection (not chaos): reconnect after a
    #: random wait of up to this many seconds (0: at once), and while
    #: refused try again every 0.5-1 s; None: back off from 1 s as a
    #: charger does.
    reconnect_spread: float | None = None
    #: Every reconnection starts with a BootNotification (as after a power
    #: cut that took the charger down too), not only the first.
    boot_on_reconnect: bool = False
    #: Back-pressure: this share of the chargers stops reading its socket
    #: once booted and keeps sending Heartbeats without waiting for answers,
    #: ``stall_rate`` a second each (0: as fast as the socket takes them).
    stall: float = 0.0
    stall_rate: float = 10.0
    #: Where to keep a JSON status (rewritten every ``status_interval`` s)
    #: and where to write the summary as JSON at the end.
    status_file: str | None = None
    status_interval: float = 0.5
    json_file: str | None = None


class Stats:
    """What the fleet saw.  Latencies are kept whole (arrays of doubles, 8
    bytes each: 10,000 chargers for an hour at a message a minute, 5 MB)."""

    def __init__(self) -> None:
        self.connected = 0
        self.connections = 0
        self.booted: set[str] = set()
        #: Accepted BootNotifications (a charger booting again counts again).
        self.boots = 0
        #: Stalled chargers (not reading) and the CALLs they sent unread.
        self.stalled = 0
        self.stalled_sent = 0
        self.sent: Counter[str] = Counter()
        self.answered: Counter[str] = Counter()
        self.latency: dict[str, array[float]] = defaultdict(lambda: array("d"))
        self.errors: Counter[str] = Counter()
        self.invalid: Counter[str] = Counter()
        self.timeouts: Counter[str] = Counter()
        self.received: Counter[str] = Counter()
        #: What lenient validation forgave in the CSMS's answers.
        self.forgiven: Counter[str] = Counter()
        #: Chargers whose task ended with an error of the simulator's own.
        self.crashed: Counter[str] = Counter()
        self.peak_connected = 0
        #: Authorize / StartTransaction answers other than Accepted.
        self.not_authorized: Counter[str] = Counter()
        self.reconnects = 0
        self.refused: Counter[str] = Counter()
        self.closes: Counter[int] = Counter()
        self.sessions_started = 0
        self.sessions_ended = 0
        self.queued_offline = 0
        #: Messages still waiting offline when the run ended (unsent).
        self.still_queued = 0
        #: The simulator's own peak resident memory.
        self.peak_rss_kib = 0

    def percentile(self, action: str, q: float) -> float | None:
        return _quantile(sorted(self.latency.get(action, ())), q)

    def as_dict(self, count: int, elapsed: float) -> dict[str, Any]:
        """The figures as JSON-ready values (latencies in ms)."""
        actions = {}
        for action in sorted(set(self.sent) | set(self.answered)):
            actions[action] = {
                "sent": self.sent[action],
                "answered": self.answered[action],
                "timeouts": self.timeouts[action],
                **_quantiles_ms(sorted(self.latency.get(action, ()))),
            }
        overall = _quantiles_ms(sorted(v for values in self.latency.values() for v in values))
        return {
            "chargers": count,
            "elapsed_s": round(elapsed, 3),
            "latency": overall,
            "connected": self.connected,
            "peak_connected": self.peak_connected,
            "booted": len(self.booted),
            "boots": self.boots,
            "connections": self.connections,
            "reconnects": self.reconnects,
            "sessions_started": self.sessions_started,
            "sessions_ended": self.sessions_ended,
            "queued_offline": self.queued_offline,
            "still_queued": self.still_queued,
            "stalled": self.stalled,
            "stalled_sent": self.stalled_sent,
            "actions": actions,
            "answered": sum(self.answered.values()),
            "errors": dict(self.errors),
            "invalid": dict(self.invalid),
            "forgiven": dict(self.forgiven),
            "not_authorized": dict(self.not_authorized),
            "crashed": dict(self.crashed),
            "refused": dict(self.refused),
            "closes": {str(k): n for k, n in self.closes.items()},
            "received": dict(self.received),
            "peak_rss_kib": self.peak_rss_kib,
        }

    def status(self, count: int, elapsed: float, phase: str) -> dict[str, Any]:
        """The live counters (cheap: no percentiles)."""
        return {
            "phase": phase,
            "chargers": count,
            "elapsed_s": round(elapsed, 3),
            "connected": self.connected,
            "booted": len(self.booted),
            "boots": self.boots,
            "connections": self.connections,
            "reconnects": self.reconnects,
            "stalled": self.stalled,
            "answered": dict(self.answered),
            "errors": dict(self.errors),
            "timeouts": sum(self.timeouts.values()),
            "refused": dict(self.refused),
        }

    def summary(self, count: int, elapsed: float) -> str:
        lines = [
            f"chargers: {count}, connected at most {self.peak_connected}, "
            f"booted {len(self.booted)}, "
            f"connections {self.connections}, reconnects {self.reconnects}",
            f"sessions: started {self.sessions_started}, ended {self.sessions_ended}, "
            f"messages queued offline {self.queued_offline} ({self.still_queued} unsent at "
            f"the end); ran {elapsed:.1f} s; simulator peak memory "
            f"{self.peak_rss_kib / 1024:.0f} MiB ({self.peak_rss_kib / max(count, 1):.1f} KiB "
            "per charger)",
            f"{'action':<28}{'sent':>9}{'answered':>10}{'p50 ms':>9}{'p99 ms':>9}",
        ]
        for action in sorted(self.sent):
            p50, p99 = self.percentile(action, 0.5), self.percentile(action, 0.99)
            lines.append(
                f"{action:<28}{self.sent[action]:>9}{self.answered[action]:>10}"
                f"{_ms(p50):>9}{_ms(p99):>9}"
            )
        if self.stalled:
            lines.append(
                f"stalled (not reading): {self.stalled} chargers, {self.stalled_sent} CALLs "
                "sent unread"
            )
        if self.received:
            lines.append(
                "CSMS CALLs answered: "
                + ", ".join(f"{a} {n}" for a, n in sorted(self.received.items()))
            )
        for title, counter in (
            ("CALLERRORs", self.errors),
            ("invalid answers", self.invalid),
            ("forgiven in answers", self.forgiven),
            ("tokens not authorised", self.not_authorized),
            ("chargers stopped by an error of the simulator", self.crashed),
            ("time-outs", self.timeouts),
            ("refused connections", self.refused),
            ("closes by code", self.closes),
        ):
            if counter:
                lines.append(
                    f"{title}: " + ", ".join(f"{k} {n}" for k, n in sorted(counter.items()))
                )
        return "\n".join(lines)


def _quantile(values: Sequence[float], q: float) -> float | None:
    """The nearest-rank quantile of sorted ``values``."""
    if not values:
        return None
    return values[min(len(values) - 1, max(0, math.ceil(q * len(values)) - 1))]


def _quantiles_ms(values: Sequence[float]) -> dict[str, float | None]:
    """p50, p90, p99 and the maximum of sorted seconds, in ms."""
    return {
        name: None if (v := _quantile(values, q)) is None else 1000 * v
        for name, q in (("p50_ms", 0.5), ("p90_ms", 0.9), ("p99_ms", 0.99), ("max_ms", 1.0))
    }


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.1f}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class CallFailed(Exception):
    """A CALL got no usable answer (CALLERROR, invalid, timed out, closed)."""


class Reconnected(Exception):
    """The connection came back: start again from what a charger does
    after a reconnect."""


# -- answers to the CSMS's CALLs --------------------------------------------------------


def _default_answer(version: OcppVersion, action: str) -> bytes | None:
    """A minimal valid answer: Accepted (or the first status) when the
    response needs only a status; {} when it needs nothing; None else."""
    entry = actions_for(version).get(action)
    if entry is None or entry.response is None:
        return None
    required = [f for f in msgspec.structs.fields(entry.response) if f.required]
    if not required:
        return b"{}"
    if [f.name for f in required] == ["status"]:
        choices = typing.get_args(required[0].type)
        status = "Accepted" if "Accepted" in choices else (choices[0] if choices else "Accepted")
        return msgspec.json.encode({"status": status})
    return None


# -- one charger ------------------------------------------------------------------------


class Charger:
    def __init__(
        self, sim: Simulation, charger_id: str, version: OcppVersion, source: str | None
    ) -> None:
        self.sim = sim
        self.charger_id = charger_id
        self.version = version
        self.source = source
        self.is_2x = version is not OcppVersion.V16
        self.ws: ClientConnection | None = None
        self.session: Session | None = None
        self._ids = itertools.count(1)
        self._pending: dict[str, tuple[asyncio.Future[Any], float, str]] = {}
        self.heartbeat: float = sim.options.heartbeat or 300.0
        self.booted = False
        #: What would have been sent while offline (action, payload), in order.
        self.offline: list[tuple[str, dict[str, Any]]] = []
        self.transaction: str | None = None  # 1.6: its id as a string; 2.x: ours
        self.seq = 0
        self.meter_wh = 0.0
        self.remote_start: asyncio.Event = asyncio.Event()
        self.remote_stop: asyncio.Event = asyncio.Event()
        self.remote_start_id: int | None = None
        self.remote_token: str | None = None
        self.connected = asyncio.Event()
        #: Set on each reconnection: the work loop says where it stands.
        self.reconnected = asyncio.Event()
        self.stalled = False
        self.wind_down = asyncio.Event()
        #: Its work is over, and what waited offline is sent (or given up).
        self.done = asyncio.Event()
        #: Chaos: the connection stays away until then (loop time).
        self.offline_until = 0.0
        #: The open session ends then (loop time).
        self.session_until = 0.0

    # -- connection ---------------------------------------------------------------

    async def run(self, wind_down: asyncio.Event, stop: asyncio.Event) -> None:
        """Work until ``wind_down``, then send what waits offline (a charger
        back online does), then close at ``stop``."""
        self.wind_down = wind_down
        work = asyncio.create_task(self._work(wind_down))
        connections = asyncio.create_task(self._connections(stop))
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
        backoff = 1.0
        while self.offline and not stop.is_set():
            if not self.connected.is_set():
                await _sleep_or(stop, 30, self.connected)
                continue
            try:
                await self._send_offline()
            except CallFailed:
                await _sleep_or(stop, backoff)
                backoff = min(backoff * 2, 10.0)

    async def _connections(self, stop: asyncio.Event) -> None:
        backoff = 1.0
        first = True
        options = self.sim.options
        hammer = False
        while not stop.is_set():
            stats = self.sim.stats
            opened = False
            try:
                kwargs: dict[str, Any] = {}
                if self.source:
                    kwargs["local_addr"] = (self.source, 0)
                if options.password is not None:
                    kwargs["additional_headers"] = basic_auth(
                        self.charger_id, options.password.replace("{id}", self.charger_id)
                    )
                async with connect(
                    self.sim.options.url.rstrip("/") + "/" + self.charger_id,
                    subprotocols=[self.version.value],  # type: ignore[list-item]
                    open_timeout=30,
                    ping_interval=None,
                    max_size=None,
                    **kwargs,
                ) as ws:
                    if ws.subprotocol != self.version.value:
                        # A server that ignores subprotocols isn't speaking ours.
                        stats.refused[f"subprotocol {ws.subprotocol!r}"] += 1
                        await ws.close(1002, "no common subprotocol")
                        raise OSError("no common subprotocol")
                    self.ws = ws
                    # Lenient with the CSMS's answers (a time without a
                    # zone is common): what was forgiven is counted.
                    self.session = Session(self.version, role=Role.CHARGER, strict=False)
                    stats.connections += 1
                    stats.connected += 1
                    stats.peak_connected = max(stats.peak_connected, stats.connected)
                    if not first:
                        stats.reconnects += 1
                        if self.sim.options.boot_on_reconnect:
                            self.booted = False
                        self.reconnected.set()
                    first = False
                    backoff = 1.0
                    opened, hammer = True, False
                    self.connected.set()
                    try:
                        await self._read(ws, stop)
                    finally:
                        self.connected.clear()
                        stats.connected -= 1
                        self._fail_pending("the connection closed")
                        if ws.close_code is not None:
                            stats.closes[ws.close_code] += 1
            except InvalidStatus as exc:  # refused before the upgrade: by its status
                stats.refused[f"HTTP {exc.response.status_code}"] += 1
            except (OSError, InvalidHandshake, TimeoutError) as exc:
                stats.refused[type(exc).__name__] += 1
            except Exception as exc:
                # Whatever else a connect or a dying socket raises (uvloop's
                # RuntimeError on a closed transport, say): a charger tries
                # again rather than going quiet for the rest of the run.
                stats.refused[type(exc).__name__] += 1
            if stop.is_set():
                return
            away = self.offline_until - asyncio.get_running_loop().time()
            if away > 0:  # a dropped link (chaos) comes back after a while
                await _sleep_or(stop, away)
                backoff = 1.0
                continue
            if options.reconnect_spread is not None and (opened or hammer):
                # The CSMS went away (a restart): back within the spread,
                # then, while refused, about every second (no backing off).
                hammer = True
                wait = options.reconnect_spread if opened else 1.0
                await _sleep_or(stop, random.uniform(0.5 if not opened else 0.0, 1.0) * wait)
                continue
            await _sleep_or(stop, backoff * random.uniform(0.5, 1.5))
            backoff = min(backoff * 2, 30.0)

    async def _read(self, ws: ClientConnection, stop: asyncio.Event) -> None:
        """Read until the socket closes; one watcher task per connection
        closes it at ``stop`` (not a task and a wait per message)."""

        async def close_at_stop() -> None:
            await stop.wait()
            await ws.close()

        closer = asyncio.create_task(close_at_stop())
        session = self.session
        assert session is not None
        loop = asyncio.get_running_loop()
        try:
            async for data in ws:
                session.receive(data, loop.time())
                await self._events(ws)
        except ConnectionClosed:
            pass
        finally:
            closer.cancel()

    async def _events(self, ws: ClientConnection) -> None:
        session = self.session
        assert session is not None
        stats = self.sim.stats
        for event in session.events_received():
            if isinstance(event, ResultReceived):
                for forgiven in event.forgiven:
                    stats.forgiven[f"{event.action}: {forgiven}"] += 1
                self._settle(event.message_id, event.response, None)
            elif isinstance(event, CallErrorReceived):
                stats.errors[event.wire_code] += 1
                self._settle(event.message_id, None, f"{event.wire_code}: {event.description}")
            elif isinstance(event, ResultInvalid):
                stats.invalid[event.action] += 1
                self._settle(event.message_id, None, f"invalid answer: {event.description}")
            elif isinstance(event, CallTimedOut):
                self._settle(event.message_id, None, "timed out")
            elif isinstance(event, CallReceived):
                stats.received[event.action] += 1
                self._answer(event)
        await self._flush(ws)

    async def _flush(self, ws: ClientConnection) -> None:
        assert self.session is not None
        for frame in self.session.data_to_send():
            with contextlib.suppress(ConnectionClosed):
                await ws.send(frame.decode())

    def _settle(self, message_id: str, response: Any, error: str | None) -> None:
        pending = self._pending.pop(message_id, None)
        if pending is None:
            return
        future, started, action = pending
        if future.done():
            return
        if error is None:
            self.sim.stats.answered[action] += 1
            # perf_counter: uvloop's clock ticks in whole milliseconds.
            self.sim.stats.latency[action].append(time.perf_counter() - started)
            future.set_result(response)
        else:
            future.set_exception(CallFailed(error))

    def _fail_pending(self, reason: str) -> None:
        for future, _, _ in self._pending.values():
            if not future.done():
                future.set_exception(CallFailed(reason))
        self._pending.clear()

    def _answer(self, call: CallReceived) -> None:
        session = self.session
        assert session is not None
        action = call.action
        remote = self.sim.options.scenario == "remote"
        if action in ("RemoteStartTransaction", "RequestStartTransaction"):
            busy = self.transaction is not None or not remote
            session.send_result(
                call.message_id, msgspec.json.encode({"status": "Rejected" if busy else "Accepted"})
            )
            if not busy:
                self.remote_start_id = getattr(call.request, "remote_start_id", None)
                asked = getattr(call.request, "id_tag", None) or getattr(
                    getattr(call.request, "id_token", None), "id_token", None
                )
                self.remote_token = asked or self.sim.options.id_token
                self.remote_start.set()
            return
        if action in ("RemoteStopTransaction", "RequestStopTransaction"):
            ours = self.transaction is not None
            session.send_result(
                call.message_id, msgspec.json.encode({"status": "Accepted" if ours else "Rejected"})
            )
            if ours:
                self.remote_stop.set()
            return
        answer = _default_answer(self.version, action)
        if answer is None:
            session.send_error(call.message_id, ErrorCode.NOT_IMPLEMENTED, "not simulated")
        else:
            session.send_result(call.message_id, answer)

    async def call(self, action: str, payload: dict[str, Any]) -> Any:
        """Send a CALL and wait for its answer; raise CallFailed without one.
        Offline (chaos), transaction messages are queued instead."""
        ws, session = self.ws, self.session
        if ws is None or session is None or not self.connected.is_set():
            raise CallFailed("not connected")
        loop = asyncio.get_running_loop()
        message_id = str(next(self._ids))
        future: asyncio.Future[Any] = loop.create_future()
        self._pending[message_id] = (future, time.perf_counter(), action)
        self.sim.stats.sent[action] += 1
        timeout = self.sim.options.call_timeout
        try:
            session.call(
                message_id, action, msgspec.json.encode(payload), now=loop.time(), timeout=timeout
            )
        except LocalProtocolError as exc:
            self._pending.pop(message_id, None)
            self.sim.stats.crashed[f"{action}: {exc}"] += 1
            raise CallFailed(str(exc)) from None
        await self._flush(ws)
        try:
            async with asyncio.timeout(timeout):
                return await future
        except TimeoutError:
            self.sim.stats.timeouts[action] += 1
            session.expire(loop.time() + timeout)  # release the session's slot
            self._pending.pop(message_id, None)
            await self._events(ws)
            raise CallFailed("timed out") from None

    # -- what a charger does ----------------------------------------------------------

    async def _work(self, stop: asyncio.Event) -> None:
        options = self.sim.options
        backoff = 1.0
        while not stop.is_set():
            if not self.connected.is_set():
                await _sleep_or(stop, 3600, self.connected)
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
                    await _sleep_or(stop, backoff * random.uniform(0.5, 1.5))
                    backoff = min(backoff * 2, 60.0)

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
            if await _sleep_or(self.wind_down, max(1, answer.interval or 10)):
                raise CallFailed("stopped while not accepted")
        if self.sim.options.heartbeat is None and answer.interval:
            self.heartbeat = float(answer.interval)
        self.booted = True
        self.sim.stats.booted.add(self.charger_id)
        self.sim.stats.boots += 1
        for connector in range(1, self.sim.options.connectors + 1):
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
            if await _sleep_or(stop, wait, self.remote_start, self.reconnected):
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
        stats = self.sim.stats
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
            await _sleep_or(stop, math.inf)
        finally:
            flood.cancel()
            await asyncio.gather(flood, return_exceptions=True)
            stats.stalled -= 1
            ws.transport.abort()

    async def _flood(self, ws: ClientConnection) -> None:
        """Heartbeats, ``stall_rate`` a second (0: as fast as the socket
        takes them: once the CSMS stops reading, a send waits)."""
        stats, rate = self.sim.stats, self.sim.options.stall_rate
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
        options = self.sim.options
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
                    self.sim.stats.not_authorized[status] += 1
                    await self._status(1, "Available")
                    return
            self.remote_stop.clear()
            self.session_until = loop.time() + options.session_length
            await self._start(token)  # counts the session once it exists
            await self._status(1, "Charging")
        until = self.session_until
        while not stop.is_set() and loop.time() < until:
            wait = min(options.meter_interval, until - loop.time())
            if await _sleep_or(stop, wait, self.remote_stop, self.reconnected):
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
            self.transaction = f"{self.charger_id}-{next(self.sim.transactions)}"
            # It exists from here: a Started that can't be sent waits offline.
            self.sim.stats.sessions_started += 1
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
            self.sim.stats.sessions_started += 1
            if answer.id_tag_info.status != "Accepted":
                # Started, but not authorised: stopped at once (1.6 §5.15).
                self.sim.stats.not_authorized[answer.id_tag_info.status] += 1
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
            self.sim.stats.queued_offline += 1
            return
        try:
            await self.call(action, payload)
            self._delivered(action, payload)
        except CallFailed:
            self.offline.append((action, payload))
            self.sim.stats.queued_offline += 1
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
            self.sim.stats.sessions_ended += 1

    async def _maybe_drop(self) -> None:
        """Chaos: now and then the connection drops for a while."""
        options = self.sim.options
        if options.scenario != "chaos" or self.ws is None:
            return
        chance = options.drop_rate * options.meter_interval / 60
        if random.random() >= chance:
            return
        self.offline_until = asyncio.get_running_loop().time() + random.uniform(
            *options.offline_for
        )
        self.connected.clear()
        self.ws.transport.abort()  # as a lost cellular link: no close frame


async def _sleep_or(stop: asyncio.Event, seconds: float, *also: asyncio.Event) -> bool:
    """Sleep; True when ``stop`` or one of ``also`` was set meanwhile."""
    events = [stop, *also]
    if any(e.is_set() for e in events):
        return True
    waits = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        done, _ = await asyncio.wait(
            waits,
            timeout=None if math.isinf(seconds) else max(0.0, seconds),
            return_when=asyncio.FIRST_COMPLETED,
        )
        return bool(done)
    finally:
        for wait in waits:
            wait.cancel()


# -- the fleet --------------------------------------------------------------------------


class Simulation:
    def __init__(self, options: Options) -> None:
        self.options = options
        self.stats = Stats()
        self.transactions = itertools.count(1)
        self.chargers = self._fleet()
        #: Set to end the run before its duration is over (SIGTERM).
        self.finish = asyncio.Event()
        self.phase = "ramp"

    def reset(self) -> None:
        """Measure from now on (SIGUSR1): the message counts, latencies and
        errors start again; connections and boots are kept."""
        stats = self.stats
        for counter in (stats.sent, stats.answered, stats.errors, stats.invalid, stats.timeouts):
            counter.clear()
        stats.latency.clear()

    def _fleet(self) -> list[Charger]:
        options = self.options
        rng = random.Random(options.seed)
        versions = [v for v, _ in options.mix]
        weights = [w for _, w in options.mix]
        # Deterministic shares: the mix's proportions, rounded, shuffled.
        shares = [round(options.count * w / sum(weights)) for w in weights]
        shares[-1] = options.count - sum(shares[:-1])
        assigned = [v for v, n in zip(versions, shares, strict=True) for _ in range(n)]
        rng.shuffle(assigned)
        sources = options.sources or [None]  # type: ignore[list-item]
        width = max(4, len(str(options.count)))
        chargers = [
            Charger(self, f"{options.prefix}{n:0{width}d}", version, sources[n % len(sources)])
            for n, version in enumerate(assigned)
        ]
        for charger in rng.sample(chargers, round(options.count * options.stall)):
            charger.stalled = True
        return chargers

    async def run(self) -> Stats:
        options = self.options
        if options.seed is not None:
            random.seed(options.seed)
        stop, wind_down = asyncio.Event(), asyncio.Event()
        started = time.monotonic()
        tasks: list[asyncio.Task[None]] = []
        progress = asyncio.create_task(self._progress(started)) if options.progress else None
        self.phase = "ramp"
        status = asyncio.create_task(self._write_status(started)) if options.status_file else None
        ramp = 0.0 if options.scenario == "storm" else options.ramp
        try:
            for n, charger in enumerate(self.chargers):
                if self.finish.is_set():
                    break
                if ramp > 0:
                    delay = started + n / ramp - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(charger.run(wind_down, stop)))
            self.phase = "run"
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.finish.wait(), options.duration)
        finally:
            # New work stops; what waits offline is sent (bounded), then all close.
            self.phase = "wind_down"
            wind_down.set()
            # The CALLs in flight are answered, what waits offline is sent.
            deadline = time.monotonic() + options.offline_for[1] + options.call_timeout
            busy = [c for c in self.chargers[: len(tasks)] if not c.done.is_set()]
            while busy and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
                busy = [c for c in busy if not c.done.is_set()]
            stop.set()
            await asyncio.wait(tasks, timeout=options.call_timeout + 10) if tasks else None
            for task in tasks:
                task.cancel()
            for result in await asyncio.gather(*tasks, return_exceptions=True):
                if isinstance(result, Exception):
                    self.stats.crashed[repr(result)[:120]] += 1
            if progress is not None:
                progress.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await progress
                print(file=sys.stderr)
        self.elapsed = time.monotonic() - started
        self.stats.still_queued = sum(len(c.offline) for c in self.chargers)
        self.stats.peak_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if status is not None:
            status.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await status
            self.phase = "done"
            self._status_now(started)
        if options.json_file:
            _write_json(options.json_file, self.stats.as_dict(options.count, self.elapsed))
        return self.stats

    def _status_now(self, started: float) -> None:
        assert self.options.status_file is not None
        _write_json(
            self.options.status_file,
            self.stats.status(self.options.count, time.monotonic() - started, self.phase),
        )

    async def _write_status(self, started: float) -> None:
        while True:
            self._status_now(started)
            await asyncio.sleep(self.options.status_interval)

    async def _progress(self, started: float) -> None:
        tty = sys.stderr.isatty()
        while True:
            await asyncio.sleep(0.5 if tty else 5.0)
            s = self.stats
            done = min(1.0, len(s.booted) / max(1, self.options.count))
            bar = "#" * int(done * 30)
            line = (
                f"[{bar:<30}] {time.monotonic() - started:6.1f}s connected {s.connected} "
                f"booted {len(s.booted)}/{self.options.count} messages "
                f"{sum(s.answered.values())} errors {sum(s.errors.values())} "
                f"reconnects {s.reconnects}"
            )
            print(("\r" + line) if tty else line, end="" if tty else "\n", file=sys.stderr)


def _write_json(path: str, value: dict[str, Any]) -> None:
    """Write whole or not at all: a reader never sees half a file."""
    tmp = f"{path}.tmp"
    with open(tmp, "wb") as f:
        f.write(msgspec.json.encode(value))
    os.replace(tmp, path)


# -- command line -----------------------------------------------------------------------


def _mix(text: str) -> list[tuple[OcppVersion, float]]:
    mix = []
    for part in text.split(","):
        name, _, weight = part.strip().partition("=")
        if name not in VERSIONS:
            raise argparse.ArgumentTypeError(f"unknown version {name!r}: 1.6, 2.0.1 or 2.1")
        share = float(weight or 1)
        if share <= 0:
            raise argparse.ArgumentTypeError(f"{name}: a share above 0")
        mix.append((VERSIONS[name], share))
    return mix


def _span(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high or low)


def basic_auth(charger_id: str, password: str) -> dict[str, str]:
    """The Authorization header of a charger logging in with Basic (the user
    is its id: A00.FR.204)."""
    token = base64.b64encode(f"{charger_id}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="chargebus simulate", description="A fleet of virtual chargers."
    )
    p.add_argument("url", help="the CSMS's OCPP URL, up to the charger id (ws://host:9000/ocpp/)")
    p.add_argument("--count", type=int, default=100)
    p.add_argument(
        "--protocols", type=_mix, default=_mix("1.6"), help="mix, e.g. 1.6=60,2.0.1=30,2.1=10"
    )
    p.add_argument("--prefix", default="SIM-", help="charger ids: PREFIX0001, ...")
    p.add_argument(
        "--ramp", type=float, default=100.0, help="connections per second (0: all at once)"
    )
    p.add_argument("--source", action="append", default=[], help="local address; repeat for more")
    p.add_argument("--scenario", choices=SCENARIOS, default="idle")
    p.add_argument("--duration", type=float, default=60.0, help="seconds after the ramp")
    p.add_argument("--heartbeat", type=float, help="heartbeat interval (default: the CSMS's)")
    p.add_argument("--meter-interval", type=float, default=60.0)
    p.add_argument("--session-length", type=float, default=600.0)
    p.add_argument("--connectors", type=int, default=1)
    p.add_argument("--id-token", default="SIMTOKEN")
    p.add_argument(
        "--password",
        help="HTTP Basic password (security profiles 1, 2); {id} is replaced by the charger's id",
    )
    p.add_argument(
        "--drop-rate", type=float, default=0.2, help="chaos: drops per charger per minute"
    )
    p.add_argument(
        "--offline-for",
        type=_span,
        default=(1.0, 10.0),
        help="chaos: seconds a dropped charger stays away, MIN-MAX",
    )
    p.add_argument(
        "--reconnect-spread",
        type=float,
        help="after the CSMS closes a connection, reconnect within this many seconds "
        "(0: at once; default: back off from 1 s)",
    )
    p.add_argument(
        "--boot-on-reconnect",
        action="store_true",
        help="send a BootNotification on every reconnection, not only the first",
    )
    p.add_argument(
        "--stall",
        type=float,
        default=0.0,
        help="share of chargers that stop reading their socket once booted (0-1)",
    )
    p.add_argument(
        "--stall-rate",
        type=float,
        default=10.0,
        help="Heartbeats a second each stalled charger keeps sending (0: as fast as it can)",
    )
    p.add_argument("--status-file", help="keep a JSON status of the run in this file")
    p.add_argument("--status-interval", type=float, default=0.5)
    p.add_argument("--json", dest="json_file", help="write the summary as JSON to this file")
    p.add_argument("--seed", type=int)
    p.add_argument("--no-progress", action="store_true")
    return p


async def _with_signals(simulation: Simulation) -> Stats:
    """SIGTERM ends the run early (with its summary); SIGUSR1 starts the
    measurement again from that moment (after a ramp, say)."""
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError):
        loop.add_signal_handler(signal.SIGTERM, simulation.finish.set)
        loop.add_signal_handler(signal.SIGUSR1, simulation.reset)
    return await simulation.run()


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    options = Options(
        url=args.url,
        count=args.count,
        mix=args.protocols,
        prefix=args.prefix,
        ramp=args.ramp,
        sources=args.source,
        scenario=args.scenario,
        duration=args.duration,
        heartbeat=args.heartbeat,
        meter_interval=args.meter_interval,
        session_length=args.session_length,
        connectors=args.connectors,
        id_token=args.id_token,
        password=args.password,
        drop_rate=args.drop_rate,
        offline_for=args.offline_for,
        seed=args.seed,
        progress=not args.no_progress,
        reconnect_spread=args.reconnect_spread,
        boot_on_reconnect=args.boot_on_reconnect,
        stall=args.stall,
        stall_rate=args.stall_rate,
        status_file=args.status_file,
        status_interval=args.status_interval,
        json_file=args.json_file,
    )
    if not 0 <= options.stall <= 1:
        parser().error("--stall: a share between 0 and 1")
    if len(options.id_token) > 20:
        parser().error("--id-token: at most 20 characters (the 1.6 idTag limit)")
    if len(options.prefix) + len(str(options.count)) > 20:
        parser().error("--prefix: charger ids must stay within 20 characters (1.6)")
    if not options.url.startswith(("ws://", "wss://")):
        parser().error("url: ws://HOST:PORT/PATH/ or wss://...")
    simulation = Simulation(options)
    stats = run_loop(_with_signals(simulation))  # uvloop: a cheaper load
    print(stats.summary(options.count, simulation.elapsed))
    return 0 if len(stats.booted) == options.count and not stats.crashed else 1


if __name__ == "__main__":
    sys.exit(main())
