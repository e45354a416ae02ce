"""docker-compose.yml, the Dockerfile and deploy/compose/ checked against the code.

Docker can't run on the CI machine, so nothing here starts a container.
Instead every file is parsed and held against what the code says: each
container's command is run through the real launcher (``chargebus run
<service>``) with the container's environment, up to the point where it
would start serving, so the settings it would run with are the ones the code
loads; the ports, URLs and timeouts the other files use are compared with
those.  Each check is a function that returns the problems it finds: a test
asserts it finds none, and ``test_each_check_can_fail`` breaks a copy of the
deployment in one way per check and asserts that the check notices.
"""

from __future__ import annotations

import contextlib
import copy
import fnmatch
import glob
import http.server
import importlib
import io
import json
import logging
import os
import re
import runpy
import shlex
import socket
import subprocess
import sys
import threading
import tomllib
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

import msgspec
import pytest
import yaml

import chargebus.cli.main as cli
from chargebus.billing.settings import BillingSettings
from chargebus.commands.settings import CommandsSettings
from chargebus.common.settings import env_name, load_settings
from chargebus.gateway.settings import GatewaySettings, default_instance_id
from chargebus.sessions.settings import SessionsSettings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
HAPROXY_CFG = ROOT / "deploy" / "compose" / "haproxy.cfg"
PROMETHEUS_YML = ROOT / "deploy" / "compose" / "prometheus.yml"
PYPROJECT = ROOT / "pyproject.toml"

SETTINGS: dict[str, type[msgspec.Struct]] = {
    "gateway": GatewaySettings,
    "sessions": SessionsSettings,
    "commands": CommandsSettings,
    "billing": BillingSettings,
}

# What each ``*_url`` setting points at: the image, the URL schemes and the
# port the server listens on.  A service's settings having the field means
# the distributed deployment must set it (unset, the service falls back to
# the in-memory bus, route table or SQLite inside its own container).
URL_KINDS = {
    "amqp_url": ("rabbitmq", ("amqp", "amqps"), 5672),
    "redis_url": ("redis", ("redis", "rediss"), 6379),
    "mongodb_url": ("mongo", ("mongodb",), 27017),
}

# Gateway.drain() waits up to call_timeout + 5 s for what is in flight once
# the sockets are spread over drain_window, then up to 15 s for the handlers.
DRAIN_AFTER_CALLS = 20.0

HAPROXY_CFG_PATH = "/usr/local/etc/haproxy/haproxy.cfg"
PROMETHEUS_CFG_PATH = "/etc/prometheus/prometheus.yml"


# -- the files ------------------------------------------------------------------


@dataclass
class Deployment:
    compose: dict[str, Any]  # as written: ${VAR:-default} not interpolated
    dockerfile: str
    dockerignore: str
    haproxy: str
    prometheus: dict[str, Any]


def load() -> Deployment:
    return Deployment(
        compose=yaml.safe_load(COMPOSE.read_text()),
        dockerfile=DOCKERFILE.read_text(),
        dockerignore=DOCKERIGNORE.read_text(),
        haproxy=HAPROXY_CFG.read_text(),
        prometheus=yaml.safe_load(PROMETHEUS_YML.read_text()),
    )


_VARIABLE = re.compile(
    r"\$(?:\$|\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<default>[^}]*))?\}|(?P<bare>\w+))"
)


def interpolate(value: Any, strict: bool = False) -> Any:
    """Compose's ``${VAR:-default}``, with every variable unset (as on a
    machine without a .env file).  ``strict``: a variable without a default
    raises KeyError."""
    if isinstance(value, dict):
        return {k: interpolate(v, strict) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, strict) for v in value]
    if not isinstance(value, str):
        return value

    def one(m: re.Match[str]) -> str:
        if m.group(0) == "$$":
            return "$"
        name = m.group("name") or m.group("bare")
        if m.group("op") in (":-", "-"):
            return m.group("default")
        if strict:
            raise KeyError(name)
        return ""

    return _VARIABLE.sub(one, value)


def services(d: Deployment) -> dict[str, dict[str, Any]]:
    return interpolate(d.compose.get("services") or {})


def image_name(service: dict[str, Any]) -> str:
    """``rabbitmq`` for rabbitmq:3.13-management, ``prometheus`` for prom/prometheus:v3."""
    image = str(service.get("image", ""))
    return image.rsplit("/", 1)[-1].split(":", 1)[0].split("@", 1)[0]


def chargebus_containers(d: Deployment) -> dict[str, dict[str, Any]]:
    """The services that run the image built from this repository."""
    all_ = services(d)
    built = set()
    for name, s in all_.items():
        build = s.get("build")
        context = build if isinstance(build, str) else (build or {}).get("context")
        if context is not None and (ROOT / context).resolve() == ROOT:
            built.add(name)
    images = {all_[n].get("image") for n in built} - {None}
    return {n: s for n, s in all_.items() if n in built or s.get("image") in images}


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {
        k: str(v).lower() if isinstance(v, bool) else str(v)
        for k, v in env.items()
        if v is not None
    }


def parse_ports(service: dict[str, Any]) -> list[tuple[str | None, int | None, int]]:
    """(host ip, host port, container port) for each published port."""
    out = []
    for entry in service.get("ports") or []:
        if isinstance(entry, dict):
            published = entry.get("published")
            out.append(
                (entry.get("host_ip"), int(published) if published else None, int(entry["target"]))
            )
            continue
        parts = str(entry).split("/", 1)[0].rsplit(":", 2)
        container = int(parts[-1])
        host = int(parts[-2]) if len(parts) >= 2 and parts[-2] else None
        ip = parts[0] if len(parts) == 3 else None
        out.append((ip, host, container))
    return out


def listening_ports(service: dict[str, Any]) -> set[int]:
    ports = {c for _, _, c in parse_ports(service)}
    return ports | {int(str(p).split("/", 1)[0]) for p in service.get("expose") or []}


def seconds(duration: Any) -> float:
    """Compose's durations: 90s, 1m30s, 1h, 500ms."""
    if isinstance(duration, int | float):
        return float(duration)
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|us|h|m|s)", str(duration))
    if not parts or "".join(n + u for n, u in parts) != str(duration):
        raise ValueError(f"not a duration: {duration!r}")
    unit = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001, "us": 0.000001}
    return sum(float(n) * unit[u] for n, u in parts)


def depends_on(service: dict[str, Any]) -> dict[str, str]:
    """Target -> condition."""
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return {name: "service_started" for name in deps}
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def mounts(service: dict[str, Any]) -> dict[str, str]:
    """Container path -> source (a named volume, or a path on the host)."""
    out = {}
    for entry in service.get("volumes") or []:
        if isinstance(entry, dict):
            out[entry["target"]] = entry.get("source", "")
        else:
            source, target = str(entry).split(":")[:2]
            out[target] = source
    return out


# -- the Dockerfile ---------------------------------------------------------------


@dataclass
class Instruction:
    op: str
    args: str
    line: int

    def words(self) -> list[str]:
        if self.args.startswith("["):
            return list(json.loads(self.args))
        return shlex.split(self.args)

    def flags(self) -> tuple[dict[str, str], list[str]]:
        """``--from=x --mount=...`` and what follows them."""
        words = shlex.split(self.args)
        flags: dict[str, str] = {}
        while words and words[0].startswith("--"):
            key, _, value = words.pop(0)[2:].partition("=")
            flags[key] = flags[key] + " " + value if key in flags else value
        return flags, words


@dataclass
class Stage:
    name: str
    base: str
    instructions: list[Instruction]

    def all(self, op: str) -> list[Instruction]:
        return [i for i in self.instructions if i.op == op]

    def env(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for i in self.all("ENV"):
            words = shlex.split(i.args)
            if words and "=" not in words[0]:
                out[words[0]] = " ".join(words[1:])
            else:
                out.update(w.split("=", 1) for w in words)
        return out


def parse_dockerfile(text: str) -> list[Stage]:
    logical: list[tuple[int, str]] = []
    pending, start = "", 0
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("#") or (not line and not pending):
            continue
        if not pending:
            start = n
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append((start, pending + line))
        pending = ""
    args: dict[str, str] = {}
    stages: list[Stage] = []
    for n, line in logical:
        op, _, rest = line.partition(" ")
        op, rest = op.upper(), rest.strip()
        if op == "ARG" and not stages:
            name, _, default = rest.partition("=")
            args[name] = default
        elif op == "FROM":
            words = rest.split()
            base = re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), ""), words[0])
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else str(len(stages))
            stages.append(Stage(name, base, []))
        elif stages:
            stages[-1].instructions.append(Instruction(op, rest, n))
    return stages


def image_env(d: Deployment) -> dict[str, str]:
    stages = parse_dockerfile(d.dockerfile)
    return stages[-1].env() if stages else {}


def final_instruction(d: Deployment, op: str) -> Instruction | None:
    stages = parse_dockerfile(d.dockerfile)
    found = stages[-1].all(op) if stages else []
    return found[-1] if found else None


def argv(d: Deployment, service: dict[str, Any]) -> list[str]:
    """What the container runs: Docker's ENTRYPOINT + CMD rules, with the
    compose file's overrides (an entrypoint override drops the image's CMD)."""

    def words(value: Any) -> list[str]:
        return shlex.split(value) if isinstance(value, str) else [str(v) for v in value]

    if "entrypoint" in service:
        entrypoint = words(service["entrypoint"])
        command = words(service.get("command") or [])
    else:
        i = final_instruction(d, "ENTRYPOINT")
        entrypoint = i.words() if i else []
        if "command" in service:
            command = words(service["command"])
        else:
            c = final_instruction(d, "CMD")
            command = c.words() if c else []
    return entrypoint + command


def service_of(command: list[str]) -> str | None:
    """gateway for ``chargebus run gateway`` or ``python -m chargebus.gateway``."""
    if len(command) == 3 and Path(command[0]).name == "chargebus" and command[1] == "run":
        return command[2]
    if len(command) == 3 and Path(command[0]).name.startswith("python") and command[1] == "-m":
        module = command[2]
        if module.startswith("chargebus.") and module.count(".") == 1:
            return module.split(".", 1)[1]
    return None


def container_env(d: Deployment, service: dict[str, Any]) -> dict[str, str]:
    return {**image_env(d), **environment(service)}


# -- starting a service, up to where it would serve ------------------------------------


@dataclass(frozen=True)
class Launch:
    service: str | None = None
    settings: Any = None
    exit: str | None = None


@contextlib.contextmanager
def logging_preserved() -> Iterator[None]:
    """The launcher configures logging (and sys.excepthook) for the process;
    put it back."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    loggers = {
        name: (lg.level, lg.disabled)
        for name, lg in logging.Logger.manager.loggerDict.items()
        if isinstance(lg, logging.Logger)
    }
    showwarning, excepthook = warnings.showwarning, sys.excepthook
    try:
        yield
    finally:
        sys.excepthook = excepthook
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, lg in logging.Logger.manager.loggerDict.items():
            if isinstance(lg, logging.Logger):
                lg.level, lg.disabled = loggers.get(name, (logging.NOTSET, False))
        warnings.showwarning = showwarning
        logging.captureWarnings(False)


_launches: dict[tuple[tuple[str, ...], tuple[tuple[str, str], ...]], Launch] = {}


def launch(command: list[str], env: dict[str, str]) -> Launch:
    """Run ``command``'s launcher in this process with exactly ``env`` as the
    environment, with every service's ``serve_until_stopped`` replaced by a
    recorder: the settings it would serve with, or the reason it exits."""
    key = (tuple(command), tuple(sorted(env.items())))
    if key not in _launches:
        _launches[key] = _launch(command, env)
    return _launches[key]


def _launch(command: list[str], env: dict[str, str]) -> Launch:
    service = service_of(command)
    if service not in SETTINGS:
        return Launch(exit=f"{command} runs no chargebus service (one of {cli.SERVICES})")
    served: list[tuple[str, Any]] = []

    def recorder(name: str) -> Callable[..., None]:
        def serve(settings: Any, *args: Any, **kwargs: Any) -> None:
            served.append((name, settings))

        return serve

    with contextlib.ExitStack() as stack:
        stack.enter_context(logging_preserved())
        for name in SETTINGS:
            importlib.import_module(f"chargebus.{name}.main")
            stack.enter_context(
                mock.patch(f"chargebus.{name}.main.serve_until_stopped", recorder(name))
            )
        stack.enter_context(mock.patch("chargebus.cli.main.run", return_value=None))
        stack.enter_context(mock.patch("chargebus.gateway.main.run", return_value=None))
        stack.enter_context(mock.patch("asyncio.run", return_value=None))
        # The services' loop (uvloop where installed): started, it would serve.
        stack.enter_context(mock.patch("chargebus.common.wiring.run_loop", return_value=None))
        stack.enter_context(mock.patch("logging.basicConfig", return_value=None))
        with contextlib.suppress(ImportError):
            logs = importlib.import_module("chargebus.common.logs")
            real = logs.configure
            stack.enter_context(
                mock.patch.object(
                    logs, "configure", lambda *a, **k: real(*a, **{**k, "stream": io.StringIO()})
                )
            )
        stack.enter_context(mock.patch.dict(os.environ, env, clear=True))
        try:
            if Path(command[0]).name == "chargebus":
                cli.main(command[1:])
            else:
                runpy.run_module(command[2], run_name="__main__")
        except SystemExit as exc:
            return Launch(service, exit=str(exc.code))
    if len(served) != 1 or served[0][0] != service:
        return Launch(service, exit=f"{command} served {[n for n, _ in served]}, not {service}")
    return Launch(service, settings=served[0][1])


def running(d: Deployment) -> dict[str, Launch]:
    """Each chargebus container's launch with its environment."""
    return {
        name: launch(argv(d, s), container_env(d, s)) for name, s in chargebus_containers(d).items()
    }


def settings_of(d: Deployment, kind: str) -> dict[str, Any]:
    """Container -> the settings it runs with, for the containers running ``kind``."""
    return {
        name: run.settings
        for name, run in running(d).items()
        if run.service == kind and run.settings is not None
    }


# -- checks: the chargebus containers ---------------------------------------------


def check_every_container_runs_a_service(d: Deployment) -> list[str]:
    problems = []
    kinds: dict[str, list[str]] = {}
    for name, s in chargebus_containers(d).items():
        kind = service_of(argv(d, s))
        if kind not in cli.SERVICES:
            problems.append(
                f"{name}: {argv(d, s)} is not `chargebus run <service>` with a service of {cli.SERVICES}"
            )
        kinds.setdefault(str(kind), []).append(name)
    for kind in cli.SERVICES:
        if kind not in kinds:
            problems.append(f"no container runs the {kind} service")
    if len(kinds.get("gateway", [])) < 2:
        problems.append(
            f"gateway replicas: {kinds.get('gateway', [])}; two are needed behind the load balancer"
        )
    return problems


def check_every_container_starts(d: Deployment) -> list[str]:
    """The launcher accepts each container's environment: settings valid, the
    URLs it insists on present."""
    return [f"{name}: would not start: {run.exit}" for name, run in running(d).items() if run.exit]


def check_variables_are_settings(d: Deployment) -> list[str]:
    """Every CHARGEBUS_* variable a container sets is a field of its service's
    settings, or one the launcher refuses to start without."""
    problems = []
    for name, s in chargebus_containers(d).items():
        command = argv(d, s)
        kind = service_of(command)
        if kind not in SETTINGS:
            continue
        fields = {env_name(f.name) for f in msgspec.structs.fields(SETTINGS[kind])}
        env = container_env(d, s)
        for variable in sorted(environment(s)):
            if not variable.startswith("CHARGEBUS_") or variable in fields:
                continue
            without = {k: v for k, v in env.items() if k != variable}
            if launch(command, env).exit is not None or launch(command, without).exit is None:
                problems.append(
                    f"{name}: {variable} is no setting of the {kind} service, nor one it needs to start"
                )
    return problems


def check_required_urls(d: Deployment) -> list[str]:
    """Every ``*_url`` setting of a service is set: RabbitMQ for every one,
    Redis for the gateway, sessions and commands, MongoDB for sessions,
    commands and billing."""
    problems = []
    for name, run in running(d).items():
        if run.settings is None:
            continue
        for field in msgspec.structs.fields(type(run.settings)):
            if field.name.endswith("_url"):
                if field.name not in URL_KINDS:
                    problems.append(
                        f"{name}: {field.name}: a new kind of URL; teach URL_KINDS about it"
                    )
                elif not getattr(run.settings, field.name):
                    problems.append(f"{name}: {env_name(field.name)} is not set")
    return problems


def _url_problems(d: Deployment, name: str, field: str, url: str, raw: str) -> list[str]:
    kind, schemes, port = URL_KINDS[field]
    all_ = services(d)
    where = f"{name}: {env_name(field)}"
    parts = urlsplit(url)
    if parts.scheme not in schemes:
        return [f"{where}: scheme {parts.scheme!r}, not one of {schemes}"]
    host = parts.hostname or ""
    if host not in all_:
        return [f"{where}: host {host!r} is no compose service"]
    target = all_[host]
    problems = []
    if image_name(target) != kind:
        problems.append(f"{where}: {host} runs {target.get('image')}, not {kind}")
    if (parts.port or port) != port:
        problems.append(f"{where}: port {parts.port}, {kind} listens on {port}")
    if depends_on(all_[name]).get(host) != "service_healthy":
        problems.append(f"{name}: depends_on {host} with condition service_healthy is missing")
    password = unquote(parts.password or "")
    userinfo = re.match(r"^[\w+.-]+://(?:([^@/]*)@)?", raw)
    # Each ${...} as one character, then the password is what follows the user's ':'.
    written = _VARIABLE.sub("\0", userinfo.group(1) or "" if userinfo else "").partition(":")[2]
    if password and written != "\0":
        problems.append(
            f"{where}: the password is written in the file, not read from ${{VAR:-default}}"
        )
    user = unquote(parts.username or "")
    if kind == "rabbitmq":
        problems += _rabbitmq_user_problems(d, where, host, parts, user, password)
    elif kind == "redis":
        problems += _redis_password_problems(where, host, target, password)
    elif kind == "mongo":
        problems += _mongo_user_problems(where, host, target, parts, user, password)
    return problems


def _rabbitmq_user_problems(
    d: Deployment, where: str, host: str, parts: SplitResult, user: str, password: str
) -> list[str]:
    """The URL's user, password and vhost are the broker's definitions'
    (RabbitMQ makes no default user when it loads definitions; guest may
    only connect from localhost)."""
    problems = []
    known = rabbitmq_definitions(d, host) or {}
    users = {u.get("name"): u.get("password") for u in known.get("users", [])}
    if user not in users:
        problems.append(f"{where}: user {user!r} is not in {host}'s definitions")
    elif password != users[user]:
        problems.append(f"{where}: user {user!r}'s password is not the one {host} defines")
    vhost = unquote(parts.path[1:]) or "/"
    if vhost not in {v.get("name") for v in known.get("vhosts", [])}:
        problems.append(f"{where}: vhost {vhost!r} is not in {host}'s definitions")
    return problems


def _redis_password_problems(
    where: str, host: str, target: dict[str, Any], password: str
) -> list[str]:
    """The URL's password is the server's ``--requirepass``."""
    command = target.get("command") or []
    words = shlex.split(command) if isinstance(command, str) else [str(w) for w in command]
    required = words[words.index("--requirepass") + 1] if "--requirepass" in words else ""
    if password != required:
        return [f"{where}: the password is not {host}'s --requirepass"]
    return []


def _mongo_user_problems(
    where: str, host: str, target: dict[str, Any], parts: SplitResult, user: str, password: str
) -> list[str]:
    """The URL's user is the server's root user, authenticated in admin."""
    problems = []
    env = environment(target)
    expected = (
        env.get("MONGO_INITDB_ROOT_USERNAME", ""),
        env.get("MONGO_INITDB_ROOT_PASSWORD", ""),
    )
    if (user, password) != expected:
        problems.append(f"{where}: user {user!r} and its password are not {host}'s root user")
    auth_db = parse_qs(parts.query).get("authSource", [parts.path[1:] or "admin"])[0]
    if expected[0] and auth_db != "admin":
        problems.append(f"{where}: the root user is in the admin database: add ?authSource=admin")
    return problems


RABBITMQ_DEFINITIONS = "/etc/rabbitmq/definitions.json"


def configs(service: dict[str, Any]) -> dict[str, str]:
    """Container path -> config name, for the configs a service mounts."""
    out = {}
    for entry in service.get("configs") or []:
        if isinstance(entry, str):
            out[f"/{entry}"] = entry
        else:
            out[entry.get("target") or f"/{entry['source']}"] = entry["source"]
    return out


def config_content(d: Deployment, name: str) -> str | None:
    config = (d.compose.get("configs") or {}).get(name) or {}
    content = config.get("content")
    return interpolate(content) if isinstance(content, str) else None


def rabbitmq_definitions(d: Deployment, host: str) -> dict[str, Any] | None:
    """The definitions the RabbitMQ service ``host`` loads at start-up
    (``load_definitions`` in a mounted conf.d file, naming a mounted
    config), interpolated; None when it loads none."""
    service = services(d).get(host) or {}
    mounted = configs(service)
    loads = None
    for path, name in mounted.items():
        if path.startswith("/etc/rabbitmq/conf.d/") or path == "/etc/rabbitmq/rabbitmq.conf":
            for line in (config_content(d, name) or "").splitlines():
                key, _, value = line.partition("=")
                if key.strip() == "load_definitions":
                    loads = value.strip()
    if loads is None or loads not in mounted:
        return None
    text = config_content(d, mounted[loads])
    return json.loads(text) if text else None


def check_bus_users(d: Deployment) -> list[str]:
    """RabbitMQ loads definitions that are the code's
    (chargebus.common.bus.permissions): one user per service with exactly
    its permissions, the topology; each chargebus container connects as
    the user of the service it runs; only the administrator is one."""
    from bus_definitions import differing_parts

    from chargebus.common.bus.permissions import PERMISSIONS

    rabbits = [n for n, s in services(d).items() if image_name(s) == "rabbitmq"]
    if not rabbits:
        return ["no rabbitmq service"]
    host = rabbits[0]
    found = rabbitmq_definitions(d, host)
    if found is None:
        return [f"{host}: loads no definitions (load_definitions in a mounted conf.d file)"]
    users = {u.get("name"): u for u in found.get("users", [])}
    problems = [
        f"{host}: the definitions' {part} are not chargebus.common.bus.permissions': {diff}"
        for part, diff in differing_parts(found)
    ]
    raw_services = d.compose.get("services") or {}
    for name, run in running(d).items():
        url = getattr(run.settings, "amqp_url", None) if run.settings is not None else None
        if not url:
            continue
        user = unquote(urlsplit(url).username or "")
        if user != run.service:
            problems.append(f"{name}: runs {run.service} as RabbitMQ user {user!r}")
        raw = environment(raw_services.get(name, {})).get(env_name("amqp_url"), "")
        if "${" not in raw.partition("@")[0]:
            problems.append(f"{name}: its AMQP password is not read from ${{VAR:-default}}")
    for service in PERMISSIONS:
        password = str(users.get(service, {}).get("password", ""))
        if password and not password.startswith("dev-only-"):
            problems.append(
                f"{host}: {service}'s default password {password!r} doesn't say it is for "
                "development only (dev-only-...)"
            )
    return problems


def check_urls_point_at_services(d: Deployment) -> list[str]:
    """URLs name a compose service running the right server on its port, with
    that server's credentials, read from ${VAR:-default}; the container
    waits for that service to be healthy."""
    problems = []
    raw_services = d.compose.get("services") or {}
    for name, run in running(d).items():
        if run.settings is None:
            continue
        raw_env = environment(raw_services.get(name, {}))
        for field in URL_KINDS:
            url = getattr(run.settings, field, None)
            if url:
                problems += _url_problems(d, name, field, url, raw_env.get(env_name(field), ""))
    return problems


def check_gateway_ids(d: Deployment) -> list[str]:
    """Gateways need distinct ids on the bus and in routes: explicit ones
    distinct, or the default, which must then be unique per process."""
    gateways = settings_of(d, "gateway")
    explicit = {
        n: environment(chargebus_containers(d)[n]).get("CHARGEBUS_INSTANCE_ID") for n in gateways
    }
    given = [i for i in explicit.values() if i]
    problems = []
    if len(given) != len(set(given)):
        problems.append(f"gateway instance ids repeat: {explicit}")
    if len(given) < len(gateways) and default_instance_id() == default_instance_id():
        problems.append(
            "CHARGEBUS_INSTANCE_ID left to its default, which is not unique per process"
        )
    hostnames = [chargebus_containers(d)[n].get("hostname") for n in gateways]
    if len(given) < len(gateways) and len(set(hostnames)) != len(hostnames):
        problems.append(f"gateways share a hostname, which starts their default ids: {hostnames}")
    return problems


def check_stop_grace_period(d: Deployment) -> list[str]:
    """Docker's SIGKILL comes after stop_grace_period (10 s unless set): it
    must outlast the gateway's drain."""
    problems = []
    for name, settings in settings_of(d, "gateway").items():
        grace = seconds(chargebus_containers(d)[name].get("stop_grace_period", "10s"))
        needed = settings.drain_window + settings.call_timeout + DRAIN_AFTER_CALLS
        if grace <= needed:
            problems.append(
                f"{name}: stop_grace_period {grace:g} s; the drain takes up to {needed:g} s "
                f"(window {settings.drain_window:g} + calls {settings.call_timeout:g} + {DRAIN_AFTER_CALLS:g})"
            )
    return problems


def _healthcheck_urls(d: Deployment, name: str, service: dict[str, Any]) -> list[str] | str:
    """The URLs the container's healthcheck asks for, found by running its
    Python with urlopen replaced; or why that can't be done."""
    test = (service.get("healthcheck") or {}).get("test")
    if test is None:
        i = final_instruction(d, "HEALTHCHECK")
        if i is None:
            return "no HEALTHCHECK in the Dockerfile and none in the compose file"
        m = re.match(r"^(?:--\S+\s+)*CMD\s+(.*)$", i.args, re.S)
        if m is None:
            return f"HEALTHCHECK {i.args!r} runs no command"
        body = m.group(1).strip()
        test = ["CMD", *json.loads(body)] if body.startswith("[") else ["CMD-SHELL", body]
    words = test[1:] if test[0] == "CMD" else shlex.split(test[1]) if test[0] == "CMD-SHELL" else []
    if len(words) != 3 or not Path(words[0]).name.startswith("python") or words[1] != "-c":
        return f"healthcheck {test} is not `python -c CODE`"
    asked: list[str] = []

    def urlopen(url: Any, *args: Any, **kwargs: Any) -> Any:
        asked.append(url if isinstance(url, str) else url.full_url)
        return io.BytesIO(b"ok\n")

    with (
        mock.patch("urllib.request.urlopen", urlopen),
        mock.patch.dict(os.environ, container_env(d, service), clear=True),
    ):
        exec(compile(words[2], f"<healthcheck of {name}>", "exec"), {"__name__": "__main__"})
    return asked


def check_healthchecks_ask_the_api_port(d: Deployment) -> list[str]:
    """Each container's healthcheck asks /healthz or /readyz on the port its
    service serves them on."""
    problems = []
    for name, run in running(d).items():
        if run.settings is None:
            continue
        urls = _healthcheck_urls(d, name, chargebus_containers(d)[name])
        if isinstance(urls, str):
            problems.append(f"{name}: {urls}")
            continue
        for url in urls or ["(nothing asked)"]:
            parts = urlsplit(url)
            if (parts.hostname, parts.port, parts.path) not in {
                (host, run.settings.api_port, path)
                for host in ("127.0.0.1", "localhost")
                for path in ("/healthz", "/readyz")
            }:
                problems.append(
                    f"{name}: healthcheck asks {url}; the probes are on port {run.settings.api_port}"
                )
    return problems


def check_published_ports(d: Deployment) -> list[str]:
    """Host ports are unique; chargebus containers publish only ports they
    serve; the API (no authentication yet) only on loopback."""
    problems = []
    seen: dict[int, str] = {}
    for name, s in services(d).items():
        for _, host, _ in parse_ports(s):
            if host is not None and host in seen:
                problems.append(f"host port {host} is published by {seen[host]} and {name}")
            if host is not None:
                seen[host] = name
    for name, run in running(d).items():
        if run.settings is None:
            continue
        serving = {run.settings.api_port} | (
            {run.settings.ocpp_port} if run.service == "gateway" else set()
        )
        for ip, _, container in parse_ports(chargebus_containers(d)[name]):
            if container not in serving:
                problems.append(
                    f"{name}: publishes {container}, which it doesn't serve ({sorted(serving)})"
                )
            elif container == run.settings.api_port and ip not in ("127.0.0.1", "::1", "localhost"):
                problems.append(
                    f"{name}: the API port is published on every interface; bind it to 127.0.0.1"
                )
    return problems


# -- checks: the infrastructure and the file as a whole ---------------------------------


def check_depends_on(d: Deployment) -> list[str]:
    """Every depends_on target exists, and one waited for as healthy has a
    healthcheck (the chargebus image's comes from the Dockerfile)."""
    problems = []
    all_ = services(d)
    ours = chargebus_containers(d)
    for name, s in all_.items():
        for target, condition in depends_on(s).items():
            if target not in all_:
                problems.append(f"{name}: depends_on {target}, which is no service")
                continue
            if condition == "service_healthy":
                test = (all_[target].get("healthcheck") or {}).get("test")
                from_image = target in ours and final_instruction(d, "HEALTHCHECK") is not None
                if (
                    (all_[target].get("healthcheck") or {}).get("disable")
                    or test in (["NONE"], "NONE")
                    or (test is None and not from_image)
                ):
                    problems.append(
                        f"{name}: waits for {target} to be healthy, and {target} has no healthcheck"
                    )
    return problems


def check_variables_have_defaults(d: Deployment) -> list[str]:
    """`docker compose up` works without a .env file: every ${VAR} has a default."""
    problems = []

    def walk(value: Any, where: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{where}.{k}")
        elif isinstance(value, list):
            for n, v in enumerate(value):
                walk(v, f"{where}[{n}]")
        else:
            try:
                interpolate(value, strict=True)
            except KeyError as exc:
                problems.append(f"{where}: ${{{exc.args[0]}}} has no default")

    walk(d.compose, "")
    return problems


def check_restart_policies(d: Deployment) -> list[str]:
    return [
        f"{name}: no restart policy"
        for name, s in services(d).items()
        if s.get("restart") not in ("always", "unless-stopped", "on-failure")
        and not str(s.get("restart", "")).startswith("on-failure:")
    ]


def check_volumes(d: Deployment) -> list[str]:
    """RabbitMQ's and MongoDB's data live in named volumes, declared at the
    top level; RabbitMQ's node name (its hostname) is fixed, or a recreated
    container wouldn't find its data; bind-mounted files exist."""
    problems = []
    declared = set((d.compose.get("volumes") or {}).keys())
    data_dirs = {"rabbitmq": "/var/lib/rabbitmq", "mongo": "/data/db"}
    for name, s in services(d).items():
        m = mounts(s)
        for source in m.values():
            if source.startswith((".", "/")):
                if not (ROOT / source).exists():
                    problems.append(f"{name}: mounts {source}, which doesn't exist")
            elif source not in declared:
                problems.append(f"{name}: volume {source} is not declared under volumes:")
        kind = image_name(s)
        if kind in data_dirs:
            source = m.get(data_dirs[kind], "")
            if not source or source.startswith((".", "/")):
                problems.append(f"{name}: {data_dirs[kind]} is not a named volume")
        if kind == "rabbitmq" and not s.get("hostname"):
            problems.append(
                f"{name}: no fixed hostname: RabbitMQ keeps its data under rabbit@<hostname>"
            )
    for kind in data_dirs:
        if not any(image_name(s) == kind for s in services(d).values()):
            problems.append(f"no {kind} service")
    return problems


# -- checks: the load balancer -----------------------------------------------------------


def parse_haproxy(text: str) -> dict[str, list[list[str]]]:
    """Section ("frontend ocpp", "defaults", ...) -> its lines, as words."""
    sections: dict[str, list[list[str]]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        words = line.split()
        if not raw[0].isspace():
            current = " ".join(words[:2])
            sections[current] = []
        elif current is not None:
            sections[current].append(words)
    return sections


def _directive(lines: list[list[str]], *prefix: str) -> list[list[str]]:
    return [w[len(prefix) :] for w in lines if w[: len(prefix)] == list(prefix)]


def _haproxy_seconds(value: str) -> float:
    m = re.fullmatch(r"(\d+)(us|ms|s|m|h|d)?", value)
    assert m, value
    return (
        int(m.group(1))
        * {"us": 1e-6, "ms": 1e-3, None: 1e-3, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
    )


def check_load_balancer(d: Deployment) -> list[str]:
    """HAProxy publishes the chargers' port; its backend names every gateway
    on its OCPP port, checks each one's /readyz on its API port, balances by
    fewest connections, passes the WebSocket upgrade and keeps an upgraded
    socket longer than the gateway's pings are apart."""
    all_ = services(d)
    lbs = [n for n, s in all_.items() if image_name(s) == "haproxy"]
    if len(lbs) != 1:
        return [f"one haproxy service expected, found {lbs}"]
    lb = lbs[0]
    problems = []
    source = mounts(all_[lb]).get(HAPROXY_CFG_PATH)
    if source is None or (ROOT / source).resolve() != HAPROXY_CFG:
        problems.append(
            f"{lb}: {HAPROXY_CFG.relative_to(ROOT)} is not mounted at {HAPROXY_CFG_PATH}"
        )
    gateways = settings_of(d, "gateway")
    if not gateways:
        return [*problems, "no gateway runs"]
    cfg = parse_haproxy(d.haproxy)
    defaults = cfg.get("defaults", [])
    charger_port = GatewaySettings().ocpp_port  # the port chargers are told to use
    published = {host: c for _, host, c in parse_ports(all_[lb])}
    if charger_port not in published:
        return [*problems, f"{lb}: host port {charger_port} (chargers) is not published"]
    frontends = [
        name
        for name, lines in cfg.items()
        if name.startswith("frontend")
        and any(
            b[0].rsplit(":", 1)[-1] == str(published[charger_port])
            for b in _directive(lines, "bind")
        )
    ]
    if len(frontends) != 1:
        return [
            *problems,
            f"haproxy.cfg: no frontend binds :{published[charger_port]}, the port {lb} publishes as {charger_port}",
        ]
    frontend = cfg[frontends[0]]
    backend_name = (_directive(frontend, "default_backend") or [[""]])[0][0]
    backend = cfg.get(f"backend {backend_name}")
    if backend is None:
        return [*problems, f"haproxy.cfg: {frontends[0]} sends to no backend ({backend_name!r})"]

    precedence = [backend, frontend, defaults]  # where a setting is looked up, in order
    return [
        *problems,
        *_backend_server_problems(lb, all_[lb], _haproxy_servers(backend), gateways),
        *_health_check_problems(backend, precedence),
        *_websocket_problems(backend, frontend, defaults, gateways),
        *_file_descriptor_problems(lb, all_[lb], cfg),
    ]


def _haproxy_setting(precedence: list[list[list[str]]], *prefix: str) -> list[str] | None:
    """A directive's words from the first section that sets it, in
    ``precedence`` order (backend, frontend, defaults)."""
    for lines in precedence:
        found = _directive(lines, *prefix)
        if found:
            return found[-1]
    return None


def _haproxy_servers(backend: list[list[str]]) -> dict[str, tuple[int, int, bool]]:
    """Backend server host -> (its port, its health check port, checked)."""
    servers = {}
    default_server = [w for words in _directive(backend, "default-server") for w in words]
    for words in _directive(backend, "server"):
        host, _, port = words[1].rpartition(":")
        options = words[2:]
        check_port = options[options.index("port") + 1] if "port" in options else port
        servers[host] = (
            int(port),
            int(check_port),
            "check" in options or "check" in default_server,
        )
    return servers


def _backend_server_problems(
    lb: str,
    lb_service: dict[str, Any],
    servers: dict[str, tuple[int, int, bool]],
    gateways: dict[str, Any],
) -> list[str]:
    """Every gateway is a server on its OCPP port, checked on its API port,
    and the load balancer depends on it."""
    problems = []
    if set(servers) != set(gateways):
        problems.append(
            f"haproxy.cfg: backend servers {sorted(servers)}, gateways {sorted(gateways)}"
        )
    for name, settings in gateways.items():
        if name not in servers:
            continue
        port, check_port, checked = servers[name]
        if port != settings.ocpp_port:
            problems.append(f"haproxy.cfg: {name}:{port}, its OCPP port is {settings.ocpp_port}")
        if not checked or check_port != settings.api_port:
            problems.append(
                f"haproxy.cfg: {name} is not checked on its API port {settings.api_port}"
            )
        if name not in depends_on(lb_service):
            problems.append(f"{lb}: doesn't depend on {name}")
    return problems


def _health_check_problems(
    backend: list[list[str]], precedence: list[list[list[str]]]
) -> list[str]:
    """The check asks /readyz, a refused socket is redispatched, and the
    fewest connections win."""
    problems = []
    check_uri = [
        w[w.index("uri") + 1] for w in _directive(backend, "http-check", "send") if "uri" in w
    ]
    check_uri += [w[1] for w in _directive(backend, "option", "httpchk") if len(w) >= 2]
    if check_uri != ["/readyz"]:
        problems.append(
            f"haproxy.cfg: the health check asks {check_uri}, not /readyz (a draining gateway is unready)"
        )
    if _haproxy_setting(precedence, "option", "redispatch") is None:
        problems.append(
            "haproxy.cfg: no option redispatch: a draining gateway's refusals reach the chargers"
        )
    if ["leastconn"] not in _directive(backend, "balance"):
        problems.append("haproxy.cfg: balance is not leastconn")
    return problems


def _websocket_problems(
    backend: list[list[str]],
    frontend: list[list[str]],
    defaults: list[list[str]],
    gateways: dict[str, Any],
) -> list[str]:
    """Mode http, the upgrade's headers left alone, and an upgraded socket
    kept longer than the gateways' pings are apart."""
    problems = []
    precedence = [backend, frontend, defaults]
    mode = (_haproxy_setting(precedence, "mode") or ["tcp"])[0]
    if mode != "http":
        problems.append(f"haproxy.cfg: mode {mode}: WebSocket upgrades need mode http")
    for lines in (frontend, backend, defaults):
        for words in _directive(lines, "http-request") + _directive(lines, "http-response"):
            if any(w.lower() in ("upgrade", "connection") for w in words) and words[0] in (
                "del-header",
                "set-header",
                "replace-header",
            ):
                problems.append(f"haproxy.cfg: {' '.join(words)} breaks the WebSocket upgrade")
    tunnel = _haproxy_setting(precedence, "timeout", "tunnel")
    longest_silence = max(s.ping_interval + s.ping_timeout for s in gateways.values())
    if tunnel is None or _haproxy_seconds(tunnel[0]) <= longest_silence:
        problems.append(
            f"haproxy.cfg: timeout tunnel {tunnel}; a healthy socket may be silent for {longest_silence:g} s (pings)"
        )
    return problems


def _file_descriptor_problems(
    lb: str, lb_service: dict[str, Any], cfg: dict[str, list[list[str]]]
) -> list[str]:
    """Two sockets per connection (and some spare) under ``ulimits nofile``."""
    maxconn = (_directive(cfg.get("global", []), "maxconn") or [[None]])[0][0]
    nofile = (lb_service.get("ulimits") or {}).get("nofile") or {}
    soft = nofile.get("soft") if isinstance(nofile, dict) else nofile
    if maxconn is not None and (soft is None or int(soft) < 2 * int(maxconn) + 100):
        return [
            f"{lb}: maxconn {maxconn} needs {2 * int(maxconn) + 100} file descriptors; ulimits nofile is {soft}"
        ]
    return []


# -- checks: Prometheus ---------------------------------------------------------------------


def check_prometheus(d: Deployment) -> list[str]:
    """Prometheus reads deploy/compose/prometheus.yml; every chargebus
    container is scraped on its API port at /metrics; every target is a
    compose service on a port it serves."""
    all_ = services(d)
    proms = [n for n, s in all_.items() if image_name(s) == "prometheus"]
    if len(proms) != 1:
        return [f"one prometheus service expected, found {proms}"]
    problems = []
    command = all_[proms[0]].get("command") or []
    words = shlex.split(command) if isinstance(command, str) else command
    config_path = next(
        (w.split("=", 1)[1] for w in words if w.startswith("--config.file=")), PROMETHEUS_CFG_PATH
    )
    source = mounts(all_[proms[0]]).get(config_path)
    if source is None or (ROOT / source).resolve() != PROMETHEUS_YML:
        problems.append(
            f"{proms[0]}: {PROMETHEUS_YML.relative_to(ROOT)} is not mounted at {config_path}"
        )
    launches = running(d)
    scraped = set()
    jobs = d.prometheus.get("scrape_configs") or []
    names = [j.get("job_name") for j in jobs]
    if len(names) != len(set(names)):
        problems.append(f"prometheus.yml: job names repeat: {names}")
    for job in jobs:
        path = job.get("metrics_path", "/metrics")
        for static in job.get("static_configs") or []:
            for target in static.get("targets") or []:
                host, _, port = str(target).rpartition(":")
                where = f"prometheus.yml: {job.get('job_name')}: {target}"
                if host not in all_:
                    problems.append(f"{where}: {host} is no compose service")
                    continue
                run = launches.get(host)
                if run is not None and run.settings is not None:
                    scraped.add(host)
                    if (int(port), path) != (run.settings.api_port, "/metrics"):
                        problems.append(
                            f"{where}{path}: {host} serves /metrics on {run.settings.api_port}"
                        )
                elif run is None and int(port) not in listening_ports(all_[host]):
                    problems.append(f"{where}: {host} neither publishes nor exposes {port}")
    for name in set(launches) - scraped:
        problems.append(f"prometheus.yml: {name} is not scraped")
    return problems


# -- checks: the Dockerfile -------------------------------------------------------------------


def _builder(stages: list[Stage]) -> Stage | None:
    found = [s for s in stages if any("uv sync" in i.args for i in s.all("RUN"))]
    return found[0] if found else None


def check_dockerfile_user(d: Deployment) -> list[str]:
    """The runtime runs as a fixed uid other than root's."""
    stages = parse_dockerfile(d.dockerfile)
    users = stages[-1].all("USER") if stages else []
    if not users:
        return ["Dockerfile: the runtime stage has no USER: it runs as root"]
    user = users[-1].args.split(":", 1)[0]
    if user in ("root", "0"):
        return [f"Dockerfile: USER {users[-1].args} is root"]
    if not user.isdigit():
        created = any(
            re.search(rf"useradd .*--uid \d+ .*\b{re.escape(user)}\b", i.args)
            for i in stages[-1].all("RUN")
        )
        if not created:
            return [
                f"Dockerfile: USER {user} is not created with a fixed --uid in the runtime stage"
            ]
    return []


def check_dockerfile_uv(d: Deployment) -> list[str]:
    """uv installs from the lock: third-party dependencies first, in a layer
    that needs only uv.lock and every workspace member's pyproject.toml (with
    uv's cache mounted), then the workspace from its sources."""
    stages = parse_dockerfile(d.dockerfile)
    builder = _builder(stages)
    if builder is None:
        return ["Dockerfile: no stage runs `uv sync`"]
    syncs = [
        (n, i) for n, i in enumerate(builder.instructions) if i.op == "RUN" and "uv sync" in i.args
    ]
    problems = _uv_sync_problems(builder, [i for _, i in syncs])
    deps = [n for n, i in syncs if "--no-install-workspace" in i.args.split()]
    full = [n for n, i in syncs if "--no-install-workspace" not in i.args.split()]
    if not deps or not full or deps[0] > full[-1]:
        return [*problems, "Dockerfile: not `uv sync --no-install-workspace` first, then `uv sync`"]
    return [
        *problems,
        *_uv_layer_problems(builder, deps[0], full[-1]),
        *_uv_version_problems(stages, builder),
    ]


def _uv_sync_problems(builder: Stage, syncs: list[Instruction]) -> list[str]:
    """Each ``uv sync`` is frozen, without dev dependencies, with uv's cache mounted."""
    problems = []
    for i in syncs:
        flags, words = i.flags()
        command = " ".join(words)
        for needed in ("--frozen", "--no-dev"):
            if needed not in command.split():
                problems.append(f"Dockerfile:{i.line}: `uv sync` without {needed}")
        cache = builder.env().get("UV_CACHE_DIR", "/root/.cache/uv")
        if f"target={cache}" not in flags.get("mount", "") or "type=cache" not in flags.get(
            "mount", ""
        ):
            problems.append(f"Dockerfile:{i.line}: `uv sync` without a cache mount at {cache}")
    return problems


def _uv_layer_problems(builder: Stage, deps: int, full: int) -> list[str]:
    """Before the dependencies' ``uv sync`` (instruction ``deps``) only
    uv.lock and the members' pyproject.toml are copied; before the last
    (``full``) the sources and the readme too."""
    copies = []  # (index, destination-relative source paths)
    for n, i in enumerate(builder.instructions):
        if i.op == "COPY":
            flags, words = i.flags()
            if "from" not in flags:
                copies.append((n, [w.rstrip("/") for w in words[:-1]], words[-1]))

    def copied_before(path: str, index: int) -> bool:
        return any(
            "." in sources or path in sources or any(path.startswith(s + "/") for s in sources)
            for n, sources, _ in copies
            if n < index
        )

    problems = []
    project = tomllib.loads(PYPROJECT.read_text())
    members = [
        "",
        *sorted(
            str(Path(p).relative_to(ROOT))
            for pattern in project["tool"]["uv"]["workspace"]["members"]
            for p in glob.glob(str(ROOT / pattern))
            if (Path(p) / "pyproject.toml").exists()
        ),
    ]
    for member in members:
        prefix = f"{member}/" if member else ""
        if not copied_before(f"{prefix}pyproject.toml", deps):
            problems.append(
                f"Dockerfile: {prefix}pyproject.toml is not copied before `uv sync --no-install-workspace`"
            )
        if not copied_before(f"{prefix}src", full):
            problems.append(f"Dockerfile: {prefix}src is not copied before the last `uv sync`")
        if copied_before(f"{prefix}src", deps):
            problems.append(
                f"Dockerfile: {prefix}src is copied before the dependencies' layer: every edit reinstalls them"
            )
    if not copied_before("uv.lock", deps):
        problems.append("Dockerfile: uv.lock is not copied before `uv sync --no-install-workspace`")
    readme = project["project"].get("readme")
    if readme and not copied_before(readme, full):
        problems.append(
            f"Dockerfile: {readme} (the project's readme) is not copied before the last `uv sync`"
        )
    return problems


def _uv_version_problems(stages: list[Stage], builder: Stage) -> list[str]:
    """uv comes from its pinned image or a pinned ``pip install``."""
    problems = []
    uv_images = [s.base for s in stages if s.base.startswith("ghcr.io/astral-sh/uv")]
    uv_images += [
        i.flags()[0]["from"]
        for s in stages
        for i in s.all("COPY")
        if i.flags()[0].get("from", "").startswith("ghcr.io/astral-sh/uv")
    ]
    if not uv_images and not any(
        "pip install" in i.args and "uv==" in i.args for i in builder.all("RUN")
    ):
        problems.append(
            "Dockerfile: uv comes from neither ghcr.io/astral-sh/uv nor `pip install uv==X`"
        )
    for image in uv_images:
        if not re.search(r":\d+\.\d+\.\d+", image):
            problems.append(f"Dockerfile: {image}: pin uv's version")
    return problems


def check_dockerfile_runtime(d: Deployment) -> list[str]:
    """The runtime stage has the builder's base image (the venv's python is a
    symlink into it), a pinned Python the project supports, the venv, and the
    venv on PATH."""
    stages = parse_dockerfile(d.dockerfile)
    builder = _builder(stages)
    if builder is None or len(stages) < 2 or stages[-1] is builder:
        return ["Dockerfile: no separate builder and runtime stages"]
    runtime = stages[-1]
    problems = []
    if runtime.base != builder.base:
        problems.append(f"Dockerfile: runtime {runtime.base} and builder {builder.base} differ")
    m = re.fullmatch(r"python:3\.(\d+)(?:\.\d+)?-slim(?:-\w+)?", runtime.base)
    requires = tomllib.loads(PYPROJECT.read_text())["project"]["requires-python"]
    minimum = int(requires.removeprefix(">=3."))
    if m is None or int(m.group(1)) < minimum:
        problems.append(
            f"Dockerfile: runtime {runtime.base}: not python:3.X-slim with 3.X {requires}"
        )
    venv = (
        builder.env().get("UV_PROJECT_ENVIRONMENT")
        or f"{(builder.all('WORKDIR') or [Instruction('', '/', 0)])[-1].args}/.venv"
    )
    editable = all("--no-editable" not in i.args for i in builder.all("RUN") if "uv sync" in i.args)
    needed = [venv] + (
        [builder.all("WORKDIR")[-1].args] if editable and builder.all("WORKDIR") else []
    )
    for path in needed:
        if not any(
            i.flags()[0].get("from") == builder.name and path in i.flags()[1][:-1]
            for i in runtime.all("COPY")
        ):
            problems.append(
                f"Dockerfile: the runtime stage doesn't copy {path} from {builder.name}"
            )
    if not runtime.env().get("PATH", "").startswith(f"{venv}/bin:"):
        problems.append(f"Dockerfile: {venv}/bin is not first on PATH")
    if runtime.env().get("PYTHONUNBUFFERED") != "1":
        problems.append("Dockerfile: PYTHONUNBUFFERED is not 1 (logs would sit in a buffer)")
    return problems


def check_dockerfile_runs_chargebus(d: Deployment) -> list[str]:
    """ENTRYPOINT is the chargebus command (the project's script), CMD parses
    as its arguments, every CHARGEBUS_* variable of the image is a valid
    setting of every service (the image runs them all), the service ports are
    exposed and the stop signal is one the services handle."""
    problems = []
    scripts = tomllib.loads(PYPROJECT.read_text())["project"]["scripts"]
    entrypoint = final_instruction(d, "ENTRYPOINT")
    if (
        entrypoint is None
        or not entrypoint.args.startswith("[")
        or entrypoint.words() != ["chargebus"]
    ):
        problems.append(
            'Dockerfile: ENTRYPOINT is not ["chargebus"] (exec form, so it gets the signals)'
        )
    if scripts.get("chargebus") != "chargebus.cli.main:main":
        problems.append(f"pyproject.toml: the chargebus script is {scripts.get('chargebus')}")
    cmd = final_instruction(d, "CMD")
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            cli.parser().parse_args(cmd.words() if cmd else [])
    except SystemExit:
        problems.append(f"Dockerfile: CMD {cmd.args if cmd else None} is no chargebus command line")
    env = {k: v for k, v in image_env(d).items() if k.startswith("CHARGEBUS_")}
    for kind, cls in SETTINGS.items():
        fields = {env_name(f.name) for f in msgspec.structs.fields(cls)}
        for variable in sorted(set(env) - fields):
            problems.append(f"Dockerfile: ENV {variable} is no setting of the {kind} service")
        try:
            load_settings(cls, {k: v for k, v in env.items() if k in fields})
        except ValueError as exc:
            problems.append(f"Dockerfile: ENV, for the {kind} service: {exc}")
    exposed = {
        int(p.split("/")[0])
        for i in parse_dockerfile(d.dockerfile)[-1].all("EXPOSE")
        for p in i.args.split()
    }
    defaults = {GatewaySettings().ocpp_port} | {cls().api_port for cls in SETTINGS.values()}
    if not defaults <= exposed:
        problems.append(
            f"Dockerfile: EXPOSE {sorted(exposed)}, the services listen on {sorted(defaults)}"
        )
    stop = final_instruction(d, "STOPSIGNAL")
    if stop is not None and stop.args not in ("SIGTERM", "SIGINT", "15", "2"):
        problems.append(
            f"Dockerfile: STOPSIGNAL {stop.args}: the services stop gracefully on SIGTERM or SIGINT"
        )
    return problems


def _ignored(patterns: list[str], path: str) -> bool:
    """.dockerignore's rule, simplified: the last matching pattern decides;
    a pattern excludes a directory's contents too."""
    verdict = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        parts = path.split("/")
        prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
        if any(
            fnmatch.fnmatch(p, pattern) or fnmatch.fnmatch(p, pattern.replace("**/", ""))
            for p in prefixes
        ):
            verdict = not negate
    return verdict


def check_dockerignore(d: Deployment) -> list[str]:
    """The build context leaves out the venv, the data, git and caches, and
    keeps everything the Dockerfile copies."""
    patterns = [
        p.strip() for p in d.dockerignore.splitlines() if p.strip() and not p.startswith("#")
    ]
    problems = []
    for path in (
        ".venv",
        ".git",
        "data",
        "libs/common/src/chargebus/common/__pycache__",
        ".pytest_cache",
    ):
        if not _ignored(patterns, path):
            problems.append(f".dockerignore: {path} goes into the build context")
    for stage in parse_dockerfile(d.dockerfile):
        for i in stage.all("COPY"):
            flags, words = i.flags()
            if "from" in flags:
                continue
            for source in words[:-1]:
                if _ignored(patterns, source.rstrip("/")):
                    problems.append(
                        f".dockerignore: leaves out {source}, which the Dockerfile copies"
                    )
    return problems


CHECKS: list[Callable[[Deployment], list[str]]] = [
    check_every_container_runs_a_service,
    check_every_container_starts,
    check_variables_are_settings,
    check_required_urls,
    check_urls_point_at_services,
    check_bus_users,
    check_gateway_ids,
    check_stop_grace_period,
    check_healthchecks_ask_the_api_port,
    check_published_ports,
    check_depends_on,
    check_variables_have_defaults,
    check_restart_policies,
    check_volumes,
    check_load_balancer,
    check_prometheus,
    check_dockerfile_user,
    check_dockerfile_uv,
    check_dockerfile_runtime,
    check_dockerfile_runs_chargebus,
    check_dockerignore,
]


@pytest.fixture(scope="module")
def deployment() -> Deployment:
    return load()


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__.removeprefix("check_"))
def test_deployment(deployment: Deployment, check: Callable[[Deployment], list[str]]) -> None:
    assert check(deployment) == []


# -- each check can fail ----------------------------------------------------------------------


def _svc(d: Deployment, name: str) -> dict[str, Any]:
    service: dict[str, Any] = d.compose["services"][name]
    return service


def _env(d: Deployment, name: str) -> dict[str, Any]:
    service = _svc(d, name)
    service["environment"] = dict(service.get("environment") or {})
    env: dict[str, Any] = service["environment"]
    return env


def _set(d: Deployment, name: str, key: str, value: Any) -> None:
    _svc(d, name)[key] = value


def _text(attr: str, old: str, new: str) -> Callable[[Deployment], None]:
    def mutate(d: Deployment) -> None:
        text = getattr(d, attr)
        assert old in text, f"{old!r} not in {attr}"
        setattr(d, attr, text.replace(old, new))

    return mutate


def _config(name: str, old: str, new: str) -> Callable[[Deployment], None]:
    def mutate(d: Deployment) -> None:
        config = d.compose["configs"][name]
        assert old in config["content"], f"{old!r} not in config {name}"
        config["content"] = config["content"].replace(old, new)

    return mutate


# fmt: off
MUTATIONS: list[tuple[Callable[[Deployment], list[str]], str, Callable[[Deployment], None]]] = [
    (check_every_container_runs_a_service, "a typo in a service name", lambda d: _set(d, "commands", "command", ["run", "command"])),
    (check_every_container_runs_a_service, "the all-in-one in a container", lambda d: _set(d, "billing", "command", ["run"])),
    (check_every_container_runs_a_service, "one gateway", lambda d: d.compose["services"].pop("gateway-2")),
    (check_every_container_starts, "a bad setting", lambda d: _env(d, "sessions").update(CHARGEBUS_PREFETCH="lots")),
    (check_every_container_starts, "RabbitMQ without Redis", lambda d: _env(d, "gateway-1").pop("CHARGEBUS_REDIS_URL")),
    (check_variables_are_settings, "another service's setting", lambda d: _env(d, "gateway-1").update(CHARGEBUS_REMOTE_START_WINDOW="60")),
    (check_variables_are_settings, "a misspelt setting", lambda d: _env(d, "sessions").update(CHARGEBUS_MONGO_URL="mongodb://mongo/x")),
    (check_required_urls, "sessions without MongoDB", lambda d: _env(d, "sessions").pop("CHARGEBUS_MONGODB_URL")),
    (check_urls_point_at_services, "a host that isn't there", lambda d: _env(d, "commands").update(CHARGEBUS_REDIS_URL="redis://:chargebus@cache:6379/0")),
    (check_urls_point_at_services, "Redis's URL at MongoDB", lambda d: _env(d, "gateway-2").update(CHARGEBUS_REDIS_URL="redis://:${REDIS_PASSWORD:-chargebus}@mongo:6379/0")),
    (check_urls_point_at_services, "a wrong port", lambda d: _env(d, "billing").update(CHARGEBUS_AMQP_URL="amqp://${RABBITMQ_USER:-chargebus}:${RABBITMQ_PASSWORD:-chargebus}@rabbitmq:5673/")),
    (check_urls_point_at_services, "a password in the file", lambda d: _env(d, "sessions").update(CHARGEBUS_AMQP_URL="amqp://chargebus:chargebus@rabbitmq:5672/")),
    (check_urls_point_at_services, "another password than RabbitMQ's", _config("rabbitmq-definitions", "RABBITMQ_SESSIONS_PASSWORD:-dev-only-sessions", "RABBITMQ_SESSIONS_PASSWORD:-other")),
    (check_urls_point_at_services, "a user RabbitMQ doesn't know", lambda d: _env(d, "commands").update(CHARGEBUS_AMQP_URL="amqp://chargebus:${RABBITMQ_COMMANDS_PASSWORD:-dev-only-commands}@rabbitmq:5672/")),
    (check_bus_users, "a service on another's user", lambda d: _env(d, "billing").update(CHARGEBUS_AMQP_URL="amqp://sessions:${RABBITMQ_SESSIONS_PASSWORD:-dev-only-sessions}@rabbitmq:5672/")),
    (check_bus_users, "a gateway as the administrator", lambda d: _env(d, "gateway-2").update(CHARGEBUS_AMQP_URL="amqp://${RABBITMQ_USER:-chargebus}:${RABBITMQ_PASSWORD:-chargebus}@rabbitmq:5672/")),
    (check_bus_users, "a permission widened", _config("rabbitmq-definitions", '"user": "billing", "vhost": "/", "configure": "^$$"', '"user": "billing", "vhost": "/", "configure": ".*"')),
    (check_bus_users, "a queue left out", _config("rabbitmq-definitions", '"routing_key": "session.#"', '"routing_key": "session.ended"')),
    (check_bus_users, "the definitions not loaded", _config("rabbitmq-conf", "load_definitions", "# load_definitions")),
    (check_bus_users, "the definitions not mounted", lambda d: _svc(d, "rabbitmq").pop("configs")),
    (check_bus_users, "a production-looking default", _config("rabbitmq-definitions", "dev-only-billing}", "billing-2026}")),
    (check_urls_point_at_services, "MongoDB without authSource", lambda d: _env(d, "commands").update(CHARGEBUS_MONGODB_URL="mongodb://${MONGO_USER:-chargebus}:${MONGO_PASSWORD:-chargebus}@mongo:27017/chargebus")),
    (check_urls_point_at_services, "Redis without its password", lambda d: _env(d, "gateway-1").update(CHARGEBUS_REDIS_URL="redis://redis:6379/0")),
    (check_urls_point_at_services, "not waiting for MongoDB", lambda d: _svc(d, "billing")["depends_on"].pop("mongo")),
    (check_gateway_ids, "the same id twice", lambda d: (_env(d, "gateway-1").update(CHARGEBUS_INSTANCE_ID="gw"), _env(d, "gateway-2").update(CHARGEBUS_INSTANCE_ID="gw"))),
    (check_gateway_ids, "the same hostname twice", lambda d: _set(d, "gateway-2", "hostname", "gateway-1")),
    (check_stop_grace_period, "Docker's default 10 s", lambda d: _svc(d, "gateway-1").pop("stop_grace_period")),
    (check_stop_grace_period, "a drain window longer than the grace", lambda d: _env(d, "gateway-2").update(CHARGEBUS_DRAIN_WINDOW="120")),
    (check_healthchecks_ask_the_api_port, "the API moved, the healthcheck didn't", lambda d: (_text("dockerfile", "os.environ.get('CHARGEBUS_API_PORT', '8080')", "8080")(d), _env(d, "sessions").update(CHARGEBUS_API_PORT="8090"))),
    (check_healthchecks_ask_the_api_port, "a healthcheck on the OCPP port", lambda d: _set(d, "sessions", "healthcheck", {"test": ["CMD", "python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9000/healthz')"] })),
    (check_healthchecks_ask_the_api_port, "a default port that isn't the API's", _text("dockerfile", "'CHARGEBUS_API_PORT', '8080'", "'CHARGEBUS_API_PORT', '8000'")),
    (check_published_ports, "a host port twice", lambda d: _set(d, "commands", "ports", ["127.0.0.1:8081:8080"])),
    (check_published_ports, "the API on every interface", lambda d: _set(d, "billing", "ports", ["8083:8080"])),
    (check_published_ports, "a port nothing serves", lambda d: _set(d, "sessions", "ports", ["127.0.0.1:8081:8000"])),
    (check_depends_on, "a dependency that isn't there", lambda d: _svc(d, "haproxy")["depends_on"].update({"gateway-3": {"condition": "service_started"}})),
    (check_depends_on, "waiting for a healthcheck that isn't there", lambda d: _svc(d, "redis").pop("healthcheck")),
    (check_variables_have_defaults, "a password without a default", lambda d: _env(d, "mongo").update(MONGO_INITDB_ROOT_PASSWORD="${MONGO_PASSWORD}")),
    (check_restart_policies, "no restart policy", lambda d: _svc(d, "mongo").pop("restart")),
    (check_volumes, "RabbitMQ without its hostname", lambda d: _svc(d, "rabbitmq").pop("hostname")),
    (check_volumes, "an undeclared volume", lambda d: d.compose["volumes"].pop("mongo-data")),
    (check_volumes, "MongoDB's data in the container", lambda d: _set(d, "mongo", "volumes", [])),
    (check_volumes, "a config file that isn't there", lambda d: _set(d, "haproxy", "volumes", ["./deploy/compose/nginx.conf:/usr/local/etc/haproxy/haproxy.cfg:ro"])),
    (check_load_balancer, "a gateway left out", _text("haproxy", "    server gateway-2 gateway-2:9000 check port 8080\n", "")),
    (check_load_balancer, "the API port as the OCPP port", _text("haproxy", "gateway-1:9000 check port 8080", "gateway-1:8080 check port 8080")),
    (check_load_balancer, "checked on the OCPP port", _text("haproxy", "gateway-2:9000 check port 8080", "gateway-2:9000 check")),
    (check_load_balancer, "a gateway on another port", lambda d: _env(d, "gateway-1").update(CHARGEBUS_OCPP_PORT="9001")),
    (check_load_balancer, "health, not readiness", _text("haproxy", "uri /readyz", "uri /healthz")),
    (check_load_balancer, "round robin", _text("haproxy", "balance leastconn", "balance roundrobin")),
    (check_load_balancer, "the upgrade headers dropped", _text("haproxy", "    option forwardfor\n", "    option forwardfor\n    http-request del-header Upgrade\n")),
    (check_load_balancer, "no redispatch", _text("haproxy", "    option redispatch 1\n", "")),
    (check_load_balancer, "TCP mode", _text("haproxy", "    mode http\n", "    mode tcp\n")),
    (check_load_balancer, "a short tunnel timeout", _text("haproxy", "timeout tunnel 1h", "timeout tunnel 50s")),
    (check_load_balancer, "no tunnel timeout", _text("haproxy", "    timeout tunnel 1h\n", "")),
    (check_load_balancer, "too few file descriptors", lambda d: _svc(d, "haproxy").pop("ulimits")),
    (check_load_balancer, "the chargers' port not published", lambda d: _set(d, "haproxy", "ports", ["9443:9000"])),
    (check_load_balancer, "the config not mounted", lambda d: _set(d, "haproxy", "volumes", [])),
    (check_prometheus, "a gateway not scraped", lambda d: d.prometheus["scrape_configs"][0]["static_configs"][0]["targets"].pop()),
    (check_prometheus, "the wrong port", lambda d: d.prometheus["scrape_configs"][1]["static_configs"][0].update(targets=["sessions:9000"])),
    (check_prometheus, "a target that isn't there", lambda d: d.prometheus["scrape_configs"].append({"job_name": "x", "static_configs": [{"targets": ["grafana:3000"]}]})),
    (check_prometheus, "a port the target doesn't serve", lambda d: d.prometheus["scrape_configs"][-1]["static_configs"][0].update(targets=["prometheus:9091"])),
    (check_prometheus, "a service's API port moved", lambda d: _env(d, "billing").update(CHARGEBUS_API_PORT="8090")),
    (check_dockerfile_user, "root", _text("dockerfile", "USER 10001:10001", "USER root")),
    (check_dockerfile_user, "no USER", _text("dockerfile", "USER 10001:10001\n", "")),
    (check_dockerfile_uv, "not --frozen", _text("dockerfile", "uv sync --frozen --no-dev --no-editable", "uv sync --no-dev --no-editable")),
    (check_dockerfile_uv, "a member's pyproject.toml missing", _text("dockerfile", "COPY services/billing/pyproject.toml services/billing/\n", "")),
    (check_dockerfile_uv, "a member's source missing", _text("dockerfile", "COPY services/commands/src services/commands/src\n", "")),
    (check_dockerfile_uv, "no cache mount", _text("dockerfile", "RUN --mount=type=cache,target=/root/.cache/uv \\\n    uv sync --frozen --no-dev --no-install-workspace", "RUN uv sync --frozen --no-dev --no-install-workspace")),
    (check_dockerfile_uv, "uv unpinned", _text("dockerfile", "ghcr.io/astral-sh/uv:0.13.9", "ghcr.io/astral-sh/uv:latest")),
    (check_dockerfile_uv, "the readme missing", _text("dockerfile", "COPY README.md ./\n", "")),
    (check_dockerfile_runtime, "another base at run time", _text("dockerfile", "FROM ${PYTHON_IMAGE} AS runtime", "FROM python:3.12-slim AS runtime")),
    (check_dockerfile_runtime, "an unsupported Python", _text("dockerfile", "python:3.11-slim-trixie", "python:3.10-slim-trixie")),
    (check_dockerfile_runtime, "an editable install without the source", _text("dockerfile", "uv sync --frozen --no-dev --no-editable", "uv sync --frozen --no-dev")),
    (check_dockerfile_runtime, "the venv off PATH", _text("dockerfile", 'PATH="/app/.venv/bin:${PATH}"', 'PATH="${PATH}"')),
    (check_dockerfile_runtime, "buffered output", _text("dockerfile", "PYTHONUNBUFFERED=1", "PYTHONUNBUFFERED=0")),
    (check_dockerfile_runs_chargebus, "a shell-form entrypoint", _text("dockerfile", 'ENTRYPOINT ["chargebus"]', "ENTRYPOINT chargebus")),
    (check_dockerfile_runs_chargebus, "a CMD chargebus doesn't know", _text("dockerfile", 'CMD ["run"]', 'CMD ["serve"]')),
    (check_dockerfile_runs_chargebus, "a bad log format", _text("dockerfile", "CHARGEBUS_LOG_FORMAT=json", "CHARGEBUS_LOG_FORMAT=yaml")),
    (check_dockerfile_runs_chargebus, "a setting only the gateway has", _text("dockerfile", "CHARGEBUS_LOG_FORMAT=json", "CHARGEBUS_LOG_FORMAT=json CHARGEBUS_DRAIN_WINDOW=10")),
    (check_dockerfile_runs_chargebus, "the API port not exposed", _text("dockerfile", "EXPOSE 9000 8080", "EXPOSE 9000")),
    (check_dockerfile_runs_chargebus, "a stop signal nothing handles", _text("dockerfile", "STOPSIGNAL SIGTERM", "STOPSIGNAL SIGQUIT")),
    (check_dockerignore, "the venv in the context", _text("dockerignore", ".venv\n", "")),
    (check_dockerignore, "the source left out", _text("dockerignore", "dist\n", "dist\nservices/*/src\n")),
]
# fmt: on


@pytest.mark.parametrize(
    ("check", "how", "mutate"),
    MUTATIONS,
    ids=[f"{c.__name__.removeprefix('check_')}: {how}" for c, how, _ in MUTATIONS],
)
def test_each_check_can_fail(
    deployment: Deployment,
    check: Callable[[Deployment], list[str]],
    how: str,
    mutate: Callable[[Deployment], None],
) -> None:
    broken = copy.deepcopy(deployment)
    mutate(broken)
    assert check(broken) != [], f"{check.__name__} missed: {how}"


def test_every_check_is_shown_to_fail() -> None:
    assert {c for c, _, _ in MUTATIONS} == set(CHECKS)


# -- the helpers themselves ------------------------------------------------------------------


def test_launch_reads_the_environment_as_the_service_does() -> None:
    env = {
        "CHARGEBUS_AMQP_URL": "amqp://a/",
        "CHARGEBUS_REDIS_URL": "redis://r",
        "CHARGEBUS_API_PORT": "8123",
    }
    run = launch(["chargebus", "run", "sessions"], env)
    assert (run.service, run.exit, type(run.settings), run.settings.api_port) == (
        "sessions",
        None,
        SessionsSettings,
        8123,
    )
    run = launch(["python", "-m", "chargebus.commands"], env)
    assert (run.service, run.exit, type(run.settings)) == ("commands", None, CommandsSettings)
    assert launch(["chargebus", "run", "sessions"], {}).exit is not None
    assert launch(["chargebus", "run"], env).exit is not None


def test_interpolation_and_durations() -> None:
    assert interpolate("a${X:-b}c${Y-d}$$e") == "abcd$e"
    with pytest.raises(KeyError):
        interpolate("${NO_DEFAULT}", strict=True)
    assert [seconds(v) for v in ("90s", "1m30s", "1h", "500ms", 12)] == [90, 90, 3600, 0.5, 12]
    assert parse_ports(
        {"ports": ["127.0.0.1:8081:8080", "9000:9000", "8080", {"target": 1, "published": 2}]}
    ) == [
        ("127.0.0.1", 8081, 8080),
        (None, 9000, 9000),
        (None, None, 8080),
        (None, 2, 1),
    ]


def test_the_image_healthcheck_fails_when_nothing_answers(deployment: Deployment) -> None:
    """Run for real: exit 0 against a server answering /healthz, not 0 against
    a closed port."""
    instruction = final_instruction(deployment, "HEALTHCHECK")
    assert instruction is not None
    code = json.loads(re.sub(r"^(?:--\S+\s+)*CMD\s+", "", instruction.args))[2]

    class Healthz(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200 if self.path == "/healthz" else 404)
            self.end_headers()
            self.wfile.write(b"ok\n")

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Healthz)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        closed_port = closed.getsockname()[1]
    try:

        def run(port: int) -> int:
            env = {**os.environ, "CHARGEBUS_API_PORT": str(port)}
            return subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, timeout=30
            ).returncode

        assert run(server.server_address[1]) == 0
        assert run(closed_port) != 0
    finally:
        server.shutdown()
        server.server_close()
