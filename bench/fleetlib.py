"""What the fleet benchmarks share: the services of the distributed mode,
the peers, `chargebus simulate` as the load, and /proc readings.

Every server runs pinned to core 0 and every simulator to core 1 (where the
machine has two cores), so the load's CPU never counts as the server's.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gateway_saturation import TICK, broker_pid, cpu_seconds, free_port, pinned, process_pid

from chargebus.common.apikeys import new_key

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: Services: start-up and shutdown limits (s).
START_LIMIT = 60.0
STOP_LIMIT = 15.0
#: The services' environment variables that would change the mode.
EXTERNAL = ("CHARGEBUS_MONGODB_URL", "CHARGEBUS_TEST_AMQP_URL", "CHARGEBUS_TEST_REDIS_URL")

__all__ = [
    "TICK",
    "Service",
    "Simulator",
    "api_headers",
    "backends",
    "cpu_seconds",
    "free_port",
    "machine_busy",
    "metric",
    "pinned",
    "rabbitmq_pid",
    "redis_pid",
    "rss_kib",
    "service_env",
    "source_args",
    "spy",
    "start_peer",
    "start_services",
    "stop_services",
    "tail",
    "unspy",
    "wait_ready",
]


# -- /proc -------------------------------------------------------------------------------


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def machine_busy() -> float:
    """CPU seconds the whole machine (all cores) has been busy."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / TICK


def rabbitmq_pid() -> int | None:
    """Our RabbitMQ's Erlang VM: the one whose command line names the home
    folder given in CHARGEBUS_TEST_RABBITMQCTL (another session's
    scripts/with_services.py may run a RabbitMQ of its own)."""
    ctl = os.environ.get("CHARGEBUS_TEST_RABBITMQCTL", "")
    home = next((w[5:] for w in ctl.split() if w.startswith("HOME=")), "")
    if not home:
        return broker_pid()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if (proc / "comm").read_text().strip() != "beam.smp":
                continue
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if home.encode() in cmdline:
            return int(proc.name)
    return None


def redis_pid(url: str) -> int | None:
    port = b":" + url.rsplit(":", 1)[1].split("/", 1)[0].encode()
    # redis-server retitles itself "redis-server 127.0.0.1:PORT"
    return process_pid(lambda c: c.startswith(b"redis-server") and port in c)


def metric(api_port: int, name: str, **labels: str) -> float:
    """The sum of a Prometheus sample over the series matching ``labels``."""
    url = f"http://127.0.0.1:{api_port}/metrics"
    with urllib.request.urlopen(url, timeout=5) as response:  # loopback only
        text = response.read().decode()
    total = 0.0
    for line in text.splitlines():
        if not (line.startswith(name + "{") or line.startswith(name + " ")):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


# -- the distributed mode ------------------------------------------------------------------


def backends() -> tuple[str, str]:
    amqp = os.environ.get("CHARGEBUS_TEST_AMQP_URL")
    redis = os.environ.get("CHARGEBUS_TEST_REDIS_URL")
    if not amqp or not redis:
        raise SystemExit("run under scripts/with_services.py (CHARGEBUS_TEST_AMQP_URL/REDIS_URL)")
    return amqp, redis


@dataclass
class Service:
    name: str
    module: str
    api_port: int
    env: dict[str, str]
    log: Path
    core: int | None = 0
    proc: subprocess.Popen[bytes] | None = None

    def start(self, base: dict[str, str]) -> None:
        env = dict(base, CHARGEBUS_API_PORT=str(self.api_port), **self.env)
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [
                    *(pinned(self.core) if self.core is not None else []),
                    sys.executable,
                    "-m",
                    self.module,
                ],
                env=env,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid


#: The benchmarks' admin key for the services' HTTP APIs, made for this run.
API_KEY, _API_KEY_STORED = new_key("bench", "admin")


def api_headers() -> dict[str, str]:
    """What a request to the services' API needs (docs/api.md)."""
    return {"Authorization": f"Bearer {API_KEY}"}


def service_env(amqp: str, redis: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("CHARGEBUS_")}
    base.update(
        CHARGEBUS_API_KEYS=_API_KEY_STORED.entry,
        CHARGEBUS_AMQP_URL=amqp,
        CHARGEBUS_REDIS_URL=redis,
        CHARGEBUS_HOST="127.0.0.1",
        CHARGEBUS_LOG_LEVEL="WARNING",
    )
    for name in EXTERNAL:
        base.pop(name, None)
    return base


def start_services(
    root: Path,
    amqp: str,
    redis: str,
    ocpp_port: int,
    *,
    pin: bool = True,
    gateway_env: dict[str, str] | None = None,
    names: tuple[str, ...] = ("sessions", "commands", "gateway"),
) -> dict[str, Service]:
    """The services of the distributed mode, each its own process on the
    private RabbitMQ and Redis, SQLite stores in ``root``; unknown chargers
    are accepted at boot."""
    core = 0 if pin else None
    known = {
        "sessions": Service(
            "sessions",
            "chargebus.sessions",
            free_port(),
            {"CHARGEBUS_UNKNOWN_CHARGERS": "accept", "CHARGEBUS_DATA_DIR": str(root / "sessions")},
            root / "sessions.log",
            core,
        ),
        "commands": Service(
            "commands",
            "chargebus.commands",
            free_port(),
            {"CHARGEBUS_DATA_DIR": str(root / "commands")},
            root / "commands.log",
            core,
        ),
        "gateway": Service(
            "gateway",
            "chargebus.gateway",
            free_port(),
            {"CHARGEBUS_OCPP_PORT": str(ocpp_port), **(gateway_env or {})},
            root / "gateway.log",
            core,
        ),
    }
    services = {name: known[name] for name in names}
    base = service_env(amqp, redis)
    for service in services.values():
        data_dir = service.env.get("CHARGEBUS_DATA_DIR")
        if data_dir:
            Path(data_dir).mkdir(exist_ok=True)
        service.start(base)
    deadline = time.monotonic() + START_LIMIT
    for service in services.values():
        wait_ready(service, deadline)
    return services


def wait_ready(service: Service, deadline: float) -> None:
    url = f"http://127.0.0.1:{service.api_port}/readyz"
    assert service.proc is not None
    while time.monotonic() < deadline:
        if service.proc.poll() is not None:
            raise SystemExit(
                f"{service.name} exited with {service.proc.returncode}:\n{tail(service.log)}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # loopback only
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise SystemExit(f"{service.name} not ready within {START_LIMIT:.0f}s:\n{tail(service.log)}")


def stop_services(services: list[Service]) -> None:
    for service in services:
        if service.proc is not None and service.proc.poll() is None:
            service.proc.terminate()
    for service in services:
        if service.proc is None:
            continue
        try:
            service.proc.wait(STOP_LIMIT)
        except subprocess.TimeoutExpired:
            print(f"{service.name} did not stop in {STOP_LIMIT:.0f}s: killed", file=sys.stderr)
            service.proc.kill()
            service.proc.wait()


def tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def py_spy() -> str:
    """py-spy beside this interpreter (it is no dependency of the project:
    only ``--profile`` needs it), or stop with how to get it."""
    path = Path(sys.executable).parent / "py-spy"
    if not path.exists():
        raise SystemExit(
            f"--profile needs py-spy in {path.parent}: "
            f"uv pip install --python {sys.executable} py-spy"
        )
    return str(path)


def spy(pids: dict[str, int], folder: Path, tag: str) -> list[subprocess.Popen[bytes]]:
    """py-spy on each process (collapsed stacks, 200 Hz) until
    :func:`unspy`; summarise the files with bench/stacks.py."""
    folder.mkdir(parents=True, exist_ok=True)
    py_spy_path = py_spy()
    return [
        subprocess.Popen(
            [
                py_spy_path,
                "record",
                "--pid",
                str(pid),
                "--rate",
                "200",
                "--format",
                "raw",
                "--nonblocking",
                "-o",
                str(folder / f"{name}-{tag}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, pid in pids.items()
    ]


def unspy(spies: list[subprocess.Popen[bytes]]) -> None:
    for process in spies:
        process.send_signal(signal.SIGINT)
    for process in spies:
        process.wait(60)


# -- the peers -----------------------------------------------------------------------------


def start_peer(
    kind: str, port: int, log: Path, *, heartbeat: int = 60, fanout_report: Path | None = None
) -> subprocess.Popen[bytes]:
    """A peer central system on core 0: ``python`` (the ``ocpp`` package) or
    ``node`` (ocpp-rpc with strictMode, installed by the script on first use)."""
    if kind == "python":
        argv = [
            sys.executable,
            str(HERE / "peers" / "ocpp_csms.py"),
            "--port",
            str(port),
            "--heartbeat-interval",
            str(heartbeat),
            *(["--fanout-report", str(fanout_report)] if fanout_report else []),
        ]
    elif kind == "node":
        from peers import node

        argv = [
            *node.command(ping_interval=0),
            *("--port", str(port), "--heartbeat-interval", str(heartbeat)),
            *(["--fanout-report", str(fanout_report)] if fanout_report else []),
        ]
    else:
        raise ValueError(kind)
    with open(log, "ab") as out:
        return subprocess.Popen(
            [*pinned(0), *argv],
            cwd=HERE,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


PEER_NAMES = {"python": "ocpp package (peer)", "node": "ocpp-rpc strict (peer)"}


# -- the load ------------------------------------------------------------------------------


@dataclass
class Simulator:
    """``chargebus simulate`` in a process of its own on core 1."""

    name: str
    url: str
    args: list[str]
    folder: Path
    core: int = 1
    proc: subprocess.Popen[bytes] | None = None
    status_file: Path = field(init=False)
    json_file: Path = field(init=False)
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.status_file = self.folder / f"{self.name}.status.json"
        self.json_file = self.folder / f"{self.name}.summary.json"
        self.log = self.folder / f"{self.name}.log"

    def start(self) -> None:
        for path in (self.status_file, self.json_file):
            path.unlink(missing_ok=True)
        argv = [
            *pinned(self.core),
            sys.executable,
            "-m",
            "chargebus.cli.simulate",
            self.url,
            *self.args,
            "--no-progress",
            "--status-file",
            str(self.status_file),
            "--status-interval",
            "0.2",
            "--json",
            str(self.json_file),
        ]
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                argv, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
            )

    def status(self) -> dict[str, Any]:
        try:
            return dict(json.loads(self.status_file.read_text()))
        except (OSError, ValueError):
            return {}

    def wait_for(self, check: Callable[[dict[str, Any]], bool], limit: float) -> float | None:
        """Poll the status until ``check`` holds: the seconds it took, or
        None after ``limit`` s (or if the simulator exited)."""
        started = time.monotonic()
        while time.monotonic() - started < limit:
            if check(self.status()):
                return time.monotonic() - started
            if self.proc is not None and self.proc.poll() is not None:
                return None
            time.sleep(0.1)
        return None

    def finish(self, limit: float = 120.0) -> dict[str, Any]:
        """Wait for the run's end (its duration), then its summary."""
        assert self.proc is not None
        try:
            self.proc.wait(limit)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        try:
            return dict(json.loads(self.json_file.read_text()))
        except (OSError, ValueError):
            raise SystemExit(f"simulator {self.name} left no summary:\n{tail(self.log)}") from None

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def sources(count: int, per_address: int = 20000) -> list[str]:
    """Local addresses enough for ``count`` connections (127.0.0.2, ...)."""
    return [f"127.0.0.{2 + n}" for n in range(max(1, -(-count // per_address)))]


def source_args(count: int) -> list[str]:
    return [arg for address in sources(count) for arg in ("--source", address)]
