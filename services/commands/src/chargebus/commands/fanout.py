"""One command for many chargers at once (a fan-out).

A fan-out is a command of its own for each charger (``command_id``
``fanout:<fanout_id>:<charger_id>``), stored, tracked, answered by the API and
published as ``command.<status>`` events like any other.  What differs is the
work per charger, which a single command pays on its own: the routes are read
in one call, the CALL planned once per protocol, the commands stored in one
insert already ``sent`` (with their deadline: sent at most once, as every
command), the CALLs go in one :class:`~chargebus.common.envelope.CommandBatch`
per gateway and 500 chargers, the outcomes come back in batches and are
recorded with one compare-and-set per batch.  Only the states a caller acts on
are published: the final ones (and ``waiting``); a fan-out's commands skip the
``received``/``routed``/``sent`` events.

Chargers that are offline end ``charger_offline`` at once (or wait, with a
ttl); a charger no longer on the gateway it was routed to, and a command whose
params need more than one CALL for its protocol, go the single command's way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import msgspec

from chargebus.commands.answers import call_record, judge
from chargebus.commands.core import GATEWAY_GRACE, CommandsCore
from chargebus.commands.errors import ConflictingCommand, RefusedCommand
from chargebus.commands.metrics import CommandsMetrics
from chargebus.commands.model import CommandDoc, FanoutDoc, move, new_id
from chargebus.commands.repositories import Commands, FanoutRequests
from chargebus.commands.settings import CommandsSettings
from chargebus.commands.translate import Call, Invalid, parse_params, plan
from chargebus.common import envelope
from chargebus.common.backoff import Backoff
from chargebus.common.bus import Bus, BusError, Delivery, Unroutable
from chargebus.common.bus.topology import GATEWAYS
from chargebus.common.commands import FANOUT_NAMES, FINAL, FanoutState, Transition, advance
from chargebus.common.envelope import Command, CommandBatch, CommandOutcome, OutcomeBatch
from chargebus.common.routes import Route, RouteTable, RouteTableUnavailable
from chargebus.common.store import DocumentRejected, StoreUnavailable
from chargebus.common.store.documents import publish_events
from chargebus.common.tasks import TaskSet

__all__ = ["FANOUT_PREFIX", "Fanouts", "check_ttl"]

log = logging.getLogger(__name__)

#: CALLs per CommandBatch message, and events published at once.
CHUNK = 500
_FANOUT_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
#: A fan-out's command ids: ``fanout:<fanout_id>:<charger_id>`` (single
#: commands may not take ids that start so).
FANOUT_PREFIX = "fanout:"


def check_ttl(ttl_s: float | None) -> None:
    """Refuse a ttl (a command's or a fan-out's) unless more than 0 and at most 30 days."""
    if ttl_s is not None and not 0 < ttl_s <= 30 * 86400:
        raise RefusedCommand("ttl_s: more than 0, at most 30 days")


class _Open:
    """A fan-out whose caller waits for the end (in this process)."""

    def __init__(self, remaining: set[str]) -> None:
        self.remaining = remaining
        self.done = asyncio.Event()
        if not remaining:
            self.done.set()


class Fanouts:
    """Fan-outs: their intake, batches and outcomes.  The commands' state
    changes outside a batch, and the callers waiting for a command, are the
    commands core's (:class:`~chargebus.commands.core.CommandsCore`)."""

    def __init__(
        self,
        core: CommandsCore,
        settings: CommandsSettings,
        *,
        bus: Bus,
        routes: RouteTable,
        commands: Commands,
        requests: FanoutRequests,
        metrics: CommandsMetrics,
        tasks: TaskSet,
        clock: Callable[[], float],
    ) -> None:
        self.core = core
        self.settings = settings
        self.bus = bus
        self.routes = routes
        self.commands = commands
        self.requests = requests
        self.metrics = metrics
        self.tasks = tasks
        self.clock = clock
        #: Commands sent in a batch, by CALL message id: the document as
        #: stored (its version in ``v``), until the outcome is recorded.
        self._sent: dict[str, tuple[CommandDoc, Call]] = {}
        self._open: dict[str, _Open] = {}

    # -- intake ------------------------------------------------------------------------

    async def submit(
        self,
        name: str,
        charger_ids: Sequence[str],
        params: dict[str, Any],
        *,
        fanout_id: str | None = None,
        ttl_s: float | None = None,
        reply_to: str | None = None,
        correlation_id: str | None = None,
    ) -> FanoutState:
        """Take a fan-out: check it, store a command per charger, send them.
        The same ``fanout_id`` again returns the first one's state."""
        settings = self.settings
        if name not in FANOUT_NAMES:
            raise RefusedCommand(
                f"{name!r} can't go to many chargers at once; these can: {', '.join(FANOUT_NAMES)}"
            )
        try:
            parsed = parse_params(name, params)
        except Invalid as exc:
            raise RefusedCommand(str(exc)) from None
        ids = list(dict.fromkeys(charger_ids))
        if not 1 <= len(ids) <= settings.fanout_max_chargers:
            raise RefusedCommand(f"charger_ids: 1 to {settings.fanout_max_chargers} chargers")
        if any(not isinstance(i, str) or not i or len(i) > 255 for i in ids):
            raise RefusedCommand("charger_ids: each 1 to 255 characters")
        check_ttl(ttl_s)
        if fanout_id is not None and not _FANOUT_ID.fullmatch(fanout_id):
            raise RefusedCommand("fanout_id: 1 to 64 letters, digits or . _ -")
        now = self.clock()
        fid = fanout_id or new_id(now)
        fanout = FanoutDoc(
            id=fid, name=name, params=params, charger_ids=ids, created_at=now, ttl_s=ttl_s
        )
        # The id is claimed first: a request again (or at once from
        # elsewhere) meets this document, compares, and finishes what the
        # first left undone instead of starting over.
        if await self.requests.claim(fanout):
            todo = ids
        else:
            first = await self.requests.get(fid)
            if first is None:  # pragma: no cover - a unique key without its document
                raise StoreUnavailable("fan-out id taken but not found")
            if (first.name, first.params, first.charger_ids, first.ttl_s) != (
                name,
                params,
                ids,
                ttl_s,
            ):
                raise ConflictingCommand(
                    f"fan-out id {fid!r} is already used by another fan-out ({first.name} "
                    f"to {len(first.charger_ids)} chargers)"
                )
            fanout = first
            todo = [] if first.complete else await self._missing(first)
            log.info(
                "fan-out %s sent again: the first one stands (%d of its chargers left to do)",
                fid,
                len(todo),
            )
        docs = await self._take(fanout, todo, parsed, reply_to is not None) if todo else []
        if not fanout.complete:
            fanout.complete = True
            await self.requests.put(fanout)
        if reply_to is not None:
            self.tasks.spawn(self._reply_when_done(fid, reply_to, correlation_id, ttl_s))
        if len(docs) == len(ids):
            return _state(fid, name, params, len(ids), now, Counter(d.status for d in docs))
        state = await self.state(fid)
        assert state is not None
        return state

    async def _missing(self, fanout: FanoutDoc) -> list[str]:
        """The fan-out's chargers that have no command yet (a first request
        that stopped half-way)."""
        have = {d["charger_id"] async for d in self.commands.scan({"fanout_id": fanout.id})}
        return [i for i in fanout.charger_ids if i not in have]

    async def _take(
        self, fanout: FanoutDoc, ids: list[str], parsed: Any, waited_for: bool
    ) -> list[CommandDoc]:
        """A command per charger: planned, stored, sent (see the module)."""
        settings = self.settings
        fid = fanout.id
        try:
            routes = await self.routes.lookup_many(ids)
        except RouteTableUnavailable as exc:
            raise BusError(f"route table unavailable: {exc}") from exc
        now = self.clock()
        context: dict[str, Any] = {
            "now": datetime.fromtimestamp(now, UTC),
            "items_per_message": settings.items_per_message,
            "bytes_per_message": settings.bytes_per_message,
        }
        routed = _route(fanout, ids, routes, parsed, now, context)
        docs, batches = routed.docs, routed.batches
        # Sent from here: the deadline counts from the insert.
        sent_at = self.clock()
        deadline = sent_at + settings.call_timeout + GATEWAY_GRACE
        commands = {
            instance: [
                (doc, self._command(doc, route, call, deadline, sent_at))
                for doc, route, call in items
            ]
            for instance, items in batches.items()
        }
        try:
            docs = await self._insert(fid, docs)
        except BaseException:
            for items in commands.values():
                self._forget([command.message_id for _, command in items])
            raise
        stored = {d.id for d in docs}
        log.info(
            "fan-out %s: %s to %d chargers (%d routed, to %d gateways)",
            fid,
            fanout.name,
            len(ids),
            sum(len(b) for b in batches.values()),
            len(batches),
        )
        if waited_for:
            opened = self._open.setdefault(fid, _Open(set()))
            opened.remaining.update(d.id for d in docs if not d.final)
            if opened.remaining:
                opened.done.clear()
        self._dispatch(commands, routed.single, stored)
        await self._published([d for d in docs if d.events])
        for doc in docs:
            if doc.final:
                self.finished(doc)
        return docs

    def _dispatch(
        self,
        commands: dict[str, list[tuple[CommandDoc, Command]]],
        single: list[str],
        stored: set[str],
    ) -> None:
        """Send the stored commands: in batches to each gateway, or the single way."""
        for instance, items in commands.items():
            items = [(doc, command) for doc, command in items if doc.id in stored]
            for start in range(0, len(items), CHUNK):
                self.tasks.spawn(self._send(instance, items[start : start + CHUNK]))
        for id in single:
            if id in stored:
                self.tasks.spawn(self.core.drive(id))

    def _command(
        self,
        doc: CommandDoc,
        route: Route,
        call: Call,
        deadline: float,
        now: float,
    ) -> Command:
        message_id = f"{doc.id}-0"
        doc.status = advance(advance(doc.status, "routed"), "sent")
        doc.updated_at = now
        doc.deadline = deadline
        doc.history += [Transition(status="routed", at=now), Transition(status="sent", at=now)]
        self._sent[message_id] = (doc, call)
        return Command(
            charger_id=doc.charger_id,
            action=call.action,
            payload=msgspec.Raw(call.payload),
            message_id=message_id,
            epoch=route.epoch,
            timeout_s=self.settings.call_timeout,
            expires_at=doc.expires_at,
        )

    async def _insert(self, fid: str, docs: list[CommandDoc]) -> list[CommandDoc]:
        """Store them; a charger whose command exists (two requests with the
        same fan-out id finishing it at once) is left to the one that has it."""
        written = await self.commands.insert_many(docs)
        if written < len(docs):
            ours = {d["_id"] async for d in self.commands.scan({"fanout_id": fid})}
            self._forget([f"{d.id}-0" for d in docs if d.id not in ours])
            docs = [d for d in docs if d.id in ours]
        for doc in docs:
            doc.v = 1
        return docs

    # -- sending and outcomes ----------------------------------------------------------

    async def _send(self, instance: str, items: list[tuple[CommandDoc, Command]]) -> None:
        bus = self.bus
        try:
            await bus.publish(
                GATEWAYS,
                instance,
                envelope.encode(CommandBatch(commands=[command for _, command in items])),
                correlation_id=f"fanout-{uuid.uuid4().hex}",
                reply_to=bus.inbox_name,
                headers={"kind": "commands"},
                mandatory=True,
            )
        except Unroutable:
            await self.record(
                [
                    CommandOutcome(
                        status="not_connected",
                        message_id=command.message_id,
                        error_description=f"gateway {instance} is gone",
                    )
                    for _, command in items
                ]
            )
            return
        except BusError as exc:
            # As a single command: left sent; the sweep times them out.
            log.warning("fan-out batch of %d for %s not sent: %r", len(items), instance, exc)
        # Outcomes are due by the deadline; past it the sweep ends them.
        loop = asyncio.get_running_loop()
        ids = [command.message_id for _, command in items]
        loop.call_later(self.settings.call_timeout + 2 * GATEWAY_GRACE, self._forget, ids)

    def _forget(self, message_ids: list[str]) -> None:
        for message_id in message_ids:
            self._sent.pop(message_id, None)

    async def on_outcomes(self, delivery: Delivery) -> None:
        try:
            batch = envelope.decode(delivery.body, OutcomeBatch)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            log.warning("malformed outcome batch from a gateway: %s", exc)
            return
        for outcome in batch.outcomes:
            if not outcome.message_id:
                log.warning("a gateway refused a fan-out batch: %s", outcome.error_description)
        await self.record(batch.outcomes)

    async def record(self, outcomes: Iterable[CommandOutcome]) -> None:
        """Record the outcomes of batched commands: one compare-and-set for
        all, one event each."""
        now = self.clock()
        changed: list[CommandDoc] = []
        versions: list[int] = []
        for outcome in outcomes:
            sent = self._sent.pop(outcome.message_id, None)
            if sent is None:
                continue  # late (past the deadline: the sweep ended it), or not ours
            doc, call = sent
            if outcome.status == "not_connected":
                # Moved to another gateway since the lookup (or gone): the
                # single way looks the route up again (it was never sent).
                self.tasks.spawn(self._route_again(doc.id, outcome.error_description))
                continue
            record = call_record(outcome, doc.name, call.action, call.as_dict(), outcome.message_id)
            status, detail = judge(outcome, call.action, record)
            if status == "accepted":
                self.metrics.seconds.labels(doc.name).observe(now - doc.created_at)
            new = msgspec.structs.replace(
                doc, calls=[record], history=list(doc.history), events=[], outbox=False
            )
            move(new, status, now, detail)
            changed.append(new)
            versions.append(doc.v)
        if not changed:
            return
        try:
            written = await self.commands.replace_many(list(zip(changed, versions, strict=True)))
        except (StoreUnavailable, DocumentRejected) as exc:
            # Each recorded the usual way (read, compare-and-set from sent):
            # what was written meanwhile stands, the rest is written now.
            log.warning("outcomes of %d fan-out commands: one by one (%s)", len(changed), exc)
            for doc in changed:
                self.tasks.spawn(self._again_one(doc))
            return
        done: list[CommandDoc] = []
        for doc, version, ok in zip(changed, versions, written, strict=True):
            if ok:
                doc.v = version + 1
                done.append(doc)
            else:  # someone wrote first (the sweep?): the usual way, from sent only
                self.tasks.spawn(self._again_one(doc))
        await self._published(done)
        for doc in done:
            self.finished(doc)

    async def _again_one(self, doc: CommandDoc) -> None:
        try:
            await self.core.transition(
                doc.id, doc.status, detail=doc.detail, calls=doc.calls, expected="sent"
            )
        except StoreUnavailable as exc:  # left sent: the sweep times it out
            log.warning("outcome of %s not recorded: %s", doc.command_id, exc)

    async def _route_again(self, id: str, detail: str) -> None:
        moved = await self.core.transition(
            id, "received", detail=f"routed again: {detail}", expected="sent"
        )
        if moved is not None:
            await self.core.drive(id)

    async def _published(self, docs: list[CommandDoc]) -> None:
        """Publish the documents' outboxes (all at once, in chunks), then
        clear them with one compare-and-set; what fails is left to the
        outbox sweep."""
        bus = self.bus

        async def publish(doc: CommandDoc) -> bool:
            try:
                await publish_events(bus, doc.events)
            except BusError as exc:
                log.warning("event of command %s not published yet: %r", doc.command_id, exc)
                return False
            return True

        for start in range(0, len(docs), CHUNK):
            chunk = docs[start : start + CHUNK]
            sent = await asyncio.gather(*(publish(d) for d in chunk))
            cleared = [d for d, ok in zip(chunk, sent, strict=True) if ok]
            try:
                written = await self.commands.clear_outboxes([(d.id, d.v) for d in cleared])
            except StoreUnavailable as exc:
                log.warning("outboxes of %d commands not cleared yet: %s", len(cleared), exc)
                continue
            for doc, ok in zip(cleared, written, strict=True):
                if ok:
                    doc.v += 1
                    doc.events = []
                    doc.outbox = False

    # -- the end ---------------------------------------------------------------------------

    def finished(self, doc: CommandDoc) -> None:
        """A fan-out's command made final here (as _transition ends one)."""
        self.core.ended(doc)
        self.track(doc)

    def track(self, doc: CommandDoc) -> None:
        """A fan-out's command is final (here or by any transition)."""
        opened = self._open.get(doc.fanout_id or "")
        if opened is not None:
            opened.remaining.discard(doc.id)
            if not opened.remaining:
                opened.done.set()

    async def _reply_when_done(
        self, fid: str, reply_to: str, correlation_id: str | None, ttl_s: float | None
    ) -> None:
        """Answer the caller once every command is final: told by this
        process, or seen in the store (another replica's work), bounded by
        how long the commands can take."""
        settings = self.settings
        loop = asyncio.get_running_loop()
        until = loop.time() + (ttl_s or 0) + settings.call_timeout + 3 * GATEWAY_GRACE + 30
        opened = self._open.get(fid)
        # The store is read now and then for what others ended (the sweep,
        # another replica), less often as time goes on; this process's own
        # count says at once when it ended the last one.
        # (Each read decodes every command of the fan-out: 10,000 cost about
        # as much as recording their outcomes. This process's own count
        # tells the end, so while it counts the store is read rarely.)
        looks = Backoff(10.0 if opened is not None else 2.0, 300.0)
        try:
            while True:
                if opened is not None:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(opened.done.wait(), looks.next_delay())
                else:
                    await looks.wait()
                state = await self.state(fid)
                if state is None:
                    return
                if state.final or loop.time() >= until:
                    break
        except (StoreUnavailable, BusError) as exc:
            log.warning("fan-out %s: no reply to its caller: %s", fid, exc)
            return
        finally:
            self._open.pop(fid, None)
        await self.core.reply(reply_to, correlation_id, state)

    async def state(self, fid: str) -> FanoutState | None:
        fanout = await self.requests.get(fid)
        if fanout is None:
            return None
        statuses: Counter[str] = Counter()
        async for d in self.commands.scan({"fanout_id": fid}):
            statuses[d["status"]] += 1
        return _state(
            fid,
            fanout.name,
            fanout.params,
            len(fanout.charger_ids),
            fanout.created_at,
            statuses,
        )


class _Routed:
    """A fan-out's commands as :func:`_route` planned them."""

    def __init__(self) -> None:
        self.docs: list[CommandDoc] = []
        #: By gateway instance: the commands to send in batches, with their CALL.
        self.batches: dict[str, list[tuple[CommandDoc, Route, Call]]] = {}
        #: The ids of the commands that go the single command's way.
        self.single: list[str] = []


def _route(
    fanout: FanoutDoc,
    ids: list[str],
    routes: Sequence[Route | None],
    parsed: Any,
    now: float,
    context: dict[str, Any],
) -> _Routed:
    """A command per charger, ``received``, then: final if the charger is
    offline (or ``waiting``, with a ttl) or the params are invalid for its
    protocol; else batched by gateway, or single if it needs more than one
    CALL.  The CALLs are planned once per protocol."""
    plans: dict[str, list[Call] | Invalid] = {}
    expires_at = fanout.created_at + fanout.ttl_s if fanout.ttl_s is not None else None
    routed = _Routed()
    for charger_id, route in zip(ids, routes, strict=True):
        doc = CommandDoc(
            id=new_id(now),
            command_id=f"{FANOUT_PREFIX}{fanout.id}:{charger_id}",
            charger_id=charger_id,
            name=fanout.name,
            params=fanout.params,
            status="received",
            created_at=now,
            updated_at=now,
            expires_at=expires_at,
            history=[Transition(status="received", at=now)],
            fanout_id=fanout.id,
        )
        routed.docs.append(doc)
        if route is None:
            if expires_at is None:
                move(doc, "charger_offline", now, f"{charger_id} is not connected")
            else:
                move(doc, "waiting", now, f"{charger_id} is not connected; kept until it connects")
            continue
        calls = plans.get(route.protocol)
        if calls is None:
            try:
                calls = plans[route.protocol] = plan(
                    fanout.name, parsed, route.protocol, context
                ).calls
            except Invalid as exc:
                calls = plans[route.protocol] = exc
        doc.protocol = route.protocol
        if isinstance(calls, Invalid):
            move(doc, "invalid", now, str(calls))
        elif len(calls) != 1:
            # More than one CALL (many keys for 1.6): the single way.
            routed.single.append(doc.id)
        else:
            routed.batches.setdefault(route.instance, []).append((doc, route, calls[0]))
    return routed


def _state(
    fid: str,
    name: str,
    params: dict[str, Any],
    chargers: int,
    created_at: float,
    statuses: Counter[str],
) -> FanoutState:
    # A fan-out's commands end at accepted (none of them goes on).
    final = sum(statuses.values()) >= chargers and all(
        status in FINAL or status == "accepted" for status in statuses
    )
    return FanoutState(
        fanout_id=fid,
        name=name,
        params=params,
        chargers=chargers,
        final=final,
        created_at=created_at,
        statuses=dict(statuses),
    )
