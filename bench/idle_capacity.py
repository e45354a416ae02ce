"""Idle capacity: resident memory per connected charger.

Starts the server (chargebus's gateway in the embedded mode, and the ocpp
package peer), reads its resident memory, connects N chargers that each send
one Heartbeat and then stay idle, and reads it again.  Prints KiB per charger.

Usage: .venv/bin/python bench/idle_capacity.py [--count 10000]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from gateway_saturation import free_port, pinned, wait_for_port

HERE = Path(__file__).resolve().parent


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def measure(name: str, command: list[str], env: dict[str, str], port: int, count: int) -> None:
    server = subprocess.Popen(
        [*pinned(0), *command], env=env, cwd=HERE.parent, stdout=subprocess.DEVNULL
    )
    try:
        wait_for_port(port, server)
        time.sleep(1.0)
        before = rss_kib(server.pid)
        holder = subprocess.Popen(
            [
                *pinned(1),
                sys.executable,
                str(HERE / "hold.py"),
                "--url",
                f"ws://127.0.0.1:{port}/ocpp",
                "--count",
                str(count),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=HERE,
        )
        assert holder.stdout is not None and holder.stdin is not None
        started = time.monotonic()
        line = holder.stdout.readline().split()
        took = time.monotonic() - started
        connected, failed = int(line[1]), int(line[2])
        time.sleep(2.0)
        after = rss_kib(server.pid)
        holder.stdin.close()
        holder.wait(60)
        per = (after - before) / max(connected, 1)
        print(
            f"{name:24} {connected:9d} {failed:7d} {before / 1024:10.1f} {after / 1024:10.1f} "
            f"{per:12.1f} {took:9.1f}"
        )
    finally:
        server.terminate()
        server.wait(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    # Each process holds one descriptor per charger; the hard limit here is
    # what the machine allows (20,000 on the development machine).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = args.count + 1000
    if hard != resource.RLIM_INFINITY and wanted > hard:
        sys.exit(
            f"{args.count} chargers need {wanted} descriptors per process; the limit is {hard}"
        )
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))
    print(
        f"# {args.count} idle chargers (one Heartbeat each), ping interval 60 s, "
        f"{os.cpu_count()} cores"
    )
    print(
        f"{'server':24} {'connected':>9} {'failed':>7} {'RSS MiB':>10} {'after MiB':>10} "
        f"{'KiB/charger':>12} {'connect s':>9}"
    )
    port = free_port()
    env = dict(
        os.environ,
        CHARGEBUS_OCPP_PORT=str(port),
        CHARGEBUS_API_PORT=str(free_port()),
        CHARGEBUS_HOST="127.0.0.1",
        CHARGEBUS_LOG_LEVEL="WARNING",
    )
    env.pop("CHARGEBUS_AMQP_URL", None)
    env.pop("CHARGEBUS_REDIS_URL", None)
    measure(
        "chargebus embedded", [sys.executable, "-m", "chargebus.gateway"], env, port, args.count
    )
    port = free_port()
    measure(
        "ocpp package (peer)",
        [sys.executable, str(HERE / "peers" / "ocpp_csms.py"), "--port", str(port)],
        dict(os.environ),
        port,
        args.count,
    )


if __name__ == "__main__":
    main()
