"""Reconnect storm: 10,000 chargers connected, the server is killed (-9)
and started again; every charger reconnects (at once, or spread over 10 s),
boots again and sends its StatusNotification. How long until all are back
and (chargebus) stored?

chargebus runs in the distributed mode (gateway, sessions and commands
services, each its own process, on the private RabbitMQ and Redis of
scripts/with_services.py, SQLite stores), pinned to core 0; only the gateway
is restarted. The peers are one process each on core 0, restarted whole.
The load is `chargebus simulate` on core 1 (`--boot-on-reconnect`,
`--reconnect-spread 0` or `10`: a charger whose connection was closed tries
again at once or within 10 s, then every 0.5 to 1 s while refused).

Times are from the moment the restarted server listens again (how long
that took after the kill is the "restart" column). Chargers tried again
about every second while refused, so they come back within a second of it
(at once) or as their spread runs out. "stored" is the sessions service's count of
StatusNotifications processed (``chargebus_sessions_messages_total``)
reaching the number of chargers since the kill; the peers store nothing,
so theirs is the answers.

Usage: .venv/bin/python scripts/with_services.py -- .venv/bin/python bench/reconnect_storm.py
           [--count 10000] [--spreads 0 10] [--servers chargebus python node]
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fleetlib import (
    PEER_NAMES,
    Simulator,
    backends,
    cpu_seconds,
    free_port,
    metric,
    pinned,
    py_spy,
    service_env,
    source_args,
    spy,
    start_peer,
    start_services,
    stop_services,
    unspy,
)
from gateway_saturation import wait_for_port

BOOT_LIMIT = 300.0
#: After the kill, give up waiting after this long (s).
STORM_LIMIT = 120.0


class Server:
    """What a storm needs of a server: kill it, start it again, and how
    many StatusNotifications it has stored (or answered)."""

    name: str
    url: str
    #: Its stored count is the restarted process's own.
    counts_restart = False

    def kill_and_restart(self) -> None: ...
    def stored(self) -> float | None:
        return None

    def profile(self, folder: Path, tag: str) -> list[subprocess.Popen[bytes]]:
        return spy(self.pids(), folder, tag)

    def pids(self) -> dict[str, int]:
        return {}

    def cpu(self) -> dict[str, float]: ...
    def stop(self) -> None: ...


class Chargebus(Server):
    def __init__(self, root: Path) -> None:
        amqp, redis = backends()
        self.name = "chargebus distributed"
        self.port = free_port()
        self.url = f"ws://127.0.0.1:{self.port}/ocpp/"
        self.base = service_env(amqp, redis)
        self.services = start_services(root, amqp, redis, self.port)

    def kill_and_restart(self) -> None:
        gateway = self.services["gateway"]
        assert gateway.proc is not None
        gateway.proc.kill()
        gateway.proc.wait()
        gateway.start(self.base)
        wait_for_port(self.port, gateway.proc, 60)  # type: ignore[arg-type]

    def stored(self) -> float:
        return metric(
            self.services["sessions"].api_port,
            "chargebus_sessions_messages_total",
            action="StatusNotification",
        )

    def cpu(self) -> dict[str, float]:
        return {name: cpu_seconds(s.pid) for name, s in self.services.items()}

    def pids(self) -> dict[str, int]:
        return {name: s.pid for name, s in self.services.items()}

    def stop(self) -> None:
        stop_services(list(self.services.values()))


class Embedded(Server):
    """``chargebus run``: the whole CSMS in one process, SQLite in ``root``;
    the restart is the whole process's."""

    def __init__(self, root: Path) -> None:
        self.name = "chargebus embedded"
        self.counts_restart = True
        self.root = root
        self.port, self.api_port = free_port(), free_port()
        self.url = f"ws://127.0.0.1:{self.port}/ocpp/"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("CHARGEBUS_")}
        self.env.update(CHARGEBUS_UNKNOWN_CHARGERS="accept", CHARGEBUS_LOG_LEVEL="WARNING")
        self.proc = self._start()

    def _start(self) -> subprocess.Popen[bytes]:
        argv = [
            *pinned(0),
            str(Path(sys.executable).parent / "chargebus"),
            "run",
            *("--host", "127.0.0.1", "--ocpp-port", str(self.port)),
            *("--api-port", str(self.api_port), "--data-dir", str(self.root / "data")),
        ]
        with open(self.root / "embedded.log", "ab") as log:
            proc = subprocess.Popen(
                argv, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        wait_for_port(self.port, proc, 60)  # type: ignore[arg-type]
        return proc

    def kill_and_restart(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.proc = self._start()

    def stored(self) -> float:
        return metric(
            self.api_port, "chargebus_sessions_messages_total", action="StatusNotification"
        )

    def cpu(self) -> dict[str, float]:
        return {"server": cpu_seconds(self.proc.pid)}

    def pids(self) -> dict[str, int]:
        return {"embedded": self.proc.pid}

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)


class Peer(Server):
    def __init__(self, kind: str, root: Path) -> None:
        self.kind, self.root = kind, root
        self.name = PEER_NAMES[kind]
        self.port = free_port()
        self.url = f"ws://127.0.0.1:{self.port}/ocpp/"
        self.proc = self._start()

    def _start(self) -> subprocess.Popen[bytes]:
        proc = start_peer(self.kind, self.port, self.root / f"{self.kind}.log")
        wait_for_port(self.port, proc, 60)  # type: ignore[arg-type]
        return proc

    def kill_and_restart(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.proc = self._start()

    def cpu(self) -> dict[str, float]:
        return {"server": cpu_seconds(self.proc.pid)}

    def pids(self) -> dict[str, int]:
        return {self.kind: self.proc.pid}

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(15)


def until(check: Callable[[], bool], started: float) -> float | None:
    while time.monotonic() - started < STORM_LIMIT:
        if check():
            return time.monotonic() - started
        time.sleep(0.1)
    return None


def storm(server: Server, spread: float, args: argparse.Namespace, root: Path) -> dict[str, Any]:
    sim = Simulator(
        f"storm-{spread:g}",
        server.url,
        [
            "--count",
            str(args.count),
            "--prefix",
            "STORM-",
            "--scenario",
            "idle",
            "--heartbeat",
            "300",
            "--ramp",
            str(args.ramp),
            "--duration",
            "3600",
            "--boot-on-reconnect",
            "--reconnect-spread",
            str(spread),
            "--seed",
            "1",
            *source_args(args.count),
        ],
        root,
    )
    sim.start()
    try:
        if sim.wait_for(lambda s: s.get("boots", 0) >= args.count, BOOT_LIMIT) is None:
            raise SystemExit(f"{server.name}: not booted in {BOOT_LIMIT:.0f}s: {sim.status()}")
        time.sleep(2.0)
        before = sim.status()
        stored0 = server.stored()
        assert sim.proc is not None
        sim.proc.send_signal(signal.SIGUSR1)  # count this storm's messages only
        killed = time.monotonic()
        server.kill_and_restart()
        if server.counts_restart:  # its count starts again at 0
            stored0 = 0.0
        listening = time.monotonic()
        restarted = listening - killed
        cpu0 = server.cpu()
        sim_cpu0 = cpu_seconds(sim.proc.pid)
        spies = server.profile(args.profile, f"{spread:g}") if args.profile else []

        def back(s: dict[str, Any]) -> bool:
            return s.get("boots", 0) >= before["boots"] + args.count

        def answered(s: dict[str, Any]) -> bool:
            return s.get("answered", {}).get("StatusNotification", 0) >= args.count

        times: dict[str, float | None] = {}
        times["connected"] = until(
            lambda: sim.status().get("reconnects", 0) >= before["reconnects"] + args.count,
            listening,
        )
        times["booted"] = until(lambda: back(sim.status()), listening)
        times["answered"] = until(lambda: answered(sim.status()), listening)
        if stored0 is not None:
            times["stored"] = until(
                lambda: (server.stored() or 0) - stored0 >= args.count, listening
            )
        else:
            times["stored"] = times["answered"]
        if None in times.values():
            print(
                f"{server.name}, spread {spread:g}: not all back within {STORM_LIMIT:.0f}s; "
                f"before {before}, now {sim.status()}",
                file=sys.stderr,
            )
            states = subprocess.run(["ss", "-tan"], capture_output=True, text=True).stdout
            print(Counter(line.split()[0] for line in states.splitlines()[1:]), file=sys.stderr)
        cpu = {k: v - cpu0.get(k, 0.0) for k, v in server.cpu().items()}
        sim_cpu = cpu_seconds(sim.proc.pid) - sim_cpu0
        done = max((t for t in times.values() if t is not None), default=0.0)
        unspy(spies)
        sim.proc.send_signal(signal.SIGTERM)
        summary = sim.finish()
    finally:
        sim.kill()
    actions = summary["actions"]
    return {
        "name": server.name,
        "spread": spread,
        "restart_s": restarted,
        "times": times,
        "cpu_s": cpu,
        # The load's own CPU over the storm, in % of its core: near 100, it
        # and not the server set the pace.
        "sim_busy": 100 * sim_cpu / done if done else float("nan"),
        "errors": sum(summary["errors"].values()) + sum(summary["invalid"].values()),
        "timeouts": sum(v["timeouts"] for v in actions.values()),
        "refused": sum(summary["refused"].values()),
        "refused_by": summary["refused"],
        "boot_p99": (actions.get("BootNotification") or {}).get("p99_ms"),
        "status_p99": (actions.get("StatusNotification") or {}).get("p99_ms"),
    }


def report(args: argparse.Namespace, results: list[dict[str, Any]]) -> None:
    print(
        f"# {args.count} chargers killed off their server and back: booted again, one "
        f"StatusNotification each; server on core 0, simulator on core 1; {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}; seconds from the restart"
    )
    print(
        f"{'server':<26}{'spread':>7}{'restart':>8}{'conn.':>7}{'booted':>7}{'status':>7}"
        f"{'stored':>7}{'errors':>7}{'t/o':>5}{'refused':>8}{'boot p99':>9}"
        f"{'stat p99':>9}{'CPU s':>7}{'load':>7}"
    )

    def s(v: float | None) -> str:
        return "-" if v is None else f"{v:.1f}"

    for r in results:
        t = r["times"]
        print(
            f"{r['name']:<26}{r['spread']:>6g}s{r['restart_s']:>8.1f}{s(t['connected']):>7}"
            f"{s(t['booted']):>7}{s(t['answered']):>7}{s(t['stored']):>7}{r['errors']:>7}"
            f"{r['timeouts']:>5}{r['refused']:>8}{s(r['boot_p99'] and r['boot_p99'] / 1000):>9}"
            f"{s(r['status_p99'] and r['status_p99'] / 1000):>9}"
            f"{sum(r['cpu_s'].values()):>7.1f}{r['sim_busy']:>6.0f}%"
            + (
                "  (" + ", ".join(f"{k} {v:.1f}" for k, v in r["cpu_s"].items()) + ")"
                if len(r["cpu_s"]) > 1
                else ""
            )
        )
    for r in results:
        if r["refused_by"]:
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(r["refused_by"].items()))
            print(f"  refused, {r['name']} spread {r['spread']:g}s: {kinds}")
    print(
        "goal: all booted and their StatusNotifications stored within 15 s of the restart "
        "(restart: from the kill until it listens again), "
        "zero errors (p99 columns in seconds; 'refused' counts connection attempts refused "
        "while the server was down)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--spreads", type=float, nargs="+", default=[0.0, 10.0])
    parser.add_argument("--ramp", type=float, default=500.0)
    parser.add_argument(
        "--profile", type=Path, help="py-spy the servers through each storm, stacks to this folder"
    )
    parser.add_argument(
        "--servers",
        nargs="+",
        default=["embedded", "chargebus", "python", "node"],
        choices=["embedded", "chargebus", "python", "node"],
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the servers' logs and data (the path is printed)"
    )
    args = parser.parse_args()
    if args.profile:
        py_spy()  # before anything starts: stops with how to get it
    results = []
    with tempfile.TemporaryDirectory(prefix="chargebus-storm-") as tmp:
        if args.keep:
            tmp = tempfile.mkdtemp(prefix="chargebus-storm-")
            print(f"servers' logs and data in {tmp}", file=sys.stderr)
        for name in args.servers:
            root = Path(tmp) / name
            root.mkdir()
            server: Server = (
                Chargebus(root)
                if name == "chargebus"
                else Embedded(root)
                if name == "embedded"
                else Peer(name, root)
            )
            try:
                for spread in args.spreads:
                    results.append(storm(server, spread, args, root))
            finally:
                server.stop()
    report(args, results)


if __name__ == "__main__":
    main()
