"""What the sessions API reads and writes: the request and response Structs
(Litestar validates and documents them) and the functions that turn stored
models into views.  Times are RFC 3339 in UTC."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import msgspec

from chargebus.sessions.model import Charger, IdToken, Session
from chargebus.sessions.tokens import token_status

__all__ = [
    "AuditPage",
    "AuditView",
    "ChargerPage",
    "ChargerView",
    "ConnectorView",
    "Page",
    "PasswordView",
    "RecordPage",
    "RecordView",
    "RegistrationUpdate",
    "SamplePage",
    "SampleView",
    "SecurityUpdate",
    "SecurityView",
    "SessionPage",
    "SessionView",
    "TokenUpdate",
    "TokenView",
    "UploadView",
    "next_cursor",
    "security_view",
    "session_view",
    "time_of",
    "token_view",
]


def time_of(at: float | None) -> datetime | None:
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
            PasswordView(id=p.id, pending=p.pending, created_at=time_of(p.created_at))
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


def next_cursor(ids: Sequence[str], limit: int) -> str | None:
    """The cursor of the next page: the last id of a full page."""
    return ids[-1] if len(ids) == limit else None


def session_view(session: Session) -> SessionView:
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
        started_at=time_of(session.started_at),
        ended_at=time_of(session.ended_at),
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
        updated_at=time_of(session.updated_at),
    )


def token_view(token: IdToken, now: float) -> TokenView:
    return TokenView(
        token=token.token,
        status=token.status,
        effective_status=token_status(token, now),
        type=token.type,
        expires_at=time_of(token.expires_at),
        group=token.group,
        updated_at=time_of(token.updated_at),
    )
