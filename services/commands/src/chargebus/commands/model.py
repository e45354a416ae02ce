"""The commands service's documents."""

from __future__ import annotations

from typing import Any

import msgspec

from chargebus.common.commands import CallRecord, CommandState, Transition
from chargebus.common.store import CollectionSpec
from chargebus.common.store.documents import Outboxed

__all__ = ["SCHEMA", "CommandDoc", "CommandEvent", "FanoutDoc", "SessionSeen"]

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
    status: str
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
