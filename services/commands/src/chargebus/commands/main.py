"""Wire the commands service from its settings, and run it."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from chargebus.commands.model import SCHEMA
from chargebus.commands.service import CommandsService
from chargebus.commands.settings import CommandsSettings
from chargebus.common.bus import Bus
from chargebus.common.bus.amqp import AmqpBus
from chargebus.common.bus.memory import MemoryBroker, MemoryBus
from chargebus.common.routes import RouteTable
from chargebus.common.routes.memory import MemoryRouteTable
from chargebus.common.routes.redis import RedisRouteTable
from chargebus.common.store import DocumentStore
from chargebus.common.store.mongo import MongoStore
from chargebus.common.store.sqlite import SqliteStore

__all__ = ["build", "serve_until_stopped"]


def build(
    settings: CommandsSettings,
    *,
    broker: MemoryBroker | None = None,
    routes: RouteTable | None = None,
    store: DocumentStore | None = None,
) -> CommandsService:
    bus: Bus
    if settings.amqp_url:
        bus = AmqpBus(settings.amqp_url, name="commands")
    else:
        bus = MemoryBus(broker or MemoryBroker())
    if routes is None:
        routes = RedisRouteTable(settings.redis_url) if settings.redis_url else MemoryRouteTable()
    if store is None:
        store = (
            MongoStore(settings.mongodb_url, SCHEMA)
            if settings.mongodb_url
            else SqliteStore(Path(settings.data_dir) / "commands.db", SCHEMA)
        )
    return CommandsService(settings, store, bus, routes)


async def serve_until_stopped(settings: CommandsSettings) -> None:
    from chargebus.commands.api import routes
    from chargebus.common.http import HttpServer, make_app

    service = build(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await service.start()
    app = make_app(routes(service), ready=service.ready, registries=[service.metrics.registry])
    http = HttpServer(app, settings.host, settings.api_port)
    await http.start()
    print(f"chargebus commands service is running; API on port {http.port}", flush=True)
    await stop.wait()
    print("chargebus commands service is stopping", flush=True)
    await http.close()
    await service.stop()
