"""The in-process bus: the embedded ``chargebus run``'s broker.

Same semantics as RabbitMQ for what chargebus uses (see the port's docs):
topic, direct and default-exchange routing, competing consumers,
``mandatory`` returns, acks with redelivery, dead-lettering after one
requeue.  A message is "confirmed" once it sits in every matching queue;
queues live in memory, so they last as long as the process.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from chargebus.common.bus import BusUnavailable, Delivery, Handler, Unroutable
from chargebus.common.bus.topology import DEAD_LETTERS, EXCHANGES, QUEUES

__all__ = ["MemoryBroker", "MemoryBus"]

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4096)
def topic_matches(binding_key: str, routing_key: str) -> bool:
    """AMQP topic matching: ``*`` is exactly one word, ``#`` zero or more."""
    return _match(tuple(binding_key.split(".")), tuple(routing_key.split(".")))


def _match(pattern: tuple[str, ...], words: tuple[str, ...]) -> bool:
    if not pattern:
        return not words
    head, rest = pattern[0], pattern[1:]
    if head == "#":
        return any(_match(rest, words[i:]) for i in range(len(words) + 1))
    if not words:
        return False
    return (head == "*" or head == words[0]) and _match(rest, words[1:])


@dataclass
class _Queue:
    name: str
    dead_letter: bool
    messages: deque[Delivery] = field(default_factory=deque)
    consumers: list[_Consumer] = field(default_factory=list)


@dataclass
class _Consumer:
    handler: Handler
    prefetch: int
    owner: MemoryBus
    in_flight: int = 0


class MemoryBroker:
    """Exchanges and queues shared by every :class:`MemoryBus` of a process
    (one per service in the embedded mode, as each would have a connection)."""

    def __init__(self, max_queue_length: int = 100_000) -> None:
        #: Like RabbitMQ's ``x-max-length`` with ``x-overflow: reject-publish``:
        #: a full queue refuses new messages (the publisher is told, so a
        #: charger gets InternalError and keeps its message) rather than
        #: growing without bound while its consumer is away.
        self.max_queue_length = max_queue_length
        self.exchanges: dict[str, str] = {}
        self.bindings: dict[str, list[tuple[str, str, bool]]] = {}
        self.queues: dict[str, _Queue] = {}
        self._names = itertools.count(1)
        self._tasks: set[asyncio.Task[None]] = set()
        #: One event per settle() waiting, set whenever pending() may have fallen.
        self._settling: set[asyncio.Event] = set()

    def declare_topology(self) -> None:
        for exchange in EXCHANGES:
            self.exchanges.setdefault(exchange.name, exchange.type)
            self.bindings.setdefault(exchange.name, [])
        for queue in QUEUES:
            self.declare_queue(queue.name, dead_letter=queue.dead_letter)
            for binding in queue.bindings:
                self.bind(queue.name, binding.exchange, binding.key)

    def declare_queue(self, name: str, *, dead_letter: bool = False) -> _Queue:
        queue = self.queues.get(name)
        if queue is None:
            queue = self.queues[name] = _Queue(name, dead_letter)
        return queue

    def server_named(self) -> str:
        return f"amq.gen-memory-{next(self._names)}"

    def bind(self, queue: str, exchange: str, key: str) -> None:
        kind = self.exchanges[exchange]
        entry = (queue, key, kind == "topic")
        if entry[:2] not in [(q, k) for q, k, _ in self.bindings[exchange]]:
            self.bindings[exchange].append(entry)

    def route(self, exchange: str, routing_key: str) -> list[_Queue]:
        if exchange == "":
            queue = self.queues.get(routing_key)
            return [queue] if queue else []
        if exchange not in self.exchanges:
            raise BusUnavailable(f"no exchange {exchange!r}")
        matched: list[_Queue] = []
        for queue_name, key, topic in self.bindings[exchange]:
            hit = topic_matches(key, routing_key) if topic else key == routing_key
            queue = self.queues.get(queue_name)
            if hit and queue is not None and queue not in matched:
                matched.append(queue)
        return matched

    def enqueue(self, queue: _Queue, delivery: Delivery) -> None:
        queue.messages.append(delivery)
        self._pump(queue)

    def _pump(self, queue: _Queue) -> None:
        while queue.messages and queue.consumers:
            ready = [c for c in queue.consumers if c.in_flight < c.prefetch]
            if not ready:
                return
            # Round-robin among consumers with room, like RabbitMQ.
            consumer = ready[len(queue.messages) % len(ready)] if len(ready) > 1 else ready[0]
            delivery = queue.messages.popleft()
            if delivery.expires_at is not None and time.monotonic() >= delivery.expires_at:
                self.progressed()
                continue  # expired waiting: dropped, as RabbitMQ does
            consumer.in_flight += 1
            task = asyncio.get_running_loop().create_task(self._deliver(queue, consumer, delivery))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _deliver(self, queue: _Queue, consumer: _Consumer, delivery: Delivery) -> None:
        try:
            await consumer.handler(delivery)
        except asyncio.CancelledError:
            # The consumer went away mid-message: requeue it, as RabbitMQ does
            # for unacked deliveries of a closed channel.
            delivery.redelivered = True
            queue.messages.appendleft(delivery)
            raise
        except Exception:
            if not delivery.redelivered:
                log.warning("handler failed on %s; requeued once", queue.name, exc_info=True)
                delivery.redelivered = True
                queue.messages.append(delivery)
            elif queue.dead_letter:
                log.error("handler failed twice on %s; dead-lettered", queue.name, exc_info=True)
                for target in self.route(DEAD_LETTERS, delivery.routing_key):
                    target.messages.append(delivery)
                    self._pump(target)
            else:
                log.error("handler failed twice on %s; dropped", queue.name, exc_info=True)
        finally:
            consumer.in_flight -= 1
            self.progressed()
            if consumer in queue.consumers:
                self._pump(queue)

    def pending(self, queues: Iterable[str]) -> int:
        """Messages the named queues hold or their consumers work on."""
        total = 0
        for name in queues:
            queue = self.queues.get(name)
            if queue is not None:
                total += len(queue.messages) + sum(c.in_flight for c in queue.consumers)
        return total

    async def settle(self, queues: Iterable[str], timeout: float) -> int:
        """Wait (at most ``timeout`` s) until the named queues are empty and
        nothing is being worked on, as a clean stop of the embedded mode
        needs; returns what is left."""
        names = list(queues)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        progress = asyncio.Event()
        self._settling.add(progress)
        try:
            while (left := self.pending(names)) and (remaining := deadline - loop.time()) > 0:
                progress.clear()
                try:
                    await asyncio.wait_for(progress.wait(), remaining)
                except TimeoutError:
                    return self.pending(names)
            return left
        finally:
            self._settling.discard(progress)

    def progressed(self) -> None:
        """A message left a queue or its handler: wake the settle() calls."""
        for progress in self._settling:
            progress.set()

    def remove_consumers(self, owner: MemoryBus) -> None:
        for queue in self.queues.values():
            queue.consumers = [c for c in queue.consumers if c.owner is not owner]


class MemoryBus:
    """One service's connection to a :class:`MemoryBroker`."""

    def __init__(self, broker: MemoryBroker) -> None:
        self.broker = broker
        self._open = False
        self._inbox: str | None = None

    async def start(self) -> None:
        self.broker.declare_topology()
        self._open = True

    async def close(self) -> None:
        self._open = False
        self.broker.remove_consumers(self)
        if self._inbox is not None:
            self.broker.queues.pop(self._inbox, None)
            self.broker.progressed()
            for bindings in self.broker.bindings.values():
                bindings[:] = [b for b in bindings if b[0] != self._inbox]

    @property
    def healthy(self) -> bool:
        return self._open

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
        if not self._open:
            raise BusUnavailable("bus is closed")
        queues = self.broker.route(exchange, routing_key)
        if not queues:
            if mandatory:
                raise Unroutable(f"{exchange or '(default)'}/{routing_key}: no queue")
            return
        full = [q.name for q in queues if len(q.messages) >= self.broker.max_queue_length]
        if full:
            raise BusUnavailable(f"queue {full[0]} is full ({self.broker.max_queue_length})")
        for queue in queues:
            self.broker.enqueue(
                queue,
                Delivery(
                    body=body,
                    routing_key=routing_key,
                    exchange=exchange,
                    correlation_id=correlation_id,
                    reply_to=reply_to,
                    headers=dict(headers or {}),
                    expires_at=None if expiration is None else time.monotonic() + expiration,
                ),
            )

    async def consume(self, queue: str, handler: Handler, *, prefetch: int = 200) -> None:
        target = self.broker.queues.get(queue)
        if target is None:
            raise BusUnavailable(f"no queue {queue!r}")
        target.consumers.append(_Consumer(handler, prefetch, self))
        self.broker._pump(target)

    async def inbox(self, exchange: str, binding_key: str, handler: Handler) -> str:
        name = self.broker.server_named()
        self.broker.declare_queue(name)
        self.broker.bind(name, exchange, binding_key)
        self._inbox = name
        await self.consume(name, handler)
        return name

    @property
    def inbox_name(self) -> str:
        if self._inbox is None:
            raise BusUnavailable("no inbox declared")
        return self._inbox
