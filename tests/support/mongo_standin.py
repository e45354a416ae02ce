"""A test stand-in for MongoDB: an async facade over ``mongomock``.

**For tests only.**  No MongoDB server can be installed where chargebus is
developed, so the storage contract suite (``tests/contract/test_store.py``)
runs :class:`~chargebus.common.store.mongo.MongoStore` against this
facade: ``MongoStore(url, schema, client_factory=standin_client_factory)``.  When
``CHARGEBUS_TEST_MONGODB_URL`` is set, the same suite also runs the adapter
against that real server, which is the check that counts; this stand-in
only keeps the adapter's logic exercised everywhere else.

It exposes exactly the subset of :class:`pymongo.AsyncMongoClient` that
:mod:`chargebus.common.store.mongo` uses, as coroutines, over a synchronous
``mongomock`` client (``mongomock`` is a dev dependency, and this module
lives in tests/support, on the tests' path, outside every package that
ships).
The errors are PyMongo's own (mongomock raises them when PyMongo is
installed).

Where mongomock and a real server differ for these operations:

Made faithful here
    * ``bulk_write``: mongomock's is broken with PyMongo 4.20 (it passes a
      ``sort`` argument its own ``replace_one`` rejects).  It is implemented
      here by applying each ``ReplaceOne``/``UpdateOne`` in turn; duplicate
      keys and other write errors are collected into a
      :class:`~pymongo.errors.BulkWriteError` shaped like the server's
      (``writeErrors`` with ``index``/``code``/``errmsg``/``op``, the
      ``n*`` counts, ``upserted``, empty ``writeConcernErrors``); unordered
      writes go on past an error, ordered ones stop.  An empty list raises
      :class:`~pymongo.errors.InvalidOperation` as PyMongo does.
    * ``insert_many`` errors: mongomock's ``BulkWriteError`` carries only
      ``writeErrors`` and ``nInserted``; the other server fields are added.
    * Equality across types: mongomock compares with Python's ``==``, so
      ``{"f": 1}`` matches ``True`` and ``{"f": False}`` matches ``0``.  A
      server never equates a bool with a number (different BSON types).
      Filters are rewritten so that an equality on a bool or a number also
      requires that type.  (Range operators are already type-bracketed by
      mongomock; ``$in``/``$ne`` over bools and numbers are not fixed, and
      :mod:`chargebus.common.store.mongo` does not use them.)
    * Concurrency: a real call suspends the caller for a round trip, so other
      tasks run between a coroutine's operations.  Each operation here yields
      to the event loop before and after it runs (and runs atomically, as a
      single-document operation does on the server), so compare-and-set
      loops really do meet contention.
    * A closed client refuses to work (PyMongo >= 4 raises
      :class:`~pymongo.errors.InvalidOperation`).
    * What a server can't store: every document written is BSON-encoded
      first, as the driver does (an integer beyond 64 bits raises
      ``OverflowError`` before anything is sent), and one nested deeper than
      100 levels is refused as the server refuses it (a ``WriteError``; in
      ``insert_many`` a write error for that document while the others are
      inserted).

Not modelled (noted, not fixed)
    * Write concern, journaling, replication and failover: accepted and
      ignored.  Nothing here can time out or lose the connection, so the
      adapter's :class:`~chargebus.common.store.StoreUnavailable` paths for
      network errors are not exercised by the stand-in.
    * Index definitions are not checked against existing ones (a server
      refuses an index whose name exists with other keys or options).
    * Only the query and update operators mongomock implements work (update
      pipelines with ``$project``/``$set``/``$literal``/``$add``/``$ifNull``
      do; ``$replaceWith`` does not); anything else raises
      ``NotImplementedError`` rather than behaving differently.
    * Each :func:`standin_client_factory` call is a new, empty server; to
      reopen a store over the same data, build ``StandinClient(server)`` over
      one shared ``mongomock.MongoClient``.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import bson
import mongomock
from pymongo import ReplaceOne, UpdateOne
from pymongo.errors import BulkWriteError, InvalidOperation, WriteError
from pymongo.results import BulkWriteResult

__all__ = ["StandinClient", "StandinCollection", "StandinDatabase", "standin_client_factory"]

T = TypeVar("T")

_NESTING_CODE = 15
_TOO_DEEP = "BSONObj exceeds maximum nested object depth"
_MAX_DEPTH = 100


def _encodable(document: Mapping[str, Any]) -> None:
    """What the driver does before sending: BSON-encode (an int beyond 64
    bits raises OverflowError, an unencodable value InvalidDocument)."""
    bson.encode(dict(document))


def _too_deep(value: Any, depth: int = 0) -> bool:
    if depth > _MAX_DEPTH:
        return True
    if isinstance(value, dict):
        return any(_too_deep(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return any(_too_deep(v, depth + 1) for v in value)
    return False


class _InsertManyResult:
    def __init__(self, inserted_ids: list[Any]) -> None:
        self.inserted_ids = inserted_ids


_LOGICAL = ("$and", "$or", "$nor")


def standin_client_factory(url: str) -> Any:
    """A ``client_factory`` for :class:`~chargebus.common.store.mongo.MongoStore`:
    a client over a new, empty in-memory server (the URL's database is the
    default database, as with a real client)."""
    return StandinClient(mongomock.MongoClient(url, tz_aware=True))


def _strict(query: Mapping[str, Any]) -> dict[str, Any]:
    """``query`` with the server's type brackets on equality made explicit
    (see the module docstring).  The equality fields stay where they are, so
    an upsert still seeds the new document from them."""
    out: dict[str, Any] = {}
    brackets: list[dict[str, Any]] = []
    for key, value in query.items():
        if key in _LOGICAL:
            out[key] = [_strict(clause) for clause in value]
            continue
        out[key] = value
        if key.startswith("$"):
            continue
        if isinstance(value, Mapping) and "$eq" in value:
            value = value["$eq"]
        if isinstance(value, bool):
            brackets.append({key: {"$type": "bool"}})
        elif isinstance(value, int | float):
            brackets.append({key: {"$type": "number"}})
    if brackets:
        out["$and"] = [*out.get("$and", []), *brackets]
    return out


class StandinClient:
    """The :class:`pymongo.AsyncMongoClient` subset the Mongo adapter uses."""

    def __init__(self, server: mongomock.MongoClient[dict[str, Any]]) -> None:
        #: The synchronous mongomock client: the "server" (share it to reopen).
        self.server = server
        self._closed = False

    def _check_open(self) -> None:
        if self._closed:
            raise InvalidOperation("Cannot use AsyncMongoClient after close")

    def get_default_database(self, default: str | None = None, **options: Any) -> StandinDatabase:
        return StandinDatabase(self, self.server.get_default_database(default, **options))

    def get_database(self, name: str | None = None, **options: Any) -> StandinDatabase:
        return StandinDatabase(self, self.server.get_database(name, **options))

    @property
    def admin(self) -> StandinDatabase:
        return self.get_database("admin")

    async def close(self) -> None:
        self._closed = True

    async def _run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """One "round trip": other tasks run while it is in flight, the
        operation itself is atomic."""
        self._check_open()
        await asyncio.sleep(0)
        self._check_open()
        result = fn(*args, **kwargs)
        await asyncio.sleep(0)
        return result


class StandinDatabase:
    def __init__(self, client: StandinClient, db: Any) -> None:
        self._client = client
        self._db = db

    @property
    def name(self) -> str:
        return str(self._db.name)

    def __getitem__(self, name: str) -> StandinCollection:
        return StandinCollection(self._client, self._db[name])

    async def command(self, command: str | Mapping[str, Any], **kwargs: Any) -> dict[str, Any]:
        if command == "ping" or command == {"ping": 1}:
            await self._client._run(lambda: None)
            return {"ok": 1.0}
        result: dict[str, Any] = await self._client._run(self._db.command, command, **kwargs)
        return result


class StandinCursor:
    """``find(...).sort(...).limit(...)``, read with ``await to_list()``."""

    def __init__(self, collection: StandinCollection, filter: Mapping[str, Any]) -> None:
        self._collection = collection
        self._filter = filter
        self._sort: list[tuple[str, int]] | None = None
        self._limit = 0

    def sort(
        self, key_or_list: str | Sequence[tuple[str, int]], direction: int = 1
    ) -> StandinCursor:
        self._sort = (
            [(key_or_list, direction)] if isinstance(key_or_list, str) else list(key_or_list)
        )
        return self

    def limit(self, limit: int) -> StandinCursor:
        self._limit = limit
        return self

    async def to_list(self, length: int | None = None) -> list[dict[str, Any]]:
        def read() -> list[dict[str, Any]]:
            cursor = self._collection._sync.find(_strict(self._filter))
            if self._sort:
                cursor = cursor.sort(self._sort)
            if self._limit:
                cursor = cursor.limit(self._limit)
            docs = list(cursor)
            return docs if length is None else docs[:length]

        return await self._collection._client._run(read)


class StandinCollection:
    def __init__(self, client: StandinClient, collection: Any) -> None:
        self._client = client
        self._sync = collection

    async def create_index(self, keys: Any, **kwargs: Any) -> str:
        name: str = await self._client._run(self._sync.create_index, keys, **kwargs)
        return name

    async def find_one(
        self, filter: Mapping[str, Any] | None = None, projection: Any = None
    ) -> dict[str, Any] | None:
        doc: dict[str, Any] | None = await self._client._run(
            self._sync.find_one, _strict(filter or {}), projection
        )
        return doc

    def find(self, filter: Mapping[str, Any] | None = None) -> StandinCursor:
        return StandinCursor(self, filter or {})

    async def insert_one(self, document: dict[str, Any]) -> Any:
        _encodable(document)
        if _too_deep(document):
            raise WriteError(_TOO_DEEP, _NESTING_CODE, {"code": _NESTING_CODE, "errmsg": _TOO_DEEP})
        return await self._client._run(self._sync.insert_one, document)

    async def insert_many(self, documents: Sequence[dict[str, Any]], ordered: bool = True) -> Any:
        for document in documents:
            _encodable(document)
        deep = {i for i, d in enumerate(documents) if _too_deep(d)}
        wanted = [d for i, d in enumerate(documents) if i not in deep]

        def work() -> Any:
            errors = [
                {"index": i, "code": _NESTING_CODE, "errmsg": _TOO_DEEP, "op": documents[i]}
                for i in sorted(deep)
            ]
            if ordered and deep:  # an ordered insert stops at its first error
                wanted[:] = documents[: min(deep)]
            inserted = 0
            try:
                if wanted:
                    inserted = len(self._sync.insert_many(wanted, ordered=ordered).inserted_ids)
            except BulkWriteError as exc:
                errors += exc.details.get("writeErrors", [])
                inserted = exc.details.get("nInserted", 0)
            if errors:
                details = _details()
                details["writeErrors"] = errors
                details["nInserted"] = inserted
                raise BulkWriteError(details)
            return _InsertManyResult([d.get("_id") for d in wanted])

        return await self._client._run(work)

    async def replace_one(
        self, filter: Mapping[str, Any], replacement: Mapping[str, Any], upsert: bool = False
    ) -> Any:
        _encodable(dict(replacement))
        return await self._client._run(
            self._sync.replace_one, _strict(filter), dict(replacement), upsert=upsert
        )

    async def update_one(self, filter: Mapping[str, Any], update: Any, upsert: bool = False) -> Any:
        _encodable({"u": update})
        return await self._client._run(
            self._sync.update_one, _strict(filter), copy.deepcopy(update), upsert=upsert
        )

    async def find_one_and_update(
        self, filter: Mapping[str, Any], update: Any, **kwargs: Any
    ) -> dict[str, Any] | None:
        doc: dict[str, Any] | None = await self._client._run(
            self._sync.find_one_and_update, _strict(filter), copy.deepcopy(update), **kwargs
        )
        return doc

    async def delete_many(self, filter: Mapping[str, Any]) -> Any:
        return await self._client._run(self._sync.delete_many, _strict(filter))

    async def bulk_write(self, requests: Sequence[Any], ordered: bool = True) -> BulkWriteResult:
        if not requests:
            raise InvalidOperation("No operations provided")

        def work() -> BulkWriteResult:
            details = _details()
            for index, op in enumerate(requests):
                if isinstance(op, ReplaceOne):
                    apply = self._sync.replace_one
                elif isinstance(op, UpdateOne):
                    apply = self._sync.update_one
                else:
                    raise NotImplementedError(f"the stand-in's bulk_write has no {op!r}")
                upsert = bool(op._upsert)
                try:
                    raw = apply(
                        _strict(op._filter), copy.deepcopy(op._doc), upsert=upsert
                    ).raw_result
                except WriteError as exc:
                    details["writeErrors"].append(
                        {
                            "index": index,
                            "code": exc.code,
                            "errmsg": str(exc),
                            "op": {"q": op._filter, "u": op._doc, "multi": False, "upsert": upsert},
                        }
                    )
                    if ordered:
                        break
                    continue
                if raw.get("upserted") is not None:
                    details["nUpserted"] += 1
                    details["upserted"].append({"index": index, "_id": raw["upserted"]})
                else:
                    details["nMatched"] += raw["n"]
                    details["nModified"] += raw["nModified"]
            if details["writeErrors"]:
                raise BulkWriteError(details)
            return BulkWriteResult(details, acknowledged=True)

        return await self._client._run(work)


def _details() -> dict[str, Any]:
    """An empty bulk write result, as the server reports it."""
    return {
        "writeErrors": [],
        "writeConcernErrors": [],
        "nInserted": 0,
        "nUpserted": 0,
        "nMatched": 0,
        "nModified": 0,
        "nRemoved": 0,
        "upserted": [],
    }
