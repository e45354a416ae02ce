"""One charger's WebSocket: frames in and out through its sans-I/O session.

The connection reads frames and hands them to the session; the session's
events become bus messages, answers and command outcomes.  Everything that
waits (a broker confirm, a service's decision) runs in a task so the socket
keeps being read: the charger may answer one of our CALLs while we wait.
Its decisions are pieces of their own, with no I/O: admission (rate limit
and flood policy), the registration gate, the pending commands; it needs
of its host only :class:`ConnectionHost`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Literal, Protocol

import msgspec
from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from chargebus.common import envelope
from chargebus.common.bus import Bus, BusError
from chargebus.common.bus.topology import EVENTS, OCPP, ocpp_routing_key
from chargebus.common.envelope import (
    NULL,
    ChargerConnected,
    ChargerDisconnected,
    Command,
    CommandOutcome,
    OcppMessage,
    Reply,
)
from chargebus.common.logs import bind, log_context
from chargebus.common.ocpp.errors import ErrorCode, LocalProtocolError
from chargebus.common.ocpp.frames import CallError, decode_frame
from chargebus.common.ocpp.session import (
    AnswerInvalid,
    CallErrorReceived,
    CallReceived,
    CallTimedOut,
    FrameIgnored,
    ResultInvalid,
    ResultReceived,
    ResultRejected,
    SendReceived,
    Session,
    UnmatchedResult,
)
from chargebus.common.ocpp.validation import encode_payload
from chargebus.common.ocpp.versions import OcppVersion
from chargebus.common.routes import Registration, Route, RouteTableUnavailable
from chargebus.common.tasks import TaskSet
from chargebus.gateway.admission import LIMIT_LOGS, FloodPolicy, Verdict
from chargebus.gateway.delivery import OutcomeDelivery
from chargebus.gateway.handling import Handling, boot_accepted, fixed_answer, handling_of
from chargebus.gateway.metrics import GatewayMetrics
from chargebus.gateway.noise import log_event, log_unmatched
from chargebus.gateway.outcomes import OutcomeGatherer
from chargebus.gateway.pending import PendingCalls
from chargebus.gateway.registration import RegistrationGate
from chargebus.gateway.settings import GatewaySettings

__all__ = ["ChargerConnection", "ConnectionHost", "HeldRoutes"]

log = logging.getLogger(__name__)


class HeldRoutes(Protocol):
    """What a connection reads and writes in the route table itself."""

    async def registration(self, charger_id: str) -> Registration: ...

    async def release(self, route: Route) -> bool: ...


class ConnectionHost(Protocol):
    """What a connection needs from the gateway holding it."""

    @property
    def settings(self) -> GatewaySettings: ...

    @property
    def metrics(self) -> GatewayMetrics: ...

    @property
    def bus(self) -> Bus: ...

    @property
    def routes(self) -> HeldRoutes: ...

    @property
    def outcomes(self) -> OutcomeGatherer:
        """Where the outcomes of batched commands are gathered."""

    async def claim(self, connection: ChargerConnection) -> Route | None:
        """Claim the charger's route for this new socket (telling the gateway
        that held it before to close its own); None while the route table is
        away (the route refresh routes it later)."""

    def attach(self, connection: ChargerConnection) -> None:
        """Hold this connection as the charger's (the newest one wins: a
        connection that loses is closed)."""

    def detach(self, connection: ChargerConnection) -> None: ...

    async def decide(self, routing_key: str, body: bytes) -> Reply:
        """Publish a decision message and wait for the owning service's reply."""


class ChargerConnection:
    __slots__ = (
        "_close_reason",
        "_commands",
        "_discarding",
        "_expiry",
        "_expiry_at",
        "_flood",
        "_gate",
        "_loop",
        "_outcomes",
        "_pending",
        "_started",
        "_tasks",
        "charger_id",
        "closing",
        "connected_at",
        "host",
        "route",
        "session",
        "short",
        "version",
        "ws",
    )

    def __init__(
        self, host: ConnectionHost, ws: ServerConnection, charger_id: str, version: OcppVersion
    ) -> None:
        self.host = host
        self.ws = ws
        self.charger_id = charger_id
        self.version = version
        self.short = version.short
        settings = host.settings
        strict = settings.strict and charger_id not in settings.lenient_chargers
        self.session = Session(version, strict=strict, max_pending=settings.max_pending_calls)
        self.route: Route | None = None
        self.connected_at = time.time()
        self._pending = PendingCalls()
        #: The commands in hand (self._pending's), looked at per message.
        self._commands = self._pending.commands
        self._gate = RegistrationGate(
            settings.registration_required, settings.answer_accepted_boots, self._pending
        )
        self.closing = False
        self._loop = asyncio.get_running_loop()
        self._tasks = TaskSet("a connection's task")  # its lines name the charger
        #: Outcomes on their way: never cancelled by the cleanup.
        self._outcomes = OutcomeDelivery(host.bus, host.outcomes, charger_id)
        self._expiry: asyncio.TimerHandle | None = None
        self._expiry_at: float | None = None
        self._started: dict[str, float] = {}
        self._close_reason = "closed by the gateway"
        # The per-connection rate limit: a token bucket, full at the start.
        self._flood = FloodPolicy(
            settings.max_calls_per_second,
            settings.call_burst,
            settings.call_flood_disconnect_after,
            self._loop.time(),
        )
        #: Closed for flooding: what it still sends is dropped unread.
        self._discarding = False

    # -- life cycle ------------------------------------------------------------

    async def run(self) -> None:
        host = self.host
        # Every log line of this connection (and of the tasks it starts)
        # names the charger.
        bind(charger_id=self.charger_id)
        self.route = await host.claim(self)
        await self._load_registration()
        reason = "closed by the charger"
        host.metrics.connected.labels(self.version.value).inc()
        try:
            host.attach(self)
            if self.closing:  # a newer socket of this charger is already here
                return
            log.info(
                "charger %s connected (%s, epoch %s)",
                self.charger_id,
                self.version.value,
                self.route.epoch if self.route else "?",
            )
            await self._publish_event(
                "charger.connected",
                ChargerConnected(
                    charger_id=self.charger_id,
                    gateway=host.settings.instance_id,
                    epoch=self.route.epoch if self.route else 0,
                    protocol=self.version.value,
                    occurred_at=time.time(),
                ),
            )
            async for message in self.ws:
                if isinstance(message, bytes):
                    reason = "binary frame"
                    host.metrics.limit_closes.labels("binary_frame").inc()
                    log.info("closing %s (1003): a binary frame", self.charger_id)
                    await self.ws.close(1003, "OCPP-J messages are text frames")
                    break
                if self._discarding or not await self._admit():
                    # Closed for flooding: drop what it sent before our close
                    # frame reached it, so its close frame is read at once.
                    continue
                self.session.receive(message, self._loop.time())
                await self._answer_released()
        except ConnectionClosed as exc:
            if exc.sent is not None and exc.sent.code == 1009:
                reason = f"message over {host.settings.max_message_bytes} bytes"
                host.metrics.limit_closes.labels("message_too_big").inc()
                log.warning("closed %s (1009): %s", self.charger_id, reason)
        finally:
            if self.closing:
                reason = self._close_reason
            await self._cleanup(reason)

    async def _load_registration(self) -> None:
        if not self._gate.required:
            return
        try:
            self._gate.loaded(await self.host.routes.registration(self.charger_id))
        except RouteTableUnavailable:
            # Fail open: the registration is not authentication (the
            # security profile is), and refusing every charger while Redis
            # is away would be an outage of its own.
            log.warning("registration of %s unknown (route table away): allowed", self.charger_id)
            self._gate.unknown()

    # -- per-connection limits -------------------------------------------------------

    async def _admit(self) -> bool:
        """Wait until the message just read may be handled: while the
        charger is over its rate, or has max_pending_calls CALLs waiting,
        its socket is not read (websockets stops reading the transport once
        a few messages are buffered: TCP back-pressure, nothing refused).
        False when it stayed throttled too long and is being closed (1008).
        A connection that is closing anyway is not held back."""
        flood = self._flood
        loop = self._loop
        while not self.closing:
            now = loop.time()
            session = self.session
            verdict = flood.check(
                now, session.answering is not None and session.held_calls >= session.max_pending
            )
            if verdict is Verdict.ADMIT:
                break
            if verdict is Verdict.THROTTLE:
                self._throttle_started(now)
            elif verdict is Verdict.CLOSE:
                self._close_for_flood(flood.throttled_for(now))
                return False
            await asyncio.sleep(flood.wait)
        return True

    def _throttle_started(self, now: float) -> None:
        flood = self._flood
        self.host.metrics.throttled.labels(flood.why).inc()
        if not flood.worth_a_line(now):
            return
        left_out = LIMIT_LOGS.take(now)
        if left_out is None:
            return
        log.warning(
            "throttling %s: %s; not reading its socket until it slows down "
            "(closed after %g s of this)%s",
            self.charger_id,
            flood.limit_text(self.session.max_pending),
            flood.close_after,
            f" [{left_out} such lines left out]" if left_out else "",
        )

    def _close_for_flood(self, throttled_for: float) -> None:
        reason = f"{self._flood.limit_text(self.session.max_pending)} for {throttled_for:.0f} s"
        self.host.metrics.limit_closes.labels("flood").inc()
        left_out = LIMIT_LOGS.take(self._loop.time())
        log.warning(
            "closing %s (1008): %s%s",
            self.charger_id,
            reason,
            f" [{left_out} limit lines left out]" if left_out else "",
        )
        # As close() does, less its log line: the one above says it all.
        self._discarding = self.closing = True
        self._close_reason = f"policy violation: {reason}"
        self._tasks.spawn(self.ws.close(1008, self._close_reason[:120]))

    def busy(self) -> bool:
        """Something is in flight: a CALL of the charger's being answered or
        waiting its turn, or a command of ours awaiting the charger's answer."""
        session = self.session
        return (
            session.answering is not None
            or session.in_flight is not None
            or session.queued_calls > 0
            or bool(self._commands)
            or len(self._tasks) > 0
        )

    async def drain(self, timeout: float) -> None:
        """Close once nothing is in flight (waiting at most ``timeout`` s),
        with 1001 Going Away: the charger reconnects, to another gateway."""
        # Polled, not awaited on an Event: busy() follows the session, the
        # command table and the task set, which change with every message; an
        # Event kept in step would cost each message, the poll costs the drain.
        loop, end = self._loop, self._loop.time() + timeout
        while not self.closing and self.busy() and loop.time() < end:  # noqa: ASYNC110 - see above
            await asyncio.sleep(0.02)
        self.close("the gateway is shutting down; connect again", code=1001)

    def close(self, reason: str, code: int = 1000) -> None:
        """Close the socket (from outside the read loop)."""
        if self.closing:
            return
        self.closing = True
        self._close_reason = reason
        log.info("closing %s: %s", self.charger_id, reason)
        self._tasks.spawn(self.ws.close(code, reason[:120]))

    async def _cleanup(self, reason: str) -> None:
        self.closing = True
        if self._expiry is not None:
            self._expiry.cancel()
        await self._tasks.cancel()
        # Outcomes already decided still go out.
        await self._outcomes.wait()
        closed = self._pending.closed(set(self.session.cancel_queued()))
        host = self.host
        host.metrics.commands_in_flight.dec(len(closed))
        for pending, outcome in closed:
            await self._outcomes.send(pending, outcome)
        host.detach(self)
        host.metrics.connected.labels(self.version.value).dec()
        if self.route is not None:
            with contextlib.suppress(RouteTableUnavailable):  # it expires by itself
                await host.routes.release(self.route)
        log.info("charger %s disconnected: %s", self.charger_id, reason)
        await self._publish_event(
            "charger.disconnected",
            ChargerDisconnected(
                charger_id=self.charger_id,
                gateway=host.settings.instance_id,
                epoch=self.route.epoch if self.route else 0,
                reason=reason,
                occurred_at=time.time(),
            ),
        )

    async def _publish_event(self, key: str, event: msgspec.Struct) -> None:
        try:
            await self.host.bus.publish(EVENTS, key, envelope.encode(event), mandatory=False)
        except BusError as exc:
            log.warning("could not publish %s for %s: %s", key, self.charger_id, exc)

    # -- frames out --------------------------------------------------------------

    async def flush(self) -> None:
        frames = self.session.data_to_send()
        if not frames:
            return
        for frame in frames:
            if frame.startswith(b"[4,"):
                error = decode_frame(frame)
                if isinstance(error, CallError):
                    self.host.metrics.errors_sent.labels(error.error_code).inc()
            try:
                await self.ws.send(frame, text=True)
            except ConnectionClosed:
                return

    # -- session events ------------------------------------------------------------

    def _process_events(self) -> list[CallReceived]:
        """Act on the session's events.  Decisions wait in tasks of their own;
        notifications are returned for the caller to answer: the read loop
        does so inline (the charger waits for that answer before its next
        CALL anyway, and a task per message costs more than the answer)."""
        metrics = self.host.metrics
        gate = self._gate
        notifications: list[CallReceived] = []
        for event in self.session.events_received():
            if isinstance(event, CallReceived) and self.closing:
                # Our close frame is out: no answer can reach the charger,
                # which sends this again on its next connection.  Storing it
                # now would store it twice.
                log.info(
                    "%s %s from %s not taken: the connection is closing",
                    event.action,
                    event.message_id,
                    self.charger_id,
                )
                continue
            if isinstance(event, CallReceived):
                counter, _ = metrics.inbound(self.short, event.action)
                counter.inc()
                if not gate.open and gate.refuses(event.action, self._loop.time()):
                    self.session.send_error(
                        event.message_id, ErrorCode.SECURITY_ERROR, gate.refusal()
                    )
                    continue
                self._started[event.message_id] = self._loop.time()
                if event.action == "BootNotification" and gate.boot_interval is not None:
                    notifications.append(event)  # answered here: see _answer_notification
                elif handling_of(self.version, event.action, event.request) is Handling.DECISION:
                    self._tasks.spawn(self._answer_decision(event))
                else:
                    notifications.append(event)
            elif isinstance(event, SendReceived):
                metrics.inbound(self.short, event.action)[0].inc()
                if not gate.open and gate.refuses(event.action, self._loop.time()):
                    log.info("SEND %s from unaccepted %s dropped", event.action, self.charger_id)
                    continue
                self._tasks.spawn(self._forward_send(event))
            elif isinstance(
                event, ResultReceived | CallErrorReceived | ResultInvalid | CallTimedOut
            ):
                self._command_done(event)
            elif isinstance(event, UnmatchedResult):
                self._late_result(event)
            elif isinstance(event, AnswerInvalid | FrameIgnored | ResultRejected):
                log_event(event, self.charger_id, self._loop.time())
        self._schedule_expiry()
        return notifications

    def _envelope(
        self,
        event: CallReceived | SendReceived,
        kind: Literal["call", "send"],
        answer: bytes | None = None,
    ) -> bytes:
        """The bus message of a CALL or SEND the charger sent (its payload
        encoded again from what the session validated: see envelope.py)."""
        return envelope.encode(
            OcppMessage(
                charger_id=self.charger_id,
                version=self.short,
                action=event.action,
                message_id=event.message_id,
                payload=msgspec.Raw(encode_payload(event.request)),
                received_at=time.time(),
                gateway=self.host.settings.instance_id,
                forgiven=event.forgiven,
                kind=kind,
                answer=msgspec.Raw(answer) if answer is not None else NULL,
            )
        )

    async def _answer_notification(self, event: CallReceived) -> None:
        """Publish, and answer once the broker has confirmed (never before)."""
        with log_context(message_id=event.message_id):
            key = ocpp_routing_key(self.short, event.action)
            if event.action == "BootNotification":
                # A charger known to be Accepted (its gate has a boot_interval): the
                # answer the sessions service would give, travelling with the
                # message so the audit log records what the charger was told.
                answer: bytes | None = encode_payload(
                    boot_accepted(self.version, time.time(), self._gate.boot_interval or 0)
                )
            else:
                answer = None
            body = self._envelope(event, "call", answer)
            if event.action == "Heartbeat":
                await self._beat(event, key, body)
                return
            try:
                started = self._loop.time()
                await self.host.bus.publish(OCPP, key, body, mandatory=True)
                self.host.metrics.publish_notification.observe(self._loop.time() - started)
                self.session.send_result(
                    event.message_id,
                    answer
                    if answer is not None
                    else fixed_answer(self.version, event.action, time.time()),
                )
            except BusError as exc:
                log.warning(
                    "%s %s from %s not stored: %r",
                    event.action,
                    event.message_id,
                    self.charger_id,
                    exc,
                )
                self._answer_error(event.message_id, "the CSMS could not store the message; retry")
            self._answered(event)

    async def _beat(self, event: CallReceived, key: str, body: bytes) -> None:
        """A Heartbeat stores nothing a charger could lose (the sessions
        service keeps last seen, batched): answered at once with the time,
        then published as a transient message, so it never waits for a
        quorum queue's confirm (the fleet's commonest message, and the steady
        benchmark's tail).  Lost with a broker outage, it only leaves last
        seen a minute older."""
        self.session.send_result(
            event.message_id, fixed_answer(self.version, event.action, time.time())
        )
        self._answered(event)
        await self.flush()
        try:
            await self.host.bus.publish(OCPP, key, body, mandatory=False, persistent=False)
        except BusError as exc:
            log.debug("heartbeat of %s not passed on: %r", self.charger_id, exc)

    async def _answer_decision(self, event: CallReceived) -> None:
        """Forward, and answer with what the owning service decides."""
        with log_context(message_id=event.message_id):
            key = ocpp_routing_key(self.short, event.action)
            body = self._envelope(event, "call")
            try:
                reply = await self.host.decide(key, body)
                if reply.error_code is not None:
                    code = ErrorCode.parse(reply.error_code) or ErrorCode.INTERNAL_ERROR
                    self.session.send_error(event.message_id, code, reply.error_description)
                elif bytes(reply.payload) == b"null":
                    self.session.send_error(
                        event.message_id, ErrorCode.INTERNAL_ERROR, "the CSMS gave no answer"
                    )
                else:
                    self.session.send_result(event.message_id, bytes(reply.payload))
                    if event.action == "BootNotification":
                        self._gate.answered(bytes(reply.payload))
            except (BusError, TimeoutError) as exc:
                log.warning(
                    "%s %s from %s not decided: %r",
                    event.action,
                    event.message_id,
                    self.charger_id,
                    exc,
                )
                self._answer_error(event.message_id, "the CSMS could not decide in time; retry")
            except LocalProtocolError as exc:  # pragma: no cover - a bug of ours
                log.error("answering %s from %s: %s", event.message_id, self.charger_id, exc)
            self._answered(event)
            await self.flush()  # this answer first, then any CALL it released
            await self._answer_released()

    def _answered(self, event: CallReceived) -> None:
        started_at = self._started.pop(event.message_id, None)
        if started_at is not None:
            self.host.metrics.inbound(self.short, event.action)[1].observe(
                self._loop.time() - started_at
            )

    def _answer_error(self, message_id: str, description: str) -> None:
        with contextlib.suppress(LocalProtocolError):
            self.session.send_error(message_id, ErrorCode.INTERNAL_ERROR, description)

    async def _forward_send(self, event: SendReceived) -> None:
        key = ocpp_routing_key(self.short, event.action)
        body = self._envelope(event, "send")
        try:
            await self.host.bus.publish(OCPP, key, body, mandatory=True)
        except BusError as exc:
            # SEND is never answered (J21 §4.2.3); the charger can't retry it.
            log.warning("SEND %s from %s lost: %r", event.action, self.charger_id, exc)

    # -- commands -----------------------------------------------------------------

    def send_command(
        self,
        command: Command,
        reply_to: str | None,
        correlation_id: str | None,
        *,
        batched: bool = False,
    ) -> None:
        now = self._loop.time()
        pending = self._pending.received(command, reply_to, correlation_id, now, batched=batched)
        held = self._pending.in_hand(command.message_id, pending)
        if held is not False:
            if held is not True:  # another command with this id: refused
                self._outcomes.deliver(pending, held)
            return  # a redelivery of the same command: its outcome will come
        try:
            self.session.call(
                command.message_id,
                command.action,
                bytes(command.payload),
                now=now,
                timeout=command.timeout_s or self.host.settings.call_timeout,
            )
        except LocalProtocolError as exc:
            self._outcomes.deliver(
                pending,
                CommandOutcome(
                    status="invalid", message_id=command.message_id, error_description=str(exc)
                ),
            )
            return
        self._pending.sent(command.message_id, pending)
        self.host.metrics.commands_in_flight.inc()
        self.host.metrics.frames_out.labels(self.short, command.action).inc()
        self._schedule_expiry()
        self._tasks.spawn(self.flush())

    def _command_done(
        self, event: ResultReceived | CallErrorReceived | ResultInvalid | CallTimedOut
    ) -> None:
        now = self._loop.time()
        done = self._pending.done(event, now)
        if done is None:
            return
        pending, outcome = done
        metrics = self.host.metrics
        metrics.commands_in_flight.dec()
        metrics.call_seconds.labels("outbound", self.short, event.action).observe(
            now - pending.sent_at
        )
        self._outcomes.deliver(pending, outcome)

    def _late_result(self, event: UnmatchedResult) -> None:
        late = self._pending.late(event)
        log_unmatched(event, self.charger_id, self._loop.time(), late=late is not None)
        if late is not None:
            # Attached to the command that timed out: the commands service
            # reconciles (the charger may have acted on it).
            self._outcomes.deliver(*late)

    # -- timers -------------------------------------------------------------------

    def _schedule_expiry(self) -> None:
        deadline = self.session.next_deadline()
        if deadline == self._expiry_at:
            return
        if self._expiry is not None:
            self._expiry.cancel()
            self._expiry = None
        self._expiry_at = deadline
        if deadline is not None:
            self._expiry = self._loop.call_at(deadline, self._expire)

    def _expire(self) -> None:
        self._expiry = None
        self._expiry_at = None
        self.session.expire(self._loop.time())
        self._tasks.spawn(self._answer_released())

    async def _answer_released(self) -> None:
        """Act on the session's events until it has none: answering one CALL
        releases the next one the charger sent meanwhile."""
        while True:
            notifications = self._process_events()
            if notifications and self._commands:
                # The charger's answer to our CALL may be on the socket behind
                # these: answer them in a task and keep reading, so a command's
                # round trip doesn't wait for the broker's confirms.
                for call in notifications:
                    self._tasks.spawn(self._answer_then_release(call))
                await self.flush()
                return
            for call in notifications:
                await self._answer_notification(call)
            await self.flush()
            if not notifications:
                return

    async def _answer_then_release(self, call: CallReceived) -> None:
        await self._answer_notification(call)
        await self.flush()
        await self._answer_released()
