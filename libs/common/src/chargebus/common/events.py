"""Domain events on ``chargebus.events`` (routing key = the event's type).

Published by the sessions service for the commands and billing services and
for outside systems.  Every event has an ``event_id`` that is the same each
time the same fact is published, so a consumer that sees it twice (the bus
delivers at least once) can drop the copy.  Times are seconds since the
epoch, UTC.
"""

from __future__ import annotations

import msgspec

__all__ = [
    "ChargerBooted",
    "ConnectorStatusChanged",
    "DomainEvent",
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
    remote_start_id: int | None = None


class SessionStarted(_SessionEvent, frozen=True, kw_only=True, tag="session.started"):
    started_at: float
    meter_start_wh: float | None = None
    id_token_status: str | None = None


class SessionUpdated(_SessionEvent, frozen=True, kw_only=True, tag="session.updated"):
    energy_wh: float | None = None
    meter_wh: float | None = None
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


DomainEvent = (
    ChargerBooted | ConnectorStatusChanged | SessionStarted | SessionUpdated | SessionEnded
)

_decoder = msgspec.json.Decoder(DomainEvent)


def decode_event(data: bytes) -> DomainEvent:
    event: DomainEvent = _decoder.decode(data)
    return event
