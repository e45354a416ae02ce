"""Wire the commands service from its settings, and run it."""

from __future__ import annotations

from chargebus.commands.model import SCHEMA
from chargebus.commands.service import CommandsService
from chargebus.commands.settings import CommandsSettings
from chargebus.common.bus.memory import MemoryBroker
from chargebus.common.routes import RouteTable
from chargebus.common.store import DocumentStore
from chargebus.common.wiring import make_bus, make_routes, make_store
from chargebus.common.wiring import serve_until_stopped as serve

__all__ = ["build", "serve_until_stopped"]


def build(
    settings: CommandsSettings,
    *,
    broker: MemoryBroker | None = None,
    routes: RouteTable | None = None,
    store: DocumentStore | None = None,
) -> CommandsService:
    return CommandsService(
        settings,
        store or make_store(settings.mongodb_url, settings.data_dir, "commands", SCHEMA),
        make_bus(settings.amqp_url, "commands", broker),
        make_routes(settings.redis_url, routes),
    )


async def serve_until_stopped(settings: CommandsSettings) -> None:
    from chargebus.commands.api import routes
    from chargebus.common.apikeys import load_api_keys
    from chargebus.common.http import make_app

    keys = load_api_keys(settings)
    service = build(settings)
    await serve(
        service,
        lambda: make_app(
            routes(service),
            ready=service.ready,
            registries=[service.metrics.registry],
            api_keys=keys,
        ),
        settings.host,
        settings.api_port,
        "commands",
    )
