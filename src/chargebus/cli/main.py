"""``chargebus``: the command line.

``chargebus run`` runs every service in one process.  With nothing
configured that is the embedded all-in-one: the in-memory bus and route
table and SQLite in the data directory.  With ``CHARGEBUS_AMQP_URL`` and
``CHARGEBUS_REDIS_URL`` (and ``CHARGEBUS_MONGODB_URL``) set, the same code
runs against RabbitMQ, Redis (and MongoDB); ``chargebus run gateway``
(``sessions``, ``commands``, ``billing``) runs one service, as deployments do.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import Any

from chargebus.billing.settings import BillingSettings
from chargebus.commands.settings import CommandsSettings
from chargebus.common import logs
from chargebus.common.settings import SettingsError, env_name, load_settings
from chargebus.gateway.main import run
from chargebus.gateway.settings import GatewaySettings
from chargebus.sessions.settings import SessionsSettings

SERVICES = ("gateway", "sessions", "commands", "billing")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="chargebus", description="An OCPP 1.6J/2.0.1/2.1 CSMS.")
    commands = p.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "simulate",
        help="a fleet of virtual chargers against an OCPP endpoint (chargebus simulate -h)",
        add_help=False,
    )
    api_key = commands.add_parser("api-key", help="make an API key for the HTTP API")
    api_key_commands = api_key.add_subparsers(dest="api_key_command", required=True)
    new = api_key_commands.add_parser(
        "new",
        help="print a new key (once) and the line that configures it",
        description="Prints a new API key, once: keep it secret. The server stores only the "
        "line printed after it: add that to CHARGEBUS_API_KEYS (comma-separated) or as a line "
        "of CHARGEBUS_API_KEYS_FILE, and restart the services.",
    )
    new.add_argument("--name", required=True, help="who or what uses it (in the logs)")
    new.add_argument(
        "--scope",
        "--scopes",
        default="read",
        help="read (GET), command (read, and send commands to chargers) or admin "
        "(everything); a list like read,command means its widest (default read)",
    )
    new.add_argument(
        "--append-to", type=Path, help="also append the line to this keys file (mode 0600)"
    )
    definitions = commands.add_parser(
        "bus-definitions",
        help="RabbitMQ definitions: a user per service, its permissions, the topology",
        description="Prints RabbitMQ definitions (for load_definitions or rabbitmqctl "
        "import_definitions): the vhost, the users gateway, sessions, commands and billing "
        "with only the permissions each needs (docs/bus.md), and the exchanges, queues and "
        "bindings. Their passwords come from RABBITMQ_GATEWAY_PASSWORD, "
        "RABBITMQ_SESSIONS_PASSWORD, RABBITMQ_COMMANDS_PASSWORD and RABBITMQ_BILLING_PASSWORD.",
    )
    definitions.add_argument("--vhost", default="/", help="the vhost (default /)")
    run = commands.add_parser("run", help="run the CSMS (all services) or one service")
    run.add_argument("service", nargs="?", choices=SERVICES, help="run only this service")
    run.add_argument("--host", help="address to listen on (default 0.0.0.0)")
    run.add_argument("--ocpp-port", type=int, help="chargers connect here (default 9000)")
    run.add_argument("--api-port", type=int, help="HTTP API, probes and /metrics (default 8080)")
    run.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="where the embedded store keeps its SQLite file (default ./data)",
    )
    run.add_argument(
        "--log-level",
        help="DEBUG, INFO, WARNING or ERROR (default: CHARGEBUS_LOG_LEVEL, else INFO)",
    )
    run.add_argument(
        "--log-format",
        choices=("auto", "json", "text"),
        help="json lines, text, or auto: text on a terminal, else json "
        "(default: CHARGEBUS_LOG_FORMAT, else auto)",
    )
    return p


def main(argv: Sequence[str] | None = None) -> None:
    given = list(sys.argv[1:] if argv is None else argv)
    if given[:1] == ["simulate"]:
        from chargebus.cli.simulate import main as simulate

        sys.exit(simulate(given[1:]))
    args = parser().parse_args(argv)
    if args.command == "api-key":
        sys.exit(_new_api_key(args))
    if args.command == "bus-definitions":
        sys.exit(_bus_definitions(args))
    gateway, sessions, commands, billing = _load_settings(args)
    try:
        logs.configure(gateway.log_level, gateway.log_format)
    except ValueError as exc:
        source = "--log-level" if args.log_level is not None else env_name("log_level")
        sys.exit(f"chargebus: bad setting: {source}: {exc}")
    problem = _deployment_problem(args.service, gateway, sessions)
    if problem is not None:
        sys.exit(f"chargebus: {problem}")
    _run(args.service, gateway, sessions, commands, billing)


def _load_settings(
    args: argparse.Namespace,
) -> tuple[GatewaySettings, SessionsSettings, CommandsSettings, BillingSettings]:
    """Every service's settings: the environment, overridden by the flags given."""
    # Only the flags given: load_settings names a flag as the source of a bad
    # value when its key is among the overrides.
    log_flags = {
        key: value
        for key, value in (("log_level", args.log_level), ("log_format", args.log_format))
        if value is not None
    }
    overrides: dict[str, Any] = {
        "host": args.host,
        "ocpp_port": args.ocpp_port,
        "api_port": args.api_port,
        **log_flags,
    }
    try:
        gateway = load_settings(GatewaySettings, os.environ, overrides)
        shared = {
            "host": args.host,
            "api_port": args.api_port,
            "data_dir": str(args.data_dir) if args.data_dir else None,
            **log_flags,
        }
        sessions = load_settings(SessionsSettings, os.environ, shared)
        commands = load_settings(CommandsSettings, os.environ, shared)
        billing = load_settings(BillingSettings, os.environ, shared)
    except SettingsError as exc:
        sys.exit(f"chargebus: bad setting: {exc}")
    return gateway, sessions, commands, billing


def _deployment_problem(
    service: str | None, gateway: GatewaySettings, sessions: SessionsSettings
) -> str | None:
    """Why the servers configured can't run ``service`` (None: all of them),
    or None: RabbitMQ and Redis go together, MongoDB needs them, and a
    service run alone needs them (billing: RabbitMQ only)."""
    if service == "billing":  # the one service that needs no route table
        if not gateway.amqp_url:
            return "`run billing` alone needs RabbitMQ; `run` runs all"
    elif bool(gateway.amqp_url) != bool(gateway.redis_url):
        return "set both CHARGEBUS_AMQP_URL and CHARGEBUS_REDIS_URL, or neither"
    if sessions.mongodb_url and not gateway.amqp_url:
        return "CHARGEBUS_MONGODB_URL needs CHARGEBUS_AMQP_URL and CHARGEBUS_REDIS_URL"
    if service in ("sessions", "commands") and not gateway.amqp_url:
        return f"`run {service}` alone needs RabbitMQ and Redis; `run` runs all"
    return None


def _run(
    service: str | None,
    gateway: GatewaySettings,
    sessions: SessionsSettings,
    commands: CommandsSettings,
    billing: BillingSettings,
) -> None:
    """Serve ``service`` (None: all of them, in this process) until stopped."""
    if service == "gateway":
        from chargebus.gateway.main import serve_until_stopped

        _serve(serve_until_stopped(gateway))
    elif service == "sessions":
        from chargebus.sessions.main import serve_until_stopped as serve_sessions

        _serve(serve_sessions(sessions))
    elif service == "commands":
        from chargebus.commands.main import serve_until_stopped as serve_commands

        _serve(serve_commands(commands))
    elif service == "billing":
        from chargebus.billing.main import serve_until_stopped as serve_billing

        _serve(serve_billing(billing))
    else:
        from chargebus.cli.allinone import serve_all

        _serve(serve_all(gateway, sessions, commands, billing))


def _new_api_key(args: argparse.Namespace) -> int:
    from chargebus.common.apikeys import SCOPES, new_key

    scopes = [s.strip() for s in str(args.scope).split(",") if s.strip()]
    if not scopes or set(scopes) - set(SCOPES):
        print(f"chargebus: --scope: one or more of {', '.join(SCOPES)}", file=sys.stderr)
        return 2
    scope = max(scopes, key=SCOPES.index)
    try:
        key, stored = new_key(args.name, scope)
    except ValueError as exc:
        print(f"chargebus: {exc}", file=sys.stderr)
        return 2
    if args.append_to is not None:
        path: Path = args.append_to
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as f:
            f.write(stored.entry + "\n")
    print(f"API key {args.name!r}, scope {scope} (shown once; keep it secret):")
    print(f"  {key}")
    if args.append_to is None:
        print(
            "The server's line (add it to CHARGEBUS_API_KEYS, comma-separated, or as a line "
            "of CHARGEBUS_API_KEYS_FILE; restart to apply):"
        )
    else:
        print(f"The server's line, appended to {args.append_to} (restart to apply):")
    print(f"  {stored.entry}")
    return 0


def _bus_definitions(args: argparse.Namespace) -> int:
    import json

    from chargebus.common.bus.permissions import SERVICES, definitions

    names = {service: f"RABBITMQ_{service.upper()}_PASSWORD" for service in SERVICES}
    missing = [name for name in names.values() if not os.environ.get(name)]
    if missing:
        print(f"chargebus: set {', '.join(missing)}", file=sys.stderr)
        return 2
    passwords = {service: os.environ[name] for service, name in names.items()}
    print(json.dumps(definitions(passwords, vhost=args.vhost), indent=2))
    return 0


def _serve(main: Coroutine[Any, Any, None]) -> None:
    """Run until stopped; a setting found wrong only when used (a TLS file,
    a port taken) stops the start with the variable's name, not a traceback."""
    try:
        run(main)
    except SettingsError as exc:
        sys.exit(f"chargebus: bad setting: {exc}")


if __name__ == "__main__":
    main()
