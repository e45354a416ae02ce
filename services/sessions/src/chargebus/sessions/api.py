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
    normalise_token,
)
from chargebus.sessions.service import SessionsService
from chargebus.sessions.values import subprotocol
from chargebus.sessions.views import (
    AuditPage,
    AuditView,
    ChargerPage,
    ChargerView,
    ConnectorView,
    RecordPage,
    RecordView,
    RegistrationUpdate,
    SamplePage,
    SampleView,
    SecurityUpdate,
    SecurityView,
    SessionPage,
    SessionView,
    TokenUpdate,
    TokenView,
    UploadView,
    next_cursor,
    security_view,
    session_view,
    time_of,
    token_view,
)

__all__ = ["create_app", "routes"]

Limit = Annotated[int, QueryParameter(ge=1, le=1000, description="page size")]
After = Annotated[str | None, QueryParameter(description="the `next` of the previous page")]
ChargerId = Annotated[str, PathParameter(description="the charger's id (its URL path)")]
Token = Annotated[str, PathParameter(description="an id token (case-insensitive)")]
SessionId = Annotated[str, PathParameter()]


def routes(service: SessionsService) -> list[Any]:
    """The sessions service's route handlers."""
    return [
        *_charger_routes(service),
        *_security_routes(service),
        *_report_routes(service),
        *_token_routes(service),
        *_session_routes(service),
    ]


async def _load_charger(service: SessionsService, charger_id: str) -> Charger:
    charger = await service.repositories.chargers.get(charger_id)
    if charger is None:
        raise NotFoundException(f"no charger {charger_id!r}")
    return charger


def _charger_routes(service: SessionsService) -> list[Any]:
    """Chargers: their registration, and how they are (connected, seen, statuses)."""
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
            last_seen=time_of(presence.last_seen) if presence else None,
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
            booted_at=time_of(charger.booted_at),
            created_at=time_of(charger.created_at),
            connectors=[
                ConnectorView(
                    evse_id=c.evse_id,
                    connector_id=c.connector_id,
                    status=c.status,
                    error_code=c.error_code,
                    info=c.info,
                    vendor_error_code=c.vendor_error_code,
                    status_at=time_of(c.status_at),
                )
                for c in charger.connectors
            ],
            firmware=UploadView(
                status=charger.firmware.status,
                request_id=charger.firmware.request_id,
                at=time_of(charger.firmware.at),
            )
            if charger.firmware
            else None,
            logs=UploadView(
                status=charger.logs.status,
                request_id=charger.logs.request_id,
                at=time_of(charger.logs.at),
            )
            if charger.logs
            else None,
        )

    async def view_of(charger: Charger) -> ChargerView:
        routes = await routes_of([charger.id])
        return await charger_view(charger, routes[0] if routes else None, routes is not None)

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
        return ChargerPage(items=list(views), next=next_cursor([c.id for c in chargers], limit))

    @get("/v1/chargers/{charger_id:str}", summary="One charger", tags=["chargers"])
    async def get_charger(charger_id: ChargerId) -> ChargerView:
        return await view_of(await _load_charger(service, charger_id))

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

    return [list_chargers, get_charger, put_charger]


def _security_routes(service: SessionsService) -> list[Any]:
    """A charger's security profile and passwords."""

    @get(
        "/v1/chargers/{charger_id:str}/security",
        summary="A charger's security profile and which passwords it has (never the passwords)",
        tags=["chargers"],
    )
    async def get_security(charger_id: ChargerId) -> SecurityView:
        return security_view(await _load_charger(service, charger_id))

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

    return [get_security, put_security]


def _report_routes(service: SessionsService) -> list[Any]:
    """What chargers reported, and the audit of their messages."""
    repositories = service.repositories

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
            items=[
                RecordView(id=r.id, kind=r.kind, at=time_of(r.at), data=r.data) for r in records
            ],
            next=next_cursor([r.id for r in records], limit),
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
                    at=time_of(d.get("at")),
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
            next=next_cursor([d["_id"] for d in docs], limit),
        )

    return [charger_records, charger_audit]


def _token_routes(service: SessionsService) -> list[Any]:
    """Id tokens."""
    repositories = service.repositories

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
        return token_view(record, service.clock())

    @get("/v1/id-tokens/{token:str}", summary="One id token", tags=["id tokens"])
    async def get_token(token: Token) -> TokenView:
        record = await service.lookup_token(token)
        if record is None:
            raise NotFoundException(f"no id token {token!r} (an Authorize for it gets Invalid)")
        return token_view(record, service.clock())

    return [put_token, get_token]


def _session_routes(service: SessionsService) -> list[Any]:
    """Sessions and their meter samples."""
    repositories = service.repositories

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
            items=[session_view(s) for s in sessions],
            next=next_cursor([s.id for s in sessions], limit),
        )

    @get("/v1/sessions/{session_id:str}", summary="One session", tags=["sessions"])
    async def get_session(session_id: SessionId) -> SessionView:
        session = await repositories.sessions.get(session_id)
        if session is None:
            raise NotFoundException(f"no session {session_id!r}")
        return session_view(session)

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
                    timestamp=time_of(s.timestamp),
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
            next=next_cursor([s.id for s in page], limit),
        )

    return [list_sessions, get_session, session_samples]


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
