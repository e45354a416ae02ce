"""Remote-start round trip in the distributed mode, under background load.

    command.remote_start published on chargebus.commands       t0
      -> the commands service stores it, looks the charger's route up in
         Redis and sends the CALL through that charger's gateway
    the charger receives RemoteStartTransaction                 t1
      -> it answers Accepted at once; the gateway reports the answer, the
         commands service records it
    command.accepted consumed from chargebus.events             t2

The three services run as separate processes against the RabbitMQ and Redis
of the environment (CHARGEBUS_TEST_AMQP_URL, CHARGEBUS_TEST_REDIS_URL: run
the script under scripts/with_services.py), pinned to core 0 (--layout
pinned, the default; --layout free pins nothing), each with its SQLite store
in a fresh temporary directory, logging at WARNING:

* ``python -m chargebus.gateway`` (registration required: every charger boots
  first and needs Accepted);
* ``python -m chargebus.sessions`` (CHARGEBUS_UNKNOWN_CHARGERS=accept, so the
  simulated chargers' boots are accepted; stores every MeterValues);
* ``python -m chargebus.commands``.

This process, pinned to core 1 and on uvloop, is the load and the measuring
client at once (one clock for t0, t1 and t2; RabbitMQ and Redis are not
pinned):

* --chargers 1.6 chargers (websockets clients, as bench/load.py), each
  booting first; each answers RemoteStartTransaction with Accepted at once
  (and starts no transaction) and any other CALL with a CALLERROR;
* a background stream of 1.6 MeterValues (4 samples) at --meter-rate
  messages a second in total, round robin over the chargers, at most one
  CALL in flight per charger (a charger still waiting is skipped and the
  skip counted), from --warmup seconds before the first command until the
  last command is settled;
* --commands remote_start commands at --command-rate a second, each to a
  different charger (a shuffled order), published with AmqpBus.publish (as
  CommandClient does, without reply_to) with a command_id of our own.  A
  server-named queue bound to chargebus.events with ``command.*`` takes
  every state change: ``accepted`` gives t2, its ``calls`` the CALL's
  message id (which ties t1 to the command), and the ``at`` of each state
  in its history (the services' clocks, the same machine's) splits the trip.
  Two taps of our own on chargebus.commands, a classic queue and a quorum
  queue, show how long the broker alone takes to deliver a command.

Prints p50/p90/p99/max of t2 - t0 and t1 - t0, the split, the background rate
achieved and its latency, errors, the sessions service's queue depth, and the
CPU of the services, RabbitMQ, Redis, this process and the whole machine over
the measurement window (from /proc); --timeline adds a line a second.  The
window runs from the first publish until every command has settled.  Bounded: at
most --commands commands, the connect phase at most CONNECT_LIMIT s, each
command at most SETTLE_LIMIT s after the last publish, every wait with a
timeout; the services are terminated, then killed.

With --profile DIR, py-spy records each service over the measurement
window (100 Hz, raw collapsed stacks into DIR); it costs CPU of its own, so
the numbers of such a run are not the headline ones.

Usage: .venv/bin/python scripts/with_services.py -- .venv/bin/python bench/remote_start.py
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fleetlib import machine_busy, py_spy, rabbitmq_pid, redis_pid, stop_services, wait_ready
from gateway_saturation import cpu_seconds, free_port, pinned
from load import accepted

from messages import boot_frame, frame_parts

HERE = Path(__file__).resolve().parent
METER = "1.6 MeterValues (4 samples)"
#: The connect phase (all chargers connected and booted) must end within this.
CONNECT_LIMIT = 120.0
#: After the last publish, wait at most this long for outstanding commands.
SETTLE_LIMIT = 15.0
#: A background CALL unanswered for this long counts as an error.
CALL_TIMEOUT = 10.0
#: Services: start-up and shutdown limits (s).
START_LIMIT = 60.0
STOP_LIMIT = 15.0
#: Final command states other than accepted (for remote_start, accepted is
#: not final: the session would come next).
FAILED = {
    "rejected",
    "failed",
    "timed_out",
    "charger_offline",
    "expired",
    "invalid",
}
#: The services' environment variables that would change the mode.
EXTERNAL = ("CHARGEBUS_MONGODB_URL", "CHARGEBUS_TEST_AMQP_URL", "CHARGEBUS_TEST_REDIS_URL")


# -- the services -------------------------------------------------------------------------


@dataclass
class Service:
    name: str
    module: str
    api_port: int
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen[bytes] | None = None


def start_services(root: Path, amqp: str, redis: str, ocpp_port: int, pin: bool) -> list[Service]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("CHARGEBUS_")}
    base.update(
        CHARGEBUS_AMQP_URL=amqp,
        CHARGEBUS_REDIS_URL=redis,
        CHARGEBUS_HOST="127.0.0.1",
        CHARGEBUS_LOG_LEVEL="WARNING",
    )
    for name in EXTERNAL:
        base.pop(name, None)
    services = [
        Service(
            "sessions",
            "chargebus.sessions",
            free_port(),
            {"CHARGEBUS_UNKNOWN_CHARGERS": "accept", "CHARGEBUS_DATA_DIR": str(root / "sessions")},
            root / "sessions.log",
        ),
        Service(
            "commands",
            "chargebus.commands",
            free_port(),
            {"CHARGEBUS_DATA_DIR": str(root / "commands")},
            root / "commands.log",
        ),
        Service(
            "gateway",
            "chargebus.gateway",
            free_port(),
            # No pings in a run this short (and none to skew the latencies).
            {"CHARGEBUS_OCPP_PORT": str(ocpp_port), "CHARGEBUS_PING_INTERVAL": "0"},
            root / "gateway.log",
        ),
    ]
    for service in services:
        data_dir = service.env.get("CHARGEBUS_DATA_DIR")
        if data_dir:
            Path(data_dir).mkdir()
        env = dict(base, CHARGEBUS_API_PORT=str(service.api_port), **service.env)
        with open(service.log, "wb") as log:
            service.proc = subprocess.Popen(
                [*(pinned(0) if pin else []), sys.executable, "-m", service.module],
                env=env,
                cwd=HERE.parent,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
    deadline = time.monotonic() + START_LIMIT
    for service in services:
        wait_ready(service, deadline)
    return services


# -- the load -----------------------------------------------------------------------------


@dataclass
class Charger:
    index: int
    ws: Any = None
    busy: bool = False
    sent_at: float = 0.0
    n: int = 0


@dataclass
class Load:
    chargers: list[Charger]
    prefix: str
    suffix: str
    #: message id of a CALL from the CSMS -> when the charger received it
    received: dict[str, float] = field(default_factory=dict)
    #: message id of a CALL from the CSMS -> whether the charger's own
    #: MeterValues was in flight when it came
    behind: dict[str, bool] = field(default_factory=dict)
    meter_latencies: list[float] = field(default_factory=list)
    meter_sent: int = 0
    meter_errors: int = 0
    meter_skipped: int = 0
    unexpected_calls: int = 0
    first_error: str | None = None
    closed: int = 0

    def error(self, text: str) -> None:
        if self.first_error is None:
            self.first_error = text
            print(f"remote_start: first error: {text:.300}", file=sys.stderr)


async def connect_charger(load: Load, charger: Charger, url: str, gate: asyncio.Semaphore) -> None:
    from websockets.asyncio.client import connect
    from websockets.typing import Subprotocol

    async with gate:
        ws = await connect(
            f"{url}/CP-load-{charger.index}",
            subprotocols=[Subprotocol("ocpp1.6")],
            max_size=None,
            compression=None,
            ping_interval=None,
            open_timeout=30,
            close_timeout=5,
        )
        await ws.send(boot_frame("ocpp1.6", f"boot-{charger.index}"))
        answer = await asyncio.wait_for(ws.recv(), 30)
        if not accepted(answer):
            await ws.close()
            raise RuntimeError(f"CP-load-{charger.index}: boot not accepted: {answer!r:.300}")
        charger.ws = ws


async def read_charger(load: Load, charger: Charger) -> None:
    """Answers and CALLs from the CSMS, until the connection closes."""
    from websockets.exceptions import ConnectionClosed

    ws = charger.ws
    try:
        async for message in ws:
            now = time.perf_counter()
            if message.startswith("[3,") and charger.busy:
                load.meter_latencies.append(now - charger.sent_at)
                charger.busy = False
            elif message.startswith("[2,"):
                frame = json.loads(message)
                if frame[2] == "RemoteStartTransaction":
                    load.received[frame[1]] = now
                    load.behind[frame[1]] = charger.busy
                    await ws.send(f'[3,"{frame[1]}",{{"status":"Accepted"}}]')
                else:
                    load.unexpected_calls += 1
                    load.error(f"CP-load-{charger.index} got {message!r}")
                    await ws.send(f'[4,"{frame[1]}","NotImplemented","",{{}}]')
            else:
                load.meter_errors += 1
                load.error(f"CP-load-{charger.index} answer {message!r}")
                charger.busy = False
    except ConnectionClosed as exc:
        load.closed += 1
        load.error(f"CP-load-{charger.index} closed: {exc}")


async def meter_stream(load: Load, rate: float, stop: asyncio.Event, limit_s: float) -> None:
    """MeterValues at ``rate`` a second in total, round robin, one CALL in
    flight per charger, until ``stop`` (or ``limit_s``)."""
    started = time.perf_counter()
    due = 0
    position = 0
    count = len(load.chargers)
    while rate > 0 and not stop.is_set() and time.perf_counter() - started < limit_s:
        await asyncio.sleep(0.005)
        now = time.perf_counter()
        target = int((now - started) * rate)
        while due < target:
            due += 1
            charger = load.chargers[position]
            position = (position + 1) % count
            if charger.busy:
                if now - charger.sent_at > CALL_TIMEOUT:
                    load.meter_errors += 1
                    load.error(f"CP-load-{charger.index}: no answer in {CALL_TIMEOUT:.0f}s")
                    charger.busy = False
                else:
                    load.meter_skipped += 1
                continue
            charger.n += 1
            charger.busy = True
            charger.sent_at = now
            load.meter_sent += 1
            try:
                await charger.ws.send(f"{load.prefix}mv-{charger.n}{load.suffix}")
            except Exception as exc:
                load.meter_errors += 1
                load.error(f"CP-load-{charger.index}: send failed: {exc!r}")


# -- the commands -------------------------------------------------------------------------


@dataclass
class Command:
    command_id: str
    charger: str
    t0: float = 0.0  # perf_counter at publish
    wall0: float = 0.0  # time.time() at publish (to compare with the services' clocks)
    t2: float | None = None
    #: perf_counter when our own taps had it: a classic queue, a quorum queue
    t_plain: float | None = None
    t_quorum: float | None = None
    status: str | None = None  # the final status seen, if not accepted
    detail: str | None = None
    history: list[dict[str, Any]] = field(default_factory=list)
    publish_error: str | None = None
    #: the CALL's message id (the commands service picks it; the accepted
    #: event's ``calls`` says which), to find t1
    message_id: str | None = None


async def publish(bus: Any, command: Command) -> None:
    import msgspec

    from chargebus.common.bus.topology import COMMANDS
    from chargebus.common.commands import CommandRequest

    body = msgspec.json.encode(
        CommandRequest(
            charger_id=command.charger,
            params={"id_token": "BENCH"},
            command_id=command.command_id,
        )
    )
    command.wall0 = time.time()
    command.t0 = time.perf_counter()
    try:
        await bus.publish(COMMANDS, "command.remote_start", body)
    except Exception as exc:
        command.publish_error = repr(exc)


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {k: float("nan") for k in ("p50", "p90", "p99", "max")}

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {"p50": at(0.5), "p90": at(0.9), "p99": at(0.99), "max": ordered[-1]}


def cpu_snapshot(pids: dict[str, int | None]) -> dict[str, float]:
    out = {}
    for name, pid in pids.items():
        try:
            out[name] = cpu_seconds(pid) if pid else float("nan")
        except OSError:
            out[name] = float("nan")
    return out


async def lag_probe(stop: asyncio.Event, lags: list[float]) -> None:
    """How late this process's event loop wakes up (a measure of the load
    generator's own delay in t1 and t2)."""
    while not stop.is_set():
        before = time.perf_counter()
        await asyncio.sleep(0.01)
        lags.append(time.perf_counter() - before - 0.01)


async def measure(
    args: argparse.Namespace, pids: dict[str, int | None], on_window: Any
) -> dict[str, Any]:
    import msgspec

    from chargebus.common.bus import Delivery
    from chargebus.common.bus.amqp import AmqpBus
    from chargebus.common.bus.topology import EVENTS

    _, prefix, suffix = frame_parts(METER)
    load = Load([Charger(i) for i in range(args.chargers)], prefix, suffix)
    url = f"ws://127.0.0.1:{args.ocpp_port}/ocpp"

    # 1. chargers connect and boot
    t_connect = time.perf_counter()
    gate = asyncio.Semaphore(100)
    connecting = [asyncio.create_task(connect_charger(load, c, url, gate)) for c in load.chargers]
    done, pending = await asyncio.wait(connecting, timeout=CONNECT_LIMIT)
    for task in pending:
        task.cancel()
    failures = [t.exception() for t in done if t.exception() is not None]
    connected = [c for c in load.chargers if c.ws is not None]
    connect_s = time.perf_counter() - t_connect
    print(
        f"remote_start: {len(connected)} of {args.chargers} chargers connected and booted "
        f"in {connect_s:.1f}s",
        file=sys.stderr,
    )
    if failures or pending:
        for c in connected:
            await c.ws.close()
        first = failures[0] if failures else "timed out"
        raise SystemExit(f"remote_start: {len(failures) + len(pending)} chargers failed: {first}")
    readers = [asyncio.create_task(read_charger(load, c)) for c in connected]

    # 2. the measuring client
    commands: dict[str, Command] = {}
    seen_events: dict[str, int] = {}
    settled = asyncio.Event()
    outstanding = {"n": args.commands}

    async def on_event(delivery: Delivery) -> None:
        now = time.perf_counter()
        event = msgspec.json.decode(delivery.body)
        status = event.get("status")
        seen_events[status] = seen_events.get(status, 0) + 1
        command = commands.get(event.get("command_id", ""))
        if command is None or command.t2 is not None or command.status is not None:
            return
        if status == "accepted":
            command.t2 = now
            command.history = event.get("history", [])
            calls = event.get("calls") or [{}]
            command.message_id = calls[0].get("message_id")
        elif status in FAILED:
            command.status = status
            command.detail = event.get("detail")
            command.history = event.get("history", [])
            load.error(f"command {command.command_id} {status}: {command.detail}")
        else:
            return
        outstanding["n"] -= 1
        if outstanding["n"] <= 0:
            settled.set()

    bus = AmqpBus(args.amqp_url, name="remote_start bench")
    await asyncio.wait_for(bus.start(), 30)
    await asyncio.wait_for(bus.inbox(EVENTS, "command.*", on_event), 30)

    # 3. background load, warm-up, then the commands
    stop = asyncio.Event()
    lags: list[float] = []
    stream = asyncio.create_task(
        meter_stream(
            load,
            args.meter_rate,
            stop,
            args.warmup + args.commands / args.command_rate + SETTLE_LIMIT + 30,
        )
    )
    prober = asyncio.create_task(lag_probe(stop, lags))
    rows: list[dict[str, float]] = []
    sampler = asyncio.create_task(timeline(args, load, commands, lags, stop, rows))
    await asyncio.sleep(args.warmup)

    run = uuid.uuid4().hex[:8]
    targets = random.Random(args.seed).sample(range(len(connected)), k=args.commands)
    publishes: list[asyncio.Task[None]] = []
    meter_before = (load.meter_sent, len(load.meter_latencies), load.meter_errors)
    on_window()
    rows_before = len(rows)
    cpu_before = cpu_snapshot(pids)
    machine_before = machine_busy()
    window_start = time.perf_counter()
    for n, target in enumerate(targets):
        due = window_start + n / args.command_rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        command = Command(f"rs-{run}-{n:05d}", f"CP-load-{connected[target].index}")
        commands[command.command_id] = command
        publishes.append(asyncio.create_task(publish(bus, command)))
    last_publish = time.perf_counter()
    try:
        await asyncio.wait_for(settled.wait(), SETTLE_LIMIT)
    except TimeoutError:
        print(
            f"remote_start: {outstanding['n']} commands unsettled {SETTLE_LIMIT:.0f}s "
            "after the last publish",
            file=sys.stderr,
        )
    window_end = time.perf_counter()
    cpu_after = cpu_snapshot(pids)
    machine_after = machine_busy()
    rows_after = len(rows)
    meter_after = (load.meter_sent, len(load.meter_latencies), load.meter_errors)
    window_meter = load.meter_latencies[meter_before[1] : meter_after[1]]
    stop.set()
    await asyncio.gather(stream, prober, *publishes, sampler, return_exceptions=True)

    # 4. wind down: the bus, then the chargers
    try:
        await asyncio.wait_for(bus.close(), 10)
    except TimeoutError:
        print("remote_start: the bus did not close in 10s", file=sys.stderr)
    closing = [asyncio.create_task(c.ws.close()) for c in connected]
    await asyncio.wait(closing, timeout=15)
    for task in readers:
        task.cancel()
    await asyncio.gather(*readers, return_exceptions=True)

    window = window_end - window_start
    ok = [c for c in commands.values() if c.t2 is not None]
    t1s = [load.received[c.message_id] - c.t0 for c in ok if c.message_id in load.received]
    split = split_trip(ok, load)
    return {
        "chargers": len(connected),
        "connect_s": connect_s,
        "commands": len(commands),
        "accepted": len(ok),
        "failed": {s: sum(1 for c in commands.values() if c.status == s) for s in FAILED},
        "unsettled": sum(1 for c in commands.values() if c.t2 is None and c.status is None),
        "publish_errors": sum(1 for c in commands.values() if c.publish_error),
        "publish_s": last_publish - window_start,
        "window_s": window,
        "t2": percentiles([c.t2 - c.t0 for c in ok if c.t2 is not None]),
        "t2_n": len(ok),
        "t1": percentiles(t1s),
        "t1_n": len(t1s),
        "split": split,
        "meter_per_s": (meter_after[1] - meter_before[1]) / window,
        "meter_rate": args.meter_rate,
        "meter_sent_per_s": (meter_after[0] - meter_before[0]) / window,
        "meter_latency": percentiles(window_meter),
        "meter_errors": load.meter_errors,
        "meter_skipped": load.meter_skipped,
        "unexpected_calls": load.unexpected_calls,
        "closed": load.closed,
        "events": seen_events,
        "cpu": {name: (cpu_after[name] - cpu_before[name]) / window * 100 for name in cpu_before},
        "machine": (machine_after - machine_before) / window * 100,
        "loop_lag": percentiles(lags),
        "timeline": rows,
        "window_rows": (rows_before, rows_after),
        "sessions_q": (
            rows[rows_before - 1]["sessions_q"] if rows_before else float("nan"),
            rows[rows_after - 1]["sessions_q"] if rows_after else float("nan"),
        ),
        "behind": behind_split(ok, load),
    }


async def timeline(
    args: argparse.Namespace,
    load: Load,
    commands: dict[str, Command],
    lags: list[float],
    stop: asyncio.Event,
    rows: list[dict[str, float]],
) -> None:
    """Once a second: the background answers and their latency in that
    second, the depth of the services' queues (a passive declare), the
    commands settled in that second and this process's worst loop lag.

    Also two taps: queues of our own bound to chargebus.commands beside the
    service's, a classic exclusive one and a quorum one, whose consumers
    (here) note when each command reaches them: the broker's part of the
    intake, without the commands service."""
    import aio_pika
    import msgspec

    connection = await asyncio.wait_for(aio_pika.connect(args.amqp_url), 30)
    try:
        channel = await connection.channel()
        # A classic exclusive queue, and a quorum queue as the service's own
        # (deleted at the end; the broker goes with scripts/with_services.py
        # anyway).
        plain = await channel.declare_queue(exclusive=True, auto_delete=True, durable=False)
        quorum = await channel.declare_queue(
            f"bench.remote-start.tap.{uuid.uuid4().hex[:8]}",
            durable=True,
            arguments={"x-queue-type": "quorum"},
        )

        def tap(attribute: str) -> Any:
            async def tapped(message: aio_pika.abc.AbstractIncomingMessage) -> None:
                now = time.perf_counter()
                command_id = msgspec.json.decode(message.body).get("command_id")
                command = commands.get(command_id or "")
                if command is not None and getattr(command, attribute) is None:
                    setattr(command, attribute, now)
                await message.ack()

            return tapped

        for taps, attribute in ((plain, "t_plain"), (quorum, "t_quorum")):
            await taps.bind("chargebus.commands", "command.remote_start")
            tag = await taps.consume(tap(attribute))
        started = time.perf_counter()
        seen_meter, seen_lags = len(load.meter_latencies), len(lags)
        done: set[str] = set()
        while not stop.is_set():
            await asyncio.sleep(1.0)
            depth: dict[str, float] = {}
            for name in ("chargebus.sessions", "chargebus.commands"):
                declared = await asyncio.wait_for(channel.declare_queue(name, passive=True), 5)
                result = declared.declaration_result
                count = result.message_count if result is not None else None
                depth[name] = float(count) if count is not None else float("nan")
            meter = load.meter_latencies[seen_meter:]
            seen_meter += len(meter)
            lag = lags[seen_lags:]
            seen_lags += len(lag)
            trips = []
            for c in commands.values():
                if c.t2 is not None and c.command_id not in done:
                    done.add(c.command_id)
                    trips.append(c.t2 - c.t0)
            m, t = percentiles(meter), percentiles(trips)
            rows.append(
                {
                    "t": time.perf_counter() - started,
                    "meter": len(meter),
                    "meter_p50": m["p50"],
                    "meter_max": m["max"],
                    "sessions_q": depth["chargebus.sessions"],
                    "commands_q": depth["chargebus.commands"],
                    "trips": len(trips),
                    "trip_p50": t["p50"],
                    "trip_max": t["max"],
                    "lag_max": max(lag) if lag else float("nan"),
                }
            )
        await asyncio.wait_for(quorum.cancel(tag), 10)  # the quorum tap's, the last one
        await asyncio.wait_for(quorum.delete(if_unused=False, if_empty=False), 10)
    finally:
        await asyncio.wait_for(connection.close(), 10)


def behind_split(ok: list[Command], load: Load) -> dict[str, tuple[int, float, float]]:
    """The answer leg (the charger has the CALL -> accepted), by whether the
    charger had a MeterValues of its own in flight when the CALL came: the
    gateway reads a charger's frames one at a time and answers each
    notification (after the broker's confirm) before reading the next, so
    such an answer waits for that MeterValues to be answered."""
    groups: dict[str, list[float]] = {}
    for c in ok:
        key = c.message_id or ""
        t1 = load.received.get(key)
        accepted_at = next((h["at"] for h in c.history if h["status"] == "accepted"), None)
        if t1 is None or accepted_at is None:
            continue
        leg = accepted_at - (c.wall0 + (t1 - c.t0))
        name = "MeterValues in flight" if load.behind.get(key) else "nothing in flight"
        groups.setdefault(name, []).append(leg)
    return {
        name: (len(v), percentiles(v)["p50"], percentiles(v)["p99"]) for name, v in groups.items()
    }


def split_trip(ok: list[Command], load: Load) -> dict[str, dict[str, float]]:
    """Per command: from t0 to each state's ``at`` (the commands service's
    clock), to t1, and from accepted's ``at`` to t2, as the trip's legs."""
    legs: dict[str, list[float]] = {}

    def add(name: str, value: float) -> None:
        legs.setdefault(name, []).append(value)

    for c in ok:
        at = {h["status"]: h["at"] for h in c.history}
        if not {"received", "routed", "sent", "accepted"} <= at.keys():
            continue
        t1 = load.received.get(c.message_id) if c.message_id is not None else None
        assert c.t2 is not None
        if c.t_plain is not None:
            add("(publish -> our classic queue's consumer)", c.t_plain - c.t0)
        if c.t_quorum is not None:
            add("(publish -> our quorum queue's consumer)", c.t_quorum - c.t0)
        add("publish -> received (bus, intake)", at["received"] - c.wall0)
        add("received -> routed (store, event, route)", at["routed"] - at["received"])
        add("routed -> sent (store, event)", at["sent"] - at["routed"])
        if t1 is not None:
            t1_wall = c.wall0 + (t1 - c.t0)
            add("sent -> charger has the CALL", t1_wall - at["sent"])
            add("charger answers -> accepted (gateway, outcome)", at["accepted"] - t1_wall)
        t2_wall = c.wall0 + (c.t2 - c.t0)
        add("accepted -> event consumed (store, event)", t2_wall - at["accepted"])
    return {name: percentiles(values) for name, values in legs.items()}


# -- the run ------------------------------------------------------------------------------


def report(args: argparse.Namespace, r: dict[str, Any], services: list[Service]) -> None:
    def ms(p: dict[str, float]) -> str:
        return " ".join(f"{p[k] * 1000:7.2f}" for k in ("p50", "p90", "p99", "max"))

    print(
        f"# {r['chargers']} chargers (1.6), MeterValues at {args.meter_rate:.0f}/s in the "
        f"background, {r['commands']} remote_start at {args.command_rate:g}/s; "
        + ("services on core 0, load on core 1" if args.layout == "pinned" else "nothing pinned")
        + f", {os.cpu_count()} cores; distributed (RabbitMQ + Redis, SQLite stores)"
    )
    print(
        f"{'remote_start round trip':48} {'n':>5} "
        + " ".join(f"{h:>7}" for h in ("p50 ms", "p90 ms", "p99 ms", "max ms"))
    )
    print(f"{'t2 - t0: publish -> command.accepted consumed':48} {r['t2_n']:5d} {ms(r['t2'])}")
    print(f"{'t1 - t0: publish -> the charger has the CALL':48} {r['t1_n']:5d} {ms(r['t1'])}")
    for name, p in r["split"].items():
        print(f"{'  ' + name:48} {'':5} {ms(p)}")
    print()
    print(
        f"background MeterValues: {r['meter_per_s']:.0f} answered/s ({r['meter_sent_per_s']:.0f} "
        f"sent/s) over the {r['window_s']:.1f}s window; latency {ms(r['meter_latency'])} ms "
        f"(p50 p90 p99 max); errors {r['meter_errors']}, skipped (charger busy) "
        f"{r['meter_skipped']}"
    )
    failed = {k: v for k, v in r["failed"].items() if v}
    print(
        f"commands: {r['commands']} published in {r['publish_s']:.1f}s, {r['accepted']} accepted, "
        f"failed {failed or 0}, unsettled {r['unsettled']}, publish errors {r['publish_errors']}; "
        f"unexpected CALLs {r['unexpected_calls']}, connections closed {r['closed']}"
    )
    print(
        "answer leg (charger has the CALL -> accepted) by what the charger had in flight: "
        + "; ".join(
            f"{name}: n {n}, p50 {p50 * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms"
            for name, (n, p50, p99) in sorted(r["behind"].items())
        )
    )
    print(
        f"sessions service's queue (chargebus.sessions): {r['sessions_q'][0]:.0f} messages at the "
        f"window's start, {r['sessions_q'][1]:.0f} at its end"
    )
    print(f"events seen on chargebus.events (command.*): {r['events']}")
    ours = sum(v for v in r["cpu"].values() if v == v)
    print(
        "CPU over the window, % of one core: "
        + ", ".join(f"{k} {v:.0f}" for k, v in r["cpu"].items())
        + f"; the whole machine {r['machine']:.0f} of {100 * (os.cpu_count() or 1)}"
        f" (anything else: {r['machine'] - ours:.0f})"
    )
    print(
        f"load process event-loop lag (10 ms sleeps): {ms(r['loop_lag'])} ms (p50 p90 p99 max); "
        f"chargers connected and booted in {r['connect_s']:.1f}s"
    )
    if r["timeline"]:
        print()
        print(
            f"{'s':>5} {'MV/s':>5} {'MV p50':>7} {'MV max':>7} {'sess q':>7} {'cmd q':>6} "
            f"{'cmds':>4} {'rt p50':>7} {'rt max':>7} {'lag max':>7}   (ms; warm-up first)"
        )
        first, last = r["window_rows"]
        for i, row in enumerate(r["timeline"]):
            if i in (first, last):
                print("      --- the measurement window " + ("starts" if i == first else "ends"))
            print(
                f"{row['t']:5.0f} {row['meter']:5.0f} {row['meter_p50'] * 1000:7.1f} "
                f"{row['meter_max'] * 1000:7.1f} {row['sessions_q']:7.0f} {row['commands_q']:6.0f} "
                f"{row['trips']:4.0f} {row['trip_p50'] * 1000:7.1f} {row['trip_max'] * 1000:7.1f} "
                f"{row['lag_max'] * 1000:7.1f}"
            )
    for service in services:
        warnings = [
            line
            for line in service.log.read_text(errors="replace").splitlines()
            if (" WARNING " in line or " ERROR " in line or "Traceback" in line)
            # the boots of the simulated chargers, one each: expected
            and "Accepted by policy" not in line
        ]
        if warnings:
            print(
                f"{service.name}: {len(warnings)} warnings/errors in its log, "
                f"first: {warnings[0]:.300}"
            )


def start_spies(args: argparse.Namespace, services: list[Service]) -> list[subprocess.Popen[bytes]]:
    """py-spy on each service for the measurement window (and a little more)."""
    args.profile.mkdir(parents=True, exist_ok=True)
    spy = py_spy()
    duration = int(args.commands / args.command_rate + 3)
    spies = []
    for s in services:
        assert s.proc is not None
        spies.append(
            subprocess.Popen(
                [
                    *(str(spy), "record", "--pid", str(s.proc.pid), "--rate", "100"),
                    *("--duration", str(duration), "--format", "raw", "--nonblocking"),
                    *("-o", str(args.profile / f"{s.name}.txt")),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    return spies


def arguments() -> argparse.Namespace:
    """The command line, checked (and py-spy found, with --profile)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chargers", type=int, default=1000)
    parser.add_argument("--meter-rate", type=float, default=1000.0)
    parser.add_argument("--commands", type=int, default=500)
    parser.add_argument("--command-rate", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--timeline", action="store_true", help="print a line a second (queues, latencies)"
    )
    parser.add_argument(
        "--layout",
        choices=("pinned", "free"),
        default="pinned",
        help="pinned: the services on core 0, this process on core 1; free: no pinning",
    )
    parser.add_argument("--profile", type=Path, help="py-spy each service into this directory")
    parser.add_argument("--keep", action="store_true", help="keep the data and logs directory")
    args = parser.parse_args()
    if args.profile:
        py_spy()  # before anything starts: stops with how to get it
    if not 0 < args.commands <= min(args.chargers, 5000):
        parser.error("--commands: 1 to min(chargers, 5000)")
    if not 0 < args.command_rate <= 200 or not 0 <= args.meter_rate <= 20000:
        parser.error("--command-rate more than 0, at most 200; --meter-rate 0 to 20000")
    if args.commands / args.command_rate > 120:
        parser.error("the commands would take more than 120 s")
    return args


def raise_descriptor_limit(chargers: int) -> None:
    """The soft RLIMIT_NOFILE up to the hard one; stop if that is too few for ``chargers``."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if chargers + 200 > resource.getrlimit(resource.RLIMIT_NOFILE)[0]:
        raise SystemExit(f"{chargers} chargers need more descriptors than RLIMIT_NOFILE")


def finish(proc: subprocess.Popen[bytes], timeout: float) -> None:
    """Wait for ``proc`` to end, killing it after ``timeout`` s."""
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main() -> None:
    args = arguments()
    amqp = os.environ.get("CHARGEBUS_TEST_AMQP_URL")
    redis = os.environ.get("CHARGEBUS_TEST_REDIS_URL")
    if not (amqp and redis):
        raise SystemExit("run under scripts/with_services.py (CHARGEBUS_TEST_AMQP_URL/REDIS_URL)")
    args.amqp_url = amqp
    args.ocpp_port = free_port()

    raise_descriptor_limit(args.chargers)

    root = Path(tempfile.mkdtemp(prefix="chargebus-remote-start-"))
    services: list[Service] = []
    spies: list[subprocess.Popen[bytes]] = []
    try:
        pin = args.layout == "pinned"
        services = start_services(root, amqp, redis, args.ocpp_port, pin)
        if pin and shutil.which("taskset") and (os.cpu_count() or 1) > 1:
            os.sched_setaffinity(0, {1})
        pids: dict[str, int | None] = {s.name: s.proc.pid for s in services if s.proc}
        pids["RabbitMQ"] = rabbitmq_pid()
        pids["Redis"] = redis_pid(redis)
        pids["load (this)"] = os.getpid()

        def on_window() -> None:
            if args.profile:
                spies.extend(start_spies(args, services))

        import uvloop

        result = uvloop.run(asyncio.wait_for(measure(args, pids, on_window), 300))
        report(args, result, services)
        for spy_proc in spies:  # they stop at the end of their --duration
            finish(spy_proc, 60)
    finally:
        for spy_proc in spies:
            if spy_proc.poll() is None:
                spy_proc.terminate()
                finish(spy_proc, 10)
        stop_services(services)
        if args.keep:
            print(f"data and logs kept in {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
