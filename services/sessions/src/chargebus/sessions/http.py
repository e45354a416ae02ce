"""Serve an ASGI app with uvicorn inside our own event loop (no signal
handlers of its own, no logging configuration, port 0 allowed)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import uvicorn

__all__ = ["HttpServer"]


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
