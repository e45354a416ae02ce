"""What a handler gets: the message being handled (decoded once) and the
ports it may use, and what its handling produced for the consumer shell to
finish (documents whose outbox to publish, the events emitted).

Handlers are ``async (MessageContext, HandlerPorts) -> answer`` where the
answer is the decision's payload (camelCase JSON values) or None for a
notification.  The decisions inside them are pure functions of their
concern's module; a handler loads what they need through the repositories,
applies them in a compare-and-set and records what to publish here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

import msgspec

from chargebus.common.envelope import OcppMessage
from chargebus.common.ocpp.versions import OcppVersion
from chargebus.common.store.documents import emit
from chargebus.sessions.metrics import SessionsMetrics
from chargebus.sessions.model import Charger, Session
from chargebus.sessions.presence import PresenceBook
from chargebus.sessions.registrations import Registrations
from chargebus.sessions.repositories import Repositories
from chargebus.sessions.settings import SessionsSettings

__all__ = ["Answer", "DataTransferHandler", "Handler", "HandlerPorts", "MessageContext"]

D = TypeVar("D", Charger, Session)

#: A decision's payload (JSON values), or None for a notification.
Answer = dict[str, Any] | None
#: vendorId handler: (charger id, messageId, data) -> (status, data to return).
DataTransferHandler = Callable[[str, str | None, Any], Awaitable[tuple[str, Any]]]


class MessageContext:
    __slots__ = ("_data", "emitted", "is_2x", "message", "outbox", "request", "version")

    def __init__(self, message: OcppMessage, version: OcppVersion, request: Any) -> None:
        self.message = message
        self.version = version
        self.request = request
        self.is_2x = version.is_2x
        #: Documents whose outbox to publish once the charger has its answer.
        self.outbox: list[Charger | Session] = []
        #: Events this message's handler emitted (in any write attempt).
        self.emitted: set[str] = set()
        self._data: Any = None

    @property
    def data(self) -> Any:
        """The payload as JSON values (for the audit log and records),
        decoded once."""
        if self._data is None:
            self._data = msgspec.json.decode(self.message.payload)
        return self._data

    @property
    def charger_id(self) -> str:
        return self.message.charger_id

    @property
    def at(self) -> float:
        """When the CSMS received the message."""
        return self.message.received_at

    def emit(self, doc: D | None, events: Iterable[msgspec.Struct]) -> D | None:
        """Put events into the document's outbox, to be written with it;
        returns the document (for a change function to return)."""
        if doc is not None:
            for event in events:
                self.emitted.add(emit(doc, event))
        return doc

    def changed(self, doc: D | None, changed: bool) -> None:
        """A write's result: its outbox is published after the answer."""
        if changed and doc is not None:
            self.outbox.append(doc)


class HandlerPorts:
    """What handlers may use besides the message."""

    def __init__(
        self,
        settings: SessionsSettings,
        repositories: Repositories,
        registrations: Registrations,
        presence: PresenceBook,
        metrics: SessionsMetrics,
        clock: Callable[[], float],
    ) -> None:
        self.settings = settings
        self.repositories = repositories
        self.registrations = registrations
        self.presence = presence
        self.metrics = metrics
        self.clock = clock
        #: DataTransfer handlers by vendorId; others get UnknownVendorId.
        self.data_transfer: dict[str, DataTransferHandler] = {}


Handler = Callable[[MessageContext, HandlerPorts], Awaitable[Answer]]
