"""The sessions service: it owns what chargers report.

It consumes ``chargebus.sessions`` (every charger-initiated message the
gateways publish), answers the decision messages (BootNotification,
Authorize, 1.6 Start/StopTransaction, TransactionEvent with an idToken,
DataTransfer, ...), keeps chargers, connectors, id tokens, sessions, meter
samples, reports and the audit log in the store, and publishes domain events
on ``chargebus.events``.

Consumers are idempotent: every write is keyed so that a redelivered message
changes nothing, and a domain event is written into the changed document's
outbox in the same write, then published and removed.  A crash between the
two publishes it later (at the next change of that document or by the
sweeper), and a redelivery, finding the change already made, publishes
nothing twice.

Messages of one charger may be worked on concurrently and out of order (by
several consumers, or several replicas): merges are order-independent (the
newer status by the charger's timestamp wins, a session's start is its
earliest reading, seqNos are merged as a set) and every document write is a
compare-and-set on its version.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import math
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import msgspec
from msgspec import UNSET
from prometheus_client import CollectorRegistry, Counter, Histogram

from chargebus.common import envelope
from chargebus.common.bus import Bus, BusError, Delivery
from chargebus.common.bus.topology import EVENTS
from chargebus.common.envelope import NULL, OcppMessage, Reply
from chargebus.common.events import (
    ChargerBooted,
    ConnectorStatusChanged,
    DomainEvent,
    PasswordDropped,
    PasswordPending,
    PasswordUsed,
    SessionEnded,
    SessionStarted,
    SessionUpdated,
    decode_event,
)
from chargebus.common.logs import log_context
from chargebus.common.ocpp.errors import ErrorCode
from chargebus.common.ocpp.versions import OcppVersion, actions_for
from chargebus.common.routes import RouteTable, RouteTableUnavailable
from chargebus.common.security import Credentials, hash_password
from chargebus.common.store import DocumentRejected, DocumentStore, StoreUnavailable
from chargebus.common.store.documents import (
    UniqueConflict,
    emit,
    modify,
    publish_outbox,
    sweep_outboxes,
)
from chargebus.common.wiring import every
from chargebus.sessions.meter import power_readings, register_readings, samples_from
from chargebus.sessions.model import (
    PROFILE_BUCKET_S,
    AuditEntry,
    Charger,
    Connector,
    IdToken,
    Presence,
    Record,
    Sample,
    Session,
    UploadState,
    from_doc,
    normalise_token,
    to_doc,
)
from chargebus.sessions.settings import SessionsSettings

__all__ = ["DataTransferHandler", "SessionsService", "token_status"]

log = logging.getLogger(__name__)

T = TypeVar("T", Charger, Session)

#: vendorId handler: (charger id, messageId, data) -> (status, data to return).
DataTransferHandler = Callable[[str, str | None, Any], Awaitable[tuple[str, Any]]]

_VERSIONS = {v.short: v for v in OcppVersion}

# Conservative, schema-valid answers to the decisions the CSMS doesn't
# implement yet (certificates, ISO 15118, smart-charging negotiation).
_NOT_SUPPORTED: dict[str, dict[str, Any]] = {
    "SignCertificate": {"status": "Rejected"},
    "GetCertificateStatus": {"status": "Failed"},
    "Get15118EVCertificate": {"status": "Failed", "exiResponse": ""},
    "NotifyEVChargingNeeds": {"status": "Rejected"},
    "NotifyEVChargingSchedule": {"status": "Accepted"},
    "OpenPeriodicEventStream": {"status": "Rejected"},
    "PullDynamicScheduleUpdate": {"status": "Rejected"},
}


_security_log = logging.getLogger("chargebus.security")

#: Rotations' pending passwords kept at once (the newest), beside the current one.
_PENDING_KEPT = 5


class SecurityDowngrade(Exception):
    """A lower security profile than the charger's: never (A00.FR.005)."""


def _credentials_record(doc: dict[str, Any], hex_key_models: frozenset[str]) -> bytes | None:
    """A charger document's credentials as the gateways read them: a 1.6
    charger of a model that sends its key as hex text gets hex_key."""
    raw = doc.get("credentials")
    if not raw:
        return None
    credentials = msgspec.convert(raw, Credentials)
    model = f"{doc.get('vendor') or ''}/{doc.get('model') or ''}".casefold()
    if not credentials.hex_key and model in hex_key_models:
        credentials = msgspec.structs.replace(credentials, hex_key=True)
    return credentials.encode()


def _opt(value: Any) -> Any:
    return None if value is UNSET else value


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat().replace("+00:00", "Z")


def _hash(*parts: object) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()


def new_session_id(now: float) -> str:
    """Time-ordered: pages of sessions by id are pages by creation time."""
    return f"{int(now * 1000):012x}{uuid.uuid4().hex[:12]}"


_SOURCES = {"start": 0, "begin": 1, "reading": 2}


def _later(at: float, value: float, than_at: float | None, than_value: float | None) -> bool:
    """Is (at, value) after the reading held (none held: yes)?"""
    if than_at is None or than_value is None:
        return True
    return (at, value) > (than_at, than_value)


#: Charging states after the last Charging that mean the car is done (idle
#: time begins); SuspendedEVSE (the charger holds back) doesn't.
_IDLE_STATES = frozenset({"SuspendedEV", "EVConnected", "Idle", "Finishing"})
#: 1.6 connector statuses that tell a session's charging state.
_V16_CHARGING_STATUSES = frozenset({"Charging", "SuspendedEV", "SuspendedEVSE", "Finishing"})
_MAX_STATES = 200
_SUBPROTOCOLS = {v.short: v.value for v in OcppVersion}


def _state_add(session: Session, at: float, state: str) -> bool:
    """Merge a charging state into the session (a set, so any order of
    arrival gives the same result) and derive when idle time began.  Only
    what can still matter is kept: the latest Charging and what came after
    it (or, before any Charging, the latest 200)."""
    states = sorted({*session.charging_states, (at, state)})
    charging = [t for t, s in states if s == "Charging"]
    if charging:
        # The last Charging and the earliest of what followed it.
        after = [(t, s) for t, s in states if t > charging[-1]]
        states = [(charging[-1], "Charging"), *after[: _MAX_STATES - 1]]
    else:
        states = states[:_MAX_STATES]
    if states == session.charging_states:
        return False
    session.charging_states = states
    idle = [t for t, s in states if t > charging[-1] and s in _IDLE_STATES] if charging else []
    session.idle_since = idle[0] if idle else None
    return True


def _profile_add(session: Session, at: float, value: float) -> bool:
    """Keep the earliest reading of each PROFILE_BUCKET_S (order-independent)."""
    bucket = at // PROFILE_BUCKET_S
    for n, (t, v) in enumerate(session.meter_profile):
        if t // PROFILE_BUCKET_S == bucket:
            if (at, value) >= (t, v):
                return False
            session.meter_profile[n] = (at, value)
            return True
    session.meter_profile = sorted([*session.meter_profile, (at, value)])
    return True


def _v16_key(charger_id: str, transaction_id: str) -> str:
    """1.6 transaction ids are ours and 2.x ones the charger's: apart, so a
    charger moved from 2.0.1 back to 1.6 can't collide with itself."""
    return f"{charger_id}|v16|{transaction_id}"


def token_status(token: IdToken | None, now: float) -> str:
    if token is None:
        return "Invalid"
    if token.status == "Accepted" and token.expires_at is not None and token.expires_at <= now:
        return "Expired"
    return token.status


class _Context:
    __slots__ = ("_data", "emitted", "is_2x", "message", "outbox", "request", "version")

    def __init__(self, message: OcppMessage, version: OcppVersion, request: Any) -> None:
        self.message = message
        self.version = version
        self.request = request
        self.is_2x = version.is_2x
        #: Documents whose outbox to publish once the charger has its answer.
        self.outbox: list[tuple[str, type[Any], Any]] = []
        #: Events this message's handler emitted (in any write attempt).
        self.emitted: set[str] = set()
        self._data: Any = None

    @property
    def data(self) -> Any:
        """The payload as JSON values (for the audit log and records),
        decoded once."""
        if self._data is None:
            self._data = msgspec.json.decode(self.message.payload)
        return self._data

    def emit(self, doc: Charger | Session, event: msgspec.Struct) -> None:
        """Put an event into the document's outbox, to be written with it."""
        self.emitted.add(emit(doc, event))

    @property
    def charger_id(self) -> str:
        return self.message.charger_id

    @property
    def at(self) -> float:
        return self.message.received_at


class _Audit:
    """Group commit for audit entries: each caller waits until the batch
    holding its entry is stored, so a message is acked only once audited,
    at one insert per batch instead of one per message.  An entry the store
    refuses (MongoDB: nesting deeper than 100, integers beyond 64 bits) is
    stored with its payload and answer as JSON text instead, and never
    fails the others of its batch."""

    def __init__(self, store: DocumentStore) -> None:
        self.store = store
        self._batch: list[tuple[dict[str, Any], asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def add(self, entry: AuditEntry) -> None:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        self._batch.append((to_doc(entry), done))
        if self._writer is None:
            self._writer = loop.create_task(self._write())
        await asyncio.shield(done)

    async def _write(self) -> None:
        try:
            while self._batch:
                await asyncio.sleep(0)  # let the other consumers add theirs
                batch, self._batch = self._batch, []
                try:
                    await self.store.insert_many("audit", [doc for doc, _ in batch])
                except DocumentRejected:
                    for doc, done in batch:
                        await self._one(doc, done)
                    continue
                except Exception as exc:
                    for _, done in batch:
                        if not done.done():
                            done.set_exception(exc)
                    continue
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)
        finally:
            self._writer = None

    async def _one(self, doc: dict[str, Any], done: asyncio.Future[None]) -> None:
        try:
            try:
                await self.store.insert_many("audit", [doc])
            except DocumentRejected:
                text = {k: msgspec.json.encode(doc.get(k)).decode() for k in ("payload", "answer")}
                await self.store.insert_many("audit", [{**doc, **text, "as_text": True}])
        except Exception as exc:
            if not done.done():
                done.set_exception(exc)
            return
        if not done.done():
            done.set_result(None)


class SessionsMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.messages = Counter(
            "chargebus_sessions_messages",
            "Charger messages handled, by version and action",
            ["version", "action"],
            registry=self.registry,
        )
        self.seconds = Histogram(
            "chargebus_sessions_handling_seconds",
            "Time from delivery to ack, by action",
            ["action"],
            registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10),
        )
        self.store_errors = Counter(
            "chargebus_sessions_store_errors",
            "Store operations that failed (each is retried or answered InternalError)",
            registry=self.registry,
        )
        self.events = Counter(
            "chargebus_sessions_events_published",
            "Domain events published, by type",
            ["type"],
            registry=self.registry,
        )
        self.security_events = Counter(
            "chargebus_sessions_charger_security_events",
            "SecurityEventNotifications chargers sent (each stored and logged)",
            registry=self.registry,
        )


class SessionsService:
    def __init__(
        self,
        settings: SessionsSettings,
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
        #: DataTransfer handlers by vendorId; others get UnknownVendorId.
        self.data_transfer: dict[str, DataTransferHandler] = {}
        self.presence: dict[str, Presence] = {}
        self._dirty: set[str] = set()
        self._audit = _Audit(store)
        self._tasks: list[asyncio.Task[None]] = []
        self._handlers: dict[str, Callable[[_Context], Awaitable[dict[str, Any] | None]]] = {
            "BootNotification": self._boot,
            "Authorize": self._authorize,
            "StatusNotification": self._status,
            "NotifyEvent": self._notify_event,
            "StartTransaction": self._start_v16,
            "StopTransaction": self._stop_v16,
            "MeterValues": self._meter_values,
            "TransactionEvent": self._transaction_event,
            "FirmwareStatusNotification": self._firmware_status,
            "DiagnosticsStatusNotification": self._log_status,
            "LogStatusNotification": self._log_status,
            "DataTransfer": self._data_transfer,
            "Heartbeat": self._heartbeat,
            "SecurityEventNotification": self._security_event,
        }
        self.metrics = SessionsMetrics()
        self._hex_key_models = frozenset(m.casefold() for m in settings.hex_key_models)
        self._store_backoff = 0.1
        self.started = False

    # -- life cycle -------------------------------------------------------------

    async def start(self) -> None:
        await self.store.start()
        await self.bus.start()
        await self.routes.start()
        try:
            await self.seed_registrations()
        except RouteTableUnavailable as exc:  # the check below writes them later
            log.warning("registration states not written yet: %s", exc)
        await self.sweep_outboxes()
        await self.bus.consume(
            "chargebus.sessions", self.on_delivery, prefetch=self.settings.prefetch
        )
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(every(self.settings.presence_flush_interval, self.flush_presence)),
            loop.create_task(every(30.0, self.sweep_outboxes)),
            loop.create_task(every(3600.0, self.purge_audit)),
            # Redis lost them: write them back soon (until then gateways
            # with a minimum security profile refuse new connections with
            # 503: one EXISTS every 3 s keeps that window short); and now
            # and then anyway, should a state have been written out of order.
            loop.create_task(every(3.0, self.reseed_lost_registrations)),
            loop.create_task(every(600.0, self.seed_registrations)),
        ]
        self.started = True
        log.info(
            "sessions service started (unknown chargers: %s)",
            self.settings.unknown_charger_policy,
        )

    async def stop(self) -> None:
        self.started = False
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        with contextlib.suppress(StoreUnavailable):
            await self.flush_presence()
        await self.bus.close()
        await self.routes.close()
        await self.store.close()

    def ready(self) -> bool:
        return self.started and self.bus.healthy and self.store.healthy and self.routes.healthy

    async def seed_registrations(self) -> None:
        """Write every charger's registration state to the route table (the
        store is the truth), then mark them complete."""
        after: str | None = None
        while True:
            page = await self.store.find("chargers", {}, limit=1000, after=after)
            if not page:
                break
            await self.routes.set_registrations({d["_id"]: d["registration"] for d in page})
            await self.routes.set_credentials(
                {
                    d["_id"]: _credentials_record(d, self._hex_key_models)
                    for d in page
                    if d.get("credentials")
                }
            )
            after = page[-1]["_id"]
        # With the mark, the interval an accepted boot gets: gateways answer
        # the BootNotification of a charger held as Accepted with it.
        await self.routes.set_registrations(
            {}, complete=True, heartbeat_interval=self.settings.heartbeat_interval
        )

    async def reseed_lost_registrations(self) -> None:
        if not await self.routes.registrations_complete():
            log.warning("the route table lost the registration states: writing them again")
            await self.seed_registrations()

    async def _publish_registration(self, charger_id: str) -> None:
        """Tell the gateways a charger's state, read afresh (so two writers
        can't leave an older state last).  If Redis is away the periodic
        rewrite catches up; the charger isn't kept waiting."""
        try:
            doc = await self.store.get("chargers", charger_id)
            if doc is not None:
                await self.routes.set_registrations({charger_id: doc["registration"]})
        except RouteTableUnavailable as exc:
            log.warning("registration of %s not passed on yet: %s", charger_id, exc)

    async def _publish_credentials(self, charger_id: str) -> None:
        """Tell the gateways a charger's credentials, read afresh.  If Redis
        is away the periodic rewrite catches up (until then gateways that
        can't read them refuse the charger: they fail closed)."""
        try:
            doc = await self.store.get("chargers", charger_id)
            # Two writers (a PUT, a rotation's event, a boot) may each read
            # then write: read again after writing, and write again until the
            # newest version is the one written last.
            for _ in range(5):
                if doc is None:
                    return
                record = _credentials_record(doc, self._hex_key_models)
                await self.routes.set_credentials({charger_id: record})
                again = await self.store.get("chargers", charger_id)
                if again is None or again.get("v") == doc.get("v"):
                    return
                doc = again
        except RouteTableUnavailable as exc:
            log.warning("credentials of %s not passed on yet: %s", charger_id, exc)

    async def set_security(
        self,
        charger_id: str,
        profile: int,
        *,
        secret: bytes | None = None,
        serial_number: str | None = None,
        hex_key: bool | None = None,
    ) -> Charger:
        """An operator's decision: the charger's security profile and, for
        profiles 1 and 2, its password (replacing every earlier one).
        Raises LookupError for an unknown charger, SecurityDowngrade for a
        lower profile than recorded, ValueError for a profile 1/2 without a
        password."""
        # Hashed once, outside the compare-and-set loop (scrypt is slow).
        hashed = await asyncio.to_thread(hash_password, secret) if secret is not None else None
        now = self.clock()

        def change(charger: Charger | None) -> Charger | None:
            if charger is None:
                raise LookupError(f"no charger {charger_id!r}")
            current = charger.credentials
            if current is not None and profile < current.profile:
                raise SecurityDowngrade(
                    f"{charger_id} uses security profile {current.profile}; "
                    f"a profile is never lowered (A00.FR.005)"
                )
            passwords = (hashed,) if hashed else current.passwords if current else ()
            if profile in (1, 2) and not passwords:
                raise ValueError(f"security profile {profile} needs a password")
            charger.credentials = Credentials(
                profile=profile,  # type: ignore[arg-type]
                passwords=passwords,
                serial_number=serial_number
                if serial_number is not None
                else (current.serial_number if current else None),
                hex_key=hex_key if hex_key is not None else bool(current and current.hex_key),
            )
            charger.updated_at = now
            return charger

        charger, _ = await self._modify("chargers", Charger, charger_id, change)
        assert charger is not None and charger.credentials is not None
        await self._publish_credentials(charger_id)
        log.info(
            "charger %s: security profile %d%s",
            charger_id,
            profile,
            ", new password" if hashed else "",
        )
        return charger

    async def on_security_event(self, event: DomainEvent) -> None:
        """A password rotation's steps (docs/security.md): the new password
        pending beside the current one, refused by the charger (forgotten),
        or used to log in (now the only one).  Idempotent: a redelivered
        event changes nothing more."""
        now = self.clock()

        def pending(charger: Charger | None) -> Charger | None:
            assert isinstance(event, PasswordPending)
            if charger is None:
                return None
            current = charger.credentials or Credentials(profile=0)
            if any(p.id == event.password.id for p in current.passwords):
                return None
            kept = [p for p in current.passwords if not p.pending]
            waiting = [p for p in current.passwords if p.pending][-(_PENDING_KEPT - 1) :]
            charger.credentials = msgspec.structs.replace(
                current, passwords=(*kept, *waiting, event.password)
            )
            charger.updated_at = now
            return charger

        def dropped(charger: Charger | None) -> Charger | None:
            assert isinstance(event, PasswordDropped)
            current = charger.credentials if charger else None
            if charger is None or current is None:
                return None
            passwords = tuple(
                p for p in current.passwords if not (p.pending and p.id == event.password_id)
            )
            if passwords == current.passwords:
                return None
            charger.credentials = msgspec.structs.replace(current, passwords=passwords)
            charger.updated_at = now
            return charger

        def used(charger: Charger | None) -> Charger | None:
            assert isinstance(event, PasswordUsed)
            current = charger.credentials if charger else None
            if charger is None or current is None:
                return None
            new = [p for p in current.passwords if p.id == event.password_id and p.pending]
            if not new:
                return None  # already the only one, or replaced since
            # The old ones go; a newer rotation's password, whose CALL may
            # be on its way, stays pending.
            newer = [p for p in current.passwords if p.pending and p.created_at > new[0].created_at]
            charger.credentials = msgspec.structs.replace(
                current, passwords=(msgspec.structs.replace(new[0], pending=False), *newer)
            )
            charger.updated_at = now
            return charger

        if isinstance(event, PasswordPending):
            change, what = pending, "new password pending"
        elif isinstance(event, PasswordDropped):
            change, what = dropped, f"new password refused ({event.reason}): forgotten"
        elif isinstance(event, PasswordUsed):
            change, what = used, "logged in with the new password: the old one is gone"
        else:
            return
        _, changed = await self._modify("chargers", Charger, event.charger_id, change)
        if changed:
            await self._publish_credentials(event.charger_id)
            log.info("charger %s: %s", event.charger_id, what)

    async def flush_presence(self) -> None:
        dirty, self._dirty = self._dirty, set()
        docs = [to_doc(self.presence[c]) for c in dirty if c in self.presence]
        try:
            await self.store.put_newer("presence", docs, "last_seen")
        except StoreUnavailable:
            self._dirty |= dirty
            raise

    async def purge_audit(self) -> int:
        before = self.clock() - self.settings.audit_retention_days * 86400
        removed = await self.store.delete_before("audit", "at", before)
        if removed:
            log.info("audit log: %d entries older than %s removed", removed, _iso(before))
        return removed

    async def sweep_outboxes(self, settle_s: float = 10.0) -> None:
        """Publish events a crash left in outboxes."""
        await sweep_outboxes(self.store, self.bus, "chargers", Charger, settle_s=settle_s)
        await sweep_outboxes(self.store, self.bus, "sessions", Session, settle_s=settle_s)

    # -- the consumer ---------------------------------------------------------------

    async def set_registration(self, charger_id: str, registration: str) -> Charger:
        """An operator's decision: register a charger or change its state."""
        now = self.clock()

        def change(charger: Charger | None) -> Charger | None:
            if charger is None:
                return Charger(
                    id=charger_id,
                    registration=registration,  # type: ignore[arg-type]
                    created_at=now,
                    updated_at=now,
                )
            if charger.registration == registration:
                return None
            charger.registration = registration  # type: ignore[assignment]
            charger.updated_at = now
            return charger

        charger, _ = await self._modify("chargers", Charger, charger_id, change)
        assert charger is not None
        await self._publish_registration(charger_id)
        log.info("charger %s registration set to %s", charger_id, registration)
        return charger

    async def on_delivery(self, delivery: Delivery) -> None:
        if delivery.exchange == EVENTS:
            await self.on_security_event(decode_event(delivery.body))
            return
        started = time.perf_counter()
        message: OcppMessage = envelope.decode(delivery.body, OcppMessage)
        with log_context(
            charger_id=message.charger_id,
            message_id=message.message_id,
            correlation_id=delivery.correlation_id,
        ):
            version = _VERSIONS[message.version]
            action = actions_for(version)[message.action]
            request = msgspec.json.decode(message.payload, type=action.request)
            ctx = _Context(message, version, request)
            self._seen(message)
            handler = self._handlers.get(message.action, self._other)
            answer: dict[str, Any] | None = None
            error: str | None = None
            decision = bool(delivery.reply_to)
            while True:
                try:
                    answer = await handler(ctx)
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
                    await self._wait_for_store(message, exc)
            if decision:
                await self._reply(delivery, answer, error)
            elif message.answer != NULL:  # what the gateway told the charger
                answer = msgspec.json.decode(message.answer)
            if message.action != "Heartbeat":  # last seen covers those
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
                        break
                    except StoreUnavailable as exc:
                        self.metrics.store_errors.inc()
                        await self._wait_for_store(message, exc)
            self._store_backoff = 0.1
            for collection, type_, doc in ctx.outbox:
                try:
                    await self._publish_outbox(collection, type_, doc, ctx.emitted)
                except StoreUnavailable as exc:  # published; the sweep clears the outbox
                    log.warning("outbox of %s not cleared yet: %s", doc.id, exc)
            self.metrics.messages.labels(message.version, message.action).inc()
            self.metrics.seconds.labels(message.action).observe(time.perf_counter() - started)

    async def _wait_for_store(self, message: OcppMessage, exc: Exception) -> None:
        """A notification waits for the store as long as it takes (its
        charger was told it is stored): the message stays unacked, and the
        prefetch limit stops new ones piling up.  While stopping, it goes
        back to the broker instead."""
        if not self.started:
            raise exc
        log.warning(
            "store unavailable; %s from %s waits: %s", message.action, message.charger_id, exc
        )
        await asyncio.sleep(self._store_backoff)
        self._store_backoff = min(self._store_backoff * 2, 5.0)

    async def _reply(
        self, delivery: Delivery, answer: dict[str, Any] | None, error: str | None
    ) -> None:
        if error is not None or answer is None:
            reply = Reply(
                error_code=ErrorCode.INTERNAL_ERROR.value,
                error_description=error or "no answer",
            )
        else:
            reply = Reply(payload=msgspec.Raw(msgspec.json.encode(answer)))
        assert delivery.reply_to is not None
        try:
            await self.bus.publish(
                "",
                delivery.reply_to,
                envelope.encode(reply),
                correlation_id=delivery.correlation_id,
                mandatory=False,
                persistent=False,
            )
        except BusError as exc:  # the gateway times out and the charger retries
            log.warning("reply to %s lost: %r", delivery.reply_to, exc)

    def _seen(self, message: OcppMessage, skew: float | None = None) -> None:
        current = self.presence.get(message.charger_id)
        if current is None or current.last_seen <= message.received_at:
            self.presence[message.charger_id] = Presence(
                id=message.charger_id,
                last_seen=message.received_at,
                protocol=message.version,
                clock_skew_s=skew
                if skew is not None
                else (current.clock_skew_s if current else None),
            )
            self._dirty.add(message.charger_id)

    def _clock(self, ctx: _Context, charger_time: float) -> None:
        """Note how far the charger's clock is from ours (live messages only)."""
        skew = round(charger_time - ctx.at, 3)
        previous = self.presence.get(ctx.charger_id)
        if abs(skew) > self.settings.clock_skew_tolerance and (
            previous is None
            or previous.clock_skew_s is None
            or abs(previous.clock_skew_s) <= self.settings.clock_skew_tolerance
        ):
            log.warning("charger %s clock is off by %.1f s", ctx.charger_id, skew)
        self._seen(ctx.message, skew)

    # -- documents -------------------------------------------------------------------

    async def _modify(
        self, collection: str, type_: type[T], id: str, change: Callable[[T | None], T | None]
    ) -> tuple[T | None, bool]:
        return await modify(self.store, collection, type_, id, change)

    async def _publish_outbox(
        self, collection: str, type_: type[T], doc: T, only: set[str] | None = None
    ) -> None:
        await publish_outbox(
            self.store,
            self.bus,
            collection,
            type_,
            doc,
            only,
            lambda type_: self.metrics.events.labels(type_).inc(),
        )

    # -- chargers ----------------------------------------------------------------------

    async def _boot(self, ctx: _Context) -> dict[str, Any]:
        request, message = ctx.request, ctx.message
        if ctx.is_2x:
            station = request.charging_station
            modem = _opt(station.modem)
            info = {
                "vendor": station.vendor_name,
                "model": station.model,
                "serial_number": _opt(station.serial_number),
                "firmware_version": _opt(station.firmware_version),
                "iccid": _opt(modem.iccid) if modem else None,
                "imsi": _opt(modem.imsi) if modem else None,
                "boot_reason": request.reason,
            }
        else:
            info = {
                "vendor": request.charge_point_vendor,
                "model": request.charge_point_model,
                "serial_number": _opt(request.charge_point_serial_number)
                or _opt(request.charge_box_serial_number),
                "firmware_version": _opt(request.firmware_version),
                "iccid": _opt(request.iccid),
                "imsi": _opt(request.imsi),
                "meter_type": _opt(request.meter_type),
                "meter_serial_number": _opt(request.meter_serial_number),
            }
        boot_key = f"{message.message_id}|{message.received_at}"

        def change(charger: Charger | None) -> Charger | None:
            if charger is None:
                charger = self._unknown_charger(ctx, f"booted ({info['vendor']} {info['model']})")
            elif charger.last_boot == boot_key:
                return None
            for name, value in info.items():
                setattr(charger, name, value)
            charger.protocol = message.version
            charger.booted_at = ctx.at
            charger.last_boot = boot_key
            charger.updated_at = ctx.at
            ctx.emit(
                charger,
                ChargerBooted(
                    event_id=f"{ctx.charger_id}:booted:{_hash(boot_key)[:16]}",
                    charger_id=ctx.charger_id,
                    occurred_at=ctx.at,
                    registration=charger.registration,
                    protocol=message.version,
                    vendor=info["vendor"],
                    model=info["model"],
                    serial_number=info["serial_number"],
                    firmware_version=info["firmware_version"],
                    reason=info.get("boot_reason"),
                ),
            )
            return charger

        charger, _ = await self._modify("chargers", Charger, ctx.charger_id, change)
        assert charger is not None
        ctx.outbox.append(("chargers", Charger, charger))
        if message.answer != NULL and charger.registration != "Accepted":
            # The gateway read Accepted as the operator changed it: the
            # charger's next boot gets the new state (written just below).
            log.warning(
                "charger %s was answered Accepted by its gateway; its registration is now %s",
                ctx.charger_id,
                charger.registration,
            )
        await self._publish_registration(ctx.charger_id)
        if charger.credentials is not None and self._hex_key_models:
            await self._publish_credentials(ctx.charger_id)  # its model may be known now
        interval = (
            self.settings.heartbeat_interval
            if charger.registration == "Accepted"
            else self.settings.boot_retry_interval
        )
        return {
            "status": charger.registration,
            "currentTime": _iso(self.clock()),
            "interval": interval,
        }

    def _unknown_charger(self, ctx: _Context, what: str) -> Charger:
        """A charger the store doesn't know, registered by the boot policy."""
        registration = {"accept": "Accepted", "pending": "Pending"}.get(
            self.settings.unknown_charger_policy, "Rejected"
        )
        log.warning("unknown charger %s %s: %s by policy", ctx.charger_id, what, registration)
        return Charger(
            id=ctx.charger_id,
            registration=registration,  # type: ignore[arg-type]
            protocol=ctx.message.version,
            created_at=ctx.at,
            updated_at=ctx.at,
        )

    async def _heartbeat(self, ctx: _Context) -> None:
        return None  # last seen is noted for every message; no write

    async def _status(self, ctx: _Context) -> None:
        request = ctx.request
        if ctx.is_2x:
            evse_id, connector_id = request.evse_id, request.connector_id
            status, error_code, info, vendor_error = request.connector_status, None, None, None
            at = request.timestamp.timestamp()
            self._clock(ctx, at)
        else:
            evse_id = request.connector_id
            connector_id = 1 if evse_id > 0 else 0
            status, error_code = request.status, request.error_code
            info, vendor_error = _opt(request.info), _opt(request.vendor_error_code)
            timestamp = _opt(request.timestamp)
            at = timestamp.timestamp() if timestamp is not None else ctx.at
            if timestamp is not None:
                self._clock(ctx, at)
        await self._set_connector(
            ctx, evse_id, connector_id, status, at, error_code, info, vendor_error
        )
        if not ctx.is_2x and evse_id > 0 and status in _V16_CHARGING_STATUSES:
            await self._v16_charging_state(ctx, evse_id, status, at)

    async def _v16_charging_state(
        self, ctx: _Context, evse_id: int, status: str, at: float
    ) -> None:
        """A 1.6 connector's status is its session's charging state (2.x
        chargers say it in their TransactionEvents): the session on that
        connector whose time it falls in, still active or (stored out of
        order, after the stop) recently ended."""
        candidates = await self.store.find(
            "sessions", {"charger_id": ctx.charger_id, "status": "active"}, limit=10
        )
        candidates += await self.store.find(
            "sessions",
            {"charger_id": ctx.charger_id, "status": "ended"},
            limit=5,
            descending=True,
        )
        for doc in candidates:
            started_at, ended_at = doc.get("started_at"), doc.get("ended_at")
            if (
                doc.get("evse_id") != evse_id
                or started_at is None
                or at < started_at
                or (ended_at is not None and at > ended_at)
            ):
                continue

            def change(current: Session | None) -> Session | None:
                if current is None or not _state_add(current, at, status):
                    return None
                current.updated_at = max(current.updated_at, ctx.at)
                self._changed(ctx, current)
                return current

            updated, changed = await self._modify("sessions", Session, doc["_id"], change)
            if changed and updated is not None:
                ctx.outbox.append(("sessions", Session, updated))

    async def _set_connector(
        self,
        ctx: _Context,
        evse_id: int,
        connector_id: int,
        status: str,
        at: float,
        error_code: str | None = None,
        info: str | None = None,
        vendor_error: str | None = None,
    ) -> None:
        def change(charger: Charger | None) -> Charger | None:
            if charger is None:  # it never booted (the gateway lets it talk, or failed open)
                charger = self._unknown_charger(ctx, "reported a status without booting")
            existing = next(
                (
                    c
                    for c in charger.connectors
                    if c.evse_id == evse_id and c.connector_id == connector_id
                ),
                None,
            )
            if existing is not None and (existing.status_at, existing.received_at) >= (
                at,
                ctx.at,
            ):
                return None  # this one is older (or the same, redelivered)
            updated = Connector(
                evse_id=evse_id,
                connector_id=connector_id,
                status=status,
                error_code=error_code,
                info=info,
                vendor_error_code=vendor_error,
                status_at=at,
                received_at=ctx.at,
            )
            charger.connectors = sorted(
                [c for c in charger.connectors if c is not existing] + [updated],
                key=lambda c: (c.evse_id, c.connector_id),
            )
            charger.updated_at = max(charger.updated_at, ctx.at)
            previous = existing.status if existing is not None else None
            if previous != status:
                ctx.emit(
                    charger,
                    ConnectorStatusChanged(
                        event_id=f"{ctx.charger_id}:status:{evse_id}:{connector_id}:"
                        f"{_hash(at, ctx.at, status)[:16]}",
                        charger_id=ctx.charger_id,
                        occurred_at=at,
                        evse_id=evse_id,
                        connector_id=connector_id,
                        status=status,
                        previous_status=previous,
                        error_code=error_code,
                    ),
                )
            return charger

        charger, changed = await self._modify("chargers", Charger, ctx.charger_id, change)
        if changed and charger is not None:
            ctx.outbox.append(("chargers", Charger, charger))

    async def _notify_event(self, ctx: _Context) -> None:
        await self._record(ctx)
        for item in ctx.request.event_data:
            component, variable = item.component, item.variable
            evse = _opt(component.evse)
            if component.name == "Connector" and variable.name == "AvailabilityState" and evse:
                connector_id = _opt(evse.connector_id)
                await self._set_connector(
                    ctx,
                    evse.id,
                    connector_id if connector_id is not None else 1,
                    item.actual_value,
                    item.timestamp.timestamp(),
                )

    async def _firmware_status(self, ctx: _Context) -> None:
        await self._upload_status(ctx, "firmware")

    async def _log_status(self, ctx: _Context) -> None:
        await self._upload_status(ctx, "logs")

    async def _upload_status(self, ctx: _Context, field: str) -> None:
        await self._record(ctx)
        state = UploadState(
            status=ctx.request.status,
            request_id=_opt(getattr(ctx.request, "request_id", UNSET)),
            at=ctx.at,
        )

        def change(charger: Charger | None) -> Charger | None:
            if charger is None:
                charger = self._unknown_charger(ctx, f"sent {ctx.message.action} without booting")
            current: UploadState | None = getattr(charger, field)
            if current is not None and current.at >= state.at:
                return None
            setattr(charger, field, state)
            charger.updated_at = max(charger.updated_at, ctx.at)
            return charger

        await self._modify("chargers", Charger, ctx.charger_id, change)

    async def _record(self, ctx: _Context) -> None:
        message = ctx.message
        record = Record(
            id=f"{message.charger_id}|{message.action}|{message.received_at:.6f}|"
            f"{message.message_id}",
            charger_id=message.charger_id,
            kind=message.action,
            at=message.received_at,
            data=ctx.data,
        )
        try:
            await self.store.insert("records", to_doc(record))
        except DocumentRejected:  # too deep or too big a number for the store: keep the text
            record.data = {"json": bytes(message.payload).decode()}
            await self.store.insert("records", to_doc(record))

    async def _security_event(self, ctx: _Context) -> dict[str, Any] | None:
        """Always answered (A04.FR.03; the gateway answers once it's
        stored), kept as a record and logged as a security event."""
        await self._record(ctx)
        self.metrics.security_events.inc()
        request = ctx.request
        _security_log.warning(
            "security event from charger %s: %s%s",
            ctx.charger_id,
            request.type,
            f" ({request.tech_info})" if _opt(request.tech_info) else "",
            extra={"security_event": f"charger:{request.type}", "charger_id": ctx.charger_id},
        )
        return None

    async def _other(self, ctx: _Context) -> dict[str, Any] | None:
        """Actions without a handler of their own: kept as records; a decision
        gets the conservative answer (the feature isn't offered yet)."""
        await self._record(ctx)
        answer = _NOT_SUPPORTED.get(ctx.message.action)
        if answer is not None:
            return dict(answer)
        if ctx.message.action == "GetCertificateChainStatus":
            # One status per certificate asked about: Failed, no status source yet.
            return {
                "certificateStatus": [
                    {
                        "certificateHashData": msgspec.to_builtins(r.certificate_hash_data),
                        "source": r.source,
                        "status": "Failed",
                        "nextUpdate": _iso(self.clock()),
                    }
                    for r in ctx.request.certificate_status_requests
                ]
            }
        if ctx.message.action == "VatNumberValidation":
            return {"vatNumber": ctx.request.vat_number, "status": "Rejected"}
        return None

    async def _data_transfer(self, ctx: _Context) -> dict[str, Any]:
        await self._record(ctx)
        request = ctx.request
        handler = self.data_transfer.get(request.vendor_id)
        if handler is None:
            return {"status": "UnknownVendorId"}
        status, data = await handler(ctx.charger_id, _opt(request.message_id), _opt(request.data))
        answer: dict[str, Any] = {"status": status}
        if data is not None:
            answer["data"] = data
        return answer

    # -- authorization -----------------------------------------------------------------

    async def lookup_token(self, token: str) -> IdToken | None:
        doc = await self.store.get("id_tokens", normalise_token(token))
        return from_doc(doc, IdToken) if doc is not None else None

    async def _token_info(
        self, token: str, token_type: str | None, ctx: _Context
    ) -> dict[str, Any]:
        """idTagInfo (1.6) or idTokenInfo (2.x) for a token."""
        if token_type == "NoAuthorization":
            return {"status": "Accepted"}
        record = await self.lookup_token(token)
        if record is not None and record.type not in (None, token_type) and token_type:
            record = None  # the same characters as another kind of token
        status = token_status(record, self.clock())
        info: dict[str, Any] = {"status": status}
        if record is not None and record.group:
            if ctx.is_2x:
                info["groupIdToken"] = {"idToken": record.group, "type": "Central"}
            elif len(record.group) <= 20:  # a 1.6 IdToken is CiString20
                info["parentIdTag"] = record.group
        if record is not None and record.expires_at is not None and not ctx.is_2x:
            info["expiryDate"] = _iso(record.expires_at)
        return info

    async def _authorize(self, ctx: _Context) -> dict[str, Any]:
        if ctx.is_2x:
            id_token = ctx.request.id_token
            return {"idTokenInfo": await self._token_info(id_token.id_token, id_token.type, ctx)}
        return {"idTagInfo": await self._token_info(ctx.request.id_tag, None, ctx)}

    # -- 1.6 transactions --------------------------------------------------------------

    async def _find_session(self, charger_id: str, transaction_id: str) -> Session | None:
        """A 1.6 session by the transaction id the CSMS gave it."""
        doc = await self.store.find_one("sessions", "tx_key", _v16_key(charger_id, transaction_id))
        return from_doc(doc, Session) if doc is not None else None

    async def _start_v16(self, ctx: _Context) -> dict[str, Any]:
        request = ctx.request
        started_at = request.timestamp.timestamp()
        start_key = _hash(
            ctx.charger_id,
            request.connector_id,
            normalise_token(request.id_tag),
            started_at,
            request.meter_start,
        )
        id_tag_info = await self._token_info(request.id_tag, None, ctx)
        existing = await self.store.find_one("sessions", "start_key", start_key)
        charger_doc = await self.store.get("chargers", ctx.charger_id) if existing is None else None
        charger_connectors = (charger_doc or {}).get("connectors", [])
        attempts = 0
        while existing is None:
            attempts += 1
            if attempts > 5:  # the counter is behind the sessions (a restored backup?)
                raise StoreUnavailable("no free 1.6 transaction id after 5 tries")
            transaction_id = str(await self.store.increment("transaction_id"))
            session = Session(
                id=new_session_id(ctx.at),
                charger_id=ctx.charger_id,
                protocol=ctx.message.version,
                evse_id=request.connector_id,
                connector_id=1,
                transaction_id=transaction_id,
                tx_key=_v16_key(ctx.charger_id, transaction_id),
                start_key=start_key,
                id_token=request.id_tag,
                id_token_status=id_tag_info["status"],
                started_at=started_at,
                meter_start_wh=float(request.meter_start),
                meter_start_at=started_at,
                meter_start_source="start",
                reservation_id=_opt(request.reservation_id),
                started_seen=True,
                created_at=ctx.at,
                updated_at=ctx.at,
            )
            if id_tag_info["status"] != "Accepted":
                session.notes.append(
                    f"started with an idTag the CSMS answered {id_tag_info['status']}"
                )
            # A Charging status stored before the start it follows.
            for connector in charger_connectors:
                if (
                    connector.get("evse_id") == request.connector_id
                    and connector.get("status") in _V16_CHARGING_STATUSES
                    and connector.get("status_at", 0) >= started_at
                ):
                    _state_add(session, connector["status_at"], connector["status"])
            ctx.emit(session, self._started_event(session))
            if await self.store.insert("sessions", to_doc(session)):
                session.v = 1
                ctx.outbox.append(("sessions", Session, session))
                return {"idTagInfo": id_tag_info, "transactionId": int(transaction_id)}
            # Lost to the same start worked on at once (then it's that one),
            # or to a session already holding this id (then take the next id).
            existing = await self.store.find_one("sessions", "start_key", start_key)
        # A resent StartTransaction (its answer was lost): the same id; the
        # idTag is checked again.
        session = from_doc(existing, Session)
        ctx.outbox.append(("sessions", Session, session))
        return {"idTagInfo": id_tag_info, "transactionId": int(session.transaction_id)}

    @staticmethod
    def _session_fields(session: Session) -> dict[str, Any]:
        """What every session event carries."""
        return {
            "charger_id": session.charger_id,
            "session_id": session.id,
            "transaction_id": session.transaction_id,
            "evse_id": session.evse_id or 0,
            "connector_id": session.connector_id or 0,
            "id_token": session.id_token,
            "remote_start_id": session.remote_start_id,
            "id_token_type": session.id_token_type,
            "protocol": _SUBPROTOCOLS.get(session.protocol, session.protocol),
            "idle_since": session.idle_since,
        }

    def _started_event(self, session: Session) -> SessionStarted:
        started_at = session.started_at or session.created_at
        return SessionStarted(
            **self._session_fields(session),
            event_id=f"{session.id}:started",
            occurred_at=started_at,
            started_at=started_at,
            meter_start_wh=session.meter_start_wh,
            id_token_status=session.id_token_status,
        )

    def _ended_event(self, session: Session, revision: int) -> SessionEnded:
        ended_at = session.ended_at or session.updated_at
        return SessionEnded(
            **self._session_fields(session),
            event_id=f"{session.id}:ended" if revision == 1 else f"{session.id}:ended:{revision}",
            revision=revision,
            meter_profile=session.meter_profile,
            occurred_at=ended_at,
            started_at=session.started_at,
            ended_at=ended_at,
            energy_wh=session.energy_wh,
            meter_start_wh=session.meter_start_wh,
            meter_stop_wh=session.meter_stop_wh,
            stop_reason=session.stop_reason,
            status=session.status,
        )

    def _changed(self, ctx: _Context, session: Session) -> None:
        """The events a change to a session calls for: session.ended when it
        ended (again, as a new revision, when an ended session changed after
        all), else session.updated now and then."""
        if not session.ended_seen:
            self._maybe_updated(ctx, session)
            return
        event = self._ended_event(session, session.ended_revision + 1)
        facts = msgspec.to_builtins(event)
        facts.pop("event_id")
        facts.pop("revision", None)
        digest = _hash(msgspec.json.encode(facts, order="sorted"))
        if digest == session.ended_digest:
            return
        session.ended_revision += 1
        session.ended_digest = digest
        ctx.emit(session, event)

    def _maybe_updated(self, ctx: _Context, session: Session) -> None:
        """session.updated, at most once per session_update_interval."""
        at = ctx.at
        if session.status != "active":
            return
        last = session.updated_event_at
        if last is not None and at - last < self.settings.session_update_interval:
            return
        session.updated_event_at = at
        ctx.emit(
            session,
            SessionUpdated(
                **self._session_fields(session),
                event_id=f"{session.id}:updated:{at:.6f}",
                occurred_at=at,
                started_at=session.started_at,
                energy_wh=session.energy_wh,
                meter_wh=session.meter_last_wh,
                meter_at=session.meter_last_at,
                power_w=session.power_w,
            ),
        )

    @staticmethod
    def _apply_readings(session: Session, samples: list[Sample]) -> bool:
        """Merge meter readings, whatever order they come in.  The start is,
        by precedence, the 1.6 meterStart, a Transaction.Begin reading, the
        earliest reading; the last is the latest; the end is the 1.6
        meterStop, else the latest Transaction.End reading.  Equal times are
        broken by value, so the order of arrival never matters."""
        changed = False
        for sample in register_readings(samples):
            value, at = sample.value, sample.timestamp
            assert value is not None
            source = "begin" if sample.context == "Transaction.Begin" else "reading"
            if session.meter_start_source is None or (_SOURCES[source], at, value) < (
                _SOURCES[session.meter_start_source],
                session.meter_start_at if session.meter_start_at is not None else math.inf,
                session.meter_start_wh if session.meter_start_wh is not None else math.inf,
            ):
                session.meter_start_wh, session.meter_start_at = value, at
                session.meter_start_source = source
                changed = True
            if _later(at, value, session.meter_last_at, session.meter_last_wh):
                session.meter_last_wh, session.meter_last_at = value, at
                changed = True
            if _profile_add(session, at, value):
                changed = True
            if (
                sample.context == "Transaction.End"
                and session.meter_end_source != "stop"
                and _later(at, value, session.meter_end_at, session.meter_end_wh)
            ):
                session.meter_end_wh, session.meter_end_at = value, at
                session.meter_end_source = "end"
                changed = True
        for sample in power_readings(samples):
            assert sample.value is not None
            if _later(sample.timestamp, sample.value, session.power_at, session.power_w):
                session.power_w, session.power_at = sample.value, sample.timestamp
                changed = True
        return changed

    @staticmethod
    def _energy(session: Session) -> None:
        """Derive the stop reading and the energy from what was merged."""
        stop = session.meter_end_wh
        if stop is None and session.ended_seen:
            stop = session.meter_last_wh
        session.meter_stop_wh = stop
        end = stop if stop is not None else session.meter_last_wh
        if end is not None and session.meter_start_wh is not None:
            session.energy_wh = round(end - session.meter_start_wh, 3)

    async def _meter_values(self, ctx: _Context) -> None:
        request = ctx.request
        session: Session | None = None
        if ctx.is_2x:
            evse_id, connector_id, transaction_id = request.evse_id, None, None
        else:
            evse_id, connector_id = request.connector_id, 1 if request.connector_id else 0
            tx = _opt(request.transaction_id)
            transaction_id = str(tx) if tx is not None else None
            if transaction_id is not None:
                session = await self._find_session(ctx.charger_id, transaction_id)
        samples = samples_from(
            ctx.charger_id,
            request.meter_value,
            evse_id=evse_id,
            connector_id=connector_id,
            session_id=session.id if session else None,
            transaction_id=transaction_id,
            is_2x=ctx.is_2x,
        )
        await self.store.insert_many("samples", [to_doc(s) for s in samples])
        if session is None:
            return

        def change(current: Session | None) -> Session | None:
            if current is None or not self._apply_readings(current, samples):
                return None
            self._energy(current)
            current.updated_at = max(current.updated_at, ctx.at)
            self._changed(ctx, current)
            return current

        updated, changed = await self._modify("sessions", Session, session.id, change)
        if changed and updated is not None:
            ctx.outbox.append(("sessions", Session, updated))

    async def _stop_v16(self, ctx: _Context) -> dict[str, Any]:
        request = ctx.request
        transaction_id = str(request.transaction_id)
        stopped_at = request.timestamp.timestamp()
        id_tag = _opt(request.id_tag)
        answer: dict[str, Any] = {}
        if id_tag is not None:
            answer["idTagInfo"] = await self._token_info(id_tag, None, ctx)
        session = await self._find_session(ctx.charger_id, transaction_id)
        if session is None:
            session = await self._reconciliation_session(ctx, transaction_id, stopped_at)
        samples = samples_from(
            ctx.charger_id,
            _opt(request.transaction_data),
            evse_id=session.evse_id or 0,
            connector_id=session.connector_id,
            session_id=session.id,
            transaction_id=transaction_id,
            is_2x=False,
        )
        await self.store.insert_many("samples", [to_doc(s) for s in samples])

        def change(current: Session | None) -> Session | None:
            if current is None or current.ended_seen:
                return None  # ended already: a resent StopTransaction
            self._apply_readings(current, samples)
            current.meter_end_wh = float(request.meter_stop)
            current.meter_end_at = stopped_at
            current.meter_end_source = "stop"
            current.ended_at = stopped_at
            current.ended_seen = True
            current.stop_reason = _opt(request.reason) or "Local"
            if current.status == "active":
                current.status = "ended"
            self._energy(current)
            current.updated_at = max(current.updated_at, ctx.at)
            self._changed(ctx, current)
            return current

        updated, changed = await self._modify("sessions", Session, session.id, change)
        if changed and updated is not None:
            ctx.outbox.append(("sessions", Session, updated))
        return answer

    async def _reconciliation_session(
        self, ctx: _Context, transaction_id: str, stopped_at: float
    ) -> Session:
        """A stop for a transaction the CSMS never started (unknown id, or -1
        when the charger never got one): kept, flagged, never refused."""
        request = ctx.request
        key = _hash(ctx.charger_id, transaction_id, stopped_at, request.meter_stop)
        tx_key = f"{_v16_key(ctx.charger_id, transaction_id)}|unmatched|{key[:16]}"
        session = Session(
            id=f"{int(stopped_at * 1000):012x}r{key[:11]}",
            charger_id=ctx.charger_id,
            protocol=ctx.message.version,
            transaction_id=transaction_id,
            tx_key=tx_key,
            start_key=tx_key,
            id_token=_opt(request.id_tag),
            status="reconciliation",
            notes=[
                "StopTransaction for a transaction id the CSMS never issued"
                if transaction_id != "-1"
                else "StopTransaction with transactionId -1: the charger never got an id"
            ],
            created_at=ctx.at,
            updated_at=ctx.at,
        )
        if not await self.store.insert("sessions", to_doc(session)):
            doc = await self.store.find_one("sessions", "tx_key", tx_key)
            assert doc is not None
            return from_doc(doc, Session)
        session.v = 1
        log.warning(
            "charger %s stopped transaction %s the CSMS doesn't know: kept for reconciliation",
            ctx.charger_id,
            transaction_id,
        )
        return session

    # -- 2.x transactions ----------------------------------------------------------------

    async def _transaction_event(self, ctx: _Context) -> dict[str, Any] | None:
        request = ctx.request
        info = request.transaction_info
        transaction_id = info.transaction_id
        id_token = _opt(request.id_token)
        answer: dict[str, Any] | None = None
        token_status_now: str | None = None
        if id_token is not None:
            token_info = await self._token_info(id_token.id_token, id_token.type, ctx)
            token_status_now = token_info["status"]
            answer = {"idTokenInfo": token_info}
        at = request.timestamp.timestamp()
        offline = bool(_opt(request.offline))
        if not offline:
            self._clock(ctx, at)
        tx_key = f"{ctx.charger_id}|{transaction_id}"
        evse = _opt(request.evse)
        for _ in range(3):
            existing = await self.store.find_one("sessions", "tx_key", tx_key)
            session_id = existing["_id"] if existing is not None else new_session_id(ctx.at)
            samples = samples_from(
                ctx.charger_id,
                _opt(request.meter_value),
                evse_id=evse.id if evse else (existing or {}).get("evse_id") or 0,
                connector_id=(_opt(evse.connector_id) if evse else None),
                session_id=session_id,
                transaction_id=transaction_id,
                is_2x=True,
            )
            try:
                session, changed = await self._modify(
                    "sessions",
                    Session,
                    session_id,
                    self._merger(ctx, session_id, samples, token_status_now),
                )
                break
            except UniqueConflict:
                continue  # another consumer created it first: merge into that one
        else:
            raise StoreUnavailable(f"session {tx_key} could not be created")
        await self.store.insert_many("samples", [to_doc(s) for s in samples])
        if changed and session is not None:
            ctx.outbox.append(("sessions", Session, session))
        return answer

    def _merger(
        self, ctx: _Context, session_id: str, samples: list[Sample], token_status_now: str | None
    ) -> Callable[[Session | None], Session | None]:
        """The order-independent merge of one TransactionEvent into its session."""
        request = ctx.request
        info = request.transaction_info
        transaction_id = info.transaction_id
        tx_key = f"{ctx.charger_id}|{transaction_id}"
        id_token = _opt(request.id_token)
        evse = _opt(request.evse)
        at = request.timestamp.timestamp()
        offline = bool(_opt(request.offline))

        def merge(current: Session | None) -> Session | None:
            created = current is None
            if current is None:
                current = Session(
                    id=session_id,
                    charger_id=ctx.charger_id,
                    protocol=ctx.message.version,
                    transaction_id=transaction_id,
                    tx_key=tx_key,
                    start_key=tx_key,
                    started_at=at,
                    created_at=ctx.at,
                    updated_at=ctx.at,
                )
            elif request.seq_no in current.seq_nos:
                return None  # merged already
            current.seq_nos = sorted({*current.seq_nos, request.seq_no})
            if request.event_type == "Started":
                current.started_seen = True
                current.started_at = at
            elif not current.started_seen and (
                current.started_at is None or at < current.started_at
            ):
                current.started_at = at
            if evse is not None:
                current.evse_id = evse.id
                connector = _opt(evse.connector_id)
                if connector is not None:
                    current.connector_id = connector
            if id_token is not None and (
                current.id_token is None or request.event_type == "Started"
            ):
                current.id_token = id_token.id_token
                current.id_token_type = id_token.type
                current.id_token_status = token_status_now
            remote_start_id = _opt(info.remote_start_id)
            if remote_start_id is not None:
                current.remote_start_id = remote_start_id
            reservation_id = _opt(request.reservation_id)
            if reservation_id is not None:
                current.reservation_id = reservation_id
            state = _opt(info.charging_state)
            if state is not None:
                _state_add(current, at, state)
                if (
                    current.charging_state_seq is None
                    or request.seq_no > current.charging_state_seq
                ):
                    current.charging_state = state
                    current.charging_state_seq = request.seq_no
            if offline:
                current.offline = True
            self._apply_readings(current, samples)
            if request.event_type == "Ended":
                current.ended_seen = True
                current.ended_at = at
                current.stop_reason = _opt(info.stopped_reason) or "Local"
                current.status = "ended"
            self._energy(current)
            current.updated_at = max(current.updated_at, ctx.at)
            if created:
                ctx.emit(current, self._started_event(current))
            self._changed(ctx, current)
            return current

        return merge
