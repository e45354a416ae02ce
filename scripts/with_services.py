"""Run a command with private RabbitMQ and Redis servers on loopback.

Usage: python scripts/with_services.py [--use] -- COMMAND [ARGS...]

Starts redis-server and rabbitmq-server on free ports of 127.0.0.1, each in
its own folder under a temporary directory (data, logs, Erlang cookie), waits
until both answer, runs COMMAND with

    CHARGEBUS_TEST_AMQP_URL   amqp://guest:guest@127.0.0.1:<port>/
    CHARGEBUS_TEST_REDIS_URL  redis://127.0.0.1:<port>/0
    CHARGEBUS_TEST_RABBITMQCTL  a rabbitmqctl command line for that node

set (with ``--use``, also ``CHARGEBUS_AMQP_URL`` and ``CHARGEBUS_REDIS_URL``,
so ``chargebus run`` uses them), stops both servers and removes the
directory, and exits with COMMAND's status.  Nothing listens on anything
but loopback.  The system's own RabbitMQ or Redis, if any, is left alone.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RABBITMQ_BIN = Path("/usr/lib/rabbitmq/bin")
STARTUP_TIMEOUT = 90.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], name: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"{name} exited with {proc.returncode} at start-up; see {log}:\n{tail(log)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(
        f"{name} did not listen on 127.0.0.1:{port} within {STARTUP_TIMEOUT:.0f}s:\n{tail(log)}"
    )


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def start_redis(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    folder = root / "redis"
    folder.mkdir()
    log = folder / "redis.log"
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(folder),
            "--save",
            "",
            "--appendonly",
            "no",
            "--logfile",
            str(log),
            "--protected-mode",
            "yes",
        ],
        stdin=subprocess.DEVNULL,
    )
    wait_for_port(port, proc, "redis-server", log)
    return proc, f"redis://127.0.0.1:{port}/0"


def start_rabbitmq(root: Path) -> tuple[subprocess.Popen[bytes], str, dict[str, str]]:
    port = free_port()
    dist_port = free_port()
    folder = root / "rabbitmq"
    (folder / "home").mkdir(parents=True)
    node = f"chargebus-test-{os.getpid()}@localhost"
    env = dict(os.environ)
    env.update(
        HOME=str(folder / "home"),
        RABBITMQ_NODENAME=node,
        RABBITMQ_NODE_IP_ADDRESS="127.0.0.1",
        RABBITMQ_NODE_PORT=str(port),
        RABBITMQ_DIST_PORT=str(dist_port),
        RABBITMQ_MNESIA_BASE=str(folder / "mnesia"),
        RABBITMQ_LOG_BASE=str(folder / "log"),
        RABBITMQ_PID_FILE=str(folder / "rabbitmq.pid"),
        RABBITMQ_ENABLED_PLUGINS_FILE=str(folder / "enabled_plugins"),
        RABBITMQ_CONFIG_FILE=str(folder / "rabbitmq"),
        RABBITMQ_ADVANCED_CONFIG_FILE=str(folder / "advanced.config"),
        RABBITMQ_CONF_ENV_FILE=str(folder / "rabbitmq-env.conf"),
        ERL_EPMD_ADDRESS="127.0.0.1",
        RABBITMQ_LOGS=str(folder / "log" / "rabbit.log"),
    )
    (folder / "enabled_plugins").write_text("[].\n")
    (folder / "rabbitmq.conf").write_text(
        "loopback_users.guest = true\n"
        f"listeners.tcp.default = 127.0.0.1:{port}\n"
        "disk_free_limit.absolute = 50MB\n"
        "vm_memory_high_watermark.relative = 0.3\n"
    )
    (folder / "advanced.config").write_text("[].\n")
    (folder / "rabbitmq-env.conf").write_text("")
    log = folder / "log" / "rabbit.log"
    proc = subprocess.Popen(
        [str(RABBITMQ_BIN / "rabbitmq-server")],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "stderr.log", "wb"),  # noqa: SIM115 - lives as long as the server
        start_new_session=True,
    )
    wait_for_port(port, proc, "rabbitmq-server", log)
    ctl = {
        "HOME": env["HOME"],
        "RABBITMQ_NODENAME": node,
        "ERL_EPMD_ADDRESS": "127.0.0.1",
        "RABBITMQ_CONF_ENV_FILE": env["RABBITMQ_CONF_ENV_FILE"],
    }
    ctl_cmd = " ".join(f"{k}={shlex.quote(v)}" for k, v in ctl.items())
    ctl_cmd = f"env {ctl_cmd} {RABBITMQ_BIN / 'rabbitmqctl'} -n {node}"
    subprocess.run(
        f"{ctl_cmd} await_startup --timeout {int(STARTUP_TIMEOUT)}",
        shell=True,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return proc, f"amqp://guest:guest@127.0.0.1:{port}/", {"CHARGEBUS_TEST_RABBITMQCTL": ctl_cmd}


def stop(proc: subprocess.Popen[bytes], group: bool = False) -> None:
    if proc.poll() is not None:
        return
    try:
        if group:
            os.killpg(proc.pid, signal.SIGTERM)
        else:
            proc.terminate()
        proc.wait(timeout=20)
    except (subprocess.TimeoutExpired, ProcessLookupError):
        try:
            if group:
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
        except ProcessLookupError:
            pass
        proc.wait()


def main(argv: list[str]) -> int:
    use = False
    if "--" in argv:
        use = "--use" in argv[: argv.index("--")]
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    root = Path(tempfile.mkdtemp(prefix="chargebus-services-"))
    procs: list[tuple[subprocess.Popen[bytes], bool]] = []
    try:
        redis_proc, redis_url = start_redis(root)
        procs.append((redis_proc, False))
        rabbit_proc, amqp_url, extra = start_rabbitmq(root)
        procs.append((rabbit_proc, True))
        env = dict(os.environ)
        env.update(CHARGEBUS_TEST_AMQP_URL=amqp_url, CHARGEBUS_TEST_REDIS_URL=redis_url, **extra)
        if use:
            env.update(CHARGEBUS_AMQP_URL=amqp_url, CHARGEBUS_REDIS_URL=redis_url)
        print(f"services: RabbitMQ {amqp_url}  Redis {redis_url}  (in {root})", flush=True)
        return subprocess.call(argv, env=env)
    finally:
        for proc, group in reversed(procs):
            stop(proc, group)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
