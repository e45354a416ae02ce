"""Delivering a single command: route it, make its CALLs (translate), send
them through the gateway that holds the charger, one at a time, and record
how the charger answered.

Rules: only the move to ``sent`` sends (compare-and-set from ``routed``), so
a command is sent at most once; a charger the command never reached leaves
it waiting (with a ttl) or ends it ``charger_offline``.  State changes go
through the commands core (:class:`~chargebus.commands.core.CommandsCore`).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import msgspec

from chargebus.commands.answers import call_record, judge
from chargebus.commands.core import GATEWAY_GRACE, CommandsCore
from chargebus.commands.metrics import CommandsMetrics
from chargebus.commands.model import CommandDoc
from chargebus.commands.repositories import Commands, RequestIds, SessionsSeen
from chargebus.commands.rotation import PasswordRotation
from chargebus.commands.settings import CommandsSettings
from chargebus.commands.translate import Call, Invalid, parse_params, plan
from chargebus.common import envelope
from chargebus.common.bus import Bus, BusError, Delivery, Unroutable
from chargebus.common.bus.topology import GATEWAYS
from chargebus.common.commands import CallRecord
from chargebus.common.envelope import Command, CommandOutcome
from chargebus.common.logs import bind, log_context
from chargebus.common.routes import Route, RouteTable, RouteTableUnavailable
from chargebus.common.store import StoreUnavailable
from chargebus.common.tasks import TaskSet

__all__ = ["Dispatch"]

log = logging.getLogger(__name__)


class Dispatch:
    """Single commands on their way to the charger (a fan-out's commands go
    in batches: chargebus.commands.fanout)."""

    def __init__(
        self,
        core: CommandsCore,
        settings: CommandsSettings,
        *,
        bus: Bus,
        routes: RouteTable,
        commands: Commands,
        sessions_seen: SessionsSeen,
        request_ids: RequestIds,
        rotation: PasswordRotation,
        metrics: CommandsMetrics,
        tasks: TaskSet,
        clock: Callable[[], float],
    ) -> None:
        self.core = core
        self.settings = settings
        self.bus = bus
        self.routes = routes
        self.commands = commands
        self.sessions_seen = sessions_seen
        self.request_ids = request_ids
        self.rotation = rotation
        self.metrics = metrics
        self.tasks = tasks
        self.clock = clock
        #: CALLs sent, by the correlation id of their Command message.
        self._outcomes: dict[str, asyncio.Future[CommandOutcome]] = {}

    async def drive(self, id: str) -> None:
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
                await self.core.transition(id, "failed", detail="internal error; see the CSMS log")

    async def _deliver(self, id: str) -> None:
        doc = await self.commands.get(id)
        if doc is None:
            return
        # For every line logged until drive's log_context ends (its errors too).
        bind(charger_id=doc.charger_id, correlation_id=doc.command_id)
        if doc.status not in ("received", "waiting"):
            return
        if doc.expires_at is not None and self.clock() >= doc.expires_at:
            await self.core.transition(
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
            await self.rotation.drop(doc, context, str(exc))
            await self.core.transition(
                id, "invalid", detail=str(exc), protocol=route.protocol, expected=doc.status
            )
            return
        routed = await self.core.transition(
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
            await self.rotation.drop(doc, context, "not sent: another delivery took it")
            return
        records: list[CallRecord] = []
        for n, call in enumerate(calls):
            message_id = f"{doc.id}-{n}"  # unique, whatever the caller's command id
            bind(message_id=message_id)
            deadline = self.clock() + self.settings.call_timeout + GATEWAY_GRACE
            if n == 0:
                sent = await self.core.transition(id, "sent", expected="routed", deadline=deadline)
                if sent is None:
                    return
            elif not await self.core.note(id, only_in="sent", deadline=deadline):
                return  # timed out (or otherwise ended) meanwhile: send nothing more
            outcome, route = await self._send(doc, route, call, message_id)
            record = call_record(outcome, doc.name, call.action, call.as_dict(), message_id)
            records.append(record)
            status, detail = judge(outcome, call.action, record)
            if status == "charger_offline" and doc.expires_at is not None and n == 0:
                # never reached the charger: keep it for when it connects
                await self.core.transition(id, "waiting", detail=detail, expected="sent")
                return
            if status != "accepted":
                # Forgotten only when the charger surely doesn't use it: it
                # said no, or never got it. After a time-out or a garbled
                # answer it may have applied it: kept (pending costs nothing).
                if status in ("rejected", "charger_offline", "expired"):
                    await self.rotation.drop(doc, context, detail or status)
                await self.core.transition(id, status, detail=detail, calls=records)
                return
        self.metrics.seconds.labels(doc.name).observe(self.clock() - doc.created_at)
        last = records[-1].response if records else None
        await self._accepted(doc, records, last)

    async def _accepted(self, doc: CommandDoc, records: list[CallRecord], response: Any) -> None:
        fields: dict[str, Any] = {"calls": records}
        if doc.name == "remote_start" and isinstance(response, dict):
            # 2.x: the charger was already in a transaction (cable first).
            transaction_id = response.get("transactionId")
            if transaction_id is not None:
                seen = await self.sessions_seen.by_transaction(doc.charger_id, str(transaction_id))
                fields["transaction_id"] = str(transaction_id)
                if seen is not None:
                    fields["session_id"] = seen.id
                    await self.core.transition(doc.id, "session_started", **fields)
                    return
        await self.core.transition(doc.id, "accepted", **fields)

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
            context["remote_start_id"] = (
                doc.remote_start_id or await self.request_ids.remote_start_id()
            )
        if doc.name in ("update_firmware", "get_diagnostics") and not v16:
            context["request_id"] = doc.request_id or await self.request_ids.request_id()
        if doc.name == "rotate_password":
            await self.rotation.new_password(doc, route, context)
        if doc.name == "remote_stop":
            transaction_id = doc.params.get("transaction_id")
            session_id = doc.params.get("session_id")
            if session_id is not None:
                seen = await self.sessions_seen.get(str(session_id))
                if seen is None or seen.charger_id != doc.charger_id:
                    raise Invalid(f"no session {session_id!r} on {doc.charger_id}")
                transaction_id = seen.transaction_id
            context["transaction_id"] = str(transaction_id)
        return context

    async def _send(
        self, doc: CommandDoc, route: Route, call: Call, message_id: str
    ) -> tuple[CommandOutcome, Route]:
        """Send one CALL through the gateway holding the charger; if that
        gateway no longer has it, look the route up once more."""
        outcome = await self._send_once(doc, route, call, message_id)
        if outcome.status == "not_connected":
            again = await self._lookup(doc.charger_id)
            if again is not None and (again.instance, again.epoch) != (route.instance, route.epoch):
                route = again
                outcome = await self._send_once(doc, route, call, message_id)
        return outcome, route

    async def _send_once(
        self, doc: CommandDoc, route: Route, call: Call, message_id: str
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
                            action=call.action,
                            payload=msgspec.Raw(call.payload),
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
                return await asyncio.wait_for(future, timeout + GATEWAY_GRACE)
            except TimeoutError:
                return CommandOutcome(
                    status="timeout",
                    message_id=message_id,
                    error_description="the gateway never reported; the outcome is unknown",
                )
        finally:
            self._outcomes.pop(correlation_id, None)

    def on_outcome(self, delivery: Delivery) -> None:
        """A gateway's outcome of a CALL sent here."""
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
            await self.core.transition(
                doc.id,
                "charger_offline",
                detail=f"{doc.charger_id} is not connected",
                expected=doc.status,
            )
            return
        if doc.status != "waiting":
            waiting = await self.core.transition(
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
            await self.charger_connected(doc.charger_id)

    async def charger_connected(self, charger_id: str) -> None:
        for raw in await self.commands.of_charger(charger_id, "waiting", limit=1000):
            claimed = await self.core.transition(
                raw["_id"], "received", detail="the charger connected", expected="waiting"
            )
            if claimed is not None:
                self.tasks.spawn(self.drive(raw["_id"]))
