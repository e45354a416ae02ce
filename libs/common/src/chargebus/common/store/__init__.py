"""The storage port: a small document store that both adapters implement
with the same semantics, and one contract suite checks
(``tests/contract/test_store.py``).

* :mod:`.sqlite`: SQLite for the embedded ``chargebus run`` (WAL, one file
  in the data directory).
* :mod:`.mongo`: MongoDB through PyMongo's ``AsyncMongoClient`` for
  deployments (write concern ``majority``).

Documents are JSON-shaped dicts with a string ``_id``.  The port is kept to
operations both stores do natively and atomically, so the domain code above
it can rely on:

* unique keys (each service's schema, a mapping of collection names to
  :class:`CollectionSpec`, given to the adapter): an insert that would duplicate one reports
  False instead of writing, so duplicates are impossible, not unlikely;
* compare-and-set replace on the ``_v`` version, so two consumers merging
  into one document never lose each other's work (they re-read and retry);
* an atomic counter (1.6 transaction ids);
* equality queries paged by ``_id``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import msgspec

__all__ = [
    "CollectionSpec",
    "Doc",
    "DocumentRejected",
    "DocumentStore",
    "Schema",
    "StoreUnavailable",
]

Doc = dict[str, Any]


class StoreUnavailable(Exception):
    """The database could not be reached: try again later."""


class DocumentRejected(Exception):
    """The database refused this document (an integer beyond 64 bits, nesting
    deeper than MongoDB's 100 levels, ...): trying again won't help."""


class CollectionSpec(msgspec.Struct, frozen=True):
    #: Fields whose values are unique across the collection (each a key of its own).
    unique: tuple[str, ...] = ()
    #: Indexes for equality queries: tuples of fields (``_id`` is appended).
    indexes: tuple[tuple[str, ...], ...] = ()


Schema = Mapping[str, CollectionSpec]


class DocumentStore(Protocol):
    async def start(self) -> None:
        """Connect; create tables, collections and indexes (idempotent)."""

    async def close(self) -> None: ...

    @property
    def healthy(self) -> bool: ...

    async def get(self, collection: str, id: str) -> Doc | None: ...

    async def find_one(self, collection: str, field: str, value: Any) -> Doc | None:
        """The document whose unique ``field`` is ``value``."""

    async def insert(self, collection: str, doc: Doc) -> bool:
        """Insert; False (and nothing written) when ``_id`` or a unique key exists."""

    async def insert_many(self, collection: str, docs: Sequence[Doc]) -> int:
        """Insert each; duplicates are skipped.  Returns how many were new."""

    async def replace(self, collection: str, doc: Doc, version: int) -> bool:
        """Write ``doc`` with ``_v = version + 1`` if the stored ``_v`` is
        still ``version``; False when someone else wrote first (or it's gone)."""

    async def replace_many(self, collection: str, docs: Sequence[tuple[Doc, int]]) -> list[bool]:
        """``replace`` for each (doc, version) pair, in one round trip where the
        store allows: each written with ``_v = version + 1`` only if its stored
        ``_v`` is still ``version``.  Returns, in order, whether each was written
        (False when someone else wrote first or it is gone).

        Each document is its own compare-and-set, not the batch: if it raises,
        SQLite has written none of them, MongoDB may have written some (re-read
        to find out).  Of pairs with the same ``_id`` and version in one batch,
        exactly one is written (on MongoDB not necessarily the first)."""

    async def clear_outboxes(self, collection: str, items: Sequence[tuple[str, int]]) -> list[bool]:
        """For each (id, version) whose stored ``_v`` is still ``version``:
        ``events`` set to ``[]`` and ``outbox`` to false, the rest of the
        document untouched, ``_v`` bumped.  Returns, in order, whether each
        was cleared.  (The document isn't sent again: after publishing an
        outbox, a fraction of the cost of ``replace``.)"""

    async def put(self, collection: str, doc: Doc) -> None:
        """Insert or overwrite by ``_id`` (``_v`` is bumped)."""

    async def put_newer(self, collection: str, docs: Sequence[Doc], field: str) -> None:
        """Upsert each by ``_id`` unless the stored one has a greater or equal
        ``field`` (last-seen batches from several replicas)."""

    async def find(
        self,
        collection: str,
        where: Mapping[str, Any],
        *,
        limit: int = 100,
        after: str | None = None,
        descending: bool = False,
    ) -> list[Doc]:
        """Documents whose fields equal ``where``, ordered by ``_id``, from
        just past ``after``."""

    async def increment(self, counter: str) -> int:
        """Atomically add one to the named counter and return the new value."""

    async def delete_before(self, collection: str, field: str, before: float) -> int:
        """Delete documents whose ``field`` is below ``before``; return how many."""
