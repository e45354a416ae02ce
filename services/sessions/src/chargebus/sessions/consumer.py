"""The consumer shell: everything between the broker and the handlers.

For each delivery of ``chargebus.sessions``: decode the envelope and its
payload once, note the charger as seen, run the action's handler (the
explicit table below), answer a decision on its reply queue, write the
audit entry, then publish the outboxes the handler's writes filled.  Events
on ``chargebus.events`` (a password rotation's steps) go to the charger
administration.

Retry rules: a decision whose store is away is answered InternalError (the
charger retries the CALL); a notification waits for the store as long as it
takes (its charger was told it is stored), with a ``Backoff`` of its own,
so one delivery's success never shortens another's wait; while stopping it
goes back to the broker instead.  A message the store refuses
(DocumentRejected) is answered InternalError, or, a notification, raised to
the dead letters where an operator can see it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import msgspec

from chargebus.common import envelope
from chargebus.common.backoff import Backoff
from chargebus.common.bus import Bus, BusError, Delivery
from chargebus.common.bus import reply as send_reply
from chargebus.common.bus.topology import EVENTS
from chargebus.common.envelope import NULL, OcppMessage, Reply
from chargebus.common.events import DomainEvent, decode_event
from chargebus.common.logs import log_context
from chargebus.common.ocpp.errors import ErrorCode
from chargebus.common.ocpp.versions import OcppVersion, actions_for
from chargebus.common.store import DocumentRejected, StoreUnavailable
from chargebus.sessions.audit import AuditWriter
from chargebus.sessions.boot import handle_boot, handle_heartbeat
from chargebus.sessions.connectors import handle_notify_event, handle_status
from chargebus.sessions.context import Answer, Handler, HandlerPorts, MessageContext
from chargebus.sessions.meter_values import handle_meter_values
from chargebus.sessions.model import AuditEntry
from chargebus.sessions.reports import (
    handle_data_transfer,
    handle_firmware_status,
    handle_log_status,
    handle_other,
    handle_security_event,
)
from chargebus.sessions.tokens import handle_authorize
from chargebus.sessions.transactions2x import handle_transaction_event
from chargebus.sessions.transactions16 import handle_start, handle_stop

__all__ = ["HANDLERS", "Consumer"]

log = logging.getLogger(__name__)

#: Action -> handler; actions not here are kept as records (``handle_other``).
HANDLERS: Mapping[str, Handler] = {
    "BootNotification": handle_boot,
    "Authorize": handle_authorize,
    "StatusNotification": handle_status,
    "NotifyEvent": handle_notify_event,
    "StartTransaction": handle_start,
    "StopTransaction": handle_stop,
    "MeterValues": handle_meter_values,
    "TransactionEvent": handle_transaction_event,
    "FirmwareStatusNotification": handle_firmware_status,
    "DiagnosticsStatusNotification": handle_log_status,
    "LogStatusNotification": handle_log_status,
    "DataTransfer": handle_data_transfer,
    "Heartbeat": handle_heartbeat,
    "SecurityEventNotification": handle_security_event,
}

#: A notification's wait for the store: 0.1 s doubling up to 5 s.
_FIRST_WAIT, _LONGEST_WAIT = 0.1, 5.0


class Consumer:
    def __init__(
        self,
        ports: HandlerPorts,
        bus: Bus,
        *,
        on_event: Callable[[DomainEvent], Any],
        running: Callable[[], bool],
    ) -> None:
        self.ports = ports
        self.bus = bus
        self.metrics = ports.metrics
        self._on_event = on_event
        #: False while stopping: a notification waiting for the store goes back.
        self._running = running
        self._audit = AuditWriter(ports.repositories.audit)

    async def on_delivery(self, delivery: Delivery) -> None:
        if delivery.exchange == EVENTS:
            await self._on_event(decode_event(delivery.body))
            return
        started = time.perf_counter()
        message: OcppMessage = envelope.decode(delivery.body, OcppMessage)
        with log_context(
            charger_id=message.charger_id,
            message_id=message.message_id,
            correlation_id=delivery.correlation_id,
        ):
            await self._handle(delivery, message)
            self.metrics.messages.labels(message.version, message.action).inc()
            self.metrics.seconds.labels(message.action).observe(time.perf_counter() - started)

    async def _handle(self, delivery: Delivery, message: OcppMessage) -> None:
        version = OcppVersion.from_short(message.version)
        action = actions_for(version)[message.action]
        request = msgspec.json.decode(message.payload, type=action.request)
        ctx = MessageContext(message, version, request)
        self.ports.presence.seen(message)
        handler = HANDLERS.get(message.action, handle_other)
        backoff = Backoff(_FIRST_WAIT, _LONGEST_WAIT)
        answer: Answer = None
        error: str | None = None
        decision = bool(delivery.reply_to)
        while True:
            try:
                answer = await handler(ctx, self.ports)
                break
            except DocumentRejected as exc:
                log.error(
                    "%s %s from %s can't be stored: %s",
                    message.action,
                    message.message_id,
                    message.charger_id,
                    exc,
                )
                if not decision:
                    raise  # to dead letters, where an operator can see it
                error = f"the CSMS can't store this message: {exc}"
                break
            except StoreUnavailable as exc:
                self.metrics.store_errors.inc()
                if decision:  # the charger retries the CALL
                    error = f"the CSMS could not store the message; retry ({exc})"
                    break
                await self._wait_for_store(message, exc, backoff)
        if decision:
            await self._reply(delivery, answer, error)
        elif message.answer != NULL:  # what the gateway told the charger
            answer = msgspec.json.decode(message.answer)
        if message.action != "Heartbeat":  # last seen covers those
            await self._audited(ctx, answer, error, backoff)
        for doc in ctx.outbox:
            try:
                await self.ports.repositories.publish_outbox(
                    self.bus, doc, ctx.emitted, self._published
                )
            except StoreUnavailable as exc:  # published; the sweep clears the outbox
                log.warning("outbox of %s not cleared yet: %s", doc.id, exc)

    def _published(self, event_type: str) -> None:
        self.metrics.events.labels(event_type).inc()

    async def _audited(
        self, ctx: MessageContext, answer: Answer, error: str | None, backoff: Backoff
    ) -> None:
        message = ctx.message
        entry = AuditEntry(
            id=f"{message.received_at:017.6f}|{message.charger_id}|{message.message_id}",
            charger_id=message.charger_id,
            at=message.received_at,
            protocol=message.version,
            action=message.action,
            message_id=message.message_id,
            payload=ctx.data,
            answer=answer,
            error=error,
            forgiven=list(message.forgiven),
        )
        while True:
            try:
                await self._audit.add(entry)
                return
            except StoreUnavailable as exc:
                self.metrics.store_errors.inc()
                await self._wait_for_store(message, exc, backoff)

    async def _wait_for_store(self, message: OcppMessage, exc: Exception, backoff: Backoff) -> None:
        """A notification waits for the store as long as it takes: the
        message stays unacked, and the prefetch limit stops new ones piling
        up.  While stopping, it goes back to the broker instead."""
        if not self._running():
            raise exc
        log.warning(
            "store unavailable; %s from %s waits: %s", message.action, message.charger_id, exc
        )
        await backoff.wait()

    async def _reply(self, delivery: Delivery, answer: Answer, error: str | None) -> None:
        if error is not None or answer is None:
            reply = Reply(
                error_code=ErrorCode.INTERNAL_ERROR.value,
                error_description=error or "no answer",
            )
        else:
            reply = Reply(payload=msgspec.Raw(msgspec.json.encode(answer)))
        assert delivery.reply_to is not None
        try:
            await send_reply(
                self.bus,
                delivery.reply_to,
                envelope.encode(reply),
                correlation_id=delivery.correlation_id,
            )
        except BusError as exc:  # the gateway times out and the charger retries
            log.warning("reply to %s lost: %r", delivery.reply_to, exc)
