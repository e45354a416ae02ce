"""Idle capacity: resident memory per connected charger.

For each count (--count, 10,000 and 50,000 by default) and each server
(chargebus's gateway in the embedded mode, the ocpp package peer and the
ocpp-rpc peer): starts the server, reads its resident memory, connects the
chargers, each of which sends one Heartbeat and then stays idle, and reads it
again.  Prints KiB per charger and the ratio chargebus / peer.

A process may hold only so many descriptors (20,000 on the development
machine, and it cannot be raised there), one per charger: a count above
MAX_PER_PROCESS is split evenly over several processes of the same server,
each on its own port, all pinned to core 0, and the figure per charger is
(sum of RSS after - sum of RSS before) / connected.  The chargers come from
as many bench/hold.py processes, one per server process, all pinned to core
1, each from source addresses of its own (127.0.0.2, .3, ...; never reused
within a run, so that no address runs short of ephemeral ports while the
previous measurement's sockets sit in TIME_WAIT).  Traffic stays on
127.0.0.0/8.

Usage: .venv/bin/python bench/idle_capacity.py [--count 10000 50000]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from gateway_saturation import PEER, RPC_PEER, free_port, pinned, wait_for_port
from hold import sources
from peers import node

HERE = Path(__file__).resolve().parent
#: Chargers per process (server or load), under the 20,000 descriptors each
#: may hold here, with DESCRIPTORS_SPARE for everything else a process opens.
MAX_PER_PROCESS = 19_000
DESCRIPTORS_SPARE = 1_000
#: Seconds for one load process to connect all of its chargers (hold.py's
#: --deadline), and for everything else after that before it is killed.
CONNECT_DEADLINE = 600.0
GRACE = 120.0
#: Pings every 60 s: chargebus's default, given to ocpp-rpc too (its own
#: default is 30 s); the ocpp package peer sends none.
PING_INTERVAL = 60
#: At most this many KiB per idle charger (the issue).
GOAL_KIB = 20.0
CHARGEBUS = "chargebus embedded"


class Result(NamedTuple):
    processes: int
    connected: int
    failed: int
    before_kib: int
    after_kib: int
    seconds: float

    @property
    def per_charger(self) -> float:
        return (self.after_kib - self.before_kib) / max(self.connected, 1)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def stop(proc: subprocess.Popen[str] | subprocess.Popen[bytes], timeout: float = 30) -> None:
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def chargebus_server(port: int) -> tuple[list[str], dict[str, str]]:
    env = dict(
        os.environ,
        CHARGEBUS_OCPP_PORT=str(port),
        CHARGEBUS_API_PORT=str(free_port()),
        CHARGEBUS_HOST="127.0.0.1",
        CHARGEBUS_LOG_LEVEL="WARNING",
        # No sessions service runs to accept boots or to write the
        # registration states; required, the gateway would log a warning per
        # charger and let it talk anyway.
        CHARGEBUS_REGISTRATION_REQUIRED="false",
    )
    for name in ("CHARGEBUS_AMQP_URL", "CHARGEBUS_REDIS_URL", "CHARGEBUS_MONGODB_URL"):
        env.pop(name, None)
    return [sys.executable, "-m", "chargebus.gateway"], env


def ocpp_package_server(port: int) -> tuple[list[str], dict[str, str]]:
    argv = [sys.executable, str(HERE / "peers" / "ocpp_csms.py"), "--port", str(port)]
    return argv, dict(os.environ)


def ocpp_rpc_server(port: int) -> tuple[list[str], dict[str, str]]:
    return [*node.command(ping_interval=PING_INTERVAL), "--port", str(port)], dict(os.environ)


#: name -> how to start one of its processes on a port: (argv, environment).
SERVERS: dict[str, Callable[[int], tuple[list[str], dict[str, str]]]] = {
    CHARGEBUS: chargebus_server,
    PEER: ocpp_package_server,
    RPC_PEER: ocpp_rpc_server,
}


def split(count: int) -> list[int]:
    """``count`` chargers over as few processes as MAX_PER_PROCESS allows,
    evenly (50,000: 16,667 + 16,667 + 16,666)."""
    processes = -(-count // MAX_PER_PROCESS)
    return [count // processes + (1 if i < count % processes else 0) for i in range(processes)]


def measure(
    start: Callable[[int], tuple[list[str], dict[str, str]]], count: int, first_source: int
) -> Result:
    """``count`` chargers on ``start``'s processes, from 127.0.0.<first_source>
    on (as many addresses as ``addresses(count)``)."""
    shares = split(count)
    ports = [free_port() for _ in shares]
    servers: list[subprocess.Popen[bytes]] = []
    holders: list[subprocess.Popen[str]] = []
    try:
        for port in ports:
            argv, env = start(port)
            servers.append(
                subprocess.Popen(
                    [*pinned(0), *argv], env=env, cwd=HERE.parent, stdout=subprocess.DEVNULL
                )
            )
        for port, server in zip(ports, servers, strict=True):
            wait_for_port(port, server)
        time.sleep(1.0)
        before = sum(rss_kib(server.pid) for server in servers)
        started = time.monotonic()
        first = first_source
        for port, share in zip(ports, shares, strict=True):
            holders.append(
                subprocess.Popen(
                    [
                        *pinned(1),
                        sys.executable,
                        str(HERE / "hold.py"),
                        *("--url", f"ws://127.0.0.1:{port}/ocpp"),
                        *("--count", str(share)),
                        *("--first-source", str(first)),
                        *("--deadline", str(CONNECT_DEADLINE)),
                    ],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                    cwd=HERE,
                )
            )
            first += sources(share)
        # hold.py gives up on its own after CONNECT_DEADLINE; this is in case
        # it hangs anyway.
        watchdog = threading.Timer(CONNECT_DEADLINE + GRACE, kill_all, [holders])
        watchdog.start()
        try:
            connected = failed = 0
            for holder in holders:
                assert holder.stdout is not None
                line = holder.stdout.readline().split()
                if len(line) != 3 or line[0] != "ready":
                    sys.exit(f"hold.py failed ({holder.poll()}): {' '.join(line)!r}")
                connected, failed = connected + int(line[1]), failed + int(line[2])
            took = time.monotonic() - started
            time.sleep(2.0)
            for server in servers:
                if server.poll() is not None:
                    sys.exit(f"a server process exited with {server.returncode} under load")
            after = sum(rss_kib(server.pid) for server in servers)
        finally:
            watchdog.cancel()
        return Result(len(servers), connected, failed, before, after, took)
    finally:
        # The servers first: chargers that vanish under it make the ocpp
        # package peer log a traceback each.
        for server in servers:
            stop(server)
        for holder in holders:
            if holder.stdin is not None:
                holder.stdin.close()
            try:
                holder.wait(60)
            except subprocess.TimeoutExpired:
                holder.kill()
                holder.wait()


def addresses(count: int) -> int:
    """How many source addresses ``count`` chargers take, over their load
    processes."""
    return sum(sources(share) for share in split(count))


def kill_all(processes: list[subprocess.Popen[str]]) -> None:
    for proc in processes:
        proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--count",
        type=int,
        nargs="+",
        action="extend",
        help="idle chargers per server, one table each (default: 10000 50000)",
    )
    parser.add_argument(
        "--servers",
        nargs="+",
        choices=list(SERVERS),
        default=list(SERVERS),
        help="which servers to measure (chargebus first for the ratios)",
    )
    args = parser.parse_args()
    counts: list[int] = args.count or [10_000, 50_000]
    if min(counts) < 1:
        sys.exit("--count must be at least 1")
    needed = len(args.servers) * sum(addresses(count) for count in counts)
    if needed > 253:
        sys.exit(f"those counts need {needed} source addresses; 127.0.0.2-254 has 253")
    # Each process holds one descriptor per charger; the hard limit is what
    # the machine allows (20,000 on the development machine), and the
    # processes started here inherit the soft limit.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = MAX_PER_PROCESS + DESCRIPTORS_SPARE
    if hard != resource.RLIM_INFINITY and wanted > hard:
        sys.exit(
            f"{MAX_PER_PROCESS} chargers per process need {wanted} descriptors; the limit is "
            f"{hard} (lower MAX_PER_PROCESS in {Path(__file__).name})"
        )
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))
    source = 2  # the next 127.0.0.x; none is used twice in a run
    for count in counts:
        shares = split(count)
        print(
            f"# {count} idle chargers (one Heartbeat each) per server, in {len(shares)} "
            f"process(es) of up to {max(shares)} (at most {MAX_PER_PROCESS} per process: "
            f"descriptor limit {hard}), servers on core 0, load on core 1, "
            f"{os.cpu_count()} cores; pings every {PING_INTERVAL} s (chargebus, ocpp-rpc), "
            "none (ocpp package)"
        )
        print(
            "# KiB/charger = (sum of the server processes' RSS after - sum before) / connected;"
            f" ratio = chargebus's KiB/charger over the peer's; goal: chargebus at most "
            f"{GOAL_KIB:g} KiB per idle charger"
        )
        print(
            f"{'server':24} {'processes':>9} {'connected':>9} {'failed':>7} {'RSS MiB':>10} "
            f"{'after MiB':>10} {'KiB/charger':>12} {'connect s':>9} {'chargebus/peer':>14}"
        )
        results: dict[str, Result] = {}
        for name in args.servers:
            r = results[name] = measure(SERVERS[name], count, source)
            source += addresses(count)
            ours = results.get(CHARGEBUS)
            ratio = (
                f"{ours.per_charger / r.per_charger:14.2f}"
                if ours is not None and name != CHARGEBUS and r.per_charger > 0
                else f"{'-':>14}"
            )
            print(
                f"{name:24} {r.processes:9d} {r.connected:9d} {r.failed:7d} "
                f"{r.before_kib / 1024:10.1f} {r.after_kib / 1024:10.1f} "
                f"{r.per_charger:12.1f} {r.seconds:9.1f} {ratio}",
                flush=True,
            )
        ours = results.get(CHARGEBUS)
        if ours is not None:
            verdict = "met" if ours.per_charger <= GOAL_KIB else "missed"
            print(
                f"goal: chargebus embedded {ours.per_charger:.1f} KiB per idle charger, "
                f"at most {GOAL_KIB:g}: {verdict}"
            )
        print()


if __name__ == "__main__":
    main()
