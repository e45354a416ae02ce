"""Wire the billing service from its settings, and run it."""

from __future__ import annotations

from chargebus.billing.model import SCHEMA
from chargebus.billing.service import BillingService
from chargebus.billing.settings import BillingSettings
from chargebus.common.bus.memory import MemoryBroker
from chargebus.common.store import DocumentStore
from chargebus.common.wiring import make_bus, make_store
from chargebus.common.wiring import serve_until_stopped as serve

__all__ = ["build", "serve_until_stopped"]


def build(
    settings: BillingSettings,
    *,
    broker: MemoryBroker | None = None,
    store: DocumentStore | None = None,
) -> BillingService:
    return BillingService(
        settings,
        store or make_store(settings.mongodb_url, settings.data_dir, "billing", SCHEMA),
        make_bus(settings.amqp_url, "billing", broker),
    )


async def serve_until_stopped(settings: BillingSettings) -> None:
    from chargebus.billing.api import routes
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
        "billing",
    )
