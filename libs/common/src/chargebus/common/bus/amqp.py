"""The RabbitMQ bus, with aio-pika: the production path.

* One robust connection (reconnects by itself, re-declaring what it had).
* Publishing on a channel with publisher confirms and ``on_return_raises``:
  each ``publish`` awaits only its own confirm, so many concurrent publishers
  keep many confirms in flight (pipelined, never a round trip per message
  for the process as a whole).  A returned ``mandatory`` message raises
  :class:`Unroutable` (RabbitMQ sends the return before the confirm).
* Consumers on their own channel with a prefetch; a message is acked after
  the handler returns.  A handler that raises gets its message requeued once,
  then rejected without requeue, which dead-letters it from a quorum queue.
* Persistent messages; service queues are durable quorum queues with a
  dead-letter exchange and RabbitMQ's delivery limit as a backstop.
* Frames written in one turn of the event loop leave in one socket write
  (:class:`_CoalescingWriter`): aiormq writes each frame on its own, and on
  a busy service those sends were the largest single cost (a fifth of the
  gateway's CPU in a reconnect storm).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any, cast

import aio_pika
import aiormq
from aio_pika.abc import (
    AbstractIncomingMessage,
    AbstractRobustChannel,
    AbstractRobustConnection,
    ExchangeType,
)
from aiormq.connection import TCPTransportFactory, TLSTransportFactory

from chargebus.common.bus import BusUnavailable, Delivery, Handler, Unroutable
from chargebus.common.bus.topology import EXCHANGES, QUEUES, queue_arguments

__all__ = ["AmqpBus"]

log = logging.getLogger(__name__)

_TYPES = {"topic": ExchangeType.TOPIC, "direct": ExchangeType.DIRECT}


class _CoalescingWriter:
    """A StreamWriter whose writes of one event-loop turn go out together.

    aiormq's writer task sends each frame (a publish, an ack, a confirm's
    reply) with its own ``write``, and each is a ``send`` on the socket: on
    loopback that includes the receiver's TCP work.  Here writes are
    buffered and sent in one piece at the start of the next loop turn (or at
    once before a ``drain``), so a burst of publishes costs one send."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self._writer = writer
        self._buffer: list[bytes] = []
        self._loop = asyncio.get_running_loop()
        self._scheduled = False

    def write(self, data: bytes) -> None:
        self._buffer.append(data)
        if not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self._flush)

    def _flush(self) -> None:
        self._scheduled = False
        if not self._buffer:
            return
        data = self._buffer[0] if len(self._buffer) == 1 else b"".join(self._buffer)
        self._buffer.clear()
        if not self._writer.is_closing():
            self._writer.write(data)

    async def drain(self) -> None:
        self._flush()
        await self._writer.drain()

    def write_eof(self) -> None:
        self._flush()
        self._writer.write_eof()

    def close(self) -> None:
        self._flush()
        self._writer.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._writer, name)


class _CoalescingTransport(TCPTransportFactory):
    """aiormq's own TCP or TLS transport, its writer coalescing."""

    async def create(self, url: Any, **kwargs: Any) -> tuple[asyncio.StreamReader, Any]:
        factory = TLSTransportFactory() if url.scheme == "amqps" else TCPTransportFactory()
        reader, writer = await factory.create(url, **kwargs)
        return reader, _CoalescingWriter(writer)


class _Connection(aio_pika.RobustConnection):
    """aio-pika's robust connection on the coalescing transport (aio-pika
    keeps only the connection arguments it knows of, so it is added here;
    a reconnect builds its aiormq connection with the same arguments)."""

    @classmethod
    def _parse_parameters(cls, kwargs: dict[str, Any]) -> dict[str, Any]:
        parameters = super()._parse_parameters(kwargs)
        parameters["transport_factory"] = _CoalescingTransport()
        return parameters


class AmqpBus:
    def __init__(self, url: str, *, name: str = "chargebus", publish_timeout: float = 10.0) -> None:
        self.url = url
        self.name = name
        self.publish_timeout = publish_timeout
        self._connection: AbstractRobustConnection | None = None
        self._publisher: AbstractRobustChannel | None = None
        self._inbox: aio_pika.abc.AbstractQueue | None = None

    async def start(self) -> None:
        self._connection = await aio_pika.connect_robust(
            self.url,
            client_properties={"connection_name": self.name},
            connection_class=_Connection,
        )
        channel = await self._connection.channel(publisher_confirms=True, on_return_raises=True)
        assert isinstance(channel, AbstractRobustChannel)
        self._publisher = channel
        if await self._declare_permitted():
            await self._declare(channel)

    async def _declare_permitted(self) -> bool:
        """Declare the topology on a plain channel, skipping what the broker
        refuses; True when nothing was refused.

        With a user of its own (docs/bus.md, "Users and permissions") a
        service may configure only what it needs, and the topology is the
        broker's definitions' to declare: what is refused here exists
        already (or the first publish or consume says it doesn't).  When
        everything is allowed, the caller declares it all again on the
        robust channel, which declares it again after a reconnect."""
        assert self._connection is not None and self._connection.transport is not None
        raw = self._connection.transport.connection
        channel = await raw.channel()
        refused: list[str] = []

        async def attempt(what: str, declaration: Any) -> bool:
            nonlocal channel
            try:
                await declaration(channel)
                return True
            except aiormq.exceptions.ChannelAccessRefused:
                refused.append(what)
                channel = await raw.channel()  # the refusal closed the channel
                return False

        for exchange in EXCHANGES:
            await attempt(
                f"exchange {exchange.name}",
                lambda ch, e=exchange: ch.exchange_declare(
                    exchange=e.name, exchange_type=e.type, durable=True
                ),
            )
        for queue in QUEUES:
            declared = await attempt(
                f"queue {queue.name}",
                lambda ch, q=queue: ch.queue_declare(
                    queue=q.name, durable=True, arguments=queue_arguments(q)
                ),
            )
            for binding in queue.bindings if declared else ():
                await attempt(
                    f"binding {binding.exchange} {binding.key} -> {queue.name}",
                    lambda ch, q=queue, b=binding: ch.queue_bind(
                        queue=q.name, exchange=b.exchange, routing_key=b.key
                    ),
                )
        if not channel.is_closed:
            await channel.close()
        if refused:
            log.info(
                "%s: not permitted to declare %s; the broker's definitions declare them",
                self.name,
                ", ".join(refused),
            )
        return not refused

    async def _declare(self, channel: aio_pika.abc.AbstractChannel) -> None:
        for exchange in EXCHANGES:
            await channel.declare_exchange(exchange.name, _TYPES[exchange.type], durable=True)
        for queue in QUEUES:
            arguments = queue_arguments(queue)
            declared = await channel.declare_queue(queue.name, durable=True, arguments=arguments)
            for binding in queue.bindings:
                await declared.bind(binding.exchange, binding.key)

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    @property
    def healthy(self) -> bool:
        return (
            self._connection is not None
            and not self._connection.is_closed
            and self._publisher is not None
            and not self._publisher.is_closed
        )

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
        channel = self._publisher
        if channel is None or not self.healthy:
            raise BusUnavailable("not connected to RabbitMQ")
        # Straight to aiormq's basic_publish: aio-pika's Message and Exchange
        # layers cost more CPU than the publish itself on the hot path.
        properties = aiormq.spec.Basic.Properties(
            content_type="application/json",
            correlation_id=correlation_id,
            reply_to=reply_to,
            headers=dict(headers) if headers else None,
            delivery_mode=2 if persistent else 1,
            # RabbitMQ's per-message TTL, in whole milliseconds.
            expiration=None if expiration is None else str(max(1, round(expiration * 1000))),
        )
        try:
            underlay = cast(aiormq.Channel, await channel.get_underlay_channel())
            confirmation = await underlay.basic_publish(
                body,
                exchange=exchange,
                routing_key=routing_key,
                properties=properties,
                mandatory=mandatory,
                timeout=self.publish_timeout,
                # Don't hold the channel lock until the frames are written:
                # with wait=True every publish on the channel queues behind the
                # previous one's write, one event-loop turn each.  The confirm
                # is still awaited.
                wait=False,
            )
        except aiormq.exceptions.PublishError as exc:  # Basic.Return of a mandatory message
            raise Unroutable(f"{exchange or '(default)'}/{routing_key}: returned") from exc
        except aiormq.exceptions.DeliveryError as exc:  # Basic.Nack
            raise BusUnavailable(f"publish refused by the broker: {exc}") from exc
        except (TimeoutError, aiormq.exceptions.AMQPError, ConnectionError, RuntimeError) as exc:
            raise BusUnavailable(f"publish not confirmed: {exc!r}") from exc
        if not isinstance(confirmation, aiormq.spec.Basic.Ack):
            raise BusUnavailable(f"publish not confirmed: {confirmation!r}")

    async def consume(self, queue: str, handler: Handler, *, prefetch: int = 200) -> None:
        assert self._connection is not None, "start() first"
        channel = await self._connection.channel()
        await channel.set_qos(prefetch_count=prefetch)
        declared = await channel.get_queue(queue, ensure=True)
        await declared.consume(self._wrap(handler))

    async def inbox(self, exchange: str, binding_key: str, handler: Handler) -> str:
        assert self._connection is not None, "start() first"
        channel = await self._connection.channel()
        await channel.set_qos(prefetch_count=500)
        # Server-named and exclusive: it goes with the connection, and a
        # reconnect declares a fresh one (fixed names race with reconnects).
        queue = await channel.declare_queue(exclusive=True, auto_delete=True, durable=False)
        await queue.bind(exchange, binding_key)
        await queue.consume(self._wrap(handler))
        self._inbox = queue
        return queue.name

    @property
    def inbox_name(self) -> str:
        if self._inbox is None:
            raise BusUnavailable("no inbox declared")
        return self._inbox.name

    @staticmethod
    def _wrap(handler: Handler):  # type: ignore[no-untyped-def]
        async def on_message(message: AbstractIncomingMessage) -> None:
            delivery = Delivery(
                body=message.body,
                routing_key=message.routing_key or "",
                exchange=message.exchange or "",
                correlation_id=message.correlation_id,
                reply_to=message.reply_to,
                headers={k: str(v) for k, v in (message.headers or {}).items()},
                redelivered=bool(message.redelivered),
            )
            try:
                await handler(delivery)
            except asyncio.CancelledError:
                raise
            except Exception:
                requeue = not message.redelivered
                log.warning(
                    "handler failed on %s (%s)",
                    delivery.routing_key,
                    "requeued once" if requeue else "dead-lettered",
                    exc_info=True,
                )
                await message.reject(requeue=requeue)
            else:
                await message.ack()

        return on_message
