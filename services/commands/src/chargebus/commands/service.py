"""The commands service: version-neutral commands from the bus and HTTP,
translated for the charger's protocol, routed to the gateway that holds the
charger, and tracked to a final outcome.

Every command is a document that moves through its states by
compare-and-set, as the life cycle's table allows
(chargebus.common.commands.TRANSITIONS); a final state never changes.
Each transition is written with its ``command.<status>`` event in the
document's outbox.  A command is sent at most once: only the
move to ``sent`` sends, and a command found in ``sent`` after a crash is
timed out (its outcome on the charger unknown), never sent again.

This module is the core: intake, every state change, the replies and the
callers waiting.  The rest is in the parts it wires, which reach it through
core.CommandsCore: dispatch (a single command's delivery), fanout (one
command for many chargers), reports (what chargers report after accepting),
housekeeping (the sweep), rotation (rotate_password's secret); translate
makes the CALLs, answers reads them, repositories hold the documents.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

import msgspec

from chargebus.commands.dispatch import Dispatch
from chargebus.commands.errors import ConflictingCommand, RefusedCommand
from chargebus.commands.fanout import FANOUT_PREFIX, Fanouts, check_ttl
from chargebus.commands.housekeeping import Housekeeping
from chargebus.commands.metrics import CommandsMetrics
from chargebus.commands.model import CommandDoc, event_of, move, new_id
from chargebus.commands.reports import ChargerReports
from chargebus.commands.repositories import Commands, FanoutRequests, RequestIds, SessionsSeen
from chargebus.commands.rotation import PasswordRotation
from chargebus.commands.settings import CommandsSettings
from chargebus.commands.translate import Invalid, parse_params
from chargebus.common import envelope
from chargebus.common.bus import Bus, BusError, Delivery, reply
from chargebus.common.bus.topology import GATEWAYS
from chargebus.common.commands import (
    TRANSITIONS,
    CommandRequest,
    CommandState,
    CommandStatus,
    FanoutRequest,
    FanoutState,
    Transition,
)
from chargebus.common.envelope import ChargerConnected, OcppMessage
from chargebus.common.events import SessionStarted
from chargebus.common.logs import bind, log_context
from chargebus.common.routes import RouteTable
from chargebus.common.store import DocumentStore, StoreUnavailable
from chargebus.common.store.documents import emit
from chargebus.common.tasks import TaskSet, every

__all__ = ["CommandsService", "ConflictingCommand", "RefusedCommand"]

log = logging.getLogger(__name__)


class CommandsService:
    """The commands core: intake, the state changes of every command, and
    the callers waiting for them; wired to the parts that do the rest
    (dispatch, fanout, reports, housekeeping), which reach it through
    :class:`~chargebus.commands.core.CommandsCore`."""

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
        self.commands = Commands(store)
        self._finals: dict[str, list[asyncio.Future[CommandState]]] = {}
        #: Deliveries and fan-out batches in flight, and the housekeeping loops.
        self.tasks = TaskSet("command delivery")
        self._loops = TaskSet("commands housekeeping")
        sessions_seen = SessionsSeen(store)
        self.dispatch = Dispatch(
            self,
            settings,
            bus=bus,
            routes=routes,
            commands=self.commands,
            sessions_seen=sessions_seen,
            request_ids=RequestIds(store),
            rotation=PasswordRotation(bus, routes, clock),
            metrics=self.metrics,
            tasks=self.tasks,
            clock=clock,
        )
        self.fanouts = Fanouts(
            self,
            settings,
            bus=bus,
            routes=routes,
            commands=self.commands,
            requests=FanoutRequests(store),
            metrics=self.metrics,
            tasks=self.tasks,
            clock=clock,
        )
        self.reports = ChargerReports(self, settings, self.commands, sessions_seen)
        self.housekeeping = Housekeeping(self, settings, self.commands, self.tasks, clock)

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
        self._loops.spawn(every(30.0, lambda: self.commands.sweep_outboxes(self.bus)))
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
        if not await self.commands.insert(doc):
            return await self._again(doc, reply_to, correlation_id)
        doc.v = 1
        await self._publish(doc, emitted)
        self.tasks.spawn(self.drive(id))
        return doc.state()

    async def _again(
        self, doc: CommandDoc, reply_to: str | None, correlation_id: str | None
    ) -> CommandState:
        """The same command id again: the first command stands (and this
        caller hears its outcome too); a different command under a used id
        is refused."""
        first = await self.commands.by_command_id(doc.command_id)
        if first is None:  # pragma: no cover - a unique key without its document
            raise StoreUnavailable("command id taken but not found")
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

        current, changed = await self.commands.modify(id, change)
        if not changed and current is not None and current.final:  # it ended meanwhile
            await self._send_reply(reply_to, correlation_id, current.state())

    async def find(self, command_id: str) -> CommandState | None:
        doc = await self.commands.by_command_id(command_id)
        return doc.state() if doc is not None else None

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
                await self.dispatch.charger_connected(event.charger_id)
            elif key == "session.started":
                started = msgspec.json.decode(delivery.body, type=SessionStarted)
                bind(charger_id=started.charger_id)
                await self.reports.session_started(started)
            elif key.endswith(".FirmwareStatusNotification"):
                message = envelope.decode(delivery.body, OcppMessage)
                bind(charger_id=message.charger_id, message_id=message.message_id)
                await self.reports.firmware_status(message)
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

    # -- the parts' port (core.CommandsCore) -------------------------------------------

    async def drive(self, id: str) -> None:
        await self.dispatch.drive(id)

    async def reply(
        self, reply_to: str, correlation_id: str | None, state: CommandState | FanoutState
    ) -> None:
        await self._send_reply(reply_to, correlation_id, state)

    def ended(self, doc: CommandDoc) -> None:
        self.metrics.commands.labels(doc.name, doc.status).inc()
        for future in self._finals.get(doc.command_id, []):
            if not future.done():
                future.set_result(doc.state())

    async def _on_outcome(self, delivery: Delivery) -> None:
        if delivery.headers.get("kind") == "outcomes":
            await self.fanouts.on_outcomes(delivery)
        else:
            self.dispatch.on_outcome(delivery)

    # -- housekeeping ----------------------------------------------------------------------

    async def sweep(self) -> None:
        await self.housekeeping.sweep()

    async def resume(self) -> None:
        await self.housekeeping.resume()

    # -- transitions -------------------------------------------------------------------------

    async def transition(
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

        doc, changed = await self.commands.modify(id, change)
        if not changed or doc is None:
            return None
        await self._publish(doc, emitted)
        if doc.final:
            self.ended(doc)
            state = doc.state()
            if doc.reply_to:
                await self._send_reply(doc.reply_to, doc.correlation_id, state)
            for reply_to, correlation_id in doc.listeners:
                await self._send_reply(reply_to, correlation_id or None, state)
            if doc.fanout_id is not None:
                self.fanouts.track(doc)
        return doc

    async def note(self, id: str, only_in: CommandStatus | None = None, **fields: Any) -> bool:
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

        _, changed = await self.commands.modify(id, change)
        return changed

    async def _publish(self, doc: CommandDoc, emitted: set[str]) -> None:
        try:
            await self.commands.publish_outbox(self.bus, doc, emitted)
        except StoreUnavailable as exc:  # published; the sweep clears the outbox
            log.warning("outbox of command %s not cleared yet: %s", doc.command_id, exc)

    async def _send_reply(
        self, reply_to: str, correlation_id: str | None, state: CommandState | FanoutState
    ) -> None:
        try:
            await reply(
                self.bus,
                reply_to,
                msgspec.json.encode(state),
                correlation_id=correlation_id,
            )
        except BusError as exc:
            what = state.command_id if isinstance(state, CommandState) else state.fanout_id
            log.warning("final state of %s not delivered to %s: %r", what, reply_to, exc)
