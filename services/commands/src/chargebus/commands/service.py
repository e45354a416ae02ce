"""The commands service: version-neutral commands from the bus and HTTP,
translated for the charger's protocol, routed to the gateway that holds the
charger, and tracked to a final outcome.

Every command is a document that moves forward through its states
(chargebus.common.commands.CommandStatus) by compare-and-set; a final state
never changes.  Each transition is written with its ``command.<status>``
event in the document's outbox.  A command is sent at most once: only the
move to ``sent`` sends, and a command found in ``sent`` after a crash is
timed out (its outcome on the charger unknown), never sent again.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import msgspec
from prometheus_client import CollectorRegistry, Counter, Histogram

from chargebus.commands.errors import ConflictingCommand, RefusedCommand
from chargebus.commands.fanout import FANOUT_PREFIX, Fanouts, call_record, check_ttl
from chargebus.commands.model import CommandDoc, SessionSeen, event_of, move, new_id
from chargebus.commands.settings import CommandsSettings
from chargebus.commands.translate import Invalid, parse_params, plan, verdict
from chargebus.common import envelope
from chargebus.common.bus import Bus, BusError, Delivery, Unroutable
from chargebus.common.bus.topology import EVENTS, GATEWAYS
from chargebus.common.commands import (
    TRANSITIONS,
    CallRecord,
    CommandRequest,
    CommandState,
    CommandStatus,
    FanoutRequest,
    FanoutState,
    Transition,
)
from chargebus.common.envelope import ChargerConnected, Command, CommandOutcome, OcppMessage
from chargebus.common.events import PasswordDropped, PasswordPending, SessionStarted
from chargebus.common.logs import bind, log_context
from chargebus.common.routes import Route, RouteTable, RouteTableUnavailable
from chargebus.common.security import (
    Credentials,
    generate_authorization_key,
    generate_password,
    hash_password,
)
from chargebus.common.store import DocumentStore, StoreUnavailable
from chargebus.common.store.documents import (
    emit,
    from_doc,
    modify,
    publish_outbox,
    sweep_outboxes,
    to_doc,
)
from chargebus.common.tasks import TaskSet, every

__all__ = ["CommandsService", "ConflictingCommand", "RefusedCommand"]

log = logging.getLogger(__name__)

_FIRMWARE_FAILED = {
    "DownloadFailed",
    "InstallationFailed",
    "InstallVerificationFailed",
    "InvalidSignature",
    "InstallRebootFailed",
    "InstallScheduled_Failed",
}
#: A command left received or routed this long was left by an error: redrive it.
_STUCK_S = 10.0
#: Extra time the gateway has to report an outcome after the charger's timeout.
_GATEWAY_GRACE = 5.0


class CommandsMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.commands = Counter(
            "chargebus_commands",
            "Commands that reached a final state, by name and status",
            ["name", "status"],
            registry=self.registry,
        )
        self.seconds = Histogram(
            "chargebus_commands_answer_seconds",
            "From a command's arrival to the charger's answer",
            ["name"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
        )


class CommandsService:
    def __init__(
        self,
        settings: CommandsSettings,
        store: DocumentStore,
        bus: Bus,
        routes: RouteTable,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.store = store
        self.bus = bus
        self.routes = routes
        self.clock = clock
        self.metrics = CommandsMetrics()
        self.started = False
        self._outcomes: dict[str, asyncio.Future[CommandOutcome]] = {}
        self._finals: dict[str, list[asyncio.Future[CommandState]]] = {}
        #: Deliveries and fan-out batches in flight, and the housekeeping loops.
        self.tasks = TaskSet("command delivery")
        self._loops = TaskSet("commands housekeeping")
        self.fanouts = Fanouts(self, _GATEWAY_GRACE)
        self._next_sent_scan = 0.0

    # -- life cycle --------------------------------------------------------------------

    async def start(self) -> None:
        await self.store.start()
        await self.bus.start()
        await self.routes.start()
        await self.bus.inbox(GATEWAYS, f"commands-{uuid.uuid4().hex}", self._on_outcome)
        await self.bus.consume(
            "chargebus.commands", self.on_delivery, prefetch=self.settings.prefetch
        )
        await self.resume()
        self._loops.spawn(every(1.0, self.sweep))
        self._loops.spawn(
            every(30.0, lambda: sweep_outboxes(self.store, self.bus, "commands", CommandDoc))
        )
        self.started = True

    async def stop(self) -> None:
        self.started = False
        await self._loops.cancel()
        await self.tasks.cancel()
        await self.bus.close()
        await self.routes.close()
        await self.store.close()

    def ready(self) -> bool:
        return self.started and self.bus.healthy and self.store.healthy and self.routes.healthy

    # -- intake ------------------------------------------------------------------------

    async def submit(
        self,
        name: str,
        charger_id: str,
        params: dict[str, Any],
        *,
        command_id: str | None = None,
        ttl_s: float | None = None,
        reply_to: str | None = None,
        correlation_id: str | None = None,
    ) -> CommandState:
        """Take a command: check it, store it, start delivering it.  The same
        ``command_id`` again returns the first one's state (sent once)."""
        try:
            parse_params(name, params)
        except Invalid as exc:
            raise RefusedCommand(str(exc)) from None
        if not charger_id or len(charger_id) > 255:
            raise RefusedCommand("charger_id: 1 to 255 characters")
        check_ttl(ttl_s)
        if command_id is not None and command_id.startswith(FANOUT_PREFIX):
            raise RefusedCommand(f"command ids starting {FANOUT_PREFIX!r} are the fan-outs'")
        now = self.clock()
        id = new_id(now)
        doc = CommandDoc(
            id=id,
            command_id=command_id or id,
            charger_id=charger_id,
            name=name,
            params=params,
            status="received",
            created_at=now,
            updated_at=now,
            expires_at=now + ttl_s if ttl_s is not None else None,
            history=[Transition(status="received", at=now)],
            reply_to=reply_to,
            correlation_id=correlation_id,
        )
        emitted = {emit(doc, event_of(doc, now))}
        if not await self.store.insert("commands", to_doc(doc)):
            return await self._again(doc, reply_to, correlation_id)
        doc.v = 1
        await self._publish(doc, emitted)
        self.tasks.spawn(self._drive(id))
        return doc.state()

    async def _again(
        self, doc: CommandDoc, reply_to: str | None, correlation_id: str | None
    ) -> CommandState:
        """The same command id again: the first command stands (and this
        caller hears its outcome too); a different command under a used id
        is refused."""
        raw = await self.store.find_one("commands", "command_id", doc.command_id)
        if raw is None:  # pragma: no cover - a unique key without its document
            raise StoreUnavailable("command id taken but not found")
        first = from_doc(raw, CommandDoc)
        if (first.name, first.charger_id, first.params) != (doc.name, doc.charger_id, doc.params):
            raise ConflictingCommand(
                f"command id {doc.command_id!r} is already used by another command "
                f"({first.name} for {first.charger_id})"
            )
        log.info("command %s sent again: the first one stands", doc.command_id)
        if reply_to is not None:
            if first.final:
                await self._send_reply(reply_to, correlation_id, first.state())
            else:
                await self._listen(first.id, reply_to, correlation_id)
        return first.state()

    async def _listen(self, id: str, reply_to: str, correlation_id: str | None) -> None:
        def change(doc: CommandDoc | None) -> CommandDoc | None:
            if doc is None or doc.final:
                return None
            listener = [reply_to, correlation_id or ""]
            if listener in doc.listeners or [doc.reply_to, doc.correlation_id or ""] == listener:
                return None  # a client asking again (CommandClient): it hears once
            doc.listeners.append(listener)
            return doc

        current, changed = await modify(self.store, "commands", CommandDoc, id, change)
        if not changed and current is not None and current.final:  # it ended meanwhile
            await self._send_reply(reply_to, correlation_id, current.state())

    async def find(self, command_id: str) -> CommandState | None:
        raw = await self.store.find_one("commands", "command_id", command_id)
        return from_doc(raw, CommandDoc).state() if raw is not None else None

    async def wait_final(self, command_id: str, timeout: float) -> CommandState | None:
        """The command's state once final, or as it is after ``timeout``."""
        future: asyncio.Future[CommandState] = asyncio.get_running_loop().create_future()
        self._finals.setdefault(command_id, []).append(future)
        deadline = asyncio.get_running_loop().time() + timeout
        try:
            while True:
                state = await self.find(command_id)
                if state is None or state.final:
                    return state
                left = deadline - asyncio.get_running_loop().time()
                if left <= 0:
                    return state
                # Notified when this process finishes it; polled in case
                # another replica does.
                with contextlib.suppress(TimeoutError):
                    return await asyncio.wait_for(asyncio.shield(future), min(left, 0.5))
        finally:
            waiting = self._finals.get(command_id, [])
            if future in waiting:
                waiting.remove(future)
            if not waiting:
                self._finals.pop(command_id, None)

    async def on_delivery(self, delivery: Delivery) -> None:
        key = delivery.routing_key
        with log_context(correlation_id=delivery.correlation_id):
            if key.startswith("command."):
                await self._on_request(delivery)
            elif key == "charger.connected":
                event = envelope.decode(delivery.body, ChargerConnected)
                bind(charger_id=event.charger_id)  # undone with the log_context
                await self._charger_connected(event.charger_id)
            elif key == "session.started":
                started = msgspec.json.decode(delivery.body, type=SessionStarted)
                bind(charger_id=started.charger_id)
                await self._session_started(started)
            elif key.endswith(".FirmwareStatusNotification"):
                message = envelope.decode(delivery.body, OcppMessage)
                bind(charger_id=message.charger_id, message_id=message.message_id)
                await self._firmware_status(message)
            # charger.disconnected and the rest: nothing to do

    async def _on_request(self, delivery: Delivery) -> None:
        name = delivery.routing_key.removeprefix("command.")
        if name.startswith("fanout."):
            await self._on_fanout(delivery, name.removeprefix("fanout."))
            return
        try:
            request = msgspec.json.decode(delivery.body, type=CommandRequest)
            await self.submit(
                name,
                request.charger_id,
                request.params,
                # Without an id of its own, a redelivered request is still one
                # command when it came with a correlation id.
                command_id=request.command_id
                or (f"bus-{delivery.correlation_id}" if delivery.correlation_id else None),
                ttl_s=request.ttl_s,
                reply_to=delivery.reply_to,
                correlation_id=delivery.correlation_id,
            )
        except (msgspec.ValidationError, msgspec.DecodeError, RefusedCommand) as exc:
            log.info("command %s refused: %s", name, exc)
            if delivery.reply_to:
                now = self.clock()
                refused = CommandState(
                    command_id="",
                    charger_id="",
                    name=name,
                    params={},
                    status="invalid",
                    final=True,
                    created_at=now,
                    updated_at=now,
                    detail=str(exc),
                    history=[Transition(status="invalid", at=now, detail=str(exc))],
                )
                await self._send_reply(delivery.reply_to, delivery.correlation_id, refused)

    async def _on_fanout(self, delivery: Delivery, name: str) -> None:
        try:
            request = msgspec.json.decode(delivery.body, type=FanoutRequest)
            await self.fanouts.submit(
                name,
                request.charger_ids,
                request.params,
                # Without an id of its own, keyed by its correlation id (hashed:
                # any text may be one) so a redelivered request is one fan-out.
                fanout_id=request.fanout_id
                or (
                    "bus-" + hashlib.sha256(delivery.correlation_id.encode()).hexdigest()[:32]
                    if delivery.correlation_id
                    else None
                ),
                ttl_s=request.ttl_s,
                reply_to=delivery.reply_to,
                correlation_id=delivery.correlation_id,
            )
        except (msgspec.ValidationError, msgspec.DecodeError, RefusedCommand) as exc:
            log.info("fan-out of %s refused: %s", name, exc)
            if delivery.reply_to:
                refused = FanoutState(
                    fanout_id="",
                    name=name,
                    params={},
                    chargers=0,
                    final=True,
                    created_at=self.clock(),
                    detail=str(exc),
                )
                await self._send_reply(delivery.reply_to, delivery.correlation_id, refused)

    # -- delivery ----------------------------------------------------------------------

    async def _drive(self, id: str) -> None:
        """Route the command, send its CALLs, record the outcome."""
        # The command's id until _deliver has read its command id and charger.
        with log_context(correlation_id=id):
            try:
                await self._deliver(id)
            except (StoreUnavailable, BusError) as exc:
                # Left as it is; the sweep retries what wasn't sent and times out
                # what was.
                log.warning("command %s: %s", id, exc)
            except Exception:
                log.exception("command %s failed", id)
                await self._transition(id, "failed", detail="internal error; see the CSMS log")

    async def _deliver(self, id: str) -> None:
        raw = await self.store.get("commands", id)
        if raw is None:
            return
        doc = from_doc(raw, CommandDoc)
        # For every line logged until _drive's log_context ends (its errors too).
        bind(charger_id=doc.charger_id, correlation_id=doc.command_id)
        if doc.status not in ("received", "waiting"):
            return
        if doc.expires_at is not None and self.clock() >= doc.expires_at:
            await self._transition(
                id, "expired", detail="the ttl ran out before delivery", expected=doc.status
            )
            return
        route = await self._lookup(doc.charger_id)
        if route is None:
            await self._offline(doc)
            return
        params = parse_params(doc.name, doc.params)
        context: dict[str, Any] = {}
        try:
            context = await self._context(doc, route)
            calls = plan(doc.name, params, route.protocol, context).calls
        except Invalid as exc:
            await self._drop_password(doc, context, str(exc))
            await self._transition(
                id, "invalid", detail=str(exc), protocol=route.protocol, expected=doc.status
            )
            return
        routed = await self._transition(
            id,
            "routed",
            protocol=route.protocol,
            remote_start_id=context.get("remote_start_id"),
            request_id=context.get("request_id"),
            transaction_id=context.get("transaction_id"),
            expected=doc.status,
        )
        if routed is None:
            # someone else took it (a reconnect's delivery, another replica)
            await self._drop_password(doc, context, "not sent: another delivery took it")
            return
        records: list[CallRecord] = []
        for n, (action, payload) in enumerate(calls):
            message_id = f"{doc.id}-{n}"  # unique, whatever the caller's command id
            bind(message_id=message_id)
            deadline = self.clock() + self.settings.call_timeout + _GATEWAY_GRACE
            if n == 0:
                sent = await self._transition(id, "sent", expected="routed", deadline=deadline)
                if sent is None:
                    return
            elif not await self._note(id, only_in="sent", deadline=deadline):
                return  # timed out (or otherwise ended) meanwhile: send nothing more
            outcome, route = await self._send(doc, route, action, payload, message_id)
            record = call_record(outcome, doc.name, action, payload, message_id)
            records.append(record)
            status, detail = self._judge(outcome, action, record)
            if status == "charger_offline" and doc.expires_at is not None and n == 0:
                # never reached the charger: keep it for when it connects
                await self._transition(id, "waiting", detail=detail, expected="sent")
                return
            if status != "accepted":
                # Forgotten only when the charger surely doesn't use it: it
                # said no, or never got it. After a time-out or a garbled
                # answer it may have applied it: kept (pending costs nothing).
                if status in ("rejected", "charger_offline", "expired"):
                    await self._drop_password(doc, context, detail or status)
                await self._transition(id, status, detail=detail, calls=records)
                return
        self.metrics.seconds.labels(doc.name).observe(self.clock() - doc.created_at)
        last = records[-1].response if records else None
        await self._accepted(doc, records, last)

    def _judge(
        self, outcome: CommandOutcome, action: str, record: CallRecord
    ) -> tuple[CommandStatus, str | None]:
        if outcome.status == "result":
            ok, status = verdict(action, record.response or {})
            if ok:
                return "accepted", status
            return "rejected", f"{action}: {status}"
        if outcome.status == "error":
            return "failed", f"{outcome.error_code}: {outcome.error_description}"
        if outcome.status in ("timeout", "closed"):
            return "timed_out", outcome.error_description or "no answer in time"
        if outcome.status == "not_connected":
            return "charger_offline", outcome.error_description
        if outcome.status == "expired":
            return "expired", outcome.error_description
        return "failed", outcome.error_description or outcome.status

    async def _accepted(self, doc: CommandDoc, records: list[CallRecord], response: Any) -> None:
        fields: dict[str, Any] = {"calls": records}
        if doc.name == "remote_start" and isinstance(response, dict):
            # 2.x: the charger was already in a transaction (cable first).
            transaction_id = response.get("transactionId")
            if transaction_id is not None:
                seen = await self.store.find(
                    "sessions_seen",
                    {"charger_id": doc.charger_id, "transaction_id": str(transaction_id)},
                    limit=1,
                )
                fields["transaction_id"] = str(transaction_id)
                if seen:
                    fields["session_id"] = seen[0]["_id"]
                    await self._transition(doc.id, "session_started", **fields)
                    return
        await self._transition(doc.id, "accepted", **fields)

    async def _new_password(self, doc: CommandDoc, route: Route, context: dict[str, Any]) -> None:
        """Make the rotation's password, and have the sessions service accept
        its hash beside the current one before the charger is told it (the
        charger may reconnect with it at once).  Only the hash is kept."""
        length = doc.params.get("length")
        secret: bytes | str
        if route.protocol == "ocpp1.6":
            secret = generate_authorization_key(min(length or 20, 20))
            hashed = secret
        else:
            secret = generate_password(max(length or 32, 16))
            hashed = secret.encode()
        stored = await asyncio.to_thread(hash_password, hashed, pending=True)
        event = PasswordPending(
            event_id=f"{doc.id}:{stored.id}",
            charger_id=doc.charger_id,
            occurred_at=self.clock(),
            command_id=doc.id,
            password=stored,
        )
        await self.bus.publish(EVENTS, "security.password_pending", msgspec.json.encode(event))
        context["password_id"] = stored.id
        # The charger may reconnect with it the moment it has it: only once
        # the gateways would take it is it sent.
        if not await self._visible(doc.charger_id, stored.id):
            reason = "the new password could not be recorded in time; nothing was sent"
            await self._drop_password(doc, context, reason)
            raise Invalid(reason)
        context["secret"] = secret

    async def _visible(self, charger_id: str, password_id: str, within: float = 10.0) -> bool:
        """Until the route table (which the gateways read) holds the password."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            with contextlib.suppress(RouteTableUnavailable):
                record = await self.routes.credentials(charger_id)
                if record is not None and password_id in {
                    p.id for p in Credentials.decode(record).passwords
                }:
                    return True
            await asyncio.sleep(0.05)
        return False

    async def _drop_password(self, doc: CommandDoc, context: dict[str, Any], reason: str) -> None:
        password_id = context.get("password_id")
        if doc.name != "rotate_password" or not password_id:
            return
        event = PasswordDropped(
            event_id=f"{doc.id}:{password_id}:dropped",
            charger_id=doc.charger_id,
            occurred_at=self.clock(),
            command_id=doc.id,
            password_id=password_id,
            reason=reason,
        )
        try:
            await self.bus.publish(EVENTS, "security.password_dropped", msgspec.json.encode(event))
        except BusError as exc:  # it stays pending: accepted, though never sent
            log.warning("could not drop the refused password of %s: %s", doc.charger_id, exc)

    async def _lookup(self, charger_id: str) -> Route | None:
        try:
            return await self.routes.lookup(charger_id)
        except RouteTableUnavailable as exc:
            raise BusError(f"route table unavailable: {exc}") from exc

    async def _context(self, doc: CommandDoc, route: Route) -> dict[str, Any]:
        context: dict[str, Any] = {
            "now": datetime.fromtimestamp(self.clock(), UTC),
            "items_per_message": self.settings.items_per_message,
            "bytes_per_message": self.settings.bytes_per_message,
        }
        v16 = route.protocol == "ocpp1.6"
        if doc.name == "remote_start" and not v16:
            context["remote_start_id"] = doc.remote_start_id or await self.store.increment(
                "remote_start_id"
            )
        if doc.name in ("update_firmware", "get_diagnostics") and not v16:
            context["request_id"] = doc.request_id or await self.store.increment("request_id")
        if doc.name == "rotate_password":
            await self._new_password(doc, route, context)
        if doc.name == "remote_stop":
            transaction_id = doc.params.get("transaction_id")
            session_id = doc.params.get("session_id")
            if session_id is not None:
                seen = await self.store.get("sessions_seen", str(session_id))
                if seen is None or seen["charger_id"] != doc.charger_id:
                    raise Invalid(f"no session {session_id!r} on {doc.charger_id}")
                transaction_id = seen["transaction_id"]
            context["transaction_id"] = str(transaction_id)
        return context

    async def _send(
        self, doc: CommandDoc, route: Route, action: str, payload: dict[str, Any], message_id: str
    ) -> tuple[CommandOutcome, Route]:
        """Send one CALL through the gateway holding the charger; if that
        gateway no longer has it, look the route up once more."""
        outcome = await self._send_once(doc, route, action, payload, message_id)
        if outcome.status == "not_connected":
            again = await self._lookup(doc.charger_id)
            if again is not None and (again.instance, again.epoch) != (route.instance, route.epoch):
                route = again
                outcome = await self._send_once(doc, route, action, payload, message_id)
        return outcome, route

    async def _send_once(
        self, doc: CommandDoc, route: Route, action: str, payload: dict[str, Any], message_id: str
    ) -> CommandOutcome:
        correlation_id = uuid.uuid4().hex
        future: asyncio.Future[CommandOutcome] = asyncio.get_running_loop().create_future()
        self._outcomes[correlation_id] = future
        timeout = self.settings.call_timeout
        try:
            try:
                await self.bus.publish(
                    GATEWAYS,
                    route.instance,
                    envelope.encode(
                        Command(
                            charger_id=doc.charger_id,
                            action=action,
                            payload=msgspec.Raw(msgspec.json.encode(payload)),
                            message_id=message_id,
                            epoch=route.epoch,
                            timeout_s=timeout,
                            expires_at=doc.expires_at,
                        )
                    ),
                    correlation_id=correlation_id,
                    reply_to=self.bus.inbox_name,
                    mandatory=True,
                )
            except Unroutable:
                return CommandOutcome(
                    status="not_connected",
                    message_id=message_id,
                    error_description=f"gateway {route.instance} is gone",
                )
            try:
                return await asyncio.wait_for(future, timeout + _GATEWAY_GRACE)
            except TimeoutError:
                return CommandOutcome(
                    status="timeout",
                    message_id=message_id,
                    error_description="the gateway never reported; the outcome is unknown",
                )
        finally:
            self._outcomes.pop(correlation_id, None)

    async def _on_outcome(self, delivery: Delivery) -> None:
        if delivery.headers.get("kind") == "outcomes":
            await self.fanouts.on_outcomes(delivery)
            return
        future = self._outcomes.get(delivery.correlation_id or "")
        if future is None or future.done():
            return
        try:
            future.set_result(envelope.decode(delivery.body, CommandOutcome))
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            future.set_result(
                CommandOutcome(status="invalid", message_id="", error_description=str(exc))
            )

    async def _offline(self, doc: CommandDoc) -> None:
        if doc.expires_at is None:
            await self._transition(
                doc.id,
                "charger_offline",
                detail=f"{doc.charger_id} is not connected",
                expected=doc.status,
            )
            return
        if doc.status != "waiting":
            waiting = await self._transition(
                doc.id,
                "waiting",
                detail=f"{doc.charger_id} is not connected; kept until it connects",
                expected="received",
            )
            if waiting is None:
                return
        # The charger may have connected between the lookup and the wait (its
        # charger.connected found nothing waiting yet): look once more.
        if await self._lookup(doc.charger_id) is not None:
            await self._charger_connected(doc.charger_id)

    async def _charger_connected(self, charger_id: str) -> None:
        for raw in await self.store.find(
            "commands", {"charger_id": charger_id, "status": "waiting"}, limit=1000
        ):
            claimed = await self._transition(
                raw["_id"], "received", detail="the charger connected", expected="waiting"
            )
            if claimed is not None:
                self.tasks.spawn(self._drive(raw["_id"]))

    # -- what comes after accepted ----------------------------------------------------------

    async def _session_started(self, event: SessionStarted) -> None:
        await self.store.put(
            "sessions_seen",
            to_doc(
                SessionSeen(
                    id=event.session_id,
                    charger_id=event.charger_id,
                    transaction_id=event.transaction_id,
                    evse_id=event.evse_id,
                )
            ),
        )
        candidates = [
            from_doc(raw, CommandDoc)
            for status in ("accepted", "sent")
            for raw in await self.store.find(
                "commands", {"charger_id": event.charger_id, "status": status}, limit=100
            )
            if raw["name"] == "remote_start"
        ]
        window = self.settings.remote_start_window
        for doc in sorted(candidates, key=lambda d: d.created_at):
            sent_at = next(
                (h.at for h in reversed(doc.history) if h.status == "sent"), doc.created_at
            )
            if doc.transaction_id is not None and doc.transaction_id == event.transaction_id:
                matches = True  # 2.x: the charger answered with this transaction
            elif event.remote_start_id is not None and doc.remote_start_id is not None:
                matches = event.remote_start_id == doc.remote_start_id
            elif doc.protocol == "ocpp1.6" or event.remote_start_id is None:
                token = str(doc.params.get("id_token", "")).casefold()
                evse = doc.params.get("evse_id")
                matches = (
                    token == (event.id_token or "").casefold()
                    and (evse is None or evse == event.evse_id)
                    and sent_at - 5 <= event.started_at <= sent_at + window
                )
            else:
                matches = False
            if matches:
                await self._transition(
                    doc.id,
                    "session_started",
                    session_id=event.session_id,
                    transaction_id=event.transaction_id,
                    detail=f"session {event.session_id}",
                )
                return

    async def _firmware_status(self, message: OcppMessage) -> None:
        # An object, or a decode error like any unreadable message (the
        # gateway only forwards valid requests; anything else is garbage).
        request = msgspec.json.decode(bytes(message.payload), type=dict[str, Any])
        status = request.get("status")
        request_id = request.get("requestId")
        # "sent" too: the charger may report before its answer is recorded.
        candidates = [
            raw
            for status in ("accepted", "sent")
            for raw in await self.store.find(
                "commands", {"charger_id": message.charger_id, "status": status}, limit=100
            )
            if raw["name"] == "update_firmware"
        ]
        for raw in sorted(candidates, key=lambda r: r["created_at"], reverse=True):
            if request_id is not None and raw.get("request_id") not in (None, request_id):
                continue
            if status == "Installed":
                await self._transition(raw["_id"], "installed", firmware_status=status)
            elif status in _FIRMWARE_FAILED:
                await self._transition(
                    raw["_id"], "install_failed", firmware_status=status, detail=status
                )
            else:
                await self._note(raw["_id"], firmware_status=status)
            return

    # -- the sweep ---------------------------------------------------------------------------

    async def sweep(self) -> None:
        """Expire waiting commands, time out sent ones whose answer never
        came (the gateway died), and remote starts whose session never began."""
        now = self.clock()
        for raw in await self._all("waiting"):
            if raw.get("expires_at") is not None and now >= raw["expires_at"]:
                await self._transition(
                    raw["_id"], "expired", detail="the ttl ran out", expected="waiting"
                )
        # Left by an error on the way (store, route table): deliver again;
        # compare-and-set keeps it from being sent twice.
        for status in ("received", "routed"):
            for raw in await self._all(status):
                if now - raw["updated_at"] >= _STUCK_S:
                    self.tasks.spawn(self._redrive(raw["_id"], status))
        # (A clock stepped back must not put the next read far away.)
        if now >= self._next_sent_scan or self._next_sent_scan - now > 30.0:
            await self._time_out_sent(now)
        window = self.settings.remote_start_window
        firmware = self.settings.firmware_window
        # Only those that go on: the final ones (most) are never read again.
        for raw in await self._all("accepted", final=False):
            if raw["name"] == "remote_start" and now >= raw["updated_at"] + window:
                await self._transition(
                    raw["_id"],
                    "start_timed_out",
                    detail=f"accepted, but no session started within {window:g} s",
                )
            elif raw["name"] == "update_firmware" and now >= raw["updated_at"] + firmware:
                await self._transition(
                    raw["_id"],
                    "timed_out",
                    detail=f"accepted, but no Installed or failure reported within {firmware:g} s"
                    f" (last: {raw.get('firmware_status')})",
                    expected="accepted",
                )

    async def _time_out_sent(self, now: float) -> None:
        """Time out the commands left ``sent`` past their deadline.  Reading
        every sent command each second costs as much as a fan-out's
        thousands: the next read is when the first of those seen falls due,
        or when one sent after this read could (a deadline is at least
        call_timeout + grace after its sending), whichever is first."""
        due = now + self.settings.call_timeout + 2 * _GATEWAY_GRACE
        for raw in await self._all("sent"):
            deadline = raw.get("deadline")
            if deadline is None:
                continue
            # A live delivery reports well before this; past it, the process
            # that sent it is gone (or the gateway is): never resend.
            if now >= deadline + _GATEWAY_GRACE:
                await self._transition(
                    raw["_id"],
                    "timed_out",
                    detail="no outcome reported; the outcome on the charger is unknown",
                    expected="sent",
                )
            else:
                due = min(due, deadline + _GATEWAY_GRACE)
        # At least a second apart; at most 30 s (replicas configured apart).
        self._next_sent_scan = max(now + 1.0, min(due, now + 30.0))

    async def _all(self, status: CommandStatus, **where: Any) -> list[dict[str, Any]]:
        """Every command in a state (and matching ``where``)."""
        return [raw async for raw in self._each({"status": status, **where})]

    async def _each(self, where: dict[str, Any]) -> AsyncIterator[dict[str, Any]]:
        """Every command matching ``where``, read a page of 1000 at a time and
        handed out one by one (a caller that only counts holds no pages)."""
        after: str | None = None
        while True:
            page = await self.store.find("commands", where, limit=1000, after=after)
            for raw in page:
                yield raw
            if len(page) < 1000:
                return
            after = page[-1]["_id"]

    async def _redrive(self, id: str, status: CommandStatus) -> None:
        if status == "routed":
            moved = await self._transition(
                id, "received", detail="delivered again after an error", expected="routed"
            )
            if moved is None:
                return
        await self._drive(id)

    async def resume(self) -> None:
        """After a restart: deliver what was taken but not sent."""
        for status in ("received", "routed"):
            for raw in await self._all(status):
                self.tasks.spawn(self._redrive(raw["_id"], status))

    # -- transitions -------------------------------------------------------------------------

    async def _transition(
        self,
        id: str,
        status: CommandStatus,
        *,
        detail: str | None = None,
        expected: CommandStatus | None = None,
        **fields: Any,
    ) -> CommandDoc | None:
        """Move the command to ``status``, if the life cycle has that move
        from where it is (TRANSITIONS), and it is still in ``expected`` when
        given (the status the caller read it in: compare-and-set).  Returns
        the new document, or None if it had moved on."""
        now = self.clock()
        emitted: set[str] = set()

        def change(doc: CommandDoc | None) -> CommandDoc | None:
            if doc is None or doc.final or status not in TRANSITIONS[doc.status]:
                return None
            if expected is not None and doc.status != expected:
                return None
            for name, value in fields.items():
                if value is not None:
                    setattr(doc, name, value)
            emitted.add(move(doc, status, now, detail))
            return doc

        doc, changed = await modify(self.store, "commands", CommandDoc, id, change)
        if not changed or doc is None:
            return None
        await self._publish(doc, emitted)
        if doc.final:
            self.metrics.commands.labels(doc.name, doc.status).inc()
            state = doc.state()
            if doc.reply_to:
                await self._send_reply(doc.reply_to, doc.correlation_id, state)
            for reply_to, correlation_id in doc.listeners:
                await self._send_reply(reply_to, correlation_id or None, state)
            for future in self._finals.get(doc.command_id, []):
                if not future.done():
                    future.set_result(state)
            if doc.fanout_id is not None:
                self.fanouts.track(doc)
        return doc

    async def _note(self, id: str, only_in: str | None = None, **fields: Any) -> bool:
        """Record fields without a change of state (only while in ``only_in``,
        when given); False when the command had ended or moved on."""

        def change(doc: CommandDoc | None) -> CommandDoc | None:
            if doc is None or doc.final:  # a late report doesn't overwrite the end
                return None
            if only_in is not None and doc.status != only_in:
                return None
            for name, value in fields.items():
                setattr(doc, name, value)
            doc.updated_at = self.clock()
            return doc

        _, changed = await modify(self.store, "commands", CommandDoc, id, change)
        return changed

    async def _publish(self, doc: CommandDoc, emitted: set[str]) -> None:
        try:
            await publish_outbox(self.store, self.bus, "commands", CommandDoc, doc, emitted)
        except StoreUnavailable as exc:  # published; the sweep clears the outbox
            log.warning("outbox of command %s not cleared yet: %s", doc.command_id, exc)

    async def _send_reply(
        self, reply_to: str, correlation_id: str | None, state: CommandState | FanoutState
    ) -> None:
        try:
            await self.bus.publish(
                "",
                reply_to,
                msgspec.json.encode(state),
                correlation_id=correlation_id,
                mandatory=False,
                persistent=False,
            )
        except BusError as exc:
            what = state.command_id if isinstance(state, CommandState) else state.fanout_id
            log.warning("final state of %s not delivered to %s: %r", what, reply_to, exc)
