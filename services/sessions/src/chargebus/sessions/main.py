"""Wire the sessions service from its settings, and run it."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from chargebus.common.bus import Bus
from chargebus.common.bus.amqp import AmqpBus
from chargebus.common.bus.memory import MemoryBroker, MemoryBus
from chargebus.common.routes import RouteTable
from chargebus.common.routes.memory import MemoryRouteTable
from chargebus.common.routes.redis import RedisRouteTable
from chargebus.common.store import DocumentStore
from chargebus.common.store.mongo import MongoStore
from chargebus.common.store.sqlite import SqliteStore
from chargebus.sessions.schema import SCHEMA
from chargebus.sessions.service import SessionsService
from chargebus.sessions.settings import SessionsSettings

__all__ = ["build", "make_store", "serve_until_stopped"]


def make_store(settings: SessionsSettings) -> DocumentStore:
    """MongoDB when CHARGEBUS_MONGODB_URL is set, else SQLite in the data directory."""
    if settings.mongodb_url:
        return MongoStore(settings.mongodb_url, SCHEMA)
    return SqliteStore(Path(settings.data_dir) / "sessions.db", SCHEMA)


def build(
    settings: SessionsSettings,
    *,
    broker: MemoryBroker | None = None,
    routes: RouteTable | None = None,
    store: DocumentStore | None = None,
) -> SessionsService:
    bus: Bus
    if settings.amqp_url:
        bus = AmqpBus(settings.amqp_url, name="sessions")
    else:
        bus = MemoryBus(broker or MemoryBroker())
    if routes is None:
        routes = RedisRouteTable(settings.redis_url) if settings.redis_url else MemoryRouteTable()
    return SessionsService(settings, store or make_store(settings), bus, routes)


async def serve_until_stopped(settings: SessionsSettings) -> None:
    from chargebus.common.http import HttpServer
    from chargebus.sessions.api import create_app

    service = build(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await service.start()
    http = HttpServer(create_app(service), settings.host, settings.api_port)
    await http.start()
    print(f"chargebus sessions service is running; API on port {http.port}", flush=True)
    await stop.wait()
    print("chargebus sessions service is stopping", flush=True)
    await http.close()
    await service.stop()
