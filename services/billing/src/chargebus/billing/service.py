"""The billing service: prices sessions from the sessions service's events.

``session.started`` picks the tariff in force at the session's start (the
charger's, else its group's, else the default); ``session.updated`` moves
the running cost on, published now and then as ``billing.cost_updated``;
``session.ended`` makes the charge detail record, published as
``billing.cdr_created``.  A later revision of ``session.ended`` (the
session changed after it ended) makes a new version of the same CDR when
the CDR comes out different; a redelivered event changes nothing.

Every change is a compare-and-set on the session's document, with its
events in the document's outbox (chargebus.common.store.documents), so a
crash publishes late, not never, and nothing twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import msgspec
from prometheus_client import CollectorRegistry, Counter

from chargebus.billing.model import (
    Assignment,
    AssignmentDoc,
    BillingSession,
    CdrDoc,
    Invalid,
    TariffDoc,
    check_tariff,
    in_force,
)
from chargebus.billing.pricing import Priced, Usage, price, tidy
from chargebus.billing.settings import BillingSettings
from chargebus.common.billing import (
    Cdr,
    CdrLocation,
    CdrToken,
    Price,
    Tariff,
)
from chargebus.common.bus import Bus, BusError, Delivery
from chargebus.common.bus.topology import COMMANDS
from chargebus.common.commands import CommandRequest
from chargebus.common.events import (
    CdrCreated,
    CostUpdated,
    SessionEnded,
    SessionStarted,
    SessionUpdated,
    decode_event,
)
from chargebus.common.logs import bind, log_context
from chargebus.common.store import DocumentStore, StoreUnavailable
from chargebus.common.store.documents import (
    emit,
    from_doc,
    modify,
    publish_outbox,
    sweep_outboxes,
    to_doc,
)
from chargebus.common.wiring import every

__all__ = ["BillingService", "running_cost"]

log = logging.getLogger(__name__)

_SESSION_EVENTS = frozenset({"session.started", "session.updated", "session.ended"})
#: A tariff change can't reach back further than this (clock skew).
_PAST_TOLERANCE_S = 60.0
_MAX_POINTS = 2000
_KWH = Decimal("0.000001")
_HOURS = Decimal("0.000001")
#: 2.x idToken types (and 1.6 tags) to OCPI token types.
_TOKEN_TYPES = {
    "ISO14443": "RFID",
    "ISO15693": "RFID",
    "Central": "APP_USER",
    "eMAID": "APP_USER",
    "MacAddress": "OTHER",
    "KeyCode": "OTHER",
    "Local": "OTHER",
    "NoAuthorization": "AD_HOC_USER",
}


def _digest(value: Any) -> str:
    return hashlib.sha1(msgspec.json.encode(value, order="sorted")).hexdigest()


def _time(at: float) -> datetime:
    return datetime.fromtimestamp(at, UTC)


class BillingMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.cdrs = Counter(
            "chargebus_billing_cdrs",
            "CDRs made: first versions (new) and corrections (corrected)",
            ["kind"],
            registry=self.registry,
        )
        self.untariffed = Counter(
            "chargebus_billing_sessions_without_tariff",
            "Sessions that started with no tariff assigned (priced at zero)",
            registry=self.registry,
        )
        self.cost_updates = Counter(
            "chargebus_billing_cost_updates",
            "billing.cost_updated events published",
            registry=self.registry,
        )


class BillingService:
    def __init__(
        self,
        settings: BillingSettings,
        store: DocumentStore,
        bus: Bus,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.store = store
        self.bus = bus
        self.clock = clock
        self.metrics = BillingMetrics()
        self.started = False
        self._loops: list[asyncio.Task[None]] = []
        self._backoff = 0.1

    # -- life cycle --------------------------------------------------------------------

    async def start(self) -> None:
        await self.store.start()
        await self.bus.start()
        await self.bus.consume(
            "chargebus.billing", self.on_delivery, prefetch=self.settings.prefetch
        )
        loop = asyncio.get_running_loop()
        self._loops = [
            loop.create_task(every(1.0, self.sweep)),
            loop.create_task(
                every(
                    30.0,
                    lambda: sweep_outboxes(self.store, self.bus, "billed_sessions", BillingSession),
                )
            ),
        ]
        self.started = True

    async def stop(self) -> None:
        self.started = False
        for task in self._loops:
            task.cancel()
        await asyncio.gather(*self._loops, return_exceptions=True)
        await self.bus.close()
        await self.store.close()

    def ready(self) -> bool:
        return self.started and self.bus.healthy and self.store.healthy

    # -- tariffs and assignments -------------------------------------------------------

    async def put_tariff(self, tariff_id: str, tariff: Tariff) -> Tariff:
        """A new version of the tariff, in force from its valid_from (now
        when not given; never in the past: sessions priced keep theirs)."""
        if tariff.id and tariff.id != tariff_id:
            raise Invalid(f"id: {tariff.id!r} in the body, {tariff_id!r} in the path")
        check_tariff(tariff)
        now = self.clock()
        valid_from = tariff.valid_from or _time(now)
        if valid_from.tzinfo is None:
            raise Invalid("valid_from: give a time zone (2026-12-01T00:00:00Z)")
        if valid_from.timestamp() < now - _PAST_TOLERANCE_S:
            raise Invalid(
                "valid_from: in the past; a tariff change applies to sessions that start "
                "after it (sessions already priced keep their tariff)"
            )
        valid_from = max(valid_from, _time(now))  # (a minute's skew: from now)
        version = msgspec.structs.replace(tariff, id=tariff_id, valid_from=valid_from)

        def change(doc: TariffDoc | None) -> TariffDoc | None:
            if doc is None:
                return TariffDoc(id=tariff_id, versions=[version], updated_at=now)
            same_time = [v for v in doc.versions if v.valid_from == valid_from]
            current = in_force(doc.versions, valid_from.timestamp())
            if current is not None and _body(current) == _body(version) and not same_time:
                return None  # the same tariff again: nothing changes
            versions = [v for v in doc.versions if v.valid_from != valid_from] + [version]
            doc.versions = sorted(versions, key=lambda v: v.valid_from or _time(0))
            doc.updated_at = now
            return doc

        await modify(self.store, "tariffs", TariffDoc, tariff_id, change)
        return version

    async def get_tariff(self, tariff_id: str) -> TariffDoc | None:
        doc = await self.store.get("tariffs", tariff_id)
        return from_doc(doc, TariffDoc) if doc is not None else None

    async def assign(
        self, key: str, tariff_id: str | None, group: str | None = None
    ) -> AssignmentDoc:
        """Assign a tariff (None: none) and, for a charger, a group, from now on."""
        if tariff_id is not None and await self.store.get("tariffs", tariff_id) is None:
            raise Invalid(f"tariff_id: no tariff {tariff_id!r}")
        now = self.clock()
        entry = Assignment(valid_from=_time(now), tariff_id=tariff_id, group=group)

        def change(doc: AssignmentDoc | None) -> AssignmentDoc | None:
            if doc is None:
                return AssignmentDoc(id=key, history=[entry], updated_at=now)
            last = doc.history[-1]
            if (last.tariff_id, last.group) == (tariff_id, group):
                return None
            doc.history = sorted([*doc.history, entry], key=lambda e: e.valid_from)
            doc.updated_at = now
            return doc

        result, _ = await modify(self.store, "tariff_assignments", AssignmentDoc, key, change)
        assert result is not None  # created, or there already
        return result

    async def assignment(self, key: str) -> AssignmentDoc | None:
        doc = await self.store.get("tariff_assignments", key)
        return from_doc(doc, AssignmentDoc) if doc is not None else None

    async def resolve(self, charger_id: str, at: float) -> tuple[Tariff | None, str | None]:
        """The tariff in force at ``at`` for the charger: its own, else its
        group's, else the default's; (None, None) when there is none."""
        candidates: list[tuple[str, str]] = []
        own = await self.assignment(f"charger:{charger_id}")
        entry = in_force(own.history, at) if own is not None else None
        if entry is not None and entry.tariff_id:
            candidates.append((entry.tariff_id, "charger"))
        if entry is not None and entry.group:
            group = await self.assignment(f"group:{entry.group}")
            grouped = in_force(group.history, at) if group is not None else None
            if grouped is not None and grouped.tariff_id:
                candidates.append((grouped.tariff_id, f"group:{entry.group}"))
        default = await self.assignment("group:default")
        fallback = in_force(default.history, at) if default is not None else None
        if fallback is not None and fallback.tariff_id:
            candidates.append((fallback.tariff_id, "default"))
        for tariff_id, via in candidates:
            doc = await self.get_tariff(tariff_id)
            version = in_force(doc.versions, at) if doc is not None else None
            if version is not None:
                return version, via
        return None, None

    # -- events ------------------------------------------------------------------------

    async def on_delivery(self, delivery: Delivery) -> None:
        if delivery.routing_key not in _SESSION_EVENTS:
            return
        with log_context(correlation_id=delivery.correlation_id):
            try:
                event = decode_event(delivery.body)
            except (msgspec.DecodeError, msgspec.ValidationError) as exc:
                log.error("%s that can't be read, dropped: %s", delivery.routing_key, exc)
                return
            if isinstance(event, SessionStarted | SessionUpdated | SessionEnded):
                bind(charger_id=event.charger_id, session_id=event.session_id)
                await self._retrying(lambda: self.apply(event))

    async def _retrying(self, work: Callable[[], Awaitable[Any]]) -> Any:
        """An event waits for the store as long as it takes (losing it would
        lose a bill): unacked, so the prefetch limit holds back the rest.
        While stopping it goes back to the broker instead."""
        while True:
            try:
                result = await work()
                self._backoff = 0.1
                return result
            except StoreUnavailable as exc:
                if not self.started:
                    raise
                log.warning("store unavailable, waiting: %s", exc)
                await asyncio.sleep(self._backoff)
                self._backoff = min(self._backoff * 2, 5.0)

    async def apply(self, event: SessionStarted | SessionUpdated | SessionEnded) -> None:
        started_at = (
            event.started_at
            if not isinstance(event, SessionEnded)
            else event.started_at or event.ended_at
        )
        existing = await self.store.get("billed_sessions", event.session_id)
        tariff: tuple[Tariff | None, str | None] | None = None
        known_for = existing.get("tariff_for") if existing is not None else None
        known_revision = ((existing or {}).get("ended") or {}).get("revision", 1)
        stale = (
            isinstance(event, SessionEnded)
            and existing is not None
            and existing.get("ended") is not None
            and event.revision <= known_revision
        )
        if stale:
            return
        if existing is not None and existing.get("ended") and not isinstance(event, SessionEnded):
            return  # after the end, only session.ended revisions say anything
        if started_at is not None and started_at != known_for:
            tariff = await self.resolve(event.charger_id, started_at)
        now = self.clock()
        emitted: set[str] = set()

        def change(doc: BillingSession | None) -> BillingSession | None:
            emitted.clear()
            created = doc is None
            if doc is None:
                doc = BillingSession(
                    id=event.session_id,
                    charger_id=event.charger_id,
                    transaction_id=event.transaction_id,
                    created_at=now,
                    updated_at=now,
                )
            if doc.ended is not None and (
                not isinstance(event, SessionEnded) or event.revision <= doc.ended.revision
            ):
                return None  # a duplicate, older than what billing has, or too late
            changed = created
            if tariff is not None and started_at is not None and started_at != doc.tariff_for:
                doc.tariff, doc.tariff_via = tariff
                doc.tariff_for = started_at
                if doc.tariff is None:
                    self.metrics.untariffed.inc()
                    log.warning(
                        "session %s on %s: no tariff in force at its start; priced at zero",
                        event.session_id,
                        event.charger_id,
                    )
                changed = True
            changed = _merge(doc, event) or changed
            if isinstance(event, SessionEnded):
                if doc.ended is None or event.revision > doc.ended.revision:
                    doc.ended = event
                    doc.cdr_pending = True
                    doc.cdr_due_at = now + self.settings.cdr_delay
                    changed = True
            elif doc.ended is None and changed:
                cost = self._cost_event(doc, now)
                if cost is not None:
                    emitted.add(emit(doc, cost))
            if not changed:
                return None
            doc.updated_at = now
            return doc

        doc, changed = await modify(
            self.store, "billed_sessions", BillingSession, event.session_id, change
        )
        if not changed or doc is None:
            return
        await self._publish(doc, emitted)
        if emitted:
            self.metrics.cost_updates.inc()
            await self._show_cost(doc)
        if doc.cdr_pending and self.settings.cdr_delay <= 0:
            await self.make_cdr(doc.id)

    async def _publish(self, doc: BillingSession, emitted: set[str]) -> None:
        if not emitted:
            return
        try:
            await publish_outbox(
                self.store, self.bus, "billed_sessions", BillingSession, doc, emitted
            )
        except StoreUnavailable as exc:  # published; the sweep clears the outbox
            log.warning("outbox of %s not cleared: %s", doc.id, exc)

    # -- running cost ------------------------------------------------------------------

    def _cost_event(self, doc: BillingSession, now: float) -> CostUpdated | None:
        """billing.cost_updated, at most once per cost_update_interval, when
        the cost moved."""
        if doc.tariff is None or doc.started_at is None:
            return None
        if (
            doc.cost_sent_at is not None
            and now - doc.cost_sent_at < self.settings.cost_update_interval
        ):
            return None
        running = running_cost(doc)
        if running is None:
            return None
        priced, as_of = running
        if doc.cost_sent is not None and priced.total.incl_vat == doc.cost_sent:
            return None
        doc.cost_seq += 1
        doc.cost_sent_at = now
        doc.cost_sent = priced.total.incl_vat
        return CostUpdated(
            event_id=f"{doc.id}:cost:{doc.cost_seq}",
            charger_id=doc.charger_id,
            occurred_at=now,
            session_id=doc.id,
            transaction_id=doc.transaction_id,
            currency=doc.tariff.currency,
            total_excl_vat=priced.total.excl_vat,
            total_incl_vat=priced.total.incl_vat,
            energy_wh=doc.energy_wh,
            as_of=as_of,
            tariff_id=doc.tariff.id,
        )

    async def _show_cost(self, doc: BillingSession) -> None:
        """2.x chargers can show the running cost (CostUpdated), when the
        operator turned it on: a best-effort command, never queued."""
        if (
            not self.settings.show_cost_on_charger
            or doc.protocol not in ("ocpp2.0.1", "ocpp2.1")
            or doc.cost_sent is None
        ):
            return
        request = CommandRequest(
            charger_id=doc.charger_id,
            params={
                "action": "CostUpdated",
                "payload": {"totalCost": float(doc.cost_sent), "transactionId": doc.transaction_id},
            },
            command_id=f"cost-{doc.id}-{doc.cost_seq}",
        )
        try:
            await self.bus.publish(COMMANDS, "command.call", msgspec.json.encode(request))
        except BusError as exc:
            log.info("CostUpdated for %s not sent: %s", doc.id, exc)

    # -- CDRs --------------------------------------------------------------------------

    async def sweep(self) -> None:
        """Write the CDRs a crash left unwritten, then make the ones that are
        due (in that order: a version is made only once the one before it
        is written)."""
        for raw in await self.store.find("billed_sessions", {"cdr_unstored": True}, limit=500):
            await self._store_cdr(from_doc(raw, BillingSession))
        now = self.clock()
        for raw in await self.store.find("billed_sessions", {"cdr_pending": True}, limit=500):
            if (raw.get("cdr_due_at") or 0) <= now:
                await self.make_cdr(raw["_id"])

    def _priced_cdr(self, doc: BillingSession, now: float) -> Cdr | None:
        """The CDR, or None (logged, counted, kept on the session) when the
        session can't be priced: one bad session never holds up the rest."""
        try:
            doc.cdr_error = None
            return self._cdr(doc, now)
        except (ArithmeticError, ValueError) as exc:
            doc.cdr_error = f"can't be priced: {exc!r}"
            log.error("session %s %s", doc.id, doc.cdr_error)
            return None

    async def make_cdr(self, session_id: str) -> None:
        raw = await self.store.get("billed_sessions", session_id)
        if raw is not None and raw.get("cdr_unstored"):
            # The previous version isn't written yet (a crash, an outage):
            # write it first, so versions never skip and one stays latest.
            await self._store_cdr(from_doc(raw, BillingSession))
        now = self.clock()
        emitted: set[str] = set()

        def change(doc: BillingSession | None) -> BillingSession | None:
            emitted.clear()
            if doc is None or not doc.cdr_pending or doc.ended is None or doc.cdr_unstored:
                return None  # (unstored: the sweep writes it, then makes this one)
            doc.cdr_pending = False
            doc.cdr_due_at = None
            cdr = self._priced_cdr(doc, now)
            if cdr is None:
                return doc
            facts = msgspec.to_builtins(cdr)
            for varying in ("version", "last_updated"):
                facts.pop(varying, None)
            digest = _digest(facts)
            if digest == doc.cdr_digest:
                return doc  # the same CDR again: no new version
            version = cdr.version
            doc.cdr = cdr
            doc.cdr_digest = digest
            doc.cdr_unstored = True
            doc.updated_at = now
            emitted.add(
                emit(
                    doc,
                    CdrCreated(
                        event_id=f"{doc.id}:cdr:{version}",
                        charger_id=doc.charger_id,
                        occurred_at=now,
                        session_id=doc.id,
                        cdr_id=cdr.id,
                        version=version,
                        cdr=cdr,
                    ),
                )
            )
            return doc

        doc, changed = await modify(
            self.store, "billed_sessions", BillingSession, session_id, change
        )
        if not changed or doc is None:
            return
        if emitted:
            assert doc.cdr is not None
            self.metrics.cdrs.labels("new" if doc.cdr.version == 1 else "corrected").inc()
            log.info(
                "CDR %s version %d: %s %s",
                doc.cdr.id,
                doc.cdr.version,
                doc.cdr.total_cost.incl_vat,
                doc.cdr.currency,
            )
            await self._store_cdr(doc)
            await self._publish(doc, emitted)

    async def _store_cdr(self, doc: BillingSession) -> None:
        """Write the CDR's own document (once per version: its version_key is
        unique) and move ``latest`` to the highest version written.  Both
        idempotent, so a crash, a sweep racing a handler or another replica
        change nothing twice; the sweep finishes what a crash left.

        The document's ``_id`` starts with the time it is written, so a
        client paging ``/v1/cdrs`` by time sees a late-written version
        after the ones it has seen, not before."""
        if not doc.cdr_unstored or doc.cdr is None:
            return
        cdr = doc.cdr
        now = self.clock()
        cdr_doc = CdrDoc(
            id=f"{int(now * 1000):012x}-{doc.id}-{cdr.version}",
            version_key=f"{doc.id}:{cdr.version}",
            session_id=doc.id,
            charger_id=doc.charger_id,
            version=cdr.version,
            created_at=now,
            cdr=cdr,
        )
        await self.store.insert("cdrs", to_doc(cdr_doc))
        for other in await self.store.find(
            "cdrs", {"session_id": doc.id, "latest": True}, limit=100
        ):
            if other["version"] < cdr.version:
                await self.store.replace("cdrs", {**other, "latest": False}, other.get("_v", 0))
            elif other["version"] > cdr.version:
                # A later version is written already: this one isn't the latest.
                mine = await self.store.find_one("cdrs", "version_key", cdr_doc.version_key)
                if mine is not None and mine.get("latest"):
                    await self.store.replace("cdrs", {**mine, "latest": False}, mine.get("_v", 0))

        def stored(current: BillingSession | None) -> BillingSession | None:
            if (
                current is None
                or current.cdr is None
                or current.cdr.version != cdr.version
                or not current.cdr_unstored
            ):
                return None
            current.cdr_unstored = False
            return current

        await modify(self.store, "billed_sessions", BillingSession, doc.id, stored)

    def _cdr(self, doc: BillingSession, now: float) -> Cdr:
        ended = doc.ended
        assert ended is not None
        started_at = ended.started_at if ended.started_at is not None else ended.ended_at
        meter: list[tuple[float, Decimal]] = []
        remarks: list[str] = []
        if ended.meter_start_wh is not None and ended.meter_stop_wh is not None:
            meter.append((started_at, Decimal(repr(ended.meter_start_wh))))
            meter += [
                (t, Decimal(repr(v)))
                for t, v in ended.meter_profile
                if started_at < t < ended.ended_at
            ]
            meter.append((ended.ended_at, Decimal(repr(ended.meter_stop_wh))))
        elif ended.energy_wh is not None:
            meter = [(started_at, Decimal(0)), (ended.ended_at, Decimal(repr(ended.energy_wh)))]
        if ended.status == "reconciliation":
            remarks.append("the session's start was never seen: priced on what is known")
        tariff = doc.tariff or Tariff(currency=self.settings.currency)
        if doc.tariff is None:
            remarks.append("no tariff was in force when the session started")
        usage = Usage(
            started_at=started_at,
            ended_at=ended.ended_at,
            meter=tuple(meter),
            idle_since=ended.idle_since,
        )
        priced = price(tariff, usage)
        remarks += priced.remarks
        version = (doc.cdr.version + 1) if doc.cdr is not None else 1
        token = None
        if ended.id_token:
            if ended.id_token_type is not None:
                kind = _TOKEN_TYPES.get(ended.id_token_type, "OTHER")
            else:  # 1.6: an RFID card, unless an app started it
                kind = "APP_USER" if ended.remote_start_id is not None else "RFID"
            token = CdrToken(uid=ended.id_token, type=kind, contract_id=ended.id_token)

        def part(amount: Decimal) -> Price | None:
            return priced.part(tariff, amount) if amount else None

        return Cdr(
            id=doc.id,
            version=version,
            session_id=doc.id,
            charger_id=doc.charger_id,
            transaction_id=ended.transaction_id,
            start_date_time=_time(started_at),
            end_date_time=_time(ended.ended_at),
            cdr_token=token,
            auth_method="COMMAND" if ended.remote_start_id is not None else "AUTH_REQUEST",
            authorization_reference=(
                str(ended.remote_start_id) if ended.remote_start_id is not None else None
            ),
            cdr_location=CdrLocation(
                charger_id=doc.charger_id,
                evse_uid=f"{doc.charger_id}*{ended.evse_id}",
                evse_id=ended.evse_id,
                connector_id=ended.connector_id,
            ),
            currency=tariff.currency,
            tariffs=[doc.tariff] if doc.tariff is not None else [],
            charging_periods=priced.periods,
            total_cost=priced.total,
            total_fixed_cost=part(priced.fixed_cost),
            total_energy=tidy(priced.energy_kwh, _KWH),
            total_energy_cost=part(priced.energy_cost),
            total_time=tidy(priced.charging_hours + priced.idle_hours, _HOURS),
            total_time_cost=part(priced.time_cost),
            total_parking_time=tidy(priced.idle_hours, _HOURS) if priced.idle_hours else None,
            total_parking_cost=part(priced.idle_cost),
            session_status=ended.status,
            remark="; ".join(remarks) or None,
            last_updated=_time(now),
        )

    async def cdr_of(self, session_id: str, version: int | None = None) -> Cdr | None:
        if version is None:
            raw = await self.store.get("billed_sessions", session_id)
            if raw is None:
                return None
            return from_doc(raw, BillingSession).cdr
        for doc in await self.store.find("cdrs", {"session_id": session_id}, limit=1000):
            if doc["version"] == version:
                return from_doc(doc, CdrDoc).cdr
        return None


def running_cost(doc: BillingSession) -> tuple[Priced, float] | None:
    """The cost of a running session so far (the minimum price not yet
    applied), up to its latest reading, or the start of its idle time."""
    if doc.tariff is None or doc.started_at is None:
        return None
    as_of = max([doc.started_at, *(t for t, _ in doc.points[-1:])])
    if doc.idle_since is not None:
        as_of = max(as_of, doc.idle_since)
    meter = [(t, Decimal(repr(v))) for t, v in doc.points if t >= doc.started_at]
    if doc.meter_start_wh is not None:
        meter.insert(0, (doc.started_at, Decimal(repr(doc.meter_start_wh))))
    usage = Usage(
        started_at=doc.started_at, ended_at=as_of, meter=tuple(meter), idle_since=doc.idle_since
    )
    return price(doc.tariff, usage, final=False), as_of


def _body(tariff: Tariff) -> Tariff:
    return msgspec.structs.replace(tariff, valid_from=None)


def _merge(doc: BillingSession, event: SessionStarted | SessionUpdated | SessionEnded) -> bool:
    """What the event says about the session; whether anything changed."""
    before: dict[str, Any] = msgspec.to_builtins(doc)
    if event.protocol is not None:
        doc.protocol = event.protocol
    doc.evse_id = event.evse_id or doc.evse_id
    doc.connector_id = event.connector_id or doc.connector_id
    doc.id_token = event.id_token or doc.id_token
    if event.remote_start_id is not None:
        doc.remote_start_id = event.remote_start_id
    if isinstance(event, SessionStarted):
        doc.started_at = event.started_at
        if event.meter_start_wh is not None:
            doc.meter_start_wh = event.meter_start_wh
    elif isinstance(event, SessionUpdated):
        if doc.started_at is None and event.started_at is not None:
            doc.started_at = event.started_at
        if event.meter_at is not None and event.meter_wh is not None:
            point = (event.meter_at, event.meter_wh)
            if point not in doc.points:
                doc.points = sorted([*doc.points, point])[-_MAX_POINTS:]
        if doc.updated_seen is None or event.occurred_at >= doc.updated_seen:
            doc.updated_seen = event.occurred_at
            doc.idle_since = event.idle_since
            if event.energy_wh is not None:
                doc.energy_wh = event.energy_wh
    else:
        if event.started_at is not None:
            doc.started_at = event.started_at
        doc.idle_since = event.idle_since
        doc.energy_wh = event.energy_wh
    after: dict[str, Any] = msgspec.to_builtins(doc)
    return after != before
