"""What every service builds from its settings: the bus, the route table
and the store, each the production adapter when its URL is set and the
in-process one otherwise (shared with the other services of an embedded
process when given).

Rule: an adapter is imported by the function that chooses it, never at
load, so importing a service's domain code (which imports this module for
``every`` and ``Service``) loads no aio-pika, redis or pymongo; a test in
libs/common/tests/test_wiring.py checks it."""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, Protocol, TypeVar

import msgspec

from chargebus.common.bus import Bus, BusError
from chargebus.common.bus.memory import MemoryBroker, MemoryBus
from chargebus.common.routes import RouteTable, RouteTableUnavailable
from chargebus.common.routes.memory import MemoryRouteTable
from chargebus.common.settings import env_name
from chargebus.common.store import DocumentStore, Schema, StoreUnavailable
from chargebus.common.store.sqlite import SqliteStore
from chargebus.common.tasks import every as run_every

__all__ = [
    "Service",
    "every",
    "make_bus",
    "make_routes",
    "make_store",
    "run_loop",
    "serve_until_stopped",
    "service_main",
    "standalone_problem",
    "start_patiently",
]

log = logging.getLogger(__name__)

S = TypeVar("S", bound=msgspec.Struct)
T = TypeVar("T")


def make_bus(amqp_url: str | None, name: str, broker: MemoryBroker | None = None) -> Bus:
    if amqp_url:
        from chargebus.common.bus.amqp import AmqpBus

        return AmqpBus(amqp_url, name=name)
    return MemoryBus(broker or MemoryBroker())


def make_routes(
    redis_url: str | None, routes: RouteTable | None = None, *, ttl: float = 90.0
) -> RouteTable:
    """The given route table, else Redis when its URL is set, else the
    in-process one; ``ttl`` is how long a route lives unless refreshed."""
    if routes is not None:
        return routes
    if redis_url:
        from chargebus.common.routes.redis import RedisRouteTable

        return RedisRouteTable(redis_url, ttl=ttl)
    return MemoryRouteTable(ttl=ttl)


def make_store(
    mongodb_url: str | None, data_dir: str, service: str, schema: Schema
) -> DocumentStore:
    """MongoDB when its URL is set, else SQLite: ``<data_dir>/<service>.db``."""
    if mongodb_url:
        from chargebus.common.store.mongo import MongoStore

        return MongoStore(mongodb_url, schema)
    return SqliteStore(Path(data_dir) / f"{service}.db", schema)


async def every(period: float, job: Callable[[], Awaitable[Any]]) -> None:
    """Run ``job`` every ``period`` seconds for ever; an outage of the store,
    the bus or the route table is logged and tried again next time."""
    await run_every(period, job, (StoreUnavailable, BusError, RouteTableUnavailable))


class Service(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...


async def start_patiently(
    service: Service, name: str, stop: asyncio.Event, *, first_delay: float = 1.0
) -> bool:
    """Start the service, trying again (1 s, 2 s, ... 30 s apart) while the
    broker, the store or the route table can't be reached yet, as happens
    when everything starts at once; False when stopped meanwhile."""
    delay = first_delay
    while True:
        try:
            await service.start()
            return True
        except (StoreUnavailable, BusError, RouteTableUnavailable, OSError) as exc:
            log.warning("%s can't start yet (%s); trying again in %.0f s", name, exc, delay)
        try:
            await asyncio.wait_for(stop.wait(), delay)
            return False
        except TimeoutError:
            delay = min(delay * 2, 30.0)


async def serve_until_stopped(
    service: Service, app: Callable[[], Any], host: str, port: int, name: str
) -> None:
    """Start the service and its HTTP API (``app()`` builds it once the
    service is started), run until SIGINT or SIGTERM, stop both."""
    from chargebus.common.http import HttpServer

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if not await start_patiently(service, name, stop):
        return
    http = HttpServer(app(), host, port)
    await http.start()
    print(f"chargebus {name} service is running; API on port {http.port}", flush=True)
    await stop.wait()
    print(f"chargebus {name} service is stopping", flush=True)
    await http.close()
    await service.stop()


def standalone_problem(name: str, settings: msgspec.Struct) -> str | None:
    """Why ``settings`` can't run service ``name`` alone, or None when they
    can: a service alone needs RabbitMQ (``amqp_url``) always, and Redis
    (``redis_url``) when its settings have that field (billing's don't)."""
    needed = ["amqp_url"]
    if "redis_url" in {field.name for field in msgspec.structs.fields(type(settings))}:
        needed.append("redis_url")
    missing = [env_name(field) for field in needed if not getattr(settings, field, None)]
    if not missing:
        return None
    return (
        f"chargebus {name}: set {' and '.join(missing)} "
        "(`chargebus run` runs every service in one process without them)"
    )


class GcPauses:
    """How long Python's cyclic garbage collector stops the process, by
    generation: a full collection walks every tracked object, and with
    10,000 connections that is long enough to show in the answers' tail.
    Pauses of ``warn_after`` seconds or more are logged."""

    def __init__(self, warn_after: float = 0.1) -> None:
        import gc

        self.warn_after = warn_after
        self.longest = [0.0, 0.0, 0.0]
        self.total = [0.0, 0.0, 0.0]
        self.count = [0, 0, 0]
        self._started = 0.0
        gc.callbacks.append(self._callback)

    def close(self) -> None:
        """Stop watching (the process's collector is as it was)."""
        import gc

        if self._callback in gc.callbacks:
            gc.callbacks.remove(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        try:
            self._observe(phase, info)
        except Exception:
            return  # at interpreter exit, modules are half gone

    def _observe(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        took = time.perf_counter() - self._started
        generation = info["generation"]
        self.count[generation] += 1
        self.total[generation] += took
        self.longest[generation] = max(self.longest[generation], took)
        if took >= self.warn_after:
            log.warning(
                "garbage collection of generation %d stopped the process for %.0f ms "
                "(%d objects collected)",
                generation,
                took * 1000,
                info.get("collected", 0),
            )


#: Seconds between freezes of what survived (gc.freeze), and between full
#: collections of everything (what the frozen objects left as cyclic garbage).
GC_FREEZE_EVERY = 30.0
GC_FULL_EVERY = 600.0


async def keep_gc_short(
    freeze_every: float = GC_FREEZE_EVERY, full_every: float = GC_FULL_EVERY
) -> None:
    """Keep garbage collection pauses short in a process holding many
    long-lived objects (10,000 connections are millions): every
    ``freeze_every`` seconds what survived so far is frozen (gc.freeze),
    so the collector's full passes walk only what is newer; every
    ``full_every`` seconds everything is collected once (a pause as long as
    before, once in ten minutes instead of every minute or two), so cycles
    among frozen objects that became garbage are freed.  Frozen objects are
    still freed the moment nothing refers to them: only reference cycles
    wait for the full pass."""
    import gc

    loop = asyncio.get_running_loop()
    next_full = loop.time() + full_every
    while True:
        await asyncio.sleep(freeze_every)
        if loop.time() >= next_full:
            gc.unfreeze()
            gc.collect()
            next_full = loop.time() + full_every
        gc.freeze()


async def _with_gc_kept_short(main: Coroutine[Any, Any, T]) -> T:
    import gc

    keeper = asyncio.get_running_loop().create_task(keep_gc_short())
    try:
        return await main
    finally:
        keeper.cancel()
        gc.unfreeze()  # a caller that goes on (a test, the CLI) collects as before


def run_loop(main: Coroutine[Any, Any, T], *, gc_threshold0: int | None = None) -> T:
    """Run on uvloop where it is installed (cheaper sockets, timers and
    callbacks), else on asyncio's own loop; with garbage collection pauses
    logged (GcPauses) and kept short (keep_gc_short), and the collector's
    first threshold at ``gc_threshold0`` when given (allocations, less
    deallocations, between two young collections: CPython's is 700); all
    undone when it returns."""
    import gc

    thresholds = gc.get_threshold()
    if gc_threshold0 is not None:
        gc.set_threshold(gc_threshold0, *thresholds[1:])
    pauses = GcPauses()
    try:
        try:
            import uvloop
        except ImportError:  # pragma: no cover - Windows
            return asyncio.run(_with_gc_kept_short(main))
        return uvloop.run(_with_gc_kept_short(main))
    finally:
        pauses.close()
        gc.set_threshold(*thresholds)


def service_main(
    name: str,
    settings_type: type[S],
    serve: Callable[[S], Coroutine[Any, Any, None]],
    *,
    gc_threshold0: int | None = None,
    alone_in_memory: bool = False,
) -> None:
    """``python -m chargebus.<name>``: one service, configured from the
    environment (``CHARGEBUS_*``) as it runs in a deployment, which needs
    RabbitMQ, and Redis for the services that use it (``chargebus run`` runs
    every service without them).  ``alone_in_memory`` lets a service that
    is useful alone (the gateway, for the idle-capacity benchmark) run on
    the in-memory adapters when those URLs are unset.  Logs as its
    ``log_level`` and ``log_format`` settings say (chargebus.common.logs)."""
    import os
    import sys

    from chargebus.common import logs
    from chargebus.common.settings import SettingsError, load_settings

    try:
        settings = load_settings(settings_type, os.environ)
    except SettingsError as exc:
        sys.exit(f"chargebus {name}: bad setting: {exc}")
    try:
        logs.configure(
            getattr(settings, "log_level", "INFO"), getattr(settings, "log_format", "auto")
        )
    except ValueError as exc:
        sys.exit(f"chargebus {name}: bad setting: {env_name('log_level')}: {exc}")
    problem = None if alone_in_memory else standalone_problem(name, settings)
    if problem is not None:
        sys.exit(problem)
    try:
        run_loop(serve(settings), gc_threshold0=gc_threshold0)
    except SettingsError as exc:  # found only when used: a port taken
        sys.exit(f"chargebus {name}: bad setting: {exc}")
