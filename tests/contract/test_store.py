"""The storage port contract (``chargebus.common.store``): one suite, three backends.

* ``sqlite``: :class:`SqliteStore` on a file in ``tmp_path``.
* ``mongo-standin``: :class:`MongoStore` over the mongomock stand-in
  (``tests/support/mongo_standin.py``): no MongoDB server can be
  installed here.
* ``mongo``: :class:`MongoStore` against the real server at
  ``CHARGEBUS_TEST_MONGODB_URL``, in a database of its own per test (dropped
  afterwards); skipped when the variable is unset.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from mongo_standin import StandinClient, standin_client_factory

from chargebus.common.store import DocumentRejected, DocumentStore, StoreUnavailable
from chargebus.common.store.mongo import MongoStore
from chargebus.common.store.sqlite import SqliteStore
from chargebus.sessions.schema import SCHEMA

REAL_MONGODB = os.environ.get("CHARGEBUS_TEST_MONGODB_URL")

Opener = Callable[[], DocumentStore]


# Without a server the "mongo" backend isn't collected; tests/conftest.py says
# so at the end of the run.
@pytest.fixture(params=["sqlite", "mongo-standin", *(["mongo"] if REAL_MONGODB else [])])
async def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Opener]:
    """A function that makes a new (unstarted) store over this test's data."""
    if request.param == "sqlite":
        path = tmp_path / "chargebus.db"
        yield lambda: SqliteStore(path, SCHEMA)
        return

    if request.param == "mongo-standin":
        servers: list[Any] = []

        def standin(url: str) -> Any:
            if not servers:  # the first client brings a new server; later ones reopen it
                client = standin_client_factory(url)
                servers.append(client.server)
                return client
            return StandinClient(servers[0])

        yield lambda: MongoStore(
            "mongodb://standin.invalid/chargebus_test", SCHEMA, client_factory=standin
        )
        return

    url = REAL_MONGODB
    assert url is not None
    database = f"chargebus_test_{uuid.uuid4().hex}"
    yield lambda: MongoStore(url, SCHEMA, database)
    from pymongo import AsyncMongoClient

    client: AsyncMongoClient[Any] = AsyncMongoClient(url, serverSelectionTimeoutMS=5000)
    try:
        await client.drop_database(database)
    finally:
        await client.close()


@pytest.fixture
async def store(open_store: Opener) -> AsyncIterator[DocumentStore]:
    opened = open_store()
    await opened.start()
    yield opened
    await opened.close()


def session(id: str, **fields: Any) -> dict[str, Any]:
    """A "sessions" document with unique keys derived from its id."""
    return {"_id": id, "tx_key": f"tx-{id}", "start_key": f"start-{id}", **fields}


def without_version(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if doc is None else {k: v for k, v in doc.items() if k != "_v"}


UNIQUE_FIELDS = [(name, field) for name, spec in SCHEMA.items() for field in spec.unique]


# -- lifecycle ------------------------------------------------------------------------


async def test_start_is_idempotent_and_close_makes_it_unhealthy(open_store: Opener) -> None:
    store = open_store()
    assert not store.healthy
    await store.start()
    await store.start()
    assert store.healthy
    await store.close()
    assert not store.healthy
    await store.close()


async def test_operations_outside_start_and_close_raise_store_unavailable(
    open_store: Opener,
) -> None:
    store = open_store()
    with pytest.raises(StoreUnavailable):
        await store.get("chargers", "CP-1")
    await store.start()
    await store.close()
    with pytest.raises(StoreUnavailable):
        await store.insert("chargers", {"_id": "CP-1"})
    with pytest.raises(StoreUnavailable):
        await store.increment("tx")


async def test_the_data_survives_closing_and_reopening(open_store: Opener) -> None:
    first = open_store()
    await first.start()
    assert await first.insert("sessions", session("s1", kwh=1.5))
    assert await first.increment("tx") == 1
    await first.close()

    second = open_store()
    await second.start()  # creating the tables and indexes again is harmless
    try:
        assert without_version(await second.get("sessions", "s1")) == session("s1", kwh=1.5)
        assert await second.insert("sessions", session("s1")) is False  # still unique
        assert await second.insert("sessions", session("s2", tx_key="tx-s1")) is False
        assert await second.increment("tx") == 2
    finally:
        await second.close()


@pytest.mark.parametrize("collection", ["nope", "counters", "Sessions", 'sessions"; --'])
async def test_unknown_collections_raise_value_error(store: DocumentStore, collection: str) -> None:
    doc = {"_id": "x", "at": 1.0}
    calls = [
        lambda: store.get(collection, "x"),
        lambda: store.find_one(collection, "at", 1.0),
        lambda: store.insert(collection, doc),
        lambda: store.insert_many(collection, [doc]),
        lambda: store.replace(collection, doc, 1),
        lambda: store.replace_many(collection, [(doc, 1)]),
        lambda: store.clear_outboxes(collection, [("x", 1)]),
        lambda: store.put(collection, doc),
        lambda: store.put_newer(collection, [doc], "at"),
        lambda: store.find(collection, {}),
        lambda: store.delete_before(collection, "at", 2.0),
    ]
    for call in calls:
        with pytest.raises(ValueError, match=f"no collection {re.escape(repr(collection))}"):
            await call()
    assert await store.increment("x") == 1  # a counter named like it is untouched


# -- get, insert, find_one --------------------------------------------------------------


async def test_a_document_reads_back_as_written_with_version_1(store: DocumentStore) -> None:
    doc = {
        "_id": "CP-1",
        "registration": "Accepted",
        "connectors": [{"id": 1, "status": "Available"}, {"id": 2, "status": "Faulted"}],
        "meta": {"vendor": "Ünïcode ⚡", "firmware": None, "skew": -0.25, "big": 2**53},
        "outbox": False,
    }
    original = {**doc}
    assert await store.get("chargers", "CP-1") is None
    assert await store.insert("chargers", doc) is True
    assert doc == original  # the caller's document is not touched
    got = await store.get("chargers", "CP-1")
    assert got == {**doc, "_v": 1}
    assert got is not None
    got["connectors"].append({"id": 3})
    got["meta"]["vendor"] = "changed"
    assert await store.get("chargers", "CP-1") == {**doc, "_v": 1}  # no aliasing
    assert await store.get("chargers", "CP-2") is None
    assert await store.get("sessions", "CP-1") is None  # collections are separate


async def test_insert_refuses_a_duplicate_id_and_writes_nothing(store: DocumentStore) -> None:
    assert await store.insert("chargers", {"_id": "CP-1", "registration": "Accepted"})
    assert await store.insert("chargers", {"_id": "CP-1", "registration": "Rejected"}) is False
    assert await store.get("chargers", "CP-1") == {
        "_id": "CP-1",
        "registration": "Accepted",
        "_v": 1,
    }


@pytest.mark.parametrize(("collection", "field"), UNIQUE_FIELDS)
async def test_insert_refuses_a_duplicate_unique_field_and_writes_nothing(
    store: DocumentStore, collection: str, field: str
) -> None:
    spec = SCHEMA[collection]
    first = {"_id": "a", **{f: f"{f}-a" for f in spec.unique}}
    assert await store.insert(collection, first)
    clash = {"_id": "b", **{f: f"{f}-b" for f in spec.unique}, field: f"{field}-a"}
    assert await store.insert(collection, clash) is False
    assert await store.get(collection, "b") is None
    for f in spec.unique:  # none of the refused document's other keys was taken either
        assert await store.find_one(collection, f, f"{f}-b") is None
    assert await store.find_one(collection, field, f"{field}-a") == {**first, "_v": 1}
    other = {"_id": "b", **{f: f"{f}-b" for f in spec.unique}}
    assert await store.insert(collection, other)  # the refused one left no trace


async def test_each_unique_field_is_a_key_of_its_own(store: DocumentStore) -> None:
    assert await store.insert("sessions", {"_id": "a", "tx_key": "K", "start_key": "S1"})
    # The same value in a different unique field is no duplicate.
    assert await store.insert("sessions", {"_id": "b", "tx_key": "S1", "start_key": "K"})


async def test_find_one_finds_by_a_unique_field(store: DocumentStore) -> None:
    assert await store.insert("sessions", session("s1", charger_id="CP-1"))
    assert await store.insert("sessions", session("s2", charger_id="CP-1"))
    assert await store.find_one("sessions", "tx_key", "tx-s2") == {
        **session("s2", charger_id="CP-1"),
        "_v": 1,
    }
    assert (await store.find_one("sessions", "start_key", "start-s1") or {})["_id"] == "s1"
    assert await store.find_one("sessions", "tx_key", "tx-none") is None


# -- insert_many ------------------------------------------------------------------------


async def test_insert_many_counts_only_the_new_and_skips_duplicates(
    store: DocumentStore,
) -> None:
    assert await store.insert_many("sessions", []) == 0
    assert await store.insert("sessions", session("s1", kwh=1))
    new = await store.insert_many(
        "sessions",
        [
            session("s1", kwh=99),  # duplicate _id
            session("s2", kwh=2),
            session("s3", kwh=3, tx_key="tx-s1"),  # duplicate unique field
            session("s4", kwh=4),
            session("s2", kwh=99, tx_key="other", start_key="other"),  # duplicate in the batch
        ],
    )
    assert new == 2
    assert without_version(await store.get("sessions", "s1")) == session("s1", kwh=1)
    assert without_version(await store.get("sessions", "s2")) == session("s2", kwh=2)
    assert await store.get("sessions", "s3") is None
    assert await store.get("sessions", "s4") == {**session("s4", kwh=4), "_v": 1}
    assert await store.find_one("sessions", "tx_key", "other") is None
    assert await store.insert_many("sessions", [session("s2"), session("s4")]) == 0


async def test_insert_many_of_only_new_documents(store: DocumentStore) -> None:
    samples = [{"_id": f"m{i:03}", "session_id": "s1", "wh": i} for i in range(150)]
    assert await store.insert_many("samples", samples) == 150
    found = await store.find("samples", {"session_id": "s1"}, limit=1000)
    assert found == [{**s, "_v": 1} for s in samples]


# -- replace ----------------------------------------------------------------------------


async def test_replace_is_compare_and_set_on_the_version(store: DocumentStore) -> None:
    assert await store.insert("sessions", session("s1", status="Active", kwh=0))
    read = await store.get("sessions", "s1")
    assert read is not None and read["_v"] == 1

    assert await store.replace("sessions", {**read, "kwh": 5}, read["_v"]) is True
    current = await store.get("sessions", "s1")
    assert current == {**session("s1", status="Active", kwh=5), "_v": 2}

    # A writer that read version 1 lost the race: refused, nothing changed.
    assert await store.replace("sessions", {**read, "status": "Ended"}, 1) is False
    assert await store.get("sessions", "s1") == current
    # A version from the future is just as stale.
    assert await store.replace("sessions", {**read, "status": "Ended"}, 7) is False
    assert await store.get("sessions", "s1") == current

    # It rewrites the whole document; a _v in the body is ignored.
    assert await store.replace("sessions", {**session("s1"), "_v": 99}, 2) is True
    assert await store.get("sessions", "s1") == {**session("s1"), "_v": 3}


async def test_replace_of_a_missing_document_is_false_and_creates_nothing(
    store: DocumentStore,
) -> None:
    assert await store.replace("sessions", session("ghost"), 1) is False
    assert await store.replace("sessions", session("ghost"), 0) is False
    assert await store.get("sessions", "ghost") is None


async def test_of_two_concurrent_replaces_from_one_read_exactly_one_wins(
    store: DocumentStore,
) -> None:
    assert await store.insert("chargers", {"_id": "CP-1", "n": 0})
    read = await store.get("chargers", "CP-1")
    assert read is not None
    results = await asyncio.gather(
        *(store.replace("chargers", {**read, "n": i}, read["_v"]) for i in range(1, 6))
    )
    assert sorted(results) == [False] * 4 + [True]
    winner = results.index(True) + 1
    assert await store.get("chargers", "CP-1") == {"_id": "CP-1", "n": winner, "_v": 2}


async def test_merging_with_a_retry_loop_loses_no_update(store: DocumentStore) -> None:
    assert await store.insert("chargers", {"_id": "CP-1", "seen": []})

    async def add(item: int) -> None:
        while True:
            doc = await store.get("chargers", "CP-1")
            assert doc is not None
            if await store.replace("chargers", {**doc, "seen": [*doc["seen"], item]}, doc["_v"]):
                return

    await asyncio.gather(*(add(i) for i in range(20)))
    doc = await store.get("chargers", "CP-1")
    assert doc is not None
    assert sorted(doc["seen"]) == list(range(20))
    assert doc["_v"] == 21


# -- clear_outboxes ---------------------------------------------------------------------


async def test_clear_outboxes_clears_only_what_is_still_at_its_version(
    store: DocumentStore,
) -> None:
    events = [{"event_id": "e1", "type": "x"}, {"event_id": "e2", "type": "y"}]
    docs = [session(f"s{i}", kwh=i, events=events, outbox=True) for i in range(4)]
    assert await store.insert_many("sessions", docs) == 4
    assert await store.replace("sessions", {**docs[1], "kwh": 10}, 1)  # moved on
    results = await store.clear_outboxes(
        "sessions", [("s0", 1), ("s1", 1), ("ghost", 1), ("s2", 1), ("s3", 5)]
    )
    assert results == [True, False, False, True, False]
    assert await store.get("sessions", "s0") == {**docs[0], "events": [], "outbox": False, "_v": 2}
    assert await store.get("sessions", "s2") == {**docs[2], "events": [], "outbox": False, "_v": 2}
    assert await store.get("sessions", "s1") == {**docs[1], "kwh": 10, "_v": 2}
    assert await store.get("sessions", "s3") == {**docs[3], "_v": 1}
    assert ids(await store.find("sessions", {"outbox": True})) == ["s1", "s3"]
    assert ids(await store.find("sessions", {"outbox": False})) == ["s0", "s2"]
    assert await store.clear_outboxes("sessions", []) == []
    # and the cleared ones go on being compare-and-set as usual
    assert await store.replace("sessions", {**docs[0], "kwh": 7}, 2)
    assert await store.get("sessions", "s0") == {**docs[0], "kwh": 7, "_v": 3}


# -- replace_many -----------------------------------------------------------------------


async def test_replace_many_writes_each_and_bumps_the_version(store: DocumentStore) -> None:
    docs = [session(f"s{i}", kwh=0) for i in range(5)]
    assert await store.insert_many("sessions", docs) == 5
    results = await store.replace_many("sessions", [({**d, "kwh": 1}, 1) for d in docs])
    assert results == [True] * 5
    for d in docs:
        assert await store.get("sessions", d["_id"]) == {**d, "kwh": 1, "_v": 2}
    # and again from the new version; a _v in the body is ignored
    results = await store.replace_many(
        "sessions", [({**d, "kwh": 2, "_v": 99}, 2) for d in reversed(docs)]
    )
    assert results == [True] * 5
    for d in docs:
        assert await store.get("sessions", d["_id"]) == {**d, "kwh": 2, "_v": 3}


async def test_replace_many_refuses_the_stale_and_writes_the_others_in_order(
    store: DocumentStore,
) -> None:
    docs = [session(f"s{i}", kwh=0) for i in range(6)]
    assert await store.insert_many("sessions", docs) == 6
    # someone else wrote s1 and s4 first
    for id in ("s1", "s4"):
        assert await store.replace("sessions", session(id, kwh=-1), 1)
    pairs = [
        ({**docs[0], "kwh": 10}, 1),
        ({**docs[1], "kwh": 11}, 1),  # stale: it's at 2
        ({**docs[2], "kwh": 12}, 1),
        (session("ghost", kwh=13), 1),  # gone
        ({**docs[4], "kwh": 14}, 1),  # stale
        ({**docs[5], "kwh": 15}, 7),  # a version from the future is just as stale
        ({**docs[3], "kwh": 16}, 1),
    ]
    results = await store.replace_many("sessions", pairs)
    assert results == [True, False, True, False, False, False, True]
    assert await store.get("sessions", "s0") == {**docs[0], "kwh": 10, "_v": 2}
    assert await store.get("sessions", "s1") == {**session("s1", kwh=-1), "_v": 2}
    assert await store.get("sessions", "s2") == {**docs[2], "kwh": 12, "_v": 2}
    assert await store.get("sessions", "s3") == {**docs[3], "kwh": 16, "_v": 2}
    assert await store.get("sessions", "s4") == {**session("s4", kwh=-1), "_v": 2}
    assert await store.get("sessions", "s5") == {**docs[5], "_v": 1}
    assert await store.get("sessions", "ghost") is None  # nothing created


async def test_replace_many_of_nothing_and_of_only_missing_documents(
    store: DocumentStore,
) -> None:
    assert await store.replace_many("sessions", []) == []
    assert await store.replace_many("sessions", [(session("a"), 1), (session("b"), 0)]) == [
        False,
        False,
    ]
    assert await store.find("sessions", {}) == []


async def test_replace_many_with_one_id_twice_writes_it_once(store: DocumentStore) -> None:
    assert await store.insert("chargers", {"_id": "CP-1", "n": 0})
    results = await store.replace_many(
        "chargers", [({"_id": "CP-1", "n": 1}, 1), ({"_id": "CP-1", "n": 2}, 1)]
    )
    assert sorted(results) == [False, True]
    winner = results.index(True) + 1
    assert await store.get("chargers", "CP-1") == {"_id": "CP-1", "n": winner, "_v": 2}


async def test_replace_many_racing_replace_from_one_read_exactly_one_wins(
    store: DocumentStore,
) -> None:
    docs = [{"_id": f"CP-{i}", "n": 0} for i in range(10)]
    assert await store.insert_many("chargers", docs) == 10
    batch, *singles = await asyncio.gather(
        store.replace_many("chargers", [({**d, "n": "batch"}, 1) for d in docs]),
        *(store.replace("chargers", {**d, "n": "single"}, 1) for d in docs),
    )
    assert isinstance(batch, list)
    for d, by_batch, by_single in zip(docs, batch, singles, strict=True):
        assert by_batch != by_single
        stored = await store.get("chargers", d["_id"])
        assert stored == {**d, "n": "batch" if by_batch else "single", "_v": 2}


# -- put --------------------------------------------------------------------------------


async def test_put_inserts_then_overwrites_the_whole_document(store: DocumentStore) -> None:
    await store.put("id_tokens", {"_id": "TAG-1", "status": "Accepted", "group": "G1"})
    assert await store.get("id_tokens", "TAG-1") == {
        "_id": "TAG-1",
        "status": "Accepted",
        "group": "G1",
        "_v": 1,
    }
    await store.put("id_tokens", {"_id": "TAG-1", "status": "Blocked", "_v": 42})
    assert await store.get("id_tokens", "TAG-1") == {
        "_id": "TAG-1",
        "status": "Blocked",
        "_v": 2,
    }  # "group" is gone; the _v passed in is ignored


async def test_put_bumps_the_version_so_a_stale_replace_fails(store: DocumentStore) -> None:
    assert await store.insert("sessions", session("s1", kwh=1))
    stale = await store.get("sessions", "s1")
    assert stale is not None
    await store.put("sessions", session("s1", kwh=2))
    assert await store.replace("sessions", {**stale, "kwh": 3}, stale["_v"]) is False
    assert await store.get("sessions", "s1") == {**session("s1", kwh=2), "_v": 2}


async def test_concurrent_puts_each_bump_the_version_once(store: DocumentStore) -> None:
    await asyncio.gather(*(store.put("chargers", {"_id": "CP-1", "n": i}) for i in range(20)))
    doc = await store.get("chargers", "CP-1")
    assert doc is not None
    assert doc["_v"] == 20
    assert doc["n"] in range(20)


# -- put_newer --------------------------------------------------------------------------


@pytest.mark.parametrize("order", ["older-first", "newer-first"])
async def test_put_newer_keeps_the_greater_value_in_either_order(
    store: DocumentStore, order: str
) -> None:
    old = {"_id": "CP-1", "last_seen": 100.0, "protocol": "ocpp1.6"}
    new = {"_id": "CP-1", "last_seen": 200.5, "protocol": "ocpp2.0.1"}
    batches = [[old], [new]] if order == "older-first" else [[new], [old]]
    for batch in batches:
        await store.put_newer("presence", batch, "last_seen")
    assert without_version(await store.get("presence", "CP-1")) == new


async def test_put_newer_inserts_new_documents_and_keeps_on_a_tie(store: DocumentStore) -> None:
    await store.put_newer("presence", [], "last_seen")
    await store.put_newer(
        "presence",
        [{"_id": "CP-1", "last_seen": 10, "gw": "a"}, {"_id": "CP-2", "last_seen": 20, "gw": "a"}],
        "last_seen",
    )
    assert await store.get("presence", "CP-1") == {
        "_id": "CP-1",
        "last_seen": 10,
        "gw": "a",
        "_v": 1,
    }
    # One batch from another replica: newer for CP-1, a tie for CP-2, new CP-3.
    await store.put_newer(
        "presence",
        [
            {"_id": "CP-1", "last_seen": 11, "gw": "b"},
            {"_id": "CP-2", "last_seen": 20, "gw": "b"},
            {"_id": "CP-3", "last_seen": 5, "gw": "b"},
        ],
        "last_seen",
    )
    found = await store.find("presence", {})
    assert [without_version(d) for d in found] == [
        {"_id": "CP-1", "last_seen": 11, "gw": "b"},
        {"_id": "CP-2", "last_seen": 20, "gw": "a"},  # equal is not newer
        {"_id": "CP-3", "last_seen": 5, "gw": "b"},
    ]


async def test_put_newer_overwrites_the_whole_document(store: DocumentStore) -> None:
    await store.put_newer("presence", [{"_id": "CP-1", "last_seen": 1, "skew": 0.5}], "last_seen")
    await store.put_newer("presence", [{"_id": "CP-1", "last_seen": 2}], "last_seen")
    assert without_version(await store.get("presence", "CP-1")) == {"_id": "CP-1", "last_seen": 2}


async def test_put_newer_overwrites_a_document_without_the_field(store: DocumentStore) -> None:
    assert await store.insert("presence", {"_id": "CP-1", "protocol": "ocpp1.6"})
    await store.put_newer("presence", [{"_id": "CP-1", "last_seen": 1.0}], "last_seen")
    assert without_version(await store.get("presence", "CP-1")) == {
        "_id": "CP-1",
        "last_seen": 1.0,
    }


async def test_put_newer_bumps_the_version_so_a_stale_replace_fails(
    store: DocumentStore,
) -> None:
    await store.put_newer("presence", [{"_id": "CP-1", "last_seen": 1}], "last_seen")
    stale = await store.get("presence", "CP-1")
    assert stale is not None
    await store.put_newer("presence", [{"_id": "CP-1", "last_seen": 2}], "last_seen")
    current = await store.get("presence", "CP-1")
    assert current is not None and current["_v"] > stale["_v"]
    assert await store.replace("presence", {**stale, "note": "lost"}, stale["_v"]) is False
    assert await store.get("presence", "CP-1") == current
    # Not newer: nothing is written, the version stays.
    await store.put_newer("presence", [{"_id": "CP-1", "last_seen": 2}], "last_seen")
    assert await store.get("presence", "CP-1") == current


# -- find -------------------------------------------------------------------------------


@pytest.fixture
async def sessions(store: DocumentStore) -> list[dict[str, Any]]:
    docs = [
        session("s1", charger_id="CP-1", status="Active", outbox=True, connector=1),
        session("s2", charger_id="CP-2", status="Active", outbox=False, connector=1),
        session("s3", charger_id="CP-1", status="Ended", outbox=False, connector=2),
        session("s4", charger_id="CP-1", status="Active", outbox=False, connector=2),
        session("s5", charger_id="CP-2", status="Ended", connector=1),
        session("s6", charger_id="CP-1", status="Active", outbox=True, connector=True),
    ]
    assert await store.insert_many("sessions", docs) == len(docs)
    return [{**d, "_v": 1} for d in docs]


def ids(docs: list[dict[str, Any]]) -> list[str]:
    return [d["_id"] for d in docs]


async def test_find_by_one_field(store: DocumentStore, sessions: list[dict[str, Any]]) -> None:
    assert await store.find("sessions", {"charger_id": "CP-2"}) == [sessions[1], sessions[4]]
    assert ids(await store.find("sessions", {"status": "Ended"})) == ["s3", "s5"]
    assert await store.find("sessions", {"charger_id": "CP-9"}) == []
    assert ids(await store.find("sessions", {})) == ["s1", "s2", "s3", "s4", "s5", "s6"]


async def test_find_by_two_fields(store: DocumentStore, sessions: list[dict[str, Any]]) -> None:
    where = {"charger_id": "CP-1", "status": "Active"}
    assert ids(await store.find("sessions", where)) == ["s1", "s4", "s6"]
    assert ids(await store.find("sessions", {"charger_id": "CP-2", "status": "Ended"})) == ["s5"]
    assert await store.find("sessions", {"charger_id": "CP-2", "status": "Gone"}) == []


async def test_find_by_booleans_and_ints_as_json_sees_them(
    store: DocumentStore, sessions: list[dict[str, Any]]
) -> None:
    assert ids(await store.find("sessions", {"outbox": True})) == ["s1", "s6"]
    assert ids(await store.find("sessions", {"outbox": False})) == ["s2", "s3", "s4"]
    assert ids(await store.find("sessions", {"connector": 2})) == ["s3", "s4"]
    # true is not 1, 1 is not true (s6 has connector: true).
    assert ids(await store.find("sessions", {"connector": 1})) == ["s1", "s2", "s5"]
    assert ids(await store.find("sessions", {"connector": True})) == ["s6"]
    assert ids(await store.find("sessions", {"outbox": True, "connector": 1})) == ["s1"]
    assert await store.find("sessions", {"connector": "1"}) == []


async def test_find_none_matches_null_and_absent(
    store: DocumentStore, sessions: list[dict[str, Any]]
) -> None:
    assert await store.insert("sessions", session("s7", charger_id="CP-3", outbox=None))
    assert ids(await store.find("sessions", {"outbox": None})) == ["s5", "s7"]
    assert ids(await store.find("sessions", {"charger_id": "CP-3", "outbox": None})) == ["s7"]


async def test_find_orders_by_id_both_ways_and_pages(
    store: DocumentStore, sessions: list[dict[str, Any]]
) -> None:
    every = ["s1", "s2", "s3", "s4", "s5", "s6"]
    assert ids(await store.find("sessions", {}, descending=True)) == every[::-1]
    assert ids(await store.find("sessions", {}, limit=2)) == ["s1", "s2"]
    assert ids(await store.find("sessions", {}, limit=2, after="s2")) == ["s3", "s4"]
    assert ids(await store.find("sessions", {}, after="s2", descending=True)) == ["s1"]
    assert ids(await store.find("sessions", {}, after="s6")) == []
    assert ids(await store.find("sessions", {}, after="s35")) == [
        "s4",
        "s5",
        "s6",
    ]  # need not exist
    where = {"charger_id": "CP-1"}
    assert ids(await store.find("sessions", where, after="s3", limit=1)) == ["s4"]
    assert ids(await store.find("sessions", where, after="s4", descending=True)) == ["s3", "s1"]

    for descending in (False, True):
        paged: list[str] = []
        after = None
        while page := await store.find("sessions", {}, limit=4, after=after, descending=descending):
            assert len(page) <= 4
            paged += ids(page)
            after = page[-1]["_id"]
        assert paged == (every[::-1] if descending else every)


async def test_find_orders_ids_by_code_point(store: DocumentStore) -> None:
    names = ["b", "B", "a", "_", "10", "9", "é", "ab", "a b", "z"]
    await store.insert_many("records", [{"_id": n, "charger_id": "CP-1"} for n in names])
    assert ids(await store.find("records", {"charger_id": "CP-1"})) == sorted(names)
    assert ids(await store.find("records", {}, descending=True)) == sorted(names, reverse=True)


# -- increment --------------------------------------------------------------------------


async def test_increment_counts_from_one_per_counter(store: DocumentStore) -> None:
    assert [await store.increment("tx") for _ in range(3)] == [1, 2, 3]
    assert await store.increment("other") == 1
    assert await store.increment("tx") == 4


async def test_increment_is_atomic_under_concurrency(store: DocumentStore) -> None:
    values = await asyncio.gather(*(store.increment("tx") for _ in range(50)))
    assert sorted(values) == list(range(1, 51))
    assert await store.increment("tx") == 51


# -- delete_before ----------------------------------------------------------------------


async def test_delete_before_deletes_only_the_older_and_counts_them(
    store: DocumentStore,
) -> None:
    docs = [
        {"_id": "a1", "charger_id": "CP-1", "at": 100},
        {"_id": "a2", "charger_id": "CP-1", "at": 199.5},
        {"_id": "a3", "charger_id": "CP-1", "at": 200},
        {"_id": "a4", "charger_id": "CP-1", "at": 300.25},
        {"_id": "a5", "charger_id": "CP-1"},  # no "at": never "before"
    ]
    assert await store.insert_many("audit", docs) == 5
    assert await store.delete_before("audit", "at", 200.0) == 2
    assert ids(await store.find("audit", {})) == ["a3", "a4", "a5"]
    assert await store.delete_before("audit", "at", 200.0) == 0
    assert await store.delete_before("audit", "at", 1e12) == 2
    assert ids(await store.find("audit", {})) == ["a5"]
    assert await store.delete_before("records", "at", 1e12) == 0  # empty collection


async def test_a_document_the_store_cant_hold_is_refused_not_an_outage(
    store: DocumentStore,
) -> None:
    """MongoDB can't hold integers beyond 64 bits or nesting deeper than 100
    levels; SQLite can.  Either way nothing is half-written and it isn't an
    outage: the caller gets DocumentRejected (and can keep the data as
    text), or the document is stored whole."""
    deep: dict[str, Any] = {}
    for _ in range(150):
        deep = {"a": deep}
    for bad in ({"_id": "big", "n": 2**63}, {"_id": "deep", "d": deep}):
        try:
            assert await store.insert("records", bad)
        except DocumentRejected:
            assert isinstance(store, MongoStore)
            assert await store.get("records", bad["_id"]) is None
        else:
            assert isinstance(store, SqliteStore)
            stored = await store.get("records", bad["_id"])
            assert stored is not None and {k: stored[k] for k in bad} == bad
        assert store.healthy
    # in a batch, the others still go in (with the refused one retried alone)
    docs = [{"_id": "ok-1"}, {"_id": "deep-2", "d": deep}, {"_id": "ok-3"}]
    try:
        await store.insert_many("records", docs)
    except DocumentRejected:
        for doc in docs:
            with contextlib.suppress(DocumentRejected):
                await store.insert_many("records", [doc])
    assert await store.get("records", "ok-1") is not None
    assert await store.get("records", "ok-3") is not None
