"""MongoDB through PyMongo's ``AsyncMongoClient``: the deployments' store.

Writes use write concern ``majority`` (journaled, not rolled back on
failover).  Unique indexes make duplicates impossible; an insert that hits
one (E11000) reports "already there".  The adapter uses only single-document
operations (plus ``bulk_write`` of single-document upserts, and concurrent
single-document replaces for ``replace_many``), which MongoDB
applies atomically; nothing needs a multi-document transaction, so a
standalone server, a replica set and Atlas all work.

No MongoDB server can be installed where chargebus is developed: the
contract suite runs this adapter against ``mongomock`` (through an async
facade of the same API subset, tests/support/mongo_standin.py) in CI, and
against a real server whenever ``CHARGEBUS_TEST_MONGODB_URL`` is set.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bson.errors import InvalidDocument
from pymongo import ASCENDING, DESCENDING, ReturnDocument, UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError, PyMongoError, WriteError
from pymongo.write_concern import WriteConcern

from chargebus.common.store import Doc, DocumentRejected, Schema, StoreUnavailable

__all__ = ["MongoStore"]

_DUPLICATE_KEY = 11000


def _client(url: str) -> Any:
    from pymongo import AsyncMongoClient

    return AsyncMongoClient(url, tz_aware=True, serverSelectionTimeoutMS=5000)


class MongoStore:
    def __init__(
        self,
        url: str,
        schema: Schema,
        database: str | None = None,
        *,
        client_factory: Callable[[str], Any] = _client,
    ) -> None:
        self.url = url
        self.schema = schema
        self.database = database
        self._client_factory = client_factory
        self._client: Any = None
        self._db: Any = None
        self._healthy = False

    async def _call(self, awaitable: Any) -> Any:
        try:
            result = await awaitable
        except (DuplicateKeyError, BulkWriteError):  # the server answered: the caller decides
            self._healthy = True
            raise
        except (InvalidDocument, OverflowError, WriteError) as exc:
            # This document can't be stored (the driver can't encode it, or
            # the server refused it): not an outage.
            self._healthy = True
            raise DocumentRejected(f"mongodb: {exc}") from exc
        except PyMongoError as exc:
            self._healthy = False
            raise StoreUnavailable(f"mongodb: {exc}") from exc
        self._healthy = True
        return result

    async def start(self) -> None:
        if self._client is not None:
            return
        self._client = self._client_factory(self.url)
        name = self.database
        if name is None:
            default = self._client.get_default_database(default="chargebus")
            name = default.name
        self._db = self._client.get_database(name, write_concern=WriteConcern("majority"))
        await self._call(self._client.admin.command("ping"))
        for collection, spec in self.schema.items():
            coll = self._db[collection]
            for field in spec.unique:
                await self._call(
                    coll.create_index([(field, ASCENDING)], unique=True, name=f"u_{field}")
                )
            for fields in spec.indexes:
                keys = [(f, ASCENDING) for f in fields] + [("_id", ASCENDING)]
                await self._call(coll.create_index(keys, name="i_" + "_".join(fields)))

    async def close(self) -> None:
        if self._client is not None:
            client, self._client, self._db = self._client, None, None
            self._healthy = False
            await client.close()

    @property
    def healthy(self) -> bool:
        return self._healthy

    def _coll(self, collection: str) -> Any:
        if collection not in self.schema:
            raise ValueError(f"no collection {collection!r}")
        return self._collection(collection)

    def _collection(self, name: str) -> Any:
        if self._db is None:
            raise StoreUnavailable("the store is not started")
        return self._db[name]

    async def get(self, collection: str, id: str) -> Doc | None:
        doc: Doc | None = await self._call(self._coll(collection).find_one({"_id": id}))
        return doc

    async def find_one(self, collection: str, field: str, value: Any) -> Doc | None:
        doc: Doc | None = await self._call(self._coll(collection).find_one({field: value}))
        return doc

    async def insert(self, collection: str, doc: Doc) -> bool:
        try:
            await self._call(self._coll(collection).insert_one({**doc, "_v": 1}))
        except DuplicateKeyError:
            return False
        return True

    async def insert_many(self, collection: str, docs: Sequence[Doc]) -> int:
        if not docs:
            return 0
        try:
            result = await self._call(
                self._coll(collection).insert_many([{**d, "_v": 1} for d in docs], ordered=False)
            )
            return len(result.inserted_ids)
        except BulkWriteError as exc:
            _only_duplicates(exc)
            return int(exc.details.get("nInserted", 0))

    async def replace(self, collection: str, doc: Doc, version: int) -> bool:
        body = {k: v for k, v in doc.items() if k != "_v"}
        body["_v"] = version + 1
        result = await self._call(
            self._coll(collection).replace_one({"_id": doc["_id"], "_v": version}, body)
        )
        return bool(result.matched_count == 1)

    async def replace_many(self, collection: str, docs: Sequence[tuple[Doc, int]]) -> list[bool]:
        """``replace`` for each, issued concurrently (the driver pipelines them
        over its connection pool).

        Not one ``bulk_write`` of ``ReplaceOne``: its result counts matches
        for the whole batch, not which ones matched, and reading the ``_v``
        back afterwards can't tell "I wrote it" from "someone else wrote the
        same version after a miss".  Each ``replace_one`` reports its own
        ``matched_count``, so every answer is exact.

        All of them run to the end even if one fails; then the first error
        (in ``docs`` order) is raised, and the others may have been written."""
        if not docs:
            return []
        self._coll(collection)  # an unknown collection fails before anything is sent
        results = await asyncio.gather(
            *(self.replace(collection, doc, version) for doc, version in docs),
            return_exceptions=True,
        )
        for result in results:
            if isinstance(result, BaseException):
                raise result
        return [bool(r) for r in results]

    async def clear_outboxes(self, collection: str, items: Sequence[tuple[str, int]]) -> list[bool]:
        """An ``update_one`` ($set, $inc) for each, issued concurrently; each
        reports its own match (as ``replace_many``; the first error raised
        after all have run)."""
        if not items:
            return []
        coll = self._coll(collection)

        async def clear(id: str, version: int) -> bool:
            result = await self._call(
                coll.update_one(
                    {"_id": id, "_v": version},
                    {"$set": {"events": [], "outbox": False}, "$inc": {"_v": 1}},
                )
            )
            return bool(result.matched_count == 1)

        results = await asyncio.gather(*(clear(i, v) for i, v in items), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result
        return [bool(r) for r in results]

    async def put(self, collection: str, doc: Doc) -> None:
        body = {k: v for k, v in doc.items() if k != "_v"}
        coll = self._coll(collection)
        for _ in range(100):  # a compare-and-set loop keeps _v counting up
            current = await self._call(coll.find_one({"_id": doc["_id"]}, {"_v": 1}))
            if current is None:
                if await self.insert(collection, body):
                    return
                continue
            version = int(current.get("_v", 0))
            if await self.replace(collection, body, version):
                return
        raise StoreUnavailable(f"mongodb: {collection} {doc['_id']} kept changing")

    async def put_newer(self, collection: str, docs: Sequence[Doc], field: str) -> None:
        if not docs:
            return
        operations = [
            UpdateOne(
                {"_id": doc["_id"], "$or": [{field: {"$lt": doc[field]}}, {field: None}]},
                _overwrite(doc),
                upsert=True,
            )
            for doc in docs
        ]
        try:
            await self._call(self._coll(collection).bulk_write(operations, ordered=False))
        except BulkWriteError as exc:
            # The stored one is as new or newer: the filter missed, the upsert
            # collided with it.  That's the "unless" of put_newer.
            _only_duplicates(exc)

    async def find(
        self,
        collection: str,
        where: Mapping[str, Any],
        *,
        limit: int = 100,
        after: str | None = None,
        descending: bool = False,
    ) -> list[Doc]:
        if limit < 1:  # MongoDB reads limit(0) as no limit at all
            return []
        query: dict[str, Any] = dict(where)
        if after is not None:
            query["_id"] = {"$lt" if descending else "$gt": after}
        cursor = (
            self._coll(collection)
            .find(query)
            .sort([("_id", DESCENDING if descending else ASCENDING)])
            .limit(limit)
        )
        docs: list[Doc] = await self._call(cursor.to_list(length=None))
        return docs

    async def increment(self, counter: str) -> int:
        doc = await self._call(
            self._collection("counters").find_one_and_update(
                {"_id": counter},
                {"$inc": {"value": 1}},
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
        )
        return int(doc["value"])

    async def delete_before(self, collection: str, field: str, before: float) -> int:
        result = await self._call(self._coll(collection).delete_many({field: {"$lt": before}}))
        return int(result.deleted_count)


def _overwrite(doc: Doc) -> list[dict[str, Any]]:
    """An update pipeline (MongoDB 4.2+) that makes the document ``doc`` with
    ``_v`` bumped (1 when upserted), so a put_newer overwrite fails a stale
    replace.  ``$literal`` keeps values like ``"$x"`` from being read as paths."""
    pipeline: list[dict[str, Any]] = [{"$project": {"_v": {"$add": [{"$ifNull": ["$_v", 0]}, 1]}}}]
    fields = {k: {"$literal": v} for k, v in doc.items() if k not in ("_id", "_v")}
    if fields:
        pipeline.append({"$set": fields})
    return pipeline


def _only_duplicates(exc: BulkWriteError) -> None:
    """Duplicates are "already there"; a write concern error is an outage;
    any other write error means a document was refused."""
    if exc.details.get("writeConcernErrors"):
        raise StoreUnavailable(f"mongodb: {exc.details}") from exc
    errors = exc.details.get("writeErrors", [])
    refused = [e for e in errors if e.get("code") != _DUPLICATE_KEY]
    if refused:
        raise DocumentRejected(f"mongodb: {refused[0].get('errmsg')}") from exc
