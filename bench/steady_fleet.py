"""Steady fleet: 10,000 chargers, a heartbeat a minute, a quarter of them
charging with MeterValues a minute; the server's CPU and the fleet's p99.

chargebus runs in the distributed mode (gateway, sessions and commands
services, each its own process, on the private RabbitMQ and Redis of
scripts/with_services.py, SQLite stores), all three pinned to core 0; the
peers are one process each on core 0. The load is `chargebus simulate` in two
processes on core 1: the idle three quarters and the charging quarter.

Once every charger is booted the script waits ``--settle`` s, restarts the
simulators' measurement (SIGUSR1), measures for ``--window`` s, and ends the
simulators (SIGTERM), which then report what they saw in the window.

Usage: .venv/bin/python scripts/with_services.py -- .venv/bin/python bench/steady_fleet.py
           [--count 10000] [--window 120] [--servers chargebus python node]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from fleetlib import (
    PEER_NAMES,
    Simulator,
    api_headers,
    backends,
    cpu_seconds,
    free_port,
    machine_busy,
    rabbitmq_pid,
    redis_pid,
    rss_kib,
    source_args,
    start_peer,
    start_services,
    stop_services,
)
from gateway_saturation import wait_for_port

#: Connecting and booting the fleet must end within this (s).
BOOT_LIMIT = 300.0


def simulators(url: str, count: int, ramp: float, folder: Path) -> list[Simulator]:
    charging = count // 4
    common = ["--heartbeat", "60", "--ramp", str(ramp / 2), "--duration", "3600", "--seed", "1"]
    return [
        Simulator(
            "idle",
            url,
            [
                "--count",
                str(count - charging),
                "--prefix",
                "IDLE-",
                "--scenario",
                "idle",
                *common,
                *source_args(count),
            ],
            folder,
        ),
        Simulator(
            "charging",
            url,
            [
                "--count",
                str(charging),
                "--prefix",
                "CHRG-",
                "--scenario",
                "charging",
                "--meter-interval",
                "60",
                "--session-length",
                "86400",
                *common,
                *source_args(count),
            ],
            folder,
        ),
    ]


def measure(
    name: str, url: str, pids: dict[str, int], args: argparse.Namespace, folder: Path
) -> dict[str, Any]:
    sims = simulators(url, args.count, args.ramp, folder)
    for sim in sims:
        sim.start()
    started = time.monotonic()
    try:
        for sim in sims:
            need = int(sim.args[sim.args.index("--count") + 1])
            took = sim.wait_for(lambda s, n=need: s.get("boots", 0) >= n, BOOT_LIMIT)
            if took is None:
                raise SystemExit(
                    f"{name}: {sim.name} did not boot in {BOOT_LIMIT:.0f}s: {sim.status()}"
                )
        booted = time.monotonic() - started
        time.sleep(args.settle)
        for sim in sims:
            assert sim.proc is not None
            sim.proc.send_signal(signal.SIGUSR1)
        cpu0 = {k: cpu_seconds(p) for k, p in pids.items()}
        busy0, t0 = machine_busy(), time.monotonic()
        time.sleep(args.window)
        cpu1 = {k: cpu_seconds(p) for k, p in pids.items()}
        busy1, t1 = machine_busy(), time.monotonic()
        rss = {k: rss_kib(p) for k, p in pids.items() if k != "RabbitMQ"}
        for sim in sims:
            assert sim.proc is not None
            sim.proc.send_signal(signal.SIGTERM)
        summaries = [sim.finish() for sim in sims]
    finally:
        for sim in sims:
            sim.kill()
    span = t1 - t0
    answered = sum(s["answered"] for s in summaries)
    latencies = sorted(
        (s["latency"]["p99_ms"] or 0.0, s["latency"]["p50_ms"] or 0.0) for s in summaries
    )
    return {
        "name": name,
        "booted_s": booted,
        "msgs": answered,
        "rate": answered / span,
        "cpu": {k: 100 * (cpu1[k] - cpu0[k]) / span for k in pids},
        "machine": 100 * (busy1 - busy0) / span,
        "rss": rss,
        # The worse of the two simulators' percentiles (each over its own messages).
        "p50": max(p50 for _, p50 in latencies),
        "p99": max(p99 for p99, _ in latencies),
        "actions": {a: v for s in summaries for a, v in s["actions"].items()},
        "errors": sum(sum(s["errors"].values()) for s in summaries),
        "timeouts": sum(v["timeouts"] for s in summaries for v in s["actions"].values()),
        "closes": sum(n for s in summaries for code, n in s["closes"].items() if code != "1000"),
    }


def run_chargebus(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    amqp, redis = backends()
    port = free_port()
    services = start_services(root, amqp, redis, port)
    try:
        # The charging quarter's token (the peers accept any token).
        request = urllib.request.Request(
            f"http://127.0.0.1:{services['sessions'].api_port}/v1/id-tokens/SIMTOKEN",
            data=json.dumps({"status": "Accepted"}).encode(),
            headers={"Content-Type": "application/json", **api_headers()},
            method="PUT",
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
            assert response.status in (200, 201), response.status
        pids = {name: s.pid for name, s in services.items()}
        for name, pid in (("RabbitMQ", rabbitmq_pid()), ("Redis", redis_pid(redis))):
            if pid is not None:
                pids[name] = pid
        return measure("chargebus distributed", f"ws://127.0.0.1:{port}/ocpp/", pids, args, root)
    finally:
        stop_services(list(services.values()))


def run_peer(kind: str, args: argparse.Namespace, root: Path) -> dict[str, Any]:
    port = free_port()
    peer = start_peer(kind, port, root / f"{kind}.log")
    try:
        wait_for_port(port, peer)  # type: ignore[arg-type]
        return measure(
            PEER_NAMES[kind], f"ws://127.0.0.1:{port}/ocpp/", {"server": peer.pid}, args, root
        )
    finally:
        peer.terminate()
        peer.wait(15)


def report(args: argparse.Namespace, results: list[dict[str, Any]]) -> None:
    print(
        f"# {args.count} chargers (3/4 idle, 1/4 charging), heartbeat 60 s, MeterValues 60 s; "
        f"{args.window:.0f} s window after {args.settle:.0f} s settling; servers on core 0, "
        f"simulators on core 1; {os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}"
    )
    print(
        f"{'server':<26}{'booted s':>9}{'msg/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'errors':>7}"
        f"{'t/o':>5}{'closed':>7}  CPU % of one core (RSS MiB)"
    )
    for r in results:
        cpu = ", ".join(
            f"{k} {v:.1f}" + (f" ({r['rss'][k] / 1024:.0f})" if k in r["rss"] else "")
            for k, v in r["cpu"].items()
        )
        print(
            f"{r['name']:<26}{r['booted_s']:>9.1f}{r['rate']:>8.0f}{r['p50']:>8.2f}{r['p99']:>8.2f}"
            f"{r['errors']:>7}{r['timeouts']:>5}{r['closes']:>7}  {cpu}; machine {r['machine']:.0f}"
        )
    print()
    print(f"{'p99 ms by action':<26}" + "".join(f"{r['name'][:22]:>24}" for r in results))
    actions = sorted({a for r in results for a in r["actions"]})
    for action in actions:
        cells = []
        for r in results:
            v = r["actions"].get(action)
            cells.append(
                "-" if not v or v["p99_ms"] is None else f"{v['p99_ms']:.2f} (n {v['answered']})"
            )
        print(f"{action:<26}" + "".join(f"{c:>24}" for c in cells))
    ours = next((r for r in results if r["name"].startswith("chargebus")), None)
    if ours is not None:
        gateway = ours["cpu"].get("gateway", 0.0)
        print()
        print(
            f"goal: gateway under 15% of one core ({gateway:.1f}%), p99 under 20 ms "
            f"({ours['p99']:.2f} ms)"
        )
        for r in results:
            if r is ours:
                continue
            server = r["cpu"]["server"]
            cpu_ratio = gateway / server if server else float("nan")
            p99_ratio = ours["p99"] / r["p99"] if r["p99"] else float("nan")
            print(f"chargebus gateway / {r['name']}: CPU {cpu_ratio:.2f}x, p99 {p99_ratio:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--window", type=float, default=120.0)
    parser.add_argument("--settle", type=float, default=10.0)
    parser.add_argument("--ramp", type=float, default=500.0, help="connections a second, in all")
    parser.add_argument(
        "--servers",
        nargs="+",
        default=["chargebus", "python", "node"],
        choices=["chargebus", "python", "node"],
    )
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="chargebus-steady-") as tmp:
        for server in args.servers:
            root = Path(tmp) / server
            root.mkdir()
            if server == "chargebus":
                results.append(run_chargebus(args, root))
                for log in sorted(root.glob("*.log")):
                    pauses = [
                        line
                        for line in log.read_text(errors="replace").splitlines()
                        if "garbage collection" in line
                    ]
                    if pauses:
                        print(f"{log.stem}: {len(pauses)} GC pauses of 100 ms or more, e.g.")
                        print("  " + "\n  ".join(pauses[-3:]))
            else:
                results.append(run_peer(server, args, root))
    report(args, results)


if __name__ == "__main__":
    main()
