"""Domain events on ``chargebus.events`` (routing key = the event's type).

Published by the sessions service (``charger.*``, ``connector.*``,
``session.*``) for the commands and billing services and for outside
systems, and by the billing service (``billing.*``).  Every event has an
``event_id`` that is the same each time the same fact is published, so a
consumer that sees it twice (the bus delivers at least once) can drop the
copy.  Times are seconds since the
epoch, UTC.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from chargebus.common.billing import Cdr
from chargebus.common.security import PasswordHash

__all__ = [
    "CdrCreated",
    "ChargerBooted",
    "ConnectorStatusChanged",
    "CostUpdated",
    "DomainEvent",
    "PasswordDropped",
    "PasswordPending",
    "PasswordUsed",
    "SessionEnded",
    "SessionStarted",
    "SessionUpdated",
    "decode_event",
]


class _Event(msgspec.Struct, frozen=True, kw_only=True, tag_field="type", omit_defaults=True):
    event_id: str
    charger_id: str
    occurred_at: float


class ChargerBooted(_Event, frozen=True, kw_only=True, tag="charger.booted"):
    registration: str  # Accepted, Pending, Rejected: what the charger was told
    protocol: str
    vendor: str
    model: str
    serial_number: str | None = None
    firmware_version: str | None = None
    reason: str | None = None  # 2.x boot reason


class ConnectorStatusChanged(_Event, frozen=True, kw_only=True, tag="connector.status_changed"):
    evse_id: int
    connector_id: int
    status: str
    previous_status: str | None = None
    error_code: str | None = None


class _SessionEvent(_Event, frozen=True, kw_only=True):
    session_id: str
    transaction_id: str
    evse_id: int
    connector_id: int
    id_token: str | None = None
    #: 2.x idToken type (ISO14443, Central, eMAID, ...); None for 1.6.
    id_token_type: str | None = None
    remote_start_id: int | None = None
    #: The charger's protocol (its subprotocol): ocpp1.6, ocpp2.0.1, ocpp2.1.
    protocol: str | None = None
    #: When the car stopped charging for good and idle time began (the
    #: charger's clock: 2.x chargingState, 1.6 connector status); None while
    #: it charges or when the charger never said.
    idle_since: float | None = None


class SessionStarted(_SessionEvent, frozen=True, kw_only=True, tag="session.started"):
    started_at: float
    meter_start_wh: float | None = None
    id_token_status: str | None = None


class SessionUpdated(_SessionEvent, frozen=True, kw_only=True, tag="session.updated"):
    started_at: float | None = None
    energy_wh: float | None = None
    meter_wh: float | None = None
    #: The charger's time of meter_wh.
    meter_at: float | None = None
    power_w: float | None = None


class SessionEnded(_SessionEvent, frozen=True, kw_only=True, tag="session.ended"):
    started_at: float | None
    ended_at: float
    energy_wh: float | None = None
    meter_start_wh: float | None = None
    meter_stop_wh: float | None = None
    stop_reason: str | None = None
    #: ended, or reconciliation when the session's start was never seen.
    status: str = "ended"
    #: 1 for the first session.ended; 2, 3, ... when the ended session
    #: changed after all (late or out-of-order messages): the latest wins.
    revision: int = 1
    #: The energy register over the session, [time, Wh], at most one
    #: reading per five minutes (for pricing by time of day).
    meter_profile: list[tuple[float, float]] = msgspec.field(default_factory=list)


class CostUpdated(_Event, frozen=True, kw_only=True, tag="billing.cost_updated"):
    """A session's cost so far (published by the billing service now and then
    while it runs).  Money is a decimal string."""

    session_id: str
    transaction_id: str
    currency: str
    total_excl_vat: Decimal
    total_incl_vat: Decimal
    energy_wh: float | None = None
    #: The charger's time the cost was worked out to.
    as_of: float
    tariff_id: str | None = None


class CdrCreated(_Event, frozen=True, kw_only=True, tag="billing.cdr_created"):
    """A session's charge detail record, or a corrected version of it (the
    highest version is the one that counts)."""

    session_id: str
    cdr_id: str
    version: int
    cdr: Cdr


class PasswordPending(_Event, frozen=True, kw_only=True, tag="security.password_pending"):
    """A password rotation is about to send the charger a new password
    (commands service, ``rotate_password``): its salted hash, to accept
    beside the current one until the charger logs in with it."""

    command_id: str
    password: PasswordHash


class PasswordDropped(_Event, frozen=True, kw_only=True, tag="security.password_dropped"):
    """The charger refused the rotation's new password: forget it."""

    command_id: str
    password_id: str
    reason: str


class PasswordUsed(_Event, frozen=True, kw_only=True, tag="security.password_used"):
    """A charger logged in with a rotation's new password (gateway): it is
    now the only one."""

    password_id: str


DomainEvent = (
    ChargerBooted
    | ConnectorStatusChanged
    | SessionStarted
    | SessionUpdated
    | SessionEnded
    | CostUpdated
    | CdrCreated
    | PasswordPending
    | PasswordDropped
    | PasswordUsed
)

_decoder = msgspec.json.Decoder(DomainEvent)


def decode_event(data: bytes) -> DomainEvent:
    event: DomainEvent = _decoder.decode(data)
    return event
