"""The chaos tests' harness (tests/chaos): service processes that can be
killed and started again, a loopback TCP forwarder standing in for a load
balancer, 1.6 chargers doing charging traffic that keep every transaction
message they sent and what they were answered, and the reconciliation of
those messages against the sessions service's store.

Everything listens on 127.0.0.1 only; every loop is bounded in count and
time.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gateways import free_port
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

#: Every CALLRESULT a charger must get before it gives up on one message.
MAX_ATTEMPTS = 200
#: How long a charger waits for one answer (longer than the gateway's
#: decision timeout, so the gateway's InternalError comes first).
ANSWER_TIMEOUT = 20.0


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# -- processes ------------------------------------------------------------------------


class ServiceProcess:
    """``python -m <module>`` with ``CHARGEBUS_*`` settings, its output
    appended to ``<logs>/<name>.log`` (a restart adds to the same file)."""

    def __init__(self, name: str, module: str, logs: Path, **settings: str) -> None:
        self.name = name
        self.module = module
        self.api_port = free_port()
        self.env = dict(os.environ)
        self.env.update(
            CHARGEBUS_HOST="127.0.0.1",
            CHARGEBUS_API_PORT=str(self.api_port),
            CHARGEBUS_LOG_FORMAT="text",
        )
        self.env.update(settings)
        self.log = logs / f"{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        assert self.proc is None or self.proc.poll() is not None, f"{self.name} is running"
        self.starts += 1
        with self.log.open("ab") as out:
            out.write(f"\n=== start {self.starts} of {self.name} ===\n".encode())
            out.flush()
            self.proc = subprocess.Popen(
                [sys.executable, "-m", self.module],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    async def ready(self, timeout: float = 60) -> None:
        """Until its /readyz answers 200 (bounded by ``timeout``)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            if not self.running:
                raise AssertionError(f"{self.name} exited:\n{tail(self.log)}")
            if await self.is_ready():
                return
            await asyncio.sleep(0.2)
        raise AssertionError(f"{self.name} not ready in {timeout} s:\n{tail(self.log)}")

    async def is_ready(self) -> bool:
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection("127.0.0.1", self.api_port), 2
            )
        except (OSError, TimeoutError):
            return False
        try:
            writer.write(b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            answer = await asyncio.wait_for(reader.read(), 5)
            return answer.startswith(b"HTTP/1.1 200")
        except (OSError, TimeoutError):
            return False
        finally:
            writer.close()

    def kill(self) -> None:
        """SIGKILL: nothing is flushed, nothing released."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(30)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(30)


def gateway(name: str, logs: Path, amqp_url: str, redis_url: str, **settings: str) -> Any:
    defaults = {
        "CHARGEBUS_AMQP_URL": amqp_url,
        "CHARGEBUS_REDIS_URL": redis_url,
        "CHARGEBUS_INSTANCE_ID": name,
        "CHARGEBUS_ROUTE_TTL": "3",
        "CHARGEBUS_ROUTE_REFRESH": "1",
        "CHARGEBUS_DECISION_TIMEOUT": "3",
    }
    process = ServiceProcess(name, "chargebus.gateway", logs, **{**defaults, **settings})
    process.ocpp_port = free_port()  # type: ignore[attr-defined]
    process.env["CHARGEBUS_OCPP_PORT"] = str(process.ocpp_port)  # type: ignore[attr-defined]
    return process


def sessions(logs: Path, amqp_url: str, redis_url: str, **settings: str) -> ServiceProcess:
    return ServiceProcess(
        "sessions",
        "chargebus.sessions",
        logs,
        CHARGEBUS_AMQP_URL=amqp_url,
        CHARGEBUS_REDIS_URL=redis_url,
        CHARGEBUS_DATA_DIR=str(logs / "sessions-data"),
        CHARGEBUS_UNKNOWN_CHARGERS="accept",
        CHARGEBUS_PRESENCE_FLUSH_INTERVAL="2",
        **settings,
    )


def commands(logs: Path, amqp_url: str, redis_url: str, **settings: str) -> ServiceProcess:
    return ServiceProcess(
        "commands",
        "chargebus.commands",
        logs,
        CHARGEBUS_AMQP_URL=amqp_url,
        CHARGEBUS_REDIS_URL=redis_url,
        CHARGEBUS_DATA_DIR=str(logs / "commands-data"),
        CHARGEBUS_CALL_TIMEOUT="5",
        **settings,
    )


class Processes:
    """Every process a test starts, stopped at teardown (with its log's
    tail printed when the test failed)."""

    def __init__(self) -> None:
        self.all: list[ServiceProcess] = []

    def add(self, process: Any) -> Any:
        self.all.append(process)
        return process

    def stop_all(self) -> None:
        for process in reversed(self.all):
            process.stop()

    def tails(self) -> str:
        return "\n".join(f"--- {p.name} ({p.log}) ---\n{tail(p.log)}" for p in self.all)


# -- a load balancer of sorts -----------------------------------------------------------


class Forwarder:
    """A TCP forwarder on 127.0.0.1: each connection goes to the next
    backend port that accepts one (round robin), so chargers spread over
    the gateways and, when one dies, reconnect to one still alive."""

    def __init__(self, backends: list[int]) -> None:
        self.backends = backends
        self.port = 0
        self._server: asyncio.Server | None = None
        self._turn = itertools.count()
        self._pipes: set[asyncio.Task[None]] = set()
        self.connections: Counter[int] = Counter()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])

    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ocpp"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        first = next(self._turn)
        order = [self.backends[(first + n) % len(self.backends)] for n in range(len(self.backends))]
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        for port in order:
            try:
                upstream = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 5)
                self.connections[port] += 1
                break
            except (OSError, TimeoutError):
                continue
        if upstream is None:
            writer.transport.abort()
            return
        up_reader, up_writer = upstream
        task = asyncio.current_task()
        assert task is not None
        self._pipes.add(task)
        try:
            await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        finally:
            self._pipes.discard(task)
            for w in (writer, up_writer):
                w.transport.abort()

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            # One side ended (a dead gateway's socket, a charger gone): the
            # link as a whole is gone, as through a load balancer.
            writer.transport.abort()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._pipes):
            task.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)


# -- chargers -----------------------------------------------------------------------------


def iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat().replace("+00:00", "Z")


@dataclass
class Sent:
    """One transaction message as the charger means it (sent again, as
    often as needed, with the same payload)."""

    charger_id: str
    action: str
    payload: dict[str, Any]
    attempts: int = 0
    answers: list[Any] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return bool(self.answers)


class GaveUp(Exception):
    pass


class Charger:
    """A 1.6 charger on a raw socket doing charging traffic: boot, then
    sessions of Authorize, StartTransaction, a few MeterValues and
    StopTransaction, over and over until ``stop``.  A CALL that gets
    InternalError, no answer or a closed socket is sent again with the same
    payload (a new message id), after reconnecting if need be; SecurityError
    means boot first.  Commands (CSMS CALLs) are answered Accepted after
    ``answer_delay`` seconds.  While ``gate`` is clear, a charger waits
    between its Authorize and its StartTransaction (a test lines the fleet
    up, as a reconnect or a tariff change at midnight does)."""

    TRANSACTION_ACTIONS = ("StartTransaction", "MeterValues", "StopTransaction")

    def __init__(
        self,
        charger_id: str,
        url: Callable[[], str],
        stop: asyncio.Event,
        *,
        meter_values: int = 3,
        interval: float = 0.4,
        answer_delay: float = 0.0,
        clock_start: int,
        gate: asyncio.Event | None = None,
    ) -> None:
        self.charger_id = charger_id
        self.gate = gate
        #: At the gate, with its Authorize answered.
        self.waiting = False
        self.url = url
        self.stop = stop
        self.meter_values = meter_values
        self.interval = interval
        self.answer_delay = answer_delay
        self.sent: list[Sent] = []
        self.errors: Counter[str] = Counter()
        self.connections = 0
        self.commands: list[str] = []
        self.last_answer_at = 0.0
        #: How long it waits for an answer before sending the CALL again.
        self.answer_timeout = ANSWER_TIMEOUT
        self._ids = itertools.count(1)
        self._ws: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._results: dict[str, asyncio.Future[Any]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        #: Charger times: whole seconds, one apart per transaction message,
        #: so every reading and start has a time of its own.
        self._clock = clock_start
        self._meter = 1000

    # -- connection --------------------------------------------------------------------

    async def _connect(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 90
        while loop.time() < deadline:
            try:
                ws = await connect(
                    self.url() + "/" + self.charger_id,
                    subprotocols=["ocpp1.6"],  # type: ignore[list-item]
                    open_timeout=10,
                    ping_interval=None,
                )
            except (OSError, InvalidHandshake, TimeoutError, ConnectionClosed):
                await asyncio.sleep(random.uniform(0.2, 0.6))
                continue
            self._ws = ws
            self.connections += 1
            self._reader = asyncio.create_task(self._read(ws))
            return
        raise GaveUp(f"{self.charger_id}: could not connect for 90 s")

    async def _read(self, ws: Any) -> None:
        try:
            async for raw in ws:
                frame = json.loads(raw)
                if frame[0] == 2:
                    self.commands.append(frame[2])
                    task = asyncio.create_task(self._answer_command(ws, frame[1]))
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
                elif frame[0] in (3, 4):
                    future = self._results.get(frame[1])
                    if future is not None and not future.done():
                        future.set_result(frame)
        except ConnectionClosed:
            pass
        finally:
            for future in self._results.values():
                if not future.done():
                    future.set_exception(ConnectionClosed(None, None))

    async def _answer_command(self, ws: Any, message_id: str) -> None:
        if self.answer_delay:
            await asyncio.sleep(self.answer_delay)
        with contextlib.suppress(ConnectionClosed):
            await ws.send(json.dumps([3, message_id, {"status": "Accepted"}]))

    async def _drop(self) -> None:
        ws, self._ws = self._ws, None
        if ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(), 2)
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)
            self._reader = None

    async def close(self) -> None:
        await self._drop()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    # -- CALLs ---------------------------------------------------------------------------

    async def call(self, action: str, payload: dict[str, Any], sent: Sent | None = None) -> Any:
        """Send until answered (bounded): the answer's payload."""
        for _ in range(MAX_ATTEMPTS):
            if self._ws is None:
                await self._connect()
            message_id = f"{self.charger_id}-{next(self._ids)}"
            future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            self._results[message_id] = future
            if sent is not None:
                sent.attempts += 1
            try:
                await self._ws.send(json.dumps([2, message_id, action, payload]))
                frame = await asyncio.wait_for(future, self.answer_timeout)
            except ConnectionClosed:
                self.errors["closed"] += 1
                await self._drop()
                continue
            except TimeoutError:
                # Given up on: connect again and send it again (the first
                # copy may still be worked on; on the same socket the
                # gateway would hold the copy back behind the first).
                self.errors["no answer in time"] += 1
                if sent is not None:
                    sent.errors.append("no answer in time")
                await self._drop()
                continue
            finally:
                self._results.pop(message_id, None)
            if frame[0] == 3:
                self.last_answer_at = time.monotonic()
                if sent is not None:
                    sent.answers.append(frame[2])
                return frame[2]
            code = frame[2]
            self.errors[code] += 1
            if sent is not None:
                sent.errors.append(code)
            if code == "SecurityError" and action != "BootNotification":
                await self._boot()
            else:
                await asyncio.sleep(random.uniform(0.2, 0.5))
        raise GaveUp(f"{self.charger_id}: {action} never answered")

    async def _boot(self) -> None:
        answer = await self.call(
            "BootNotification", {"chargePointVendor": "chaos", "chargePointModel": "test"}
        )
        assert answer["status"] == "Accepted", answer

    async def _transaction_message(self, action: str, payload: dict[str, Any]) -> Any:
        sent = Sent(self.charger_id, action, payload)
        self.sent.append(sent)
        return await self.call(action, payload, sent)

    def _tick(self) -> int:
        self._clock += 1
        return self._clock

    async def _pause(self, seconds: float) -> bool:
        """Sleep; True when stopped meanwhile."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stop.wait(), seconds)
        return self.stop.is_set()

    async def run(self) -> None:
        """Charge until ``stop``; the message in hand when it comes is still
        seen through to its answer."""
        try:
            await asyncio.sleep(random.uniform(0, self.interval))
            await self._boot()
            await self.call(
                "StatusNotification",
                {"connectorId": 1, "errorCode": "NoError", "status": "Available"},
            )
            while not self.stop.is_set():
                await self._session()
                if await self._pause(random.uniform(0, self.interval)):
                    break
        finally:
            await self.close()

    async def _session(self) -> None:
        await self.call("Authorize", {"idTag": "CHAOS"})
        if self.gate is not None and not self.gate.is_set():
            self.waiting = True
            await self.gate.wait()
            self.waiting = False
        meter_start = self._meter
        answer = await self._transaction_message(
            "StartTransaction",
            {
                "connectorId": 1,
                "idTag": "CHAOS",
                "meterStart": meter_start,
                "timestamp": iso(self._tick()),
            },
        )
        transaction_id = answer["transactionId"]
        for _ in range(self.meter_values):
            if await self._pause(random.uniform(0.5, 1.5) * self.interval):
                return  # the run ends with the session open, as a charger's may
            self._meter += random.randint(50, 500)
            await self._transaction_message(
                "MeterValues",
                {
                    "connectorId": 1,
                    "transactionId": transaction_id,
                    "meterValue": [
                        {
                            "timestamp": iso(self._tick()),
                            "sampledValue": [
                                {
                                    "value": str(self._meter),
                                    "measurand": "Energy.Active.Import.Register",
                                    "unit": "Wh",
                                }
                            ],
                        }
                    ],
                },
            )
        self._meter += random.randint(50, 500)
        await self._transaction_message(
            "StopTransaction",
            {
                "transactionId": transaction_id,
                "meterStop": self._meter,
                "timestamp": iso(self._tick()),
                "reason": "Local",
            },
        )


class Fleet:
    def __init__(self, count: int, url: Callable[[], str], prefix: str, **options: Any) -> None:
        self.stop = asyncio.Event()
        #: Clear it to line the chargers up before their StartTransaction.
        self.gate = asyncio.Event()
        self.gate.set()
        start = int(time.time()) - 3600
        self.chargers = [
            Charger(
                f"{prefix}{n:03d}",
                url,
                self.stop,
                clock_start=start,
                gate=self.gate,
                **options,
            )
            for n in range(count)
        ]
        self.tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self.tasks = [asyncio.create_task(c.run()) for c in self.chargers]

    def check_running(self) -> None:
        for task in self.tasks:
            if task.done() and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]

    async def until(self, done: Callable[[], bool], timeout: float, every: float) -> bool:
        """Poll ``done`` every ``every`` s while the chargers run (one that
        failed raises): False when ``timeout`` passed first."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            self.check_running()
            if done():
                return True
            await asyncio.sleep(every)
        return False

    async def all_answered_since(self, since: float, timeout: float) -> None:
        """Until every charger has had an answer after ``since`` (monotonic)."""
        if await self.until(
            lambda: all(c.last_answer_at > since for c in self.chargers), timeout, 0.2
        ):
            return
        behind = [c.charger_id for c in self.chargers if c.last_answer_at <= since]
        raise AssertionError(f"{len(behind)} chargers had no answer since: {behind[:10]}")

    async def lined_up(self, chargers: list[Charger], timeout: float) -> None:
        """Close the gate and wait until ``chargers`` are all at it."""
        self.gate.clear()
        if await self.until(lambda: all(c.waiting for c in chargers), timeout, 0.05):
            return
        behind = [c.charger_id for c in chargers if not c.waiting]
        raise AssertionError(f"{len(behind)} chargers not lined up in {timeout} s: {behind[:10]}")

    async def until_sent(self, messages: int, timeout: float) -> None:
        """Until the fleet has sent at least ``messages`` transaction messages."""
        if not await self.until(
            lambda: sum(len(c.sent) for c in self.chargers) >= messages, timeout, 0.1
        ):
            raise AssertionError(f"fewer than {messages} transaction messages in {timeout} s")

    async def halt(self, timeout: float = 30) -> None:
        """A test's cleanup, bounded: stop the chargers; one still waiting
        for an answer after ``timeout`` is cancelled."""
        self.stop.set()
        self.gate.set()
        if not self.tasks:
            return
        _, pending = await asyncio.wait(self.tasks, timeout=timeout)
        for task in pending:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    async def finish(self, timeout: float = 60) -> None:
        self.stop.set()
        self.gate.set()
        done, pending = await asyncio.wait(self.tasks, timeout=timeout)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        assert not pending, f"{len(pending)} chargers did not finish in {timeout} s"
        for task in done:
            if task.exception() is not None:
                raise task.exception()  # type: ignore[misc]

    def errors(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for charger in self.chargers:
            total.update(charger.errors)
        return total

    def sent(self) -> list[Sent]:
        return [s for c in self.chargers for s in c.sent]


# -- reconciliation --------------------------------------------------------------------


def _epoch(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


@dataclass
class Reconciliation:
    sent: int
    answered: int
    stored: int
    duplicates: int
    lost: int
    resent: int
    problems: list[str]

    def line(self, scenario: str, extra: str = "") -> str:
        return (
            f"\n[chaos] {scenario}: transaction messages sent {self.sent}, answered "
            f"{self.answered}, stored {self.stored}, duplicates {self.duplicates}, lost "
            f"{self.lost} (sent more than once: {self.resent}){extra}"
        )


@dataclass
class _Held:
    """What the store holds for the fleet's chargers, indexed the way the
    messages sent are looked up."""

    by_start: dict[tuple[str, float], list[dict[str, Any]]]
    by_sample: dict[tuple[str, str | None, float], list[dict[str, Any]]]
    by_tx: dict[tuple[str, str], dict[str, Any]]

    @classmethod
    def index(
        cls, chargers: set[str], sessions: list[dict[str, Any]], samples: list[dict[str, Any]]
    ) -> _Held:
        by_start: dict[tuple[str, float], list[dict[str, Any]]] = {}
        for doc in sessions:
            if doc["charger_id"] in chargers:
                key = (doc["charger_id"], doc.get("started_at") or -1.0)
                by_start.setdefault(key, []).append(doc)
        by_sample: dict[tuple[str, str | None, float], list[dict[str, Any]]] = {}
        for doc in samples:
            if doc["charger_id"] in chargers:
                key3 = (doc["charger_id"], doc.get("transaction_id"), doc["timestamp"])
                by_sample.setdefault(key3, []).append(doc)
        by_tx = {
            (doc["charger_id"], doc["transaction_id"]): doc
            for docs in by_start.values()
            for doc in docs
            if doc.get("transaction_id")
        }
        return cls(by_start, by_sample, by_tx)


def _start_key(m: Sent) -> tuple[str, float]:
    return (m.charger_id, _epoch(m.payload["timestamp"]))


def _sample_key(m: Sent) -> tuple[str, str | None, float]:
    value = m.payload["meterValue"][0]
    return (m.charger_id, str(m.payload["transactionId"]), _epoch(value["timestamp"]))


def _start_copies(m: Sent, held: _Held, problems: list[str]) -> int | None:
    """The sessions stored for a StartTransaction (None when it was never
    answered), noting a transaction id answered or stored differently."""
    found = held.by_start.get(_start_key(m), [])
    ids = {a["transactionId"] for a in m.answers}
    if len(ids) > 1:
        problems.append(f"{m.charger_id} start answered with ids {sorted(ids)}")
    if not m.answered:
        return None
    if found and {str(i) for i in ids} != {d["transaction_id"] for d in found}:
        problems.append(
            f"{m.charger_id} start answered {sorted(ids)}, stored "
            f"{[d['transaction_id'] for d in found]}"
        )
    return len(found)


def _sample_copies(m: Sent, held: _Held, problems: list[str]) -> int:
    """The samples stored for an answered MeterValues, noting one stored
    with another value."""
    key3 = _sample_key(m)
    found = held.by_sample.get(key3, [])
    expected = float(m.payload["meterValue"][0]["sampledValue"][0]["value"])
    if any(d.get("value") != expected for d in found):
        problems.append(f"{m.charger_id} sample {key3} stored with another value")
    return len(found)


def _stop_copies(m: Sent, held: _Held) -> int:
    """1 when an answered StopTransaction ended its session with its meter
    stop and time, else 0."""
    session = held.by_tx.get((m.charger_id, str(m.payload["transactionId"])))
    return int(
        session is not None
        and session.get("status") == "ended"
        and session.get("meter_stop_wh") == float(m.payload["meterStop"])
        and session.get("ended_at") == _epoch(m.payload["timestamp"])
    )


def _copies(m: Sent, held: _Held, problems: list[str]) -> int | None:
    """How many times the store holds what a transaction message said, or
    None when it was never answered (so need not be held)."""
    if m.action == "StartTransaction":
        return _start_copies(m, held, problems)
    if not m.answered:
        return None
    if m.action == "MeterValues":
        return _sample_copies(m, held, problems)
    return _stop_copies(m, held)  # StopTransaction


def reconcile(
    messages: Iterable[Sent], sessions: list[dict[str, Any]], samples: list[dict[str, Any]]
) -> Reconciliation:
    """Each transaction message the charger got an answer for must be in
    the store exactly once: a StartTransaction as one session (with the
    transaction id it was answered, the same every time it was sent), a
    MeterValues as its sample, a StopTransaction as its session ended with
    its meter stop.  Sessions and samples that belong to no message sent
    are duplicates too."""
    messages = list(messages)
    held = _Held.index({m.charger_id for m in messages}, sessions, samples)
    problems: list[str] = []
    stored = duplicates = lost = 0
    for m in messages:
        count = _copies(m, held, problems)
        if count is None:
            continue
        if count == 0:
            lost += 1
            problems.append(f"lost: {m.action} of {m.charger_id} {m.payload}")
        else:
            stored += 1
            duplicates += count - 1
    # Whatever is stored that no message sent accounts for.
    starts_sent = {_start_key(m) for m in messages if m.action == "StartTransaction"}
    for key, docs in held.by_start.items():
        if key not in starts_sent:
            duplicates += len(docs)
            problems.append(f"stored but never sent: sessions {[d['_id'] for d in docs]}")
    samples_sent = {_sample_key(m) for m in messages if m.action == "MeterValues"}
    for key3, docs in held.by_sample.items():
        if key3 not in samples_sent:
            duplicates += len(docs)
            problems.append(f"stored but never sent: sample {key3}")
    return Reconciliation(
        sent=len(messages),
        answered=sum(m.answered for m in messages),
        stored=stored,
        duplicates=duplicates,
        lost=lost,
        resent=sum(m.attempts > 1 for m in messages),
        problems=problems,
    )


def sqlite_documents(path: Path, collection: str) -> list[dict[str, Any]]:
    """Every document of a collection of a SQLite store (read while the
    service runs: WAL lets a reader in)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        return [json.loads(row[0]) for row in db.execute(f'SELECT doc FROM "{collection}"')]
    finally:
        db.close()


async def reconciled(
    fleet: Fleet,
    read: Callable[[], tuple[list[dict[str, Any]], list[dict[str, Any]]]],
    timeout: float = 60,
) -> Reconciliation:
    """The reconciliation once nothing answered is missing from the store
    any more (what was answered may still be on its way from the queue), or
    as it stands after ``timeout``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = reconcile(fleet.sent(), *read())
        if result.lost == 0 or loop.time() > deadline:
            return result
        await asyncio.sleep(0.5)


# -- a Redis of the test's own ----------------------------------------------------------


class RedisServer:
    """A private redis-server on a free loopback port, started as
    scripts/with_services.py starts the suite's (no persistence), so that a
    restart (SHUTDOWN NOSAVE, then the same command line on the same port)
    loses everything, as a real one without persistence does."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.log = folder / "redis.log"
        self.argv = [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(folder),
            "--save",
            "",
            "--appendonly",
            "no",
            "--logfile",
            str(self.log),
            "--protected-mode",
            "yes",
        ]
        self.proc: subprocess.Popen[bytes] | None = None
        self.name = "redis-server"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _spawn(self) -> subprocess.Popen[bytes]:
        """The process, as the services' are started (a fork and an exec,
        outside the event loop's coroutines)."""
        return subprocess.Popen(
            self.argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    async def start(self) -> None:
        self.proc = self._spawn()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        while loop.time() < deadline:
            assert self.proc.poll() is None, f"redis-server exited:\n{tail(self.log)}"
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.close()
                return
            except OSError:
                await asyncio.sleep(0.05)
        raise AssertionError(f"redis-server not listening:\n{tail(self.log)}")

    async def shutdown_nosave(self) -> None:
        """What a crash or a restart of a Redis without persistence does:
        gone, and its data with it."""
        import redis.asyncio as aioredis
        from redis.exceptions import ConnectionError as RedisConnectionError

        client = aioredis.from_url(self.url)
        with contextlib.suppress(RedisConnectionError):
            await client.shutdown(nosave=True)
        await client.aclose()
        assert self.proc is not None
        await asyncio.to_thread(self.proc.wait, 30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
