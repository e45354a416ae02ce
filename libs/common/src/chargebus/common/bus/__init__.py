"""The message bus port: publish with confirmation, consume with acks.

Two adapters implement it with the same semantics: :mod:`.amqp` (RabbitMQ,
for deployments) and :mod:`.memory` (one process, for ``chargebus run``).
One contract suite (``tests/contract/test_bus.py``) runs against both.

Semantics every adapter keeps:

* ``publish`` returns once the message is safe (RabbitMQ: the publisher
  confirm), and raises :class:`Unroutable` when ``mandatory`` is set and no
  queue took it, :class:`BusUnavailable` when it can't be confirmed.
* Topic exchanges match ``*`` (one word) and ``#`` (zero or more words);
  direct exchanges match the key exactly; the default exchange ``""``
  delivers to the queue named by the key.
* Consumers of one queue compete: each message goes to one of them.  A
  message is redelivered, flagged ``redelivered``, when its consumer rejects
  it with requeue or goes away without acking it.
* ``inbox`` declares a queue that lives as long as this bus connection,
  bound to a direct exchange with the given key; its name is the
  ``reply_to`` for answers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

import msgspec

__all__ = [
    "Bus",
    "BusError",
    "BusUnavailable",
    "Delivery",
    "Handler",
    "Unroutable",
    "reply",
]


class BusError(Exception):
    """Base of the bus errors."""


class Unroutable(BusError):
    """A mandatory message matched no queue."""


class BusUnavailable(BusError):
    """The broker could not take or confirm the message."""


class Delivery(msgspec.Struct, kw_only=True, gc=False):
    """A consumed message.  The handler's return acks it; an exception
    rejects it (requeued once, then dead-lettered: see the adapters)."""

    body: bytes
    routing_key: str
    exchange: str = ""
    correlation_id: str | None = None
    reply_to: str | None = None
    headers: dict[str, str] = msgspec.field(default_factory=dict)
    redelivered: bool = False
    #: In-memory adapter only: when an undelivered message expires
    #: (monotonic time; RabbitMQ keeps this itself).
    expires_at: float | None = None


Handler = Callable[[Delivery], Awaitable[None]]


class Bus(Protocol):
    async def start(self) -> None:
        """Connect and declare the topology (idempotent)."""

    async def close(self) -> None: ...

    @property
    def healthy(self) -> bool:
        """Connected and able to publish."""

    async def publish(
        self,
        exchange: str,
        routing_key: str,
        body: bytes,
        *,
        correlation_id: str | None = None,
        reply_to: str | None = None,
        headers: Mapping[str, str] | None = None,
        mandatory: bool = True,
        persistent: bool = True,
        expiration: float | None = None,
    ) -> None:
        """Publish; with ``expiration`` (seconds) a message not delivered
        by then is dropped from its queues (a request whose asker has given
        up is no work for anyone)."""

    async def consume(self, queue: str, handler: Handler, *, prefetch: int = 200) -> None:
        """Start consuming ``queue``; returns once the consumer is registered."""

    async def inbox(self, exchange: str, binding_key: str, handler: Handler) -> str:
        """Declare this connection's own queue, bound to ``exchange`` with
        ``binding_key``, consume it, and return its name."""

    @property
    def inbox_name(self) -> str:
        """The inbox's current name (it changes if the connection is remade)."""


async def reply(
    bus: Bus,
    reply_to: str,
    body: bytes,
    *,
    correlation_id: str | None,
    headers: Mapping[str, str] | None = None,
) -> None:
    """Answer a request on the asker's own queue (the default exchange, its
    ``reply_to`` as routing key): transient and not mandatory, as every reply
    on the bus is (docs/bus.md); an asker gone away is no error.  Raises
    :class:`BusError` when the bus can't take it."""
    await bus.publish(
        "",
        reply_to,
        body,
        correlation_id=correlation_id,
        headers=headers,
        mandatory=False,
        persistent=False,
    )
