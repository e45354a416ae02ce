"""Fan-out: a configuration read sent to every one of 10,000 connected
chargers at once; how long until every outcome is recorded?

* chargebus distributed: gateway, sessions and commands services (each its
  own process, pinned to core 0, on the private RabbitMQ and Redis of
  scripts/with_services.py, SQLite stores). As a fan-out (``--shape fanout``,
  the default): one ``command.fanout.get_configuration`` naming every
  charger, sent with the bus client; as single commands (``--shape single``):
  one ``command.get_configuration`` per charger (with confirms, 500 in
  flight). The time runs until the commands service has recorded every
  final state (``chargebus_commands_total``, read from its /metrics).
* chargebus embedded: ``chargebus run`` pinned to core 0; through the HTTP
  API: one ``POST /v1/fanouts/get_configuration``, or one
  ``POST /v1/chargers/{id}/commands/get_configuration`` per charger (202 at
  once; 100 requests in flight); timed the same way.
* the ``ocpp`` package peer: on SIGUSR1 it calls GetConfiguration on every
  connected charger at once (``asyncio.gather``) and reports when all are
  answered: it records nothing, so its figure is a floor for the round trip.

The chargers are `chargebus simulate` (1.6, idle, heartbeat 300 s) on core 1,
answering GetConfiguration with an empty configuration; the script's own
publishing or HTTP runs on core 1 too.

Usage: .venv/bin/python scripts/with_services.py -- .venv/bin/python bench/fanout.py
           [--count 10000] [--servers distributed embedded python node]
           [--shape fanout single]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from fleetlib import (
    PEER_NAMES,
    Simulator,
    backends,
    cpu_seconds,
    free_port,
    pinned,
    py_spy,
    source_args,
    spy,
    start_peer,
    start_services,
    stop_services,
    unspy,
)
from gateway_saturation import wait_for_port

BOOT_LIMIT = 300.0
#: Every outcome within this, or the run is reported as incomplete (s).
OUTCOME_LIMIT = 120.0
FINAL = "chargebus_commands_total"
SHAPES = {"fanout": " fan-out", "single": " singles"}


def fleet(url: str, args: argparse.Namespace, root: Path) -> Simulator:
    sim = Simulator(
        "fanout",
        url,
        [
            "--count",
            str(args.count),
            "--prefix",
            "FAN-",
            "--scenario",
            "idle",
            "--heartbeat",
            "300",
            "--ramp",
            str(args.ramp),
            "--duration",
            "3600",
            "--seed",
            "1",
            *source_args(args.count),
        ],
        root,
    )
    sim.start()
    if sim.wait_for(lambda s: s.get("boots", 0) >= args.count, BOOT_LIMIT) is None:
        sim.kill()
        raise SystemExit(f"the fleet did not boot in {BOOT_LIMIT:.0f}s: {sim.status()}")
    time.sleep(2.0)
    return sim


def ids(args: argparse.Namespace) -> list[str]:
    width = max(4, len(str(args.count)))
    return [f"FAN-{n:0{width}d}" for n in range(args.count)]


def outcomes(api_port: int) -> dict[str, float]:
    url = f"http://127.0.0.1:{api_port}/metrics"
    import urllib.request

    with urllib.request.urlopen(url, timeout=5) as response:  # loopback only
        text = response.read().decode()
    found: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith(FINAL + "{") and 'name="get_configuration"' in line:
            status = line.split('status="', 1)[1].split('"', 1)[0]
            found[status] = found.get(status, 0.0) + float(line.rsplit(" ", 1)[1])
    return found


def wait_outcomes(
    api_port: int, count: int, started: float
) -> tuple[float | None, dict[str, float]]:
    while time.monotonic() - started < OUTCOME_LIMIT:
        seen = outcomes(api_port)
        if sum(seen.values()) >= count:
            return time.monotonic() - started, seen
        time.sleep(0.05)
    return None, outcomes(api_port)


async def publish_all(amqp: str, chargers: list[str], in_flight: int) -> float:
    import msgspec

    from chargebus.common.bus.amqp import AmqpBus
    from chargebus.common.bus.topology import COMMANDS
    from chargebus.common.commands import CommandRequest

    bus = AmqpBus(amqp, name="bench-fanout")
    await bus.start()
    gate = asyncio.Semaphore(in_flight)
    run = uuid.uuid4().hex[:8]

    async def one(charger: str) -> None:
        body = msgspec.json.encode(
            CommandRequest(
                charger_id=charger,
                params={"keys": ["HeartbeatInterval"]},
                command_id=f"fanout-{run}-{charger}",
            )
        )
        async with gate:
            await bus.publish(COMMANDS, "command.get_configuration", body)

    started = time.monotonic()
    try:
        await asyncio.gather(*(one(c) for c in chargers))
    finally:
        await bus.close()
    return time.monotonic() - started


async def post_all(
    api_port: int, chargers: list[str], in_flight: int, key: str
) -> tuple[float, int]:
    import httpx

    gate = asyncio.Semaphore(in_flight)
    refused = 0
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{api_port}",
        timeout=60,
        limits=httpx.Limits(max_connections=in_flight, keepalive_expiry=1.0),
        headers={"Authorization": f"Bearer {key}"},
    ) as client:

        async def one(charger: str) -> None:
            nonlocal refused
            async with gate:
                r = await client.post(
                    f"/v1/chargers/{charger}/commands/get_configuration",
                    json={"keys": ["HeartbeatInterval"]},
                )
                if r.status_code not in (200, 202):
                    refused += 1

        started = time.monotonic()
        await asyncio.gather(*(one(c) for c in chargers))
    return time.monotonic() - started, refused


async def fanout_bus(amqp: str, chargers: list[str]) -> float:
    from chargebus.common.commands import CommandClient

    async with CommandClient(amqp) as client:
        started = time.monotonic()
        # The reply (every command final) is awaited from /metrics like the
        # single commands; this returns once the request is on the bus.
        task = asyncio.create_task(
            client.fanout(
                "get_configuration",
                chargers,
                {"keys": ["HeartbeatInterval"]},
                fanout_id=f"bench-{uuid.uuid4().hex[:8]}",
                timeout=OUTCOME_LIMIT,
            )
        )
        await asyncio.sleep(0)
        sent = time.monotonic() - started
        state = await task
        assert state.final, state
    return sent


async def fanout_http(api_port: int, chargers: list[str], key: str) -> tuple[float, int]:
    import httpx

    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{api_port}",
        timeout=60,
        headers={"Authorization": f"Bearer {key}"},
    ) as client:
        started = time.monotonic()
        r = await client.post(
            "/v1/fanouts/get_configuration",
            json={"charger_ids": chargers, "params": {"keys": ["HeartbeatInterval"]}},
        )
        return time.monotonic() - started, 0 if r.status_code in (200, 202) else len(chargers)


def run_distributed(args: argparse.Namespace, root: Path, shape: str) -> dict[str, Any]:
    amqp, redis = backends()
    port = free_port()
    services = start_services(root, amqp, redis, port)
    try:
        sim = fleet(f"ws://127.0.0.1:{port}/ocpp/", args, root)
        try:
            api = services["commands"].api_port
            before = sum(outcomes(api).values())
            cpu0 = {n: cpu_seconds(s.pid) for n, s in services.items()}
            pids = {n: s.pid for n, s in services.items()}
            spies = spy(pids, args.profile, "distributed") if args.profile else []
            started = time.monotonic()
            if shape == "fanout":
                done: dict[str, Any] = {}
                thread = threading.Thread(
                    target=lambda: done.update(sent=asyncio.run(fanout_bus(amqp, ids(args))))
                )
                thread.start()
                took, seen = wait_outcomes(api, int(args.count + before), started)
                thread.join(OUTCOME_LIMIT)
                sent = done.get("sent", 0.0)
            else:
                sent = asyncio.run(publish_all(amqp, ids(args), 500))
                took, seen = wait_outcomes(api, int(args.count + before), started)
            unspy(spies)
            cpu = {n: cpu_seconds(s.pid) - cpu0[n] for n, s in services.items()}
            sim.proc.send_signal(signal.SIGTERM)  # type: ignore[union-attr]
            summary = sim.finish()
        finally:
            sim.kill()
    finally:
        stop_services(list(services.values()))
    return result(f"chargebus distributed{SHAPES[shape]}", args, took, sent, seen, cpu, summary)


def run_embedded(args: argparse.Namespace, root: Path, shape: str) -> dict[str, Any]:
    port, api = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARGEBUS_")}
    env.update(CHARGEBUS_UNKNOWN_CHARGERS="accept", CHARGEBUS_LOG_LEVEL="WARNING")
    argv = [
        *pinned(0),
        str(Path(sys.executable).parent / "chargebus"),
        "run",
        *("--host", "127.0.0.1", "--ocpp-port", str(port)),
        *("--api-port", str(api), "--data-dir", str(root / "data")),
    ]
    with open(root / "embedded.log", "ab") as log:
        proc = subprocess.Popen(
            argv, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_for_port(port, proc, 60)  # type: ignore[arg-type]
        sim = fleet(f"ws://127.0.0.1:{port}/ocpp/", args, root)
        try:
            cpu0 = cpu_seconds(proc.pid)
            spies = spy({"embedded": proc.pid}, args.profile, "embedded") if args.profile else []
            started = time.monotonic()
            # The admin key chargebus run made on its first start.
            key = (root / "data" / "api-key").read_text().strip()
            if shape == "fanout":
                sent, refused = asyncio.run(fanout_http(api, ids(args), key))
            else:
                sent, refused = asyncio.run(post_all(api, ids(args), 100, key))
            took, seen = wait_outcomes(api, args.count, started)
            unspy(spies)
            if refused:
                seen["refused by the API"] = refused
            cpu = {"server": cpu_seconds(proc.pid) - cpu0}
            sim.proc.send_signal(signal.SIGTERM)  # type: ignore[union-attr]
            summary = sim.finish()
        finally:
            sim.kill()
    finally:
        proc.terminate()
        proc.wait(30)
    return result(f"chargebus embedded{SHAPES[shape]}", args, took, sent, seen, cpu, summary)


def run_peer(kind: str, args: argparse.Namespace, root: Path) -> dict[str, Any]:
    port = free_port()
    report = root / f"{kind}-fanout.json"
    peer = start_peer(kind, port, root / f"{kind}.log", fanout_report=report)
    try:
        wait_for_port(port, peer, 60)  # type: ignore[arg-type]
        sim = fleet(f"ws://127.0.0.1:{port}/ocpp/", args, root)
        try:
            cpu0 = cpu_seconds(peer.pid)
            started = time.monotonic()
            peer.send_signal(signal.SIGUSR1)
            took = None
            while time.monotonic() - started < OUTCOME_LIMIT:
                if report.exists():
                    took = time.monotonic() - started
                    break
                time.sleep(0.05)
            seen = json.loads(report.read_text())["outcomes"] if report.exists() else {}
            cpu = {"server": cpu_seconds(peer.pid) - cpu0}
            sim.proc.send_signal(signal.SIGTERM)  # type: ignore[union-attr]
            summary = sim.finish()
        finally:
            sim.kill()
    finally:
        peer.terminate()
        peer.wait(15)
    return result(PEER_NAMES[kind], args, took, 0.0, seen, cpu, summary)


def result(
    name: str,
    args: argparse.Namespace,
    took: float | None,
    sent: float,
    seen: dict[str, Any],
    cpu: dict[str, float],
    summary: dict[str, Any],
) -> dict[str, Any]:
    return {
        "name": name,
        "took": took,
        "sent": sent,
        "outcomes": seen,
        "cpu": cpu,
        "received": sum(summary["received"].values()),
        "errors": sum(summary["errors"].values()),
    }


def report(args: argparse.Namespace, results: list[dict[str, Any]]) -> None:
    print(
        f"# get_configuration to each of {args.count} connected 1.6 chargers at once; servers on "
        f"core 0, chargers and the sender on core 1; {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}"
    )
    print(
        f"{'server':<34}{'all done s':>11}{'sent s':>8}{'chargers got':>13}{'CPU s':>7}"
        f"{'CPU ms/cmd':>11}  outcomes"
    )
    for r in results:
        took = "-" if r["took"] is None else f"{r['took']:.2f}"
        cpu = sum(r["cpu"].values())
        split = ", ".join(f"{k} {v:.1f}" for k, v in r["cpu"].items()) if len(r["cpu"]) > 1 else ""
        outcomes = ", ".join(f"{k} {int(v)}" for k, v in sorted(r["outcomes"].items()))
        print(
            f"{r['name']:<34}{took:>11}{r['sent']:>8.2f}{r['received']:>13}{cpu:>7.1f}"
            f"{1000 * cpu / args.count:>11.2f}  {outcomes}" + (f" (CPU: {split})" if split else "")
        )
    print("goal: every outcome recorded within 5 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--ramp", type=float, default=500.0)
    parser.add_argument(
        "--servers",
        nargs="+",
        default=["distributed", "embedded", "python"],
        choices=["distributed", "embedded", "python", "node"],
    )
    parser.add_argument(
        "--shape",
        nargs="+",
        default=["fanout"],
        choices=list(SHAPES),
        help="chargebus: one fan-out command, or a single command per charger",
    )
    parser.add_argument(
        "--profile", type=Path, help="py-spy the servers through the fan-out, stacks to this folder"
    )
    args = parser.parse_args()
    if args.profile:
        py_spy()  # before anything starts: stops with how to get it
    results = []
    with tempfile.TemporaryDirectory(prefix="chargebus-fanout-") as tmp:
        for name in args.servers:
            if name in ("distributed", "embedded"):
                for shape in args.shape:
                    root = Path(tmp) / f"{name}-{shape}"
                    root.mkdir()
                    run = run_distributed if name == "distributed" else run_embedded
                    results.append(run(args, root, shape))
            else:
                root = Path(tmp) / name
                root.mkdir()
                results.append(run_peer(name, args, root))
    report(args, results)


if __name__ == "__main__":
    main()
