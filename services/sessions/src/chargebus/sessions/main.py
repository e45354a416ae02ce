"""Wire the sessions service from its settings, and run it."""

from __future__ import annotations

from chargebus.common.bus.memory import MemoryBroker
from chargebus.common.routes import RouteTable
from chargebus.common.store import DocumentStore
from chargebus.common.wiring import make_bus, make_routes, make_store
from chargebus.common.wiring import serve_until_stopped as serve
from chargebus.sessions.schema import SCHEMA
from chargebus.sessions.service import SessionsService
from chargebus.sessions.settings import SessionsSettings

__all__ = ["build", "serve_until_stopped"]


def build(
    settings: SessionsSettings,
    *,
    broker: MemoryBroker | None = None,
    routes: RouteTable | None = None,
    store: DocumentStore | None = None,
) -> SessionsService:
    return SessionsService(
        settings,
        store or make_store(settings.mongodb_url, settings.data_dir, "sessions", SCHEMA),
        make_bus(settings.amqp_url, "sessions", broker),
        make_routes(settings.redis_url, routes),
    )


async def serve_until_stopped(settings: SessionsSettings) -> None:
    from chargebus.common.apikeys import load_api_keys
    from chargebus.sessions.api import create_app

    keys = load_api_keys(settings)
    service = build(settings)
    await serve(
        service,
        lambda: create_app(service, api_keys=keys),
        settings.host,
        settings.api_port,
        "sessions",
    )
