"""The commands service's documents, and the one way a command's state
changes (:func:`move`, by the life cycle in
:data:`chargebus.common.commands.TRANSITIONS`).

Rules: a final command never changes; every change of state is recorded in
the history and emits its ``command.<status>`` event into the document's
outbox.  Nothing here does I/O.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec

from chargebus.common.commands import (
    FINAL,
    CallRecord,
    CommandState,
    CommandStatus,
    IllegalTransition,
    Transition,
    advance,
)
from chargebus.common.store import CollectionSpec
from chargebus.common.store.documents import Outboxed, emit

__all__ = [
    "GOES_ON",
    "SCHEMA",
    "CommandDoc",
    "CommandEvent",
    "FanoutDoc",
    "SessionSeen",
    "event_of",
    "is_final",
    "move",
    "new_id",
]

#: Commands whose story goes on after the charger accepts.
GOES_ON = frozenset({"remote_start", "update_firmware"})

SCHEMA = {
    # _id is time-ordered (pages are newest first); command_id is the
    # caller's idempotency key (or the _id).
    "commands": CollectionSpec(
        unique=("command_id",),
        # Each index is a json_extract over the document that every write
        # evaluates again (SQLite): no index that another one's prefix serves.
        indexes=(
            # a charger's commands; and its waiting ones
            ("charger_id", "status"),
            ("outbox",),
            # a status's (the sweep); and the accepted ones that go on
            ("status", "final"),
            ("fanout_id",),
        ),
    ),
    # One command for many chargers: the request (its commands carry its id).
    "fanouts": CollectionSpec(),
    # Sessions as session.started told us: remote_stop by session id, and a
    # 2.x remote start whose session had already begun.
    "sessions_seen": CollectionSpec(indexes=(("charger_id", "transaction_id"),)),
}


class CommandDoc(Outboxed, kw_only=True):
    command_id: str
    charger_id: str
    name: str
    params: dict[str, Any]
    status: CommandStatus
    final: bool = False
    created_at: float
    updated_at: float
    protocol: str | None = None
    calls: list[CallRecord] = msgspec.field(default_factory=list)
    detail: str | None = None
    expires_at: float | None = None
    #: When the charger's answer is due (status sent), for the sweep.
    deadline: float | None = None
    remote_start_id: int | None = None
    session_id: str | None = None
    transaction_id: str | None = None
    request_id: int | None = None
    firmware_status: str | None = None
    history: list[Transition] = msgspec.field(default_factory=list)
    reply_to: str | None = None
    correlation_id: str | None = None
    #: Others who sent the same command id: [reply_to, correlation_id].
    listeners: list[list[str]] = msgspec.field(default_factory=list)
    #: The fan-out it is part of.
    fanout_id: str | None = None

    def state(self) -> CommandState:
        return CommandState(
            command_id=self.command_id,
            charger_id=self.charger_id,
            name=self.name,
            params=self.params,
            status=self.status,
            final=self.final,
            created_at=self.created_at,
            updated_at=self.updated_at,
            protocol=self.protocol,
            calls=self.calls,
            detail=self.detail,
            expires_at=self.expires_at,
            remote_start_id=self.remote_start_id,
            session_id=self.session_id,
            transaction_id=self.transaction_id,
            request_id=self.request_id,
            firmware_status=self.firmware_status,
            history=self.history,
        )


class FanoutDoc(msgspec.Struct, kw_only=True):
    """A fan-out as asked for: written first (the id's claim), complete
    once every charger's command is stored."""

    id: str = msgspec.field(name="_id")  # the fan-out id
    name: str
    params: dict[str, Any]
    charger_ids: list[str]
    created_at: float
    ttl_s: float | None = None
    #: Every charger has its command (a request that stopped half-way is
    #: finished by the same request again).
    complete: bool = False


class CommandEvent(CommandState, kw_only=True, omit_defaults=True):
    """``command.<status>`` on chargebus.events: the command's state."""

    type: str
    event_id: str
    occurred_at: float


class SessionSeen(msgspec.Struct, kw_only=True):
    id: str = msgspec.field(name="_id")  # the session id
    charger_id: str
    transaction_id: str
    evse_id: int


def new_id(now: float) -> str:
    """A document id: time-ordered (pages are newest first), then random."""
    return f"{int(now * 1000):012x}{uuid.uuid4().hex[:12]}"


def is_final(doc: CommandDoc) -> bool:
    return doc.status in FINAL or (doc.status == "accepted" and doc.name not in GOES_ON)


def event_of(doc: CommandDoc, now: float) -> CommandEvent:
    """The ``command.<status>`` event of the command as it is now."""
    return CommandEvent(
        **msgspec.structs.asdict(doc.state()),
        type=f"command.{doc.status}",
        event_id=f"{doc.command_id}:{len(doc.history)}:{doc.status}",
        occurred_at=now,
    )


def move(doc: CommandDoc, status: CommandStatus, now: float, detail: str | None = None) -> str:
    """Move the command to ``status`` (IllegalTransition if the life cycle
    has no such move, or it is final): state, history and its event in the
    outbox.  Returns the event's id."""
    if doc.final:
        raise IllegalTransition(f"command {doc.command_id} is final ({doc.status})")
    doc.status = advance(doc.status, status)
    doc.final = is_final(doc)
    doc.detail = detail if detail is not None else doc.detail
    doc.updated_at = now
    doc.history.append(Transition(status=status, at=now, detail=detail))
    return emit(doc, event_of(doc, now))
