"""The audit log's writer: group commit for audit entries.

Rules: each caller waits until the batch holding its entry is stored, so a
message is acked only once audited, at one insert per batch instead of one
per message.  An entry the store refuses (MongoDB: nesting deeper than 100,
integers beyond 64 bits) is stored with its payload and answer as JSON text
instead, and never fails the others of its batch.
"""

from __future__ import annotations

import asyncio

from chargebus.common.store import DocumentRejected
from chargebus.sessions.model import AuditEntry
from chargebus.sessions.repositories import AuditLog

__all__ = ["AuditWriter"]


class AuditWriter:
    def __init__(self, log: AuditLog) -> None:
        self.log = log
        self._batch: list[tuple[AuditEntry, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def add(self, entry: AuditEntry) -> None:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        self._batch.append((entry, done))
        if self._writer is None:
            self._writer = loop.create_task(self._write())
        await asyncio.shield(done)

    async def _write(self) -> None:
        try:
            while self._batch:
                await asyncio.sleep(0)  # let the other consumers add theirs
                batch, self._batch = self._batch, []
                try:
                    await self.log.add([entry for entry, _ in batch])
                except DocumentRejected:
                    for entry, done in batch:
                        await self._one(entry, done)
                    continue
                except Exception as exc:
                    for _, done in batch:
                        if not done.done():
                            done.set_exception(exc)
                    continue
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)
        finally:
            self._writer = None

    async def _one(self, entry: AuditEntry, done: asyncio.Future[None]) -> None:
        try:
            try:
                await self.log.add([entry])
            except DocumentRejected:
                await self.log.add_as_text(entry)
        except Exception as exc:
            if not done.done():
                done.set_exception(exc)
            return
        if not done.done():
            done.set_result(None)
