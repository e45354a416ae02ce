"""One simulated charger's link to the CSMS: its WebSocket, the OCPP core's
sans-I/O session in the charger role, its CALLs and the answers to the
CSMS's CALLs, and reconnecting.

Rules: what is sent is checked against the official schemas before it
leaves, what the CSMS answers on the way in (leniently: what was forgiven
is counted); an answer that isn't usable (CALLERROR, invalid, timed out,
closed) raises ``CallFailed`` and never counts as answered.  Every figure
goes to the ``Stats`` it was given.  What the charger *does* with the link
(boot, sessions, scenarios) is ``charger.Charger``'s; the answers to the
CSMS's CALLs are ``answer()``'s, which a charger overrides.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import math
import random
import time
import typing
from typing import Any

import msgspec
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.typing import Subprotocol

from chargebus.cli.simulate.options import Options
from chargebus.cli.simulate.stats import Stats
from chargebus.common.backoff import Backoff
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

__all__ = ["CallFailed", "Link", "basic_auth", "default_answer", "sleep_or"]


class CallFailed(Exception):
    """A CALL got no usable answer (CALLERROR, invalid, timed out, closed)."""


def basic_auth(charger_id: str, password: str) -> dict[str, str]:
    """The Authorization header of a charger logging in with Basic (the user
    is its id: A00.FR.204)."""
    token = base64.b64encode(f"{charger_id}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def default_answer(version: OcppVersion, action: str) -> bytes | None:
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


async def sleep_or(stop: asyncio.Event, seconds: float, *also: asyncio.Event) -> bool:
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


class Link:
    """A charger's connection, kept up until ``stop``: ``call()`` sends a
    CALL and returns the CSMS's answer (a response Struct)."""

    def __init__(
        self,
        options: Options,
        stats: Stats,
        charger_id: str,
        version: OcppVersion,
        source: str | None = None,
    ) -> None:
        self.options = options
        self.stats = stats
        self.charger_id = charger_id
        self.version = version
        self.source = source
        self.is_2x = version is not OcppVersion.V16
        self.ws: ClientConnection | None = None
        self.session: Session | None = None
        self._ids = itertools.count(1)
        self._pending: dict[str, tuple[asyncio.Future[Any], float, str]] = {}
        self.booted = False
        self.connected = asyncio.Event()
        #: Set on each reconnection: the work loop says where it stands.
        self.reconnected = asyncio.Event()
        #: Chaos: the connection stays away until then (loop time).
        self.offline_until = 0.0

    # -- connection -------------------------------------------------------------------

    async def keep_connected(self, stop: asyncio.Event) -> None:
        """Connect, read until closed, connect again, until ``stop``."""
        backoff = Backoff(first=1.0, cap=30.0)
        first = True
        options = self.options
        stats = self.stats
        hammer = False
        while not stop.is_set():
            opened = False
            try:
                kwargs: dict[str, Any] = {}
                if self.source:
                    kwargs["local_addr"] = (self.source, 0)
                headers = self.login_headers()
                if headers is not None:
                    kwargs["additional_headers"] = headers
                async with connect(
                    options.url.rstrip("/") + "/" + self.charger_id,
                    subprotocols=[Subprotocol(self.version.value)],
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
                        if options.boot_on_reconnect:
                            self.booted = False
                        self.reconnected.set()
                    first = False
                    backoff.reset()
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
                await sleep_or(stop, away)
                backoff.reset()
                continue
            if options.reconnect_spread is not None and (opened or hammer):
                # The CSMS went away (a restart): back within the spread,
                # then, while refused, about every second (no backing off).
                hammer = True
                wait = options.reconnect_spread if opened else 1.0
                await sleep_or(stop, random.uniform(0.5 if not opened else 0.0, 1.0) * wait)
                continue
            await sleep_or(stop, backoff.next_delay() * random.uniform(0.5, 1.5))

    def login_headers(self) -> dict[str, str] | None:
        """HTTP Basic with the charger's password (security profiles 1 and 2,
        ``{id}`` in it replaced by the charger's id); None: no password."""
        password = self.options.password
        if password is None:
            return None
        return basic_auth(self.charger_id, password.replace("{id}", self.charger_id))

    def drop(self, seconds: float) -> None:
        """Lose the link as a cellular one is lost (no close frame), and stay
        away for ``seconds``."""
        if self.ws is None:
            return
        self.offline_until = asyncio.get_running_loop().time() + seconds
        self.connected.clear()
        self.ws.transport.abort()

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
        stats = self.stats
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
                self._answer(session, event)
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
            self.stats.answered[action] += 1
            # perf_counter: uvloop's clock ticks in whole milliseconds.
            self.stats.latency[action].append(time.perf_counter() - started)
            future.set_result(response)
        else:
            future.set_exception(CallFailed(error))

    def _fail_pending(self, reason: str) -> None:
        for future, _, _ in self._pending.values():
            if not future.done():
                future.set_exception(CallFailed(reason))
        self._pending.clear()

    # -- the CSMS's CALLs -------------------------------------------------------------

    def _answer(self, session: Session, call: CallReceived) -> None:
        answer = self.answer(call)
        if answer is None:
            session.send_error(call.message_id, ErrorCode.NOT_IMPLEMENTED, "not simulated")
        else:
            session.send_result(call.message_id, answer)

    def answer(self, call: CallReceived) -> bytes | None:
        """The response payload to a CALL of the CSMS (None: NotImplemented)."""
        return default_answer(self.version, call.action)

    # -- our CALLs --------------------------------------------------------------------

    async def call(self, action: str, payload: dict[str, Any]) -> Any:
        """Send a CALL and wait for its answer; raise CallFailed without one."""
        ws, session = self.ws, self.session
        if ws is None or session is None or not self.connected.is_set():
            raise CallFailed("not connected")
        loop = asyncio.get_running_loop()
        message_id = str(next(self._ids))
        future: asyncio.Future[Any] = loop.create_future()
        self._pending[message_id] = (future, time.perf_counter(), action)
        self.stats.sent[action] += 1
        timeout = self.options.call_timeout
        try:
            session.call(
                message_id, action, msgspec.json.encode(payload), now=loop.time(), timeout=timeout
            )
        except LocalProtocolError as exc:
            self._pending.pop(message_id, None)
            self.stats.crashed[f"{action}: {exc}"] += 1
            raise CallFailed(str(exc)) from None
        await self._flush(ws)
        try:
            async with asyncio.timeout(timeout):
                return await future
        except TimeoutError:
            self.stats.timeouts[action] += 1
            session.expire(loop.time() + timeout)  # release the session's slot
            self._pending.pop(message_id, None)
            await self._events(ws)
            raise CallFailed("timed out") from None
