"""Wire the gateway from its settings, and run it until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Coroutine
from typing import Any

from chargebus.common.bus.memory import MemoryBroker
from chargebus.common.routes import RouteTable
from chargebus.common.wiring import make_bus, make_routes, run_loop, start_patiently
from chargebus.gateway.app import Gateway
from chargebus.gateway.handshake import Authenticator
from chargebus.gateway.settings import GatewaySettings
from chargebus.gateway.tls import ca_certificates, tls_context

__all__ = ["build", "run", "serve_until_stopped"]


def build(
    settings: GatewaySettings,
    *,
    broker: MemoryBroker | None = None,
    routes: RouteTable | None = None,
    authenticator: Authenticator | None = None,
    serve_probes: bool = True,
) -> Gateway:
    """Wire a gateway from its settings: RabbitMQ and Redis when their URLs
    are set, else the in-memory adapters (``broker`` and ``routes`` shared
    with the other services of an embedded process)."""
    bus = make_bus(settings.amqp_url, f"gateway {settings.instance_id}", broker)
    routes = make_routes(settings.redis_url, routes, ttl=settings.route_ttl)
    return Gateway(
        settings,
        bus,
        routes,
        authenticator=authenticator,
        tls=tls_context(settings),
        ca_certificates=ca_certificates(settings),
        serve_probes=serve_probes,
    )


def run(main: Coroutine[Any, Any, None]) -> None:
    """Run on uvloop where it is installed, else on asyncio's own loop."""
    run_loop(main)


async def serve_until_stopped(
    settings: GatewaySettings, broker: MemoryBroker | None = None
) -> None:
    gateway = build(settings, broker=broker)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if not await start_patiently(gateway, "gateway", stop):
        return
    host = "localhost" if settings.host in ("0.0.0.0", "::") else settings.host
    scheme = "wss" if gateway.tls else "ws"
    mode = "RabbitMQ and Redis" if settings.amqp_url else "embedded: in-memory bus and routes"
    print(f"chargebus gateway {settings.instance_id} is running ({mode})", flush=True)
    print(
        f"  chargers connect to  {scheme}://{host}:{gateway.ocpp_port}/ocpp/{{chargePointId}}",
        flush=True,
    )
    print(
        f"  probes and metrics   http://{host}:{gateway.probe_port}/metrics"
        " (also /healthz, /readyz)",
        flush=True,
    )
    await stop.wait()
    print("chargebus gateway is draining", flush=True)
    await gateway.drain()
    await gateway.stop()
