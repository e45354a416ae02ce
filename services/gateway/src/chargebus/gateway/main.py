"""Run the gateway until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Coroutine
from typing import Any

from chargebus.common.bus.memory import MemoryBroker
from chargebus.common.wiring import run_loop, start_patiently
from chargebus.gateway.app import build
from chargebus.gateway.settings import GatewaySettings

__all__ = ["run", "serve_until_stopped"]


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
