"""Typed documents over the store port: compare-and-set changes, and an
outbox of domain events written with the change they describe.

A service's documents are msgspec Structs deriving from :class:`Outboxed`.
:func:`modify` reads one, lets a pure function change it, and writes it back
only if nobody wrote in between (else it reads again).  An event put in the
document's ``events`` by that function is written in the same write;
:func:`publish_outbox` publishes it and removes it once the broker confirmed,
so a crash between the two publishes it later (a sweep finds documents with
``outbox`` set), never not at all, and a redelivered message that changes
nothing publishes nothing again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import msgspec

from chargebus.common.bus import Bus, BusError
from chargebus.common.bus.topology import EVENTS
from chargebus.common.store import DocumentStore, StoreUnavailable

__all__ = [
    "Outboxed",
    "UniqueConflict",
    "Versioned",
    "emit",
    "from_doc",
    "modify",
    "publish_events",
    "publish_outbox",
    "sweep_outboxes",
    "to_doc",
]

log = logging.getLogger(__name__)

_ATTEMPTS = 50


class Versioned(msgspec.Struct, kw_only=True):
    """A document :func:`modify` can change: its id and its version."""

    id: str = msgspec.field(name="_id")
    #: The document's version, for compare-and-set (the store keeps it).
    v: int = msgspec.field(name="_v", default=0)


class Outboxed(Versioned, kw_only=True):
    #: Events not yet confirmed by the broker (``outbox`` is indexed).
    events: list[dict[str, Any]] = msgspec.field(default_factory=list)
    outbox: bool = False


D = TypeVar("D", bound=Outboxed)
V = TypeVar("V", bound=Versioned)
T = TypeVar("T")


class UniqueConflict(Exception):
    """An insert lost to a document with another _id and the same unique key."""


def to_doc(obj: msgspec.Struct) -> dict[str, Any]:
    doc: dict[str, Any] = msgspec.to_builtins(obj)
    return doc


def from_doc(doc: dict[str, Any], type_: type[T]) -> T:
    return msgspec.convert(doc, type_)


def emit(doc: Outboxed, event: msgspec.Struct) -> str:
    """Put an event (a Struct with an ``event_id``) into the document's
    outbox, to be written with it; returns the event id."""
    body: dict[str, Any] = msgspec.to_builtins(event)
    doc.events.append(body)
    doc.outbox = True
    event_id: str = body["event_id"]
    return event_id


async def modify(
    store: DocumentStore,
    collection: str,
    type_: type[V],
    id: str,
    change: Callable[[V | None], V | None],
) -> tuple[V | None, bool]:
    """Read, change, compare-and-set; again if someone wrote in between.
    ``change`` gets a fresh copy each time and returns the new document, or
    None for "nothing to do".  Returns the document and whether it changed."""
    for _ in range(_ATTEMPTS):
        doc = await store.get(collection, id)
        current = from_doc(doc, type_) if doc is not None else None
        version = current.v if current is not None else 0
        new = change(current)
        if new is None:
            return current, False
        if current is None:
            written = await store.insert(collection, to_doc(new))
            if not written and await store.get(collection, id) is None:
                raise UniqueConflict(id)
        else:
            written = await store.replace(collection, to_doc(new), version)
        if written:
            new.v = version + 1
            return new, True
    raise StoreUnavailable(f"{collection} {id}: too many concurrent writes")


async def publish_events(
    bus: Bus,
    events: Iterable[dict[str, Any]],
    published: Callable[[dict[str, Any]], None] | None = None,
) -> None:
    """Publish outbox events on ``chargebus.events``, in order, each once the
    broker confirmed the one before (``published`` is told of each); the
    first that fails stops it with its BusError."""
    for event in events:
        await bus.publish(
            EVENTS,
            event["type"],
            msgspec.json.encode(event),
            headers={"event_id": event["event_id"]},
            mandatory=False,
        )
        if published is not None:
            published(event)


async def publish_outbox(
    store: DocumentStore,
    bus: Bus,
    collection: str,
    type_: type[D],
    doc: D,
    only: set[str] | None = None,
    published_hook: Callable[[str], None] | None = None,
) -> None:
    """Publish the document's outbox on ``chargebus.events`` (``only`` these
    events: a handler publishes what it emitted; a sweep publishes what is
    left), then remove what the broker confirmed."""
    events = [e for e in doc.events if only is None or e["event_id"] in only]
    confirmed: list[str] = []

    def on_published(event: dict[str, Any]) -> None:
        confirmed.append(event["event_id"])
        if published_hook is not None:
            published_hook(event["type"])

    try:
        await publish_events(bus, events, on_published)
    except BusError as exc:
        # It stopped at the first event the broker didn't confirm.
        log.warning("event %s not published yet: %r", events[len(confirmed)]["event_id"], exc)
    published = set(confirmed)
    if not published:
        return
    # Usually nobody wrote since: clear with the version we know, without a
    # read; else read, clear, compare-and-set as usual.
    keep = [e for e in doc.events if e["event_id"] not in published]
    if not keep:
        if (await store.clear_outboxes(collection, [(doc.id, doc.v)]))[0]:
            return
    elif await store.replace(
        collection, to_doc(msgspec.structs.replace(doc, events=keep, outbox=True)), doc.v
    ):
        return

    def clear(current: D | None) -> D | None:
        if current is None:
            return None
        keep = [e for e in current.events if e["event_id"] not in published]
        if len(keep) == len(current.events):
            return None
        current.events = keep
        current.outbox = bool(keep)
        return current

    await modify(store, collection, type_, doc.id, clear)


async def sweep_outboxes(
    store: DocumentStore,
    bus: Bus,
    collection: str,
    type_: type[D],
    limit: int = 1000,
    settle_s: float = 10.0,
) -> None:
    """Publish what crashes and broker outages left in outboxes.  A document
    changed in the last ``settle_s`` seconds is left to the handler that is
    publishing its events right now (so they aren't published twice)."""
    recent = time.time() - settle_s
    for doc in await store.find(collection, {"outbox": True}, limit=limit):
        if doc.get("updated_at", 0) > recent:
            continue
        await publish_outbox(store, bus, collection, type_, from_doc(doc, type_))
