"""The services' HTTP side: one Litestar app from their route handlers plus
the probes and metrics, served by uvicorn inside our own event loop (no
signal handlers of its own, no logging configuration, port 0 allowed).

Litestar because the API's types are msgspec Structs, as on the wire: it
validates bodies into them, serialises them, and builds the OpenAPI
document from them (docs/api.md).  The gateway doesn't use this module."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from typing import Any

import uvicorn
from litestar import Litestar, MediaType, Request, Response, get
from litestar.openapi import OpenAPIConfig
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from chargebus.common.store import StoreUnavailable

__all__ = ["HttpServer", "make_app"]


def make_app(
    route_handlers: Sequence[Any],
    *,
    ready: Callable[[], bool],
    registries: Sequence[CollectorRegistry],
) -> Litestar:
    """An app with ``route_handlers``, ``/healthz``, ``/readyz`` (200 while
    ``ready()``, else 503), ``/metrics`` (every registry) and the OpenAPI
    document at ``/schema``; an unreachable store is a 503."""

    @get("/healthz", include_in_schema=False, media_type=MediaType.TEXT)
    async def healthz() -> str:
        return "ok\n"

    @get("/readyz", include_in_schema=False, media_type=MediaType.TEXT)
    async def readyz() -> Response[str]:
        if ready():
            return Response("ready\n", media_type=MediaType.TEXT)
        return Response("not ready\n", status_code=503, media_type=MediaType.TEXT)

    @get("/metrics", include_in_schema=False)
    async def metrics() -> Response[bytes]:
        body = b"".join(generate_latest(r) for r in registries)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    def store_unavailable(_request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        return Response(
            {"status_code": 503, "detail": f"the store is unavailable: {exc}"}, status_code=503
        )

    return Litestar(
        route_handlers=[*route_handlers, healthz, readyz, metrics],
        openapi_config=OpenAPIConfig(title="chargebus", version="0.1.0", path="/schema"),
        exception_handlers={StoreUnavailable: store_unavailable},
        debug=False,
        logging_config=None,  # the process configures logging, not the app
    )


class HttpServer:
    def __init__(self, app: Any, host: str, port: int) -> None:
        self.config = uvicorn.Config(
            app,
            host=host,
            port=port,
            lifespan="off",
            log_config=None,
            access_log=False,
            server_header=False,
            timeout_graceful_shutdown=5,
        )
        self.server = uvicorn.Server(self.config)
        self._ticker: asyncio.Task[None] | None = None

    async def start(self) -> None:
        config = self.config
        if not config.loaded:
            config.load()
        self.server.lifespan = config.lifespan_class(config)
        await self.server.startup()
        if not self.server.started:
            raise OSError(f"could not listen on {config.host}:{config.port}")
        # main_loop keeps the Date header current until should_exit.
        self._ticker = asyncio.get_running_loop().create_task(self.server.main_loop())

    @property
    def port(self) -> int:
        return int(self.server.servers[0].sockets[0].getsockname()[1])

    async def close(self) -> None:
        if self._ticker is None:
            return
        self.server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await self._ticker
        self._ticker = None
        await self.server.shutdown()
