"""``chargebus``: the command line.

``chargebus run`` with nothing configured is the embedded all-in-one: every
service that exists so far in one process, on the in-memory bus and route
table.  With ``CHARGEBUS_AMQP_URL`` and ``CHARGEBUS_REDIS_URL`` set, the same
code runs against RabbitMQ and Redis.  ``chargebus run gateway`` runs the
gateway alone.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from chargebus.common.bus.memory import MemoryBroker
from chargebus.common.settings import SettingsError, load_settings
from chargebus.gateway.main import run, serve_until_stopped
from chargebus.gateway.settings import GatewaySettings

SERVICES = ("gateway",)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="chargebus", description="An OCPP 1.6J/2.0.1/2.1 CSMS.")
    commands = p.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the CSMS (all services) or one service")
    run.add_argument("service", nargs="?", choices=SERVICES, help="run only this service")
    run.add_argument("--host", help="address to listen on (default 0.0.0.0)")
    run.add_argument("--ocpp-port", type=int, help="chargers connect here (default 9000)")
    run.add_argument("--api-port", type=int, help="HTTP API, probes and /metrics (default 8080)")
    run.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="where the embedded store keeps its data (default ./data); "
        "used once the sessions service lands",
    )
    run.add_argument("--log-level", default=os.environ.get("CHARGEBUS_LOG_LEVEL", "INFO"))
    return p


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    overrides = {"host": args.host, "ocpp_port": args.ocpp_port, "api_port": args.api_port}
    try:
        settings = load_settings(GatewaySettings, os.environ, overrides)
    except SettingsError as exc:
        sys.exit(f"chargebus: bad setting: {exc}")
    if bool(settings.amqp_url) != bool(settings.redis_url):
        sys.exit("chargebus: set both CHARGEBUS_AMQP_URL and CHARGEBUS_REDIS_URL, or neither")
    # Every service of the embedded mode shares one in-memory broker.
    run(serve_until_stopped(settings, MemoryBroker()))


if __name__ == "__main__":
    main()
