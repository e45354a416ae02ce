"""Background work a service, a connection or a fan-out starts and must be
able to stop: one task set instead of a ``_spawn`` helper in each of them, and
``every``, the periodic job loop every service runs its housekeeping with.

Rules: a task spawned here is kept referenced until it ends (asyncio holds
only weak references to tasks); ``cancel`` ends every task still running and
waits for them, so nothing of a stopped owner runs on; an exception in a task
is logged, never lost silently.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

__all__ = ["TaskSet", "every"]

log = logging.getLogger(__name__)


class TaskSet:
    """Tasks owned by one object, spawned on the running loop."""

    __slots__ = ("_name", "_tasks")

    def __init__(self, name: str = "task") -> None:
        self._name = name
        # Made on the first spawn: an idle charger's connection holds two
        # task sets that never spawn, and an empty set is 216 bytes.
        self._tasks: set[asyncio.Task[Any]] | None = None

    def __len__(self) -> int:
        return len(self._tasks) if self._tasks else 0

    def spawn(self, coroutine: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coroutine)
        if self._tasks is None:
            self._tasks = set()
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        if self._tasks is not None:
            self._tasks.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.error("%s failed", self._name, exc_info=exc)

    async def wait(self) -> None:
        """Until every task spawned so far has ended."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def cancel(self) -> None:
        """Cancel every task and wait until they have all ended."""
        tasks = list(self._tasks or ())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def every(
    period: float,
    job: Callable[[], Awaitable[Any]],
    expected: tuple[type[BaseException], ...] = (),
) -> None:
    """Run ``job`` every ``period`` seconds for ever.  The ``expected``
    failures (an outage of the store, the bus or the route table) are logged
    as warnings and tried again next time; anything else is logged with its
    traceback, and the loop goes on."""
    name = getattr(job, "__name__", job)
    while True:
        await asyncio.sleep(period)
        try:
            await job()
        except expected as exc:
            log.warning("%s failed, tried again later: %s", name, exc)
        except Exception:  # pragma: no cover - keep the loop alive
            log.exception("%s failed", name)
