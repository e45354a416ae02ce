"""Saturation: 50 chargers sending CALLs back to back (one outstanding each)
against chargebus's gateway and against the peer baseline, in one run.

Servers (each its own process, pinned to core 0; the load to core 1):

* ocpp package (peer): bench/peers/ocpp_csms.py, the ``ocpp`` package's
  ChargePoint with ``@on`` handlers, as its documentation shows;
* chargebus embedded: ``python -m chargebus.gateway`` on the in-memory bus
  (messages are validated, enveloped and queued for the sessions service);
* chargebus distributed: the same against RabbitMQ and Redis, each message
  persisted in a quorum queue and confirmed before the answer.  Runs when
  CHARGEBUS_TEST_AMQP_URL and CHARGEBUS_TEST_REDIS_URL are set (run the
  script under scripts/with_services.py).  RabbitMQ itself is not pinned and
  its CPU is not counted in the gateway's.

Prints messages per second, p50/p99 latency, the server process's CPU per
message (user+system from /proc/<pid>/stat), RabbitMQ's CPU per message in
the distributed mode ("broker us"), and the ratios to the peer.

Usage: .venv/bin/python scripts/with_services.py -- .venv/bin/python bench/gateway_saturation.py
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from messages import MESSAGES

HERE = Path(__file__).resolve().parent
TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def broker_pid() -> int | None:
    """The test RabbitMQ's Erlang VM (its home is in scripts/with_services.py's
    chargebus-services-* folder), to report the broker's CPU per message too."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if b"beam.smp" in cmdline and b"chargebus-services-" in cmdline:
            return int(proc.name)
    return None


def pinned(core: int) -> list[str]:
    """taskset to one core, where there are cores to choose from."""
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        return ["taskset", "-c", str(core)]
    return []


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"server did not listen on {port}")


def servers() -> list[tuple[str, list[str], dict[str, str], bool]]:
    """(name, argv, env, is_chargebus)."""
    out: list[tuple[str, list[str], dict[str, str], bool]] = [
        ("ocpp package (peer)", [sys.executable, str(HERE / "peers" / "ocpp_csms.py")], {}, False),
        ("chargebus embedded", [sys.executable, "-m", "chargebus.gateway"], {}, True),
    ]
    amqp, redis = (
        os.environ.get("CHARGEBUS_TEST_AMQP_URL"),
        os.environ.get("CHARGEBUS_TEST_REDIS_URL"),
    )
    if amqp and redis:
        out.append(
            (
                "chargebus distributed",
                [sys.executable, "-m", "chargebus.gateway"],
                {"CHARGEBUS_AMQP_URL": amqp, "CHARGEBUS_REDIS_URL": redis},
                True,
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--chargers", type=int, default=50)
    args = parser.parse_args()

    results: dict[tuple[str, str], dict[str, float]] = {}
    for name, argv, extra_env, is_chargebus in servers():
        port = free_port()
        env = dict(os.environ, **extra_env)
        env.pop("CHARGEBUS_TEST_AMQP_URL", None)
        if is_chargebus:
            env.update(
                CHARGEBUS_OCPP_PORT=str(port),
                CHARGEBUS_API_PORT=str(free_port()),
                CHARGEBUS_HOST="127.0.0.1",
                CHARGEBUS_LOG_LEVEL="WARNING",
                CHARGEBUS_PING_INTERVAL="0",
            )
            command = argv
        else:
            command = [*argv, "--port", str(port)]
        server = subprocess.Popen([*pinned(0), *command], env=env, cwd=HERE.parent)
        try:
            wait_for_port(port, server)
            time.sleep(0.5)
            broker = broker_pid() if "CHARGEBUS_AMQP_URL" in extra_env else None
            for message in MESSAGES:
                before = cpu_seconds(server.pid)
                broker_before = cpu_seconds(broker) if broker else 0.0
                out = subprocess.run(
                    [
                        *pinned(1),
                        sys.executable,
                        str(HERE / "load.py"),
                        "--url",
                        f"ws://127.0.0.1:{port}/ocpp",
                        "--message",
                        message,
                        "--chargers",
                        str(args.chargers),
                        "--seconds",
                        str(args.seconds),
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                    cwd=HERE,
                ).stdout
                used = cpu_seconds(server.pid) - before
                result = json.loads(out.strip().splitlines()[-1])
                result["cpu_us"] = used / max(result["messages"], 1) * 1e6
                result["broker_us"] = (
                    (cpu_seconds(broker) - broker_before) / max(result["messages"], 1) * 1e6
                    if broker
                    else float("nan")
                )
                results[(name, message)] = result
        finally:
            server.terminate()
            server.wait(10)

    print(
        f"# {args.chargers} chargers, closed loop, {args.seconds:.0f}s per cell, "
        f"server on core 0, load on core 1, {os.cpu_count()} cores"
    )
    print(
        f"{'server':24} {'message':36} {'msg/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'CPU us/msg':>10} {'broker us':>9} {'errors':>6}"
    )
    for (name, message), r in results.items():
        print(
            f"{name:24} {message:36} {r['per_second']:8.0f} {r['p50_ms']:7.2f} {r['p99_ms']:7.2f} "
            f"{r['cpu_us']:10.1f} {r['broker_us']:9.1f} {r['errors']:6.0f}"
        )
    print()
    print(f"{'vs the ocpp package':24} {'message':36} {'msg/s x':>8} {'CPU/msg x better':>17}")
    for (name, message), r in results.items():
        peer = results.get(("ocpp package (peer)", message))
        if peer is None or name.startswith("ocpp package"):
            continue
        print(
            f"{name:24} {message:36} {r['per_second'] / peer['per_second']:8.1f} "
            f"{peer['cpu_us'] / r['cpu_us']:17.1f}"
        )


if __name__ == "__main__":
    main()
