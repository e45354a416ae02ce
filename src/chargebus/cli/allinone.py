"""Every service in one process: the embedded ``chargebus run``.

The gateway, sessions, commands and billing services share one in-memory
broker and route table (or each connects to
RabbitMQ and Redis when configured), and one HTTP port serves the API, the
health probes and every service's metrics.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path

from chargebus.billing.api import routes as billing_routes
from chargebus.billing.main import build as build_billing
from chargebus.billing.service import BillingService
from chargebus.billing.settings import BillingSettings
from chargebus.commands.api import routes as command_routes
from chargebus.commands.main import build as build_commands
from chargebus.commands.service import CommandsService
from chargebus.commands.settings import CommandsSettings
from chargebus.common.apikeys import ApiKeys, bootstrap, load_api_keys
from chargebus.common.bus.memory import MemoryBroker
from chargebus.common.http import HttpServer
from chargebus.common.routes import RouteTable
from chargebus.common.routes.memory import MemoryRouteTable
from chargebus.gateway.app import Gateway
from chargebus.gateway.main import build as build_gateway
from chargebus.gateway.settings import GatewaySettings
from chargebus.sessions.api import create_app
from chargebus.sessions.main import build as build_sessions
from chargebus.sessions.service import SessionsService
from chargebus.sessions.settings import SessionsSettings

__all__ = ["AllInOne", "serve_all"]

log = logging.getLogger(__name__)


class AllInOne:
    def __init__(
        self,
        gateway: GatewaySettings,
        sessions: SessionsSettings,
        commands: CommandsSettings,
        billing: BillingSettings | None = None,
    ) -> None:
        broker = MemoryBroker()
        self.broker: MemoryBroker | None = None if gateway.amqp_url else broker
        routes: RouteTable | None = (
            None if gateway.redis_url else MemoryRouteTable(ttl=gateway.route_ttl)
        )
        self.sessions: SessionsService = build_sessions(sessions, broker=broker, routes=routes)
        self.commands: CommandsService = build_commands(commands, broker=broker, routes=routes)
        self.billing: BillingService = build_billing(
            billing or BillingSettings(data_dir=sessions.data_dir, amqp_url=sessions.amqp_url),
            broker=broker,
        )
        self.gateway: Gateway = build_gateway(
            gateway, broker=broker, routes=routes, serve_probes=False
        )
        #: Where the admin key made on first start is (None: keys configured).
        self.key_file: Path | None = None
        self.key_made = False
        self.api_keys = self._api_keys(sessions)
        self.http = HttpServer(
            create_app(
                self.sessions,
                ready=self.ready,
                registries=[
                    self.gateway.metrics.registry,
                    self.commands.metrics.registry,
                    self.billing.metrics.registry,
                ],
                more_routes=[*command_routes(self.commands), *billing_routes(self.billing)],
                api_keys=self.api_keys,
            ),
            sessions.host,
            sessions.api_port,
        )

    def _api_keys(self, sessions: SessionsSettings) -> ApiKeys:
        """The keys configured (CHARGEBUS_API_KEYS, CHARGEBUS_API_KEYS_FILE),
        else ``<data dir>/api-keys``, made on first start with an admin key
        whose secret is written to ``<data dir>/api-key`` (mode 0600)."""
        if sessions.api_keys or sessions.api_keys_file:
            return load_api_keys(sessions)
        keys_file, self.key_file, self.key_made = bootstrap(sessions.data_dir)
        keys = load_api_keys(type(sessions)(api_keys_file=str(keys_file)))
        if self.key_made:
            log.warning(
                "no API keys configured: made an admin key, its secret in %s (only its hash in %s)",
                self.key_file,
                keys_file,
            )
        return keys

    def ready(self) -> bool:
        return (
            self.gateway.ready()
            and self.sessions.ready()
            and self.commands.ready()
            and self.billing.ready()
        )

    async def start(self) -> None:
        await self.sessions.start()
        await self.commands.start()
        await self.billing.start()
        await self.gateway.start()
        await self.http.start()

    async def stop(self) -> None:
        # Chargers first: nothing new comes in, and what is in flight is
        # answered; then the services work off what is queued in memory
        # (which a stop would otherwise lose) before they stop.
        await self.gateway.drain()
        await self.gateway.stop()
        if self.broker is not None:
            left = await self.broker.settle(
                ("chargebus.sessions", "chargebus.commands", "chargebus.billing"), 30.0
            )
            if left:
                log.warning("stopping with %d messages not yet worked on", left)
        await self.http.close()
        await self.commands.stop()
        await self.billing.stop()
        await self.sessions.stop()


async def serve_all(
    gateway: GatewaySettings,
    sessions: SessionsSettings,
    commands: CommandsSettings,
    billing: BillingSettings,
) -> None:
    app = AllInOne(gateway, sessions, commands, billing)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await app.start()
    host = "localhost" if gateway.host in ("0.0.0.0", "::") else gateway.host
    scheme = "wss" if app.gateway.tls else "ws"
    if gateway.amqp_url:
        mode = "RabbitMQ, Redis and " + ("MongoDB" if sessions.mongodb_url else "SQLite")
    else:
        mode = f"embedded: in-memory bus, SQLite in {sessions.data_dir}"
    print(f"chargebus is running ({mode})", flush=True)
    print(
        f"  chargers connect to  {scheme}://{host}:{app.gateway.ocpp_port}/ocpp/{{chargePointId}}",
        flush=True,
    )
    print(f"  HTTP API             http://{host}:{app.http.port}/v1/chargers", flush=True)
    print(f"  API documentation    http://{host}:{app.http.port}/schema", flush=True)
    print(f"  probes and metrics   http://{host}:{app.http.port}/metrics", flush=True)
    if app.key_file is not None and app.key_file.exists():
        made = "made now, " if app.key_made else ""
        print(f"  API key (admin)      {made}in {app.key_file}", flush=True)
        print(
            f'                       curl -H "Authorization: Bearer $(cat {app.key_file})" '
            f"http://{host}:{app.http.port}/v1/chargers",
            flush=True,
        )
    elif app.key_file is None:
        print("  API keys             as configured (CHARGEBUS_API_KEYS/_FILE)", flush=True)
    print(
        f"  unknown chargers are {sessions.unknown_charger_policy}ed at boot"
        if sessions.unknown_charger_policy != "pending"
        else "  unknown chargers are registered as Pending at boot",
        flush=True,
    )
    await stop.wait()
    print("chargebus is stopping", flush=True)
    await app.stop()
