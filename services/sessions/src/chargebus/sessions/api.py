"""The HTTP API: chargers, id tokens, sessions (JSON; OpenAPI at /schema).

Litestar, because it takes msgspec Structs as request and response types
natively: the same Structs validate what comes in (a 400 names the field),
serialise what goes out and describe both in the OpenAPI document (see
docs/api.md for why not FastAPI or a hand-written router).

Times are RFC 3339 in UTC.  Lists page by id: pass the ``next`` of one page
as ``after`` to get the next one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import msgspec
from litestar import Litestar, get, put
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.params import JSONBody, PathParameter, QueryParameter
from prometheus_client import CollectorRegistry

from chargebus.common.apikeys import ApiKeys
from chargebus.common.http import make_app
from chargebus.common.routes import Route, RouteTableUnavailable
from chargebus.sessions.administration import SecurityDowngrade
from chargebus.sessions.model import (
    Charger,
    IdToken,
    Session,
    normalise_token,
)
from chargebus.sessions.service import SessionsService
from chargebus.sessions.tokens import token_status
from chargebus.sessions.values import subprotocol

__all__ = ["create_app", "routes"]

Limit = Annotated[int, QueryParameter(ge=1, le=1000, description="page size")]
After = Annotated[str | None, QueryParameter(description="the `next` of the previous page")]
ChargerId = Annotated[str, PathParameter(description="the charger's id (its URL path)")]
Token = Annotated[str, PathParameter(description="an id token (case-insensitive)")]
SessionId = Annotated[str, PathParameter()]


def _time(at: float | None) -> datetime | None:
    return datetime.fromtimestamp(at, UTC) if at is not None else None


# -- views -----------------------------------------------------------------------


class ConnectorView(msgspec.Struct, kw_only=True):
    evse_id: int
    connector_id: int
    status: str
    error_code: str | None
    info: str | None
    vendor_error_code: str | None
    status_at: datetime | None


class UploadView(msgspec.Struct, kw_only=True):
    status: str
    request_id: int | None
    at: datetime | None


class ChargerView(msgspec.Struct, kw_only=True):
    id: str
    registration: str
    #: null when the route table can't be reached.
    connected: bool | None
    #: The subprotocol of the live connection, else the last one seen.
    protocol: str | None
    gateway: str | None
    last_seen: datetime | None
    clock_skew_s: float | None
    clock_skew_flagged: bool
    vendor: str | None
    model: str | None
    serial_number: str | None
    firmware_version: str | None
    iccid: str | None
    imsi: str | None
    boot_reason: str | None
    booted_at: datetime | None
    created_at: datetime | None
    connectors: list[ConnectorView]
    firmware: UploadView | None
    logs: UploadView | None


class Page(msgspec.Struct, kw_only=True):
    items: list[Any]
    #: Pass as ``after`` for the next page; null on the last one.
    next: str | None


class ChargerPage(Page, kw_only=True):
    items: list[ChargerView]


class RegistrationUpdate(msgspec.Struct, forbid_unknown_fields=True):
    registration: Literal["Accepted", "Pending", "Rejected"]


class SecurityUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    #: 0 none, 1 Basic over ws, 2 Basic over wss, 3 mutual TLS; never lowered.
    profile: Literal[0, 1, 2, 3]
    #: 2.x BasicAuthPassword: 16 to 40 characters.  Replaces every earlier
    #: password; omitted: the current one stays.
    password: Annotated[str, msgspec.Meta(min_length=16, max_length=40)] | None = None
    #: 1.6 AuthorizationKey: 16 to 20 bytes as 32 to 40 hex characters.
    authorization_key: Annotated[str, msgspec.Meta(pattern="^([0-9a-fA-F]{2}){16,20}$")] | None = (
        None
    )
    #: Profile 3: the serial number the certificate's common name must hold
    #: (default: the charger id).
    serial_number: Annotated[str, msgspec.Meta(min_length=1, max_length=64)] | None = None
    #: A 1.6 charger that sends its AuthorizationKey as hex text in the
    #: Basic header rather than as bytes.
    hex_key: bool | None = None


class PasswordView(msgspec.Struct, kw_only=True):
    id: str
    #: Set by a rotation until the charger logs in with it.
    pending: bool
    created_at: datetime | None


class SecurityView(msgspec.Struct, kw_only=True):
    profile: int
    serial_number: str | None
    hex_key: bool
    #: Which passwords are recorded (their hashes are never shown).
    passwords: list[PasswordView]


def security_view(charger: Charger) -> SecurityView:
    c = charger.credentials
    if c is None:
        return SecurityView(profile=0, serial_number=None, hex_key=False, passwords=[])
    return SecurityView(
        profile=c.profile,
        serial_number=c.serial_number,
        hex_key=c.hex_key,
        passwords=[
            PasswordView(id=p.id, pending=p.pending, created_at=_time(p.created_at))
            for p in c.passwords
        ],
    )


class TokenUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    status: Literal["Accepted", "Blocked", "Expired", "Invalid"]
    #: RFC 3339 with a time zone; past it an Accepted token answers Expired.
    expires_at: Annotated[datetime, msgspec.Meta(tz=True)] | None = None
    #: 2.x idToken type (ISO14443, eMAID, Central, ...); null matches any.
    type: Annotated[str, msgspec.Meta(min_length=1, max_length=20)] | None = None
    #: Parent idTag (1.6, told to 1.6 chargers when 20 characters or fewer) /
    #: groupIdToken (2.x).
    group: Annotated[str, msgspec.Meta(min_length=1, max_length=36)] | None = None


class TokenView(msgspec.Struct, kw_only=True):
    token: str
    status: str
    #: What an Authorize for it gets now (Expired once expires_at has passed).
    effective_status: str
    type: str | None
    expires_at: datetime | None
    group: str | None
    updated_at: datetime | None


class SessionView(msgspec.Struct, kw_only=True):
    id: str
    charger_id: str
    protocol: str
    evse_id: int | None
    connector_id: int | None
    transaction_id: str
    status: str
    id_token: str | None
    id_token_type: str | None
    id_token_status: str | None
    started_at: datetime | None
    ended_at: datetime | None
    meter_start_wh: float | None
    meter_last_wh: float | None
    meter_stop_wh: float | None
    energy_wh: float | None
    power_w: float | None
    stop_reason: str | None
    remote_start_id: int | None
    reservation_id: int | None
    offline: bool
    charging_state: str | None
    seq_nos: list[int]
    notes: list[str]
    updated_at: datetime | None


class SessionPage(Page, kw_only=True):
    items: list[SessionView]


class SampleView(msgspec.Struct, kw_only=True):
    timestamp: datetime | None
    measurand: str
    value: float | None
    unit: str | None
    phase: str | None
    location: str | None
    context: str | None
    evse_id: int
    connector_id: int | None
    raw: dict[str, Any] | None
    signed: dict[str, Any] | None


class SamplePage(Page, kw_only=True):
    items: list[SampleView]


class RecordView(msgspec.Struct, kw_only=True):
    id: str
    kind: str
    at: datetime | None
    data: dict[str, Any]


class RecordPage(Page, kw_only=True):
    items: list[RecordView]


class AuditView(msgspec.Struct, kw_only=True):
    id: str
    at: datetime | None
    direction: str
    protocol: str
    action: str
    message_id: str
    payload: Any
    answer: Any
    error: str | None
    forgiven: list[str]


class AuditPage(Page, kw_only=True):
    items: list[AuditView]


def _next(ids: Sequence[str], limit: int) -> str | None:
    """The cursor of the next page: the last id of a full page."""
    return ids[-1] if len(ids) == limit else None


def _session_view(session: Session) -> SessionView:
    return SessionView(
        id=session.id,
        charger_id=session.charger_id,
        protocol=session.protocol,
        evse_id=session.evse_id,
        connector_id=session.connector_id,
        transaction_id=session.transaction_id,
        status=session.status,
        id_token=session.id_token,
        id_token_type=session.id_token_type,
        id_token_status=session.id_token_status,
        started_at=_time(session.started_at),
        ended_at=_time(session.ended_at),
        meter_start_wh=session.meter_start_wh,
        meter_last_wh=session.meter_last_wh,
        meter_stop_wh=session.meter_stop_wh,
        energy_wh=session.energy_wh,
        power_w=session.power_w,
        stop_reason=session.stop_reason,
        remote_start_id=session.remote_start_id,
        reservation_id=session.reservation_id,
        offline=session.offline,
        charging_state=session.charging_state,
        seq_nos=session.seq_nos,
        notes=session.notes,
        updated_at=_time(session.updated_at),
    )


def _token_view(token: IdToken, now: float) -> TokenView:
    return TokenView(
        token=token.token,
        status=token.status,
        effective_status=token_status(token, now),
        type=token.type,
        expires_at=_time(token.expires_at),
        group=token.group,
        updated_at=_time(token.updated_at),
    )


def routes(service: SessionsService) -> list[Any]:
    """The sessions service's route handlers."""
    repositories = service.repositories

    async def routes_of(charger_ids: list[str]) -> list[Route | None] | None:
        try:
            return await service.routes.lookup_many(charger_ids)
        except RouteTableUnavailable:
            return None

    async def charger_view(
        charger: Charger, route: Route | None, known: bool = True
    ) -> ChargerView:
        presence = service.presence.get(charger.id)
        if presence is None:
            presence = await repositories.presences.get(charger.id)
        skew = presence.clock_skew_s if presence else None
        return ChargerView(
            id=charger.id,
            registration=charger.registration,
            connected=route is not None if known else None,
            protocol=route.protocol
            if route
            else (
                subprotocol(presence.protocol)
                if presence
                else (subprotocol(charger.protocol) if charger.protocol else charger.protocol)
            ),
            gateway=route.instance if route else None,
            last_seen=_time(presence.last_seen) if presence else None,
            clock_skew_s=skew,
            clock_skew_flagged=skew is not None
            and abs(skew) > service.settings.clock_skew_tolerance,
            vendor=charger.vendor,
            model=charger.model,
            serial_number=charger.serial_number,
            firmware_version=charger.firmware_version,
            iccid=charger.iccid,
            imsi=charger.imsi,
            boot_reason=charger.boot_reason,
            booted_at=_time(charger.booted_at),
            created_at=_time(charger.created_at),
            connectors=[
                ConnectorView(
                    evse_id=c.evse_id,
                    connector_id=c.connector_id,
                    status=c.status,
                    error_code=c.error_code,
                    info=c.info,
                    vendor_error_code=c.vendor_error_code,
                    status_at=_time(c.status_at),
                )
                for c in charger.connectors
            ],
            firmware=UploadView(
                status=charger.firmware.status,
                request_id=charger.firmware.request_id,
                at=_time(charger.firmware.at),
            )
            if charger.firmware
            else None,
            logs=UploadView(
                status=charger.logs.status,
                request_id=charger.logs.request_id,
                at=_time(charger.logs.at),
            )
            if charger.logs
            else None,
        )

    async def view_of(charger: Charger) -> ChargerView:
        routes = await routes_of([charger.id])
        return await charger_view(charger, routes[0] if routes else None, routes is not None)

    async def load_charger(charger_id: str) -> Charger:
        charger = await repositories.chargers.get(charger_id)
        if charger is None:
            raise NotFoundException(f"no charger {charger_id!r}")
        return charger

    @get("/v1/chargers", summary="List chargers", tags=["chargers"])
    async def list_chargers(limit: Limit = 100, after: After = None) -> ChargerPage:
        chargers = await repositories.chargers.page(limit=limit, after=after)
        routes = await routes_of([c.id for c in chargers])
        views = await asyncio.gather(
            *(
                charger_view(c, routes[i] if routes else None, routes is not None)
                for i, c in enumerate(chargers)
            )
        )
        return ChargerPage(items=list(views), next=_next([c.id for c in chargers], limit))

    @get("/v1/chargers/{charger_id:str}", summary="One charger", tags=["chargers"])
    async def get_charger(charger_id: ChargerId) -> ChargerView:
        return await view_of(await load_charger(charger_id))

    @put(
        "/v1/chargers/{charger_id:str}",
        summary="Register a charger, or change its registration",
        description="Accepted chargers may talk; Pending ones are told to boot again later; "
        "Rejected ones are refused. Takes effect at the charger's next BootNotification "
        "or connection.",
        tags=["chargers"],
    )
    async def put_charger(charger_id: ChargerId, data: JSONBody[RegistrationUpdate]) -> ChargerView:
        if not charger_id or len(charger_id) > 255:
            raise ValidationException("a charger id is 1 to 255 characters")
        return await view_of(await service.set_registration(charger_id, data.registration))

    @get(
        "/v1/chargers/{charger_id:str}/security",
        summary="A charger's security profile and which passwords it has (never the passwords)",
        tags=["chargers"],
    )
    async def get_security(charger_id: ChargerId) -> SecurityView:
        return security_view(await load_charger(charger_id))

    @put(
        "/v1/chargers/{charger_id:str}/security",
        summary="Set a charger's security profile and password",
        description="Profile 1 (Basic over ws), 2 (Basic over wss) or 3 (mutual TLS); a "
        "connection using any other profile is refused, and a profile is never lowered "
        "(409). A password (2.x) or authorizationKey (1.6, hex) replaces every earlier one; "
        "only its salted scrypt hash is stored. Takes effect at the charger's next connection.",
        tags=["chargers"],
    )
    async def put_security(charger_id: ChargerId, data: JSONBody[SecurityUpdate]) -> SecurityView:
        if data.password is not None and data.authorization_key is not None:
            raise ValidationException(
                "give a password (2.x) or an authorization_key (1.6), not both"
            )
        secret: bytes | None = None
        if data.password is not None:
            secret = data.password.encode()
        elif data.authorization_key is not None:
            secret = bytes.fromhex(data.authorization_key)
        try:
            charger = await service.set_security(
                charger_id,
                data.profile,
                secret=secret,
                serial_number=data.serial_number,
                hex_key=data.hex_key,
            )
        except LookupError:
            raise NotFoundException(
                f"no charger {charger_id!r}: register it first (PUT /v1/chargers/{{id}})"
            ) from None
        except SecurityDowngrade as exc:
            raise HTTPException(status_code=409, detail=str(exc)) from None
        except ValueError as exc:
            raise ValidationException(str(exc)) from None
        return security_view(charger)

    @get(
        "/v1/chargers/{charger_id:str}/records",
        summary="What a charger reported: firmware and log status, security events, reports",
        tags=["chargers"],
    )
    async def charger_records(
        charger_id: ChargerId,
        kind: Annotated[str | None, QueryParameter(description="an OCPP action")] = None,
        limit: Limit = 100,
        after: After = None,
    ) -> RecordPage:
        records = await repositories.records.of_charger(charger_id, kind, limit=limit, after=after)
        return RecordPage(
            items=[RecordView(id=r.id, kind=r.kind, at=_time(r.at), data=r.data) for r in records],
            next=_next([r.id for r in records], limit),
        )

    @get(
        "/v1/chargers/{charger_id:str}/audit",
        summary="The OCPP messages a charger sent, newest first, with the answers decided",
        tags=["chargers"],
    )
    async def charger_audit(
        charger_id: ChargerId, limit: Limit = 100, after: After = None
    ) -> AuditPage:
        docs = await repositories.audit.of_charger(charger_id, limit=limit, after=after)
        return AuditPage(
            items=[
                AuditView(
                    id=d["_id"],
                    at=_time(d.get("at")),
                    direction=d.get("direction", "in"),
                    protocol=d["protocol"],
                    action=d["action"],
                    message_id=d["message_id"],
                    payload=d.get("payload"),
                    answer=d.get("answer"),
                    error=d.get("error"),
                    forgiven=d.get("forgiven", []),
                )
                for d in docs
            ],
            next=_next([d["_id"] for d in docs], limit),
        )

    @put("/v1/id-tokens/{token:str}", summary="Create or change an id token", tags=["id tokens"])
    async def put_token(token: Token, data: JSONBody[TokenUpdate]) -> TokenView:
        if not token or len(token) > 36:
            raise ValidationException("an id token is 1 to 36 characters (1.6 idTags: 20)")
        if data.expires_at is not None and not (
            datetime(1970, 1, 2, tzinfo=UTC) <= data.expires_at <= datetime(9999, 1, 1, tzinfo=UTC)
        ):
            raise ValidationException("expires_at must lie between 1970 and 9999")
        record = IdToken(
            id=normalise_token(token),
            token=token,
            status=data.status,
            type=data.type,
            expires_at=data.expires_at.timestamp() if data.expires_at else None,
            group=data.group,
            updated_at=service.clock(),
        )
        await repositories.tokens.put(record)
        return _token_view(record, service.clock())

    @get("/v1/id-tokens/{token:str}", summary="One id token", tags=["id tokens"])
    async def get_token(token: Token) -> TokenView:
        record = await service.lookup_token(token)
        if record is None:
            raise NotFoundException(f"no id token {token!r} (an Authorize for it gets Invalid)")
        return _token_view(record, service.clock())

    @get("/v1/sessions", summary="List sessions, newest first", tags=["sessions"])
    async def list_sessions(
        charger_id: Annotated[str | None, QueryParameter()] = None,
        status: Annotated[
            Literal["active", "ended", "reconciliation"] | None, QueryParameter()
        ] = None,
        limit: Limit = 100,
        after: After = None,
    ) -> SessionPage:
        where: dict[str, Any] = {}
        if charger_id:
            where["charger_id"] = charger_id
        if status:
            where["status"] = status
        sessions = await repositories.sessions.page(where, limit=limit, after=after)
        return SessionPage(
            items=[_session_view(s) for s in sessions], next=_next([s.id for s in sessions], limit)
        )

    @get("/v1/sessions/{session_id:str}", summary="One session", tags=["sessions"])
    async def get_session(session_id: SessionId) -> SessionView:
        session = await repositories.sessions.get(session_id)
        if session is None:
            raise NotFoundException(f"no session {session_id!r}")
        return _session_view(session)

    @get(
        "/v1/sessions/{session_id:str}/samples",
        summary="A session's meter samples (units normalised: Wh, W, varh, ...)",
        tags=["sessions"],
    )
    async def session_samples(
        session_id: SessionId, limit: Limit = 1000, after: After = None
    ) -> SamplePage:
        if await repositories.sessions.get(session_id) is None:
            raise NotFoundException(f"no session {session_id!r}")
        page = await repositories.samples.of_session(session_id, limit=limit, after=after)
        samples = sorted(page, key=lambda s: s.timestamp)
        return SamplePage(
            items=[
                SampleView(
                    timestamp=_time(s.timestamp),
                    measurand=s.measurand,
                    value=s.value,
                    unit=s.unit,
                    phase=s.phase,
                    location=s.location,
                    context=s.context,
                    evse_id=s.evse_id,
                    connector_id=s.connector_id,
                    raw=s.raw,
                    signed=s.signed,
                )
                for s in samples
            ],
            next=_next([s.id for s in page], limit),
        )

    return [
        list_chargers,
        get_charger,
        put_charger,
        get_security,
        put_security,
        charger_records,
        charger_audit,
        put_token,
        get_token,
        list_sessions,
        get_session,
        session_samples,
    ]


def create_app(
    service: SessionsService,
    *,
    ready: Callable[[], bool] | None = None,
    registries: Sequence[CollectorRegistry] = (),
    more_routes: Sequence[Any] = (),
    api_keys: ApiKeys,
) -> Litestar:
    """The sessions service's API; ``ready``, ``registries`` and
    ``more_routes`` add the other services' when they share this process.
    Its routes need an API key: GET ``read``, the others ``admin``."""
    return make_app(
        [*routes(service), *more_routes],
        ready=ready or service.ready,
        registries=[service.metrics.registry, *registries],
        api_keys=api_keys,
    )
