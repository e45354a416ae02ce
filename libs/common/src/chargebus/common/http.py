"""The services' HTTP side: one Litestar app from their route handlers plus
the probes and metrics, served by uvicorn inside our own event loop (no
signal handlers of its own, no logging configuration, port 0 allowed).

Litestar because the API's types are msgspec Structs, as on the wire: it
validates bodies into them, serialises them, and builds the OpenAPI
document from them (docs/api.md).  The gateway doesn't use this module.

Every route but the probes, ``/metrics`` and the OpenAPI document needs an
API key (chargebus.common.apikeys): GET and HEAD the ``read`` scope, other
methods ``admin``, unless the route handler declares its own with
``opt={"scope": "command"}``.  No key or a bad one is a 401 with
``WWW-Authenticate: Bearer``, too small a scope a 403; each refusal is
logged (the key id, never the key) and counted in
``chargebus_api_refused_total{reason}``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from typing import Any

import uvicorn
from litestar import Litestar, MediaType, Request, Response, get
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, generate_latest

from chargebus.common.apikeys import SCOPES, ApiKeys, presented_key, scope_needed
from chargebus.common.store import StoreUnavailable

__all__ = ["HttpServer", "make_app"]

log = logging.getLogger(__name__)

SCHEMA_PATH = "/schema"
#: What a 401 says, as RFC 6750 has it.
CHALLENGE = 'Bearer realm="chargebus"'


def _refusals(registry: CollectorRegistry) -> Counter:
    """The refusal counter in ``registry`` (one per registry, however many
    apps are made with it)."""
    name = "chargebus_api_refused"
    existing = getattr(registry, "_names_to_collectors", {}).get(name + "_total")
    if isinstance(existing, Counter):
        return existing
    return Counter(
        name,
        "HTTP API requests refused: reason missing (no key), invalid (a key "
        "nobody configured, or malformed) or scope (a valid key without the scope)",
        ["reason"],
        registry=registry,
    )


def _auth_guard(keys: ApiKeys, refused: Counter) -> Any:
    def guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        if handler.opt.get("public") or connection.scope["path"].startswith(SCHEMA_PATH):
            return
        method = str(connection.scope.get("method", "GET"))
        needed = scope_needed(method, handler.opt.get("scope"))
        if needed not in SCOPES:  # pragma: no cover - a route declared a typo
            raise RuntimeError(f"{handler}: scope {needed!r} is not one of {SCOPES}")
        check = keys.check(presented_key(connection.headers))
        where = {
            "method": method,
            "path": connection.scope["path"],
            "client": connection.client.host if connection.client else None,
            "key_id": check.key_id,
        }
        if check.key is None:
            reason = "missing" if check.reason == "missing" else "invalid"
            refused.labels(reason).inc()
            log.warning(
                "API request refused: %s %s: %s",
                method,
                where["path"],
                "no API key" if reason == "missing" else f"invalid API key ({check.reason})",
                extra={**where, "reason": reason},
            )
            raise NotAuthorizedException(
                "an API key is needed (Authorization: Bearer <key>)"
                if reason == "missing"
                else "the API key is not valid",
                headers={"WWW-Authenticate": CHALLENGE},
            )
        if not check.key.allows(needed):
            refused.labels("scope").inc()
            log.warning(
                "API request refused: %s %s: key %s (%s) has scope %s, %s needed",
                method,
                where["path"],
                check.key.key_id,
                check.key.name,
                check.key.scope,
                needed,
                extra={**where, "reason": "scope", "key_name": check.key.name},
            )
            raise PermissionDeniedException(
                f"this API key's scope is {check.key.scope}; {needed} is needed"
            )

    return guard


def make_app(
    route_handlers: Sequence[Any],
    *,
    ready: Callable[[], bool],
    registries: Sequence[CollectorRegistry],
    api_keys: ApiKeys,
) -> Litestar:
    """An app with ``route_handlers``, ``/healthz``, ``/readyz`` (200 while
    ``ready()``, else 503), ``/metrics`` (every registry) and the OpenAPI
    document at ``/schema``; an unreachable store is a 503.  Routes but
    those need one of ``api_keys`` (none: every such request is refused);
    refusals are counted in the first registry."""
    if not api_keys:
        log.warning(
            "no API keys configured (CHARGEBUS_API_KEYS, CHARGEBUS_API_KEYS_FILE): "
            "every API request is refused; `chargebus api-key new` makes one"
        )
    refused = _refusals(registries[0] if registries else CollectorRegistry())

    @get("/healthz", include_in_schema=False, media_type=MediaType.TEXT, opt={"public": True})
    async def healthz() -> str:
        return "ok\n"

    @get("/readyz", include_in_schema=False, media_type=MediaType.TEXT, opt={"public": True})
    async def readyz() -> Response[str]:
        if ready():
            return Response("ready\n", media_type=MediaType.TEXT)
        return Response("not ready\n", status_code=503, media_type=MediaType.TEXT)

    @get("/metrics", include_in_schema=False, opt={"public": True})
    async def metrics() -> Response[bytes]:
        body = b"".join(generate_latest(r) for r in registries)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    def store_unavailable(_request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        return Response(
            {"status_code": 503, "detail": f"the store is unavailable: {exc}"}, status_code=503
        )

    return Litestar(
        route_handlers=[*route_handlers, healthz, readyz, metrics],
        openapi_config=OpenAPIConfig(
            title="chargebus",
            version="0.1.0",
            path=SCHEMA_PATH,
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(
                        type="http",
                        scheme="bearer",
                        bearer_format="cb_<key id>_<secret>",
                        description="An API key (docs/api.md): GET needs scope read, "
                        "sending commands command, other changes admin.",
                    ),
                    "apiKey": SecurityScheme(
                        type="apiKey", name="X-API-Key", security_scheme_in="header"
                    ),
                }
            ),
            security=[{"bearer": []}, {"apiKey": []}],
        ),
        guards=[_auth_guard(api_keys, refused)],
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
