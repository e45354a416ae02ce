"""Back-pressure: 5% of the chargers stop reading their socket and keep
sending; does the server's memory stay bounded, and are the others
unaffected?

For each server (chargebus embedded: ``chargebus run``; the peers), on core
0, two runs of ``--window`` s with `chargebus simulate` on core 1:

1. baseline: ``--count`` chargers (1.6, idle) with a Heartbeat every
   ``--heartbeat`` s;
2. the same chargers, plus 5% more that stop reading once booted (with a
   4 KiB receive buffer) and keep sending Heartbeats at ``--stall-rate``
   each (100/s: five times chargebus's per-charger limit, ten times the
   others' traffic in all), without reading a single answer: a server that
   applies back-pressure stops reading them (over its limit, or once its
   answers fill their sockets), and their sends wait.

``--stall-rate 0`` sends as fast as the sockets take them.  That measures
the load core more than the server: the flooding simulator then takes
three quarters of core 1 (millions of frames into the kernel's buffers,
which on loopback grow to tens of MiB per socket), and the simulator timing
the others' answers gets the rest, so their latency rises for every server
alike.  The table prints both cores' use so that this shows.

The server's resident memory is sampled every second; "growth" is the
change over the second half of the run (bounded memory stops growing), and
the others' answered rate and latency are compared with the baseline's.

Usage: .venv/bin/python bench/backpressure.py [--count 2000] [--window 40] [--stall-rate 100]
           [--servers embedded python node]
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from fleetlib import PEER_NAMES, Simulator, free_port, pinned, rss_kib, start_peer
from gateway_saturation import cpu_seconds, wait_for_port

BOOT_LIMIT = 120.0


class Sampler:
    """The server's RSS (KiB) every second, in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.values: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            try:
                self.values.append(rss_kib(self.pid))
            except (OSError, RuntimeError):
                return

    def stop(self) -> list[int]:
        self._stop.set()
        self._thread.join()
        return self.values


def start_server(kind: str, port: int, root: Path) -> subprocess.Popen[bytes]:
    if kind != "embedded":
        return start_peer(kind, port, root / f"{kind}.log")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARGEBUS_")}
    env.update(CHARGEBUS_UNKNOWN_CHARGERS="accept", CHARGEBUS_LOG_LEVEL="WARNING")
    argv = [
        *pinned(0),
        str(Path(sys.executable).parent / "chargebus"),
        "run",
        *("--host", "127.0.0.1", "--ocpp-port", str(port)),
        *("--api-port", str(free_port()), "--data-dir", str(root / "data")),
    ]
    with open(root / "embedded.log", "ab") as log:
        return subprocess.Popen(
            argv, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )


def one_run(
    url: str, pid: int, args: argparse.Namespace, root: Path, *, stalled: int
) -> dict[str, Any]:
    common = ["--scenario", "idle", "--ramp", "1000", "--seed", "1", "--source", "127.0.0.2"]
    others = Simulator(
        f"others-{stalled}",
        url,
        [
            "--count",
            str(args.count),
            "--prefix",
            "BP-",
            "--heartbeat",
            str(args.heartbeat),
            "--duration",
            "3600",
            *common,
        ],
        root,
    )
    stuck = Simulator(
        "stalled",
        url,
        [
            "--count",
            str(stalled),
            "--prefix",
            "STUCK-",
            "--heartbeat",
            "300",
            "--stall",
            "1",
            "--stall-rate",
            str(args.stall_rate),
            "--duration",
            "3600",
            *common,
        ],
        root,
    )
    sims = [others] + ([stuck] if stalled else [])
    for sim in sims:
        sim.start()
    try:
        for sim, need in ((others, args.count), (stuck, stalled)):
            if (
                sim in sims
                and sim.wait_for(lambda s, n=need: s.get("boots", 0) >= n, BOOT_LIMIT) is None
            ):
                raise SystemExit(f"{sim.name}: not booted in {BOOT_LIMIT:.0f}s: {sim.status()}")
        for sim in sims:
            sim.proc.send_signal(signal.SIGUSR1)  # type: ignore[union-attr]
        before = rss_kib(pid)
        pids = [pid] + [sim.proc.pid for sim in sims]  # type: ignore[union-attr]
        cpu_before = [cpu_seconds(p) for p in pids]
        sampler = Sampler(pid)
        time.sleep(args.window)
        samples = sampler.stop()
        cpu = [cpu_seconds(p) - c for p, c in zip(pids, cpu_before, strict=True)]
        for sim in sims:
            sim.proc.send_signal(signal.SIGTERM)  # type: ignore[union-attr]
        summaries = [sim.finish() for sim in sims]
    finally:
        for sim in sims:
            sim.kill()
    mine = summaries[0]
    half = samples[len(samples) // 2] if samples else before
    beats = mine["actions"].get("Heartbeat", {})
    return {
        "stalled": stalled,
        "rss_start": before,
        "rss_max": max(samples, default=before),
        "rss_end": samples[-1] if samples else before,
        "growth": (samples[-1] - half) if samples else 0,
        "rate": beats.get("answered", 0) / args.window,
        "p50": beats.get("p50_ms"),
        "p99": beats.get("p99_ms"),
        "timeouts": sum(v["timeouts"] for v in mine["actions"].values()),
        "errors": sum(mine["errors"].values()),
        "server_cpu": cpu[0] / args.window,
        "load_cpu": sum(cpu[1:]) / args.window,
        "stalled_sent": summaries[1]["stalled_sent"] if stalled else 0,
        "stalled_closes": summaries[1]["closes"] if stalled else {},
    }


def measure(kind: str, args: argparse.Namespace, root: Path) -> list[dict[str, Any]]:
    port = free_port()
    server = start_server(kind, port, root)
    try:
        wait_for_port(port, server, 60)  # type: ignore[arg-type]
        url = f"ws://127.0.0.1:{port}/ocpp/"
        name = "chargebus embedded" if kind == "embedded" else PEER_NAMES[kind]
        runs = []
        for stalled in (0, max(1, round(args.count * 0.05))):
            runs.append({"name": name, **one_run(url, server.pid, args, root, stalled=stalled)})
        return runs
    finally:
        server.terminate()
        server.wait(30)


def report(args: argparse.Namespace, results: list[dict[str, Any]]) -> None:
    rate = f"{args.stall_rate:g}/s each" if args.stall_rate > 0 else "as fast as they can"
    print(
        f"# {args.count} chargers with a Heartbeat every {args.heartbeat:g} s, then the same "
        f"plus 5% that stop reading and send Heartbeats {rate}; "
        f"{args.window:g} s windows; server on core 0, chargers on core 1; {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}"
    )
    print(
        f"{'server':<26}{'stalled':>8}{'RSS MiB':>8}{'max':>7}{'end':>7}{'growth 2nd half':>16}"
        f"{'others/s':>9}{'p50 ms':>8}{'p99 ms':>8}{'t/o':>5}{'err':>5}{'server':>7}{'load':>6}"
        "  stalled sent, closed"
    )

    def ms(v: float | None) -> str:
        return "-" if v is None else f"{v:.2f}"

    for r in results:
        closes = ", ".join(f"{k}: {n}" for k, n in sorted(r["stalled_closes"].items()))
        print(
            f"{r['name']:<26}{r['stalled']:>8}{r['rss_start'] / 1024:>8.1f}"
            f"{r['rss_max'] / 1024:>7.1f}"
            f"{r['rss_end'] / 1024:>7.1f}{r['growth'] / 1024:>13.1f} MiB{r['rate']:>9.0f}"
            f"{ms(r['p50']):>8}{ms(r['p99']):>8}{r['timeouts']:>5}{r['errors']:>5}"
            f"{r['server_cpu']:>7.0%}{r['load_cpu']:>6.0%}  "
            f"{r['stalled_sent'] if r['stalled'] else '-'}" + (f" ({closes})" if closes else "")
        )
    print("server, load: the server's CPU (core 0) and the simulators' (core 1), share of one core")
    print(
        "goal: memory bounded (no growth once the stalled sockets are full), the others unaffected"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--window", type=float, default=40.0)
    parser.add_argument("--heartbeat", type=float, default=2.0)
    parser.add_argument(
        "--stall-rate",
        type=float,
        default=100.0,
        help="each stalled charger's; 0: as fast as it can",
    )
    parser.add_argument(
        "--servers",
        nargs="+",
        default=["embedded", "python", "node"],
        choices=["embedded", "python", "node"],
    )
    args = parser.parse_args()
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="chargebus-backpressure-") as tmp:
        for kind in args.servers:
            root = Path(tmp) / kind
            root.mkdir()
            results += measure(kind, args, root)
    report(args, results)


if __name__ == "__main__":
    main()
