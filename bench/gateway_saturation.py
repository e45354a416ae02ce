"""Saturation: 50 chargers sending CALLs back to back (one outstanding each)
against chargebus's gateway and against the two peers, in one run.

Servers (each its own process, pinned to core 0; the load to core 1), chosen
with --modes (all by default):

* peer, "ocpp package (peer)": bench/peers/ocpp_csms.py, the ``ocpp``
  package's ChargePoint with ``@on`` handlers, as its documentation shows;
* ocpp-rpc, "ocpp-rpc (Node peer)": bench/peers/ocpp_rpc_csms.js, a central
  system on ocpp-rpc 2.2.1 (Node) with strictMode (requests and answers
  validated against the OCPP schemas), as its README shows; installed with
  ``npm ci`` in bench/peers when node_modules is missing or stale
  (bench/peers/node.py), no pings;
* embedded, "chargebus embedded": ``python -m chargebus.gateway`` on the
  in-memory bus (messages are validated, enveloped and queued for the
  sessions service), through bench/gateway_alone.py, which lifts the
  in-memory queue's bound since nothing consumes the queue;
* distributed, "chargebus distributed": the same against RabbitMQ and Redis,
  each message persisted in a quorum queue and confirmed before the answer.
  Runs when CHARGEBUS_TEST_AMQP_URL and CHARGEBUS_TEST_REDIS_URL are set (run
  the script under scripts/with_services.py).  RabbitMQ itself is not pinned
  and its CPU is not counted in the gateway's;
* all-in-one, "chargebus all-in-one": ``chargebus run``, the whole CSMS in one
  process (the gateway and the sessions service, which stores every message
  in SQLite in a fresh temporary data directory).  Each charger boots first
  (unknown chargers are accepted in this mode), then MeterValues and
  TransactionEvent run as in the other modes.

The gateway alone has no sessions service to accept boots, so the embedded
and distributed modes run with CHARGEBUS_REGISTRATION_REQUIRED=false.

Prints messages per second (CALLRESULTs only: any other answer is an error),
p50/p99 latency, the server process's CPU per message (user+system of all
its threads from /proc/<pid>/stat over the timed window), RabbitMQ's CPU per
message in the distributed mode ("broker us"), and the ratios to the peers:
CPU per message as server / peer (the goal for chargebus embedded: at most
0.1 of the ocpp package's and 1.5 of ocpp-rpc's) and messages per second.
For the all-in-one mode it then polls /metrics (at most DRAIN_LIMIT s) until the
sessions service has stored what was answered, or its count stops growing,
and prints how far the store kept up: messages stored per second over the
window and that drain, the backlog left when the window ended, and the drain
time.  Its CPU per message covers the window and the drain: that is what
storing costs.

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
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from peers import node

from messages import MESSAGES

HERE = Path(__file__).resolve().parent
TICK = os.sysconf("SC_CLK_TCK")
MODES = ("peer", "ocpp-rpc", "embedded", "distributed", "all-in-one")
PEER = "ocpp package (peer)"
RPC_PEER = "ocpp-rpc (Node peer)"
#: chargebus embedded's CPU per message over each peer's, at most (the issue).
GOALS = {PEER: 0.1, RPC_PEER: 1.5}
#: What the all-in-one mode sends: what the sessions service stores.
STORED = ("1.6 MeterValues (4 samples)", "2.0.1 TransactionEvent (4 samples)")
#: The all-in-one drain: poll /metrics every POLL s until every answered
#: message is stored, its count has not grown for STALL s, or DRAIN_LIMIT s.
POLL = 0.2
STALL = 3.0
DRAIN_LIMIT = 30.0
#: The chargebus modes' environment variables that would change the mode.
EXTERNAL = ("CHARGEBUS_AMQP_URL", "CHARGEBUS_REDIS_URL", "CHARGEBUS_MONGODB_URL")


class Server(NamedTuple):
    mode: str
    name: str
    argv: list[str]
    env: dict[str, str]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def process_pid(match: Callable[[bytes], bool]) -> int | None:
    """The first process whose command line ``match`` accepts."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if match(cmdline):
            return int(proc.name)
    return None


def broker_pid() -> int | None:
    """The test RabbitMQ's Erlang VM (its home is in scripts/with_services.py's
    chargebus-services-* folder), to report the broker's CPU per message too."""
    return process_pid(lambda c: b"beam.smp" in c and b"chargebus-services-" in c)


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


def stored(api_port: int, action: str) -> float:
    """``chargebus_sessions_messages_total`` for ``action``, all versions."""
    url = f"http://127.0.0.1:{api_port}/metrics"
    with urllib.request.urlopen(url, timeout=5) as response:  # loopback only
        text = response.read().decode()
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("chargebus_sessions_messages_total{") and f'action="{action}"' in line
    )


def drain(api_port: int, action: str, target: float, pid: int) -> tuple[float, float, float, float]:
    """Poll until ``target`` messages are stored, the count stops growing for
    STALL s, or DRAIN_LIMIT s.  Returns the count at the first poll, the last
    count, and the monotonic time and server CPU seconds when it was reached."""
    deadline = time.monotonic() + DRAIN_LIMIT
    count = first = stored(api_port, action)
    at, cpu = time.monotonic(), cpu_seconds(pid)
    while count < target and time.monotonic() < deadline and time.monotonic() - at < STALL:
        time.sleep(POLL)
        now = stored(api_port, action)
        if now > count:
            count, at, cpu = now, time.monotonic(), cpu_seconds(pid)
    return first, count, at, cpu


def run_load(
    port: int, message: str, args: argparse.Namespace, *, boot: bool, watch: list[int]
) -> tuple[dict[str, float], float, list[float]]:
    """bench/load.py on core 1 (killed if it outlives its window by three
    minutes).  Returns its result, and the monotonic time and the CPU seconds
    of each process in ``watch`` when its timed window started."""
    load = subprocess.Popen(
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
            *(["--boot"] if boot else []),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=HERE,
    )
    watchdog = threading.Timer(args.seconds + 180, load.kill)
    watchdog.start()
    try:
        assert load.stdout is not None
        lines = []
        started, cpu = float("nan"), [float("nan")] * len(watch)
        for line in load.stdout:
            if line.strip() == "go":
                started, cpu = time.monotonic(), [cpu_seconds(pid) for pid in watch]
            else:
                lines.append(line)
        load.wait()
    finally:
        watchdog.cancel()
    if load.returncode != 0 or not lines:
        sys.exit(f"load.py failed ({load.returncode}) against {message}")
    result: dict[str, float] = json.loads(lines[-1])
    return result, started, cpu


def servers(modes: list[str]) -> list[Server]:
    amqp, redis = (
        os.environ.get("CHARGEBUS_TEST_AMQP_URL"),
        os.environ.get("CHARGEBUS_TEST_REDIS_URL"),
    )
    chargebus = Path(sys.executable).with_name("chargebus")
    out: list[Server] = []
    for mode in modes:
        if mode == "peer":
            argv = [sys.executable, str(HERE / "peers" / "ocpp_csms.py")]
            out.append(Server(mode, PEER, argv, {}))
        elif mode == "ocpp-rpc":
            # Installs it first if need be; no pings, as for the others.
            out.append(Server(mode, RPC_PEER, node.command(ping_interval=0), {}))
        elif mode == "embedded":
            argv = [sys.executable, str(HERE / "gateway_alone.py")]
            out.append(Server(mode, "chargebus embedded", argv, {}))
        elif mode == "distributed" and amqp and redis:
            env = {"CHARGEBUS_AMQP_URL": amqp, "CHARGEBUS_REDIS_URL": redis}
            argv = [sys.executable, "-m", "chargebus.gateway"]
            out.append(Server(mode, "chargebus distributed", argv, env))
        elif mode == "distributed":
            print("distributed: skipped (run under scripts/with_services.py)", file=sys.stderr)
        elif mode == "all-in-one":
            if not chargebus.exists():
                sys.exit(f"no {chargebus}: run scripts/bootstrap or uv sync first")
            # Accepting unknown chargers is the embedded default; said here
            # because the boots depend on it.
            env = {"CHARGEBUS_UNKNOWN_CHARGERS": "accept"}
            out.append(Server(mode, "chargebus all-in-one", [str(chargebus), "run"], env))
    return out


def ratios(results: dict[tuple[str, str], dict[str, float]]) -> None:
    """Each server against each peer that ran, message by message: CPU per
    message as server / peer (lower is better) and messages per second as
    server / peer (higher is better); and whether chargebus embedded meets
    GOALS against those peers."""
    peers = [peer for peer in (PEER, RPC_PEER) if any(name == peer for name, _ in results)]
    if not peers:
        return
    short = {PEER: "pkg", RPC_PEER: "rpc"}
    print()
    print(
        "# server / peer (pkg: the ocpp package, rpc: ocpp-rpc): CPU per message, "
        "lower is better; msg/s, higher is better"
    )
    print(
        "# goal for chargebus embedded: CPU per message "
        + " and ".join(f"at most {GOALS[peer]:g} x {short[peer]}'s" for peer in peers)
    )
    print(
        f"{'server / peer':24} {'message':36}"
        + "".join(f" {'CPU/msg / ' + short[peer]:>13}" for peer in peers)
        + "".join(f" {'msg/s / ' + short[peer]:>13}" for peer in peers)
        + "  goal"
    )
    for (name, message), r in results.items():
        against = {
            peer: results[(peer, message)]
            for peer in peers
            if peer != name and (peer, message) in results
        }
        if name == PEER or not against:
            continue
        cpu = {peer: r["cpu_us"] / p["cpu_us"] for peer, p in against.items()}
        rate = {peer: r["per_second"] / p["per_second"] for peer, p in against.items()}
        line = f"{name:24} {message:36}"
        line += "".join(f" {cpu[peer]:13.3f}" if peer in cpu else f" {'-':>13}" for peer in peers)
        line += "".join(f" {rate[peer]:13.2f}" if peer in rate else f" {'-':>13}" for peer in peers)
        if name == "chargebus embedded":
            missed = [short[peer] for peer in cpu if cpu[peer] > GOALS[peer]]
            line += "  missed vs " + ", ".join(missed) if missed else "  met"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--chargers", type=int, default=50)
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    args = parser.parse_args()

    results: dict[tuple[str, str], dict[str, float]] = {}
    for server in servers(args.modes):
        port, api_port = free_port(), free_port()
        env = dict(os.environ, **server.env)
        env.pop("CHARGEBUS_TEST_AMQP_URL", None)
        data_dir: Path | None = None
        if server.mode in ("peer", "ocpp-rpc"):
            command = [*server.argv, "--port", str(port)]
        else:
            for name in EXTERNAL:
                if name not in server.env:
                    env.pop(name, None)
            env.update(
                CHARGEBUS_LOG_LEVEL="WARNING",
                CHARGEBUS_PING_INTERVAL="0",
                # Each of the 50 chargers sends thousands of messages a
                # second: a flood the per-charger rate limit (20/s by
                # default) exists to slow down. This measures the gateway's
                # cost per message, so the limit is off, as the peers have none.
                CHARGEBUS_MAX_CALLS_PER_SECOND="0",
            )
            if server.mode == "all-in-one":
                data_dir = Path(tempfile.mkdtemp(prefix="chargebus-bench-"))
                command = [
                    *server.argv,
                    *("--host", "127.0.0.1", "--ocpp-port", str(port)),
                    *("--api-port", str(api_port), "--data-dir", str(data_dir)),
                ]
            else:
                env.update(
                    CHARGEBUS_OCPP_PORT=str(port),
                    CHARGEBUS_API_PORT=str(api_port),
                    CHARGEBUS_HOST="127.0.0.1",
                    # No sessions service runs to accept boots.
                    CHARGEBUS_REGISTRATION_REQUIRED="false",
                )
                command = server.argv
        proc = subprocess.Popen([*pinned(0), *command], env=env, cwd=HERE.parent)
        try:
            wait_for_port(port, proc)
            if data_dir is not None:
                wait_for_port(api_port, proc)
            time.sleep(0.5)
            broker = broker_pid() if server.mode == "distributed" else None
            for message in STORED if data_dir is not None else MESSAGES:
                action = MESSAGES[message][1]
                before = stored(api_port, action) if data_dir is not None else 0.0
                result, started, (cpu_before, *broker_before) = run_load(
                    port,
                    message,
                    args,
                    boot=data_dir is not None,
                    watch=[proc.pid, *([broker] if broker else [])],
                )
                used = cpu_seconds(proc.pid) - cpu_before
                answered = max(result["messages"], 1)
                result["broker_us"] = (
                    (cpu_seconds(broker) - broker_before[0]) / answered * 1e6
                    if broker
                    else float("nan")
                )
                if data_dir is not None:
                    first, count, drained_at, cpu = drain(
                        api_port, action, before + result["messages"], proc.pid
                    )
                    used = cpu - cpu_before  # the window and the drain
                    result["stored"] = count - before
                    result["backlog"] = before + result["messages"] - first
                    result["drain_s"] = max(drained_at - started - result["seconds"], 0.0)
                    result["stored_per_second"] = result["stored"] / (
                        result["seconds"] + result["drain_s"]
                    )
                    result["db_mib"] = sum(
                        f.stat().st_size for f in data_dir.iterdir() if f.is_file()
                    ) / (1 << 20)
                result["cpu_us"] = used / answered * 1e6
                results[(server.name, message)] = result
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if data_dir is not None:
                shutil.rmtree(data_dir, ignore_errors=True)

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
    ratios(results)
    stores = {key: r for key, r in results.items() if "stored" in r}
    if stores:
        print()
        print(
            f"{'sessions service kept up':24} {'message':36} {'answered':>8} {'stored':>8} "
            f"{'stored/s':>8} {'x peer':>6} {'backlog':>8} {'drain s':>7} {'db MiB':>7}"
        )
        for (name, message), r in stores.items():
            peer = results.get((PEER, message))
            ratio = r["stored_per_second"] / peer["per_second"] if peer else float("nan")
            print(
                f"{name:24} {message:36} {r['messages']:8.0f} {r['stored']:8.0f} "
                f"{r['stored_per_second']:8.0f} {ratio:6.1f} {r['backlog']:8.0f} "
                f"{r['drain_s']:7.1f} {r['db_mib']:7.1f}"
            )


if __name__ == "__main__":
    main()
