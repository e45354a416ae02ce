"""SQLite for the embedded ``chargebus run``: one file, WAL journal.

Each collection is a table ``(id, v, doc)`` holding the document as JSON;
unique keys and query fields are expression indexes over ``json_extract``.
All statements run on one worker thread that owns the connection, so the
event loop never waits on the disk and every operation is one transaction.

``synchronous=NORMAL`` in WAL mode: a crash of the process loses nothing
committed; a power cut can lose the last commits (SQLite docs, "WAL").
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import sqlite3
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from chargebus.common.store import Doc, Schema, StoreUnavailable

__all__ = ["SqliteStore"]

T = TypeVar("T")

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder().decode


def _path(field: str) -> str:
    if not field.replace("_", "").isalnum():
        raise ValueError(f"bad field name {field!r}")
    return f"json_extract(doc, '$.{field}')"


def _equals(field: str, value: Any) -> tuple[str, list[Any]]:
    """``field`` equals ``value`` as JSON (and MongoDB) see it: null matches
    null or absent, and true is not 1 (json_extract gives 1 for both)."""
    path = _path(field)
    if value is None:
        return f"{path} IS NULL", []
    if isinstance(value, bool):
        return f"{path} = ? AND json_type(doc, '$.{field}') IN ('true', 'false')", [value]
    if isinstance(value, int | float):
        return f"{path} = ? AND json_type(doc, '$.{field}') IN ('integer', 'real')", [value]
    return f"{path} = ?", [value]


class _Worker:
    """One thread that runs what it is given, in order, and hands each
    result back to the event loop.

    Lighter than ``run_in_executor`` on a one-thread pool, whose
    concurrent.futures Future (with its Condition), ``wrap_future`` and the
    callbacks chaining the two cost more than a simple statement: a
    SimpleQueue in, ``call_soon_threadsafe`` out."""

    def __init__(self, name: str) -> None:
        self._queue: queue.SimpleQueue[
            tuple[Callable[[], Any], asyncio.Future[Any], asyncio.AbstractEventLoop] | None
        ] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[[], T]) -> asyncio.Future[T]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.put((fn, future, loop))
        return future

    def _serve(self) -> None:
        while (item := self._queue.get()) is not None:
            fn, future, loop = item
            result: Any = None
            error: BaseException | None = None
            try:
                result = fn()
            except BaseException as exc:  # handed to the awaiting coroutine
                error = exc
            # A loop closed meanwhile has no one waiting any more.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_settle, future, result, error)

    async def stop(self) -> None:
        """After what was submitted before it."""
        self._queue.put(None)
        await asyncio.to_thread(self._thread.join)


def _settle(future: asyncio.Future[Any], result: Any, exc: BaseException | None) -> None:
    if future.cancelled():  # its waiter went away; the work was done anyway
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(result)


class SqliteStore:
    def __init__(self, path: str | Path, schema: Schema) -> None:
        self.path = str(path)
        self.schema = schema
        self._db: sqlite3.Connection | None = None
        self._worker: _Worker | None = None
        self._healthy = False

    # -- plumbing -------------------------------------------------------------------

    async def _run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        if self._worker is None or self._db is None:
            raise StoreUnavailable("the store is not started")
        db = self._db

        def work() -> T:
            try:
                with db:  # one transaction: commit, or roll back on error
                    return fn(db)
            except sqlite3.IntegrityError:
                raise
            except sqlite3.Error as exc:
                raise StoreUnavailable(f"sqlite: {exc}") from exc

        return await self._worker.submit(work)

    async def start(self) -> None:
        if self._db is not None:
            return
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._worker = _Worker("sqlite")

        def connect() -> sqlite3.Connection:
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA busy_timeout=5000")
            db.isolation_level = "IMMEDIATE"  # `with db` opens BEGIN IMMEDIATE
            return db

        self._db = await self._worker.submit(connect)

        def create(db: sqlite3.Connection) -> None:
            for name, spec in self.schema.items():
                db.execute(
                    f'CREATE TABLE IF NOT EXISTS "{name}" '
                    "(id TEXT PRIMARY KEY, v INTEGER NOT NULL, doc TEXT NOT NULL)"
                )
                for field in spec.unique:
                    db.execute(
                        f'CREATE UNIQUE INDEX IF NOT EXISTS "{name}_u_{field}" '
                        f'ON "{name}"({_path(field)})'
                    )
                for fields in spec.indexes:
                    columns = ", ".join(_path(f) for f in fields)
                    db.execute(
                        f'CREATE INDEX IF NOT EXISTS "{name}_i_{"_".join(fields)}" '
                        f'ON "{name}"({columns}, id)'
                    )
            db.execute(
                "CREATE TABLE IF NOT EXISTS counters "
                "(name TEXT PRIMARY KEY, value INTEGER NOT NULL)"
            )

        await self._run(create)
        self._healthy = True

    async def close(self) -> None:
        db, worker = self._db, self._worker
        self._db, self._worker = None, None
        self._healthy = False
        if worker is not None:
            if db is not None:
                await worker.submit(db.close)
            await worker.stop()

    def _table(self, collection: str) -> str:
        if collection not in self.schema:
            raise ValueError(f"no collection {collection!r}")
        return collection

    @property
    def healthy(self) -> bool:
        return self._healthy

    # -- the port -------------------------------------------------------------------

    @staticmethod
    def _doc(row: tuple[str, int] | None) -> Doc | None:
        if row is None:
            return None
        doc: Doc = _decode(row[0])
        doc["_v"] = row[1]
        return doc

    @staticmethod
    def _body(doc: Doc) -> bytes:
        return _encode({k: v for k, v in doc.items() if k != "_v"})

    async def get(self, collection: str, id: str) -> Doc | None:
        table = self._table(collection)
        return self._doc(
            await self._run(
                lambda db: db.execute(
                    f'SELECT doc, v FROM "{table}" WHERE id = ?', (id,)
                ).fetchone()
            )
        )

    async def find_one(self, collection: str, field: str, value: Any) -> Doc | None:
        table = self._table(collection)
        clause, params = _equals(field, value)
        sql = f'SELECT doc, v FROM "{table}" WHERE {clause} LIMIT 1'
        return self._doc(await self._run(lambda db: db.execute(sql, params).fetchone()))

    async def insert(self, collection: str, doc: Doc) -> bool:
        table = self._table(collection)
        body = self._body(doc)

        def work(db: sqlite3.Connection) -> bool:
            try:
                db.execute(
                    f'INSERT INTO "{table}" (id, v, doc) VALUES (?, 1, ?)', (doc["_id"], body)
                )
            except sqlite3.IntegrityError:
                return False
            return True

        return await self._run(work)

    async def insert_many(self, collection: str, docs: Sequence[Doc]) -> int:
        if not docs:
            return 0
        table = self._table(collection)
        rows = [(doc["_id"], self._body(doc)) for doc in docs]

        def work(db: sqlite3.Connection) -> int:
            before = db.total_changes
            db.executemany(f'INSERT OR IGNORE INTO "{table}" (id, v, doc) VALUES (?, 1, ?)', rows)
            return db.total_changes - before

        return await self._run(work)

    async def replace(self, collection: str, doc: Doc, version: int) -> bool:
        table = self._table(collection)
        body = self._body(doc)
        sql = f'UPDATE "{table}" SET v = ?, doc = ? WHERE id = ? AND v = ?'
        return await self._run(
            lambda db: db.execute(sql, (version + 1, body, doc["_id"], version)).rowcount == 1
        )

    async def replace_many(self, collection: str, docs: Sequence[tuple[Doc, int]]) -> list[bool]:
        """One transaction on the worker thread, one UPDATE per document
        (``executemany`` can't tell which rows matched), committed once."""
        if not docs:
            return []
        table = self._table(collection)
        rows = [(version + 1, self._body(doc), doc["_id"], version) for doc, version in docs]
        sql = f'UPDATE "{table}" SET v = ?, doc = ? WHERE id = ? AND v = ?'

        def work(db: sqlite3.Connection) -> list[bool]:
            return [db.execute(sql, row).rowcount == 1 for row in rows]

        return await self._run(work)

    async def clear_outboxes(self, collection: str, items: Sequence[tuple[str, int]]) -> list[bool]:
        """One transaction; ``json_set`` in place, nothing encoded here."""
        if not items:
            return []
        table = self._table(collection)
        sql = (
            f'UPDATE "{table}" SET v = v + 1, '
            "doc = json_set(doc, '$.events', json('[]'), '$.outbox', json('false')) "
            "WHERE id = ? AND v = ?"
        )
        rows = list(items)

        def work(db: sqlite3.Connection) -> list[bool]:
            return [db.execute(sql, row).rowcount == 1 for row in rows]

        return await self._run(work)

    async def put(self, collection: str, doc: Doc) -> None:
        table = self._table(collection)
        body = self._body(doc)
        sql = (
            f'INSERT INTO "{table}" (id, v, doc) VALUES (?, 1, ?) '
            "ON CONFLICT(id) DO UPDATE SET v = v + 1, doc = excluded.doc"
        )
        await self._run(lambda db: db.execute(sql, (doc["_id"], body)))

    async def put_newer(self, collection: str, docs: Sequence[Doc], field: str) -> None:
        if not docs:
            return
        table = self._table(collection)
        path = _path(field)
        sql = (
            f'INSERT INTO "{table}" (id, v, doc) VALUES (?, 1, ?) '
            "ON CONFLICT(id) DO UPDATE SET v = v + 1, doc = excluded.doc "
            f"WHERE {path} IS NULL OR {path} < json_extract(excluded.doc, '$.{field}')"
        )
        rows = [(doc["_id"], self._body(doc)) for doc in docs]
        await self._run(lambda db: db.executemany(sql, rows))

    async def find(
        self,
        collection: str,
        where: Mapping[str, Any],
        *,
        limit: int = 100,
        after: str | None = None,
        descending: bool = False,
    ) -> list[Doc]:
        table = self._table(collection)
        clauses: list[str] = []
        params: list[Any] = []
        for field, value in where.items():
            clause, values = _equals(field, value)
            clauses.append(clause)
            params.extend(values)
        if after is not None:
            clauses.append("id < ?" if descending else "id > ?")
            params.append(after)
        sql = f'SELECT doc, v FROM "{table}"'
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += f" ORDER BY id {'DESC' if descending else 'ASC'} LIMIT ?"
        params.append(limit)
        rows = await self._run(lambda db: db.execute(sql, params).fetchall())
        return [d for d in map(self._doc, rows) if d is not None]

    async def increment(self, counter: str) -> int:
        sql = (
            "INSERT INTO counters (name, value) VALUES (?, 1) "
            "ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value"
        )
        return int(await self._run(lambda db: db.execute(sql, (counter,)).fetchone()[0]))

    async def delete_before(self, collection: str, field: str, before: float) -> int:
        table = self._table(collection)
        sql = f'DELETE FROM "{table}" WHERE {_path(field)} < ?'
        return await self._run(lambda db: db.execute(sql, (before,)).rowcount)
