"""What the sessions service stores: chargers, id tokens, sessions, meter
samples, reports and the audit log.  One model across OCPP versions.

Documents are these Structs as builtins (``msgspec.to_builtins``); times are
seconds since the epoch, UTC (the API renders them as RFC 3339).  ``_v`` is
the document's version for compare-and-set writes; ``events`` is the
document's outbox: domain events written in the same write as the change
they describe and removed once the broker has confirmed them.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from chargebus.common.security import Credentials
from chargebus.common.store.documents import Outboxed, from_doc, to_doc

__all__ = [
    "AuditEntry",
    "Charger",
    "Connector",
    "IdToken",
    "Presence",
    "Record",
    "Sample",
    "Session",
    "UploadState",
    "from_doc",
    "normalise_token",
    "to_doc",
]

Registration = Literal["Accepted", "Pending", "Rejected"]
SessionStatus = Literal["active", "ended", "reconciliation"]


class Connector(msgspec.Struct, kw_only=True):
    """An EVSE's connector.  A 1.6 connector N is EVSE N, connector 1; 1.6
    connector 0 (the whole charge point) is EVSE 0, connector 0."""

    evse_id: int
    connector_id: int
    status: str
    error_code: str | None = None
    info: str | None = None
    vendor_error_code: str | None = None
    #: The charger's time of the status (receipt time when it gave none).
    status_at: float
    received_at: float


class UploadState(msgspec.Struct, kw_only=True):
    """Progress of a firmware update or a log/diagnostics upload."""

    status: str
    request_id: int | None = None
    at: float


class Charger(Outboxed, kw_only=True):
    registration: Registration
    protocol: str | None = None
    vendor: str | None = None
    model: str | None = None
    serial_number: str | None = None
    firmware_version: str | None = None
    iccid: str | None = None
    imsi: str | None = None
    meter_type: str | None = None
    meter_serial_number: str | None = None
    boot_reason: str | None = None
    created_at: float
    booted_at: float | None = None
    #: The last BootNotification applied (message id and receipt time), so a
    #: redelivered one changes nothing.
    last_boot: str | None = None
    connectors: list[Connector] = msgspec.field(default_factory=list)
    firmware: UploadState | None = None
    logs: UploadState | None = None
    #: Security profile and salted password hashes (docs/security.md);
    #: None: none recorded (let in only while the gateways' minimum profile
    #: is 0).
    credentials: Credentials | None = None
    updated_at: float


class Presence(msgspec.Struct, kw_only=True):
    """Last seen, kept apart from the charger document and written in
    batches: a heartbeat costs no database write."""

    id: str = msgspec.field(name="_id")
    last_seen: float
    protocol: str
    #: The charger's clock minus ours, from its latest timestamped live message.
    clock_skew_s: float | None = None


class IdToken(msgspec.Struct, kw_only=True):
    id: str = msgspec.field(name="_id")  # normalise_token(token)
    token: str
    status: Literal["Accepted", "Blocked", "Expired", "Invalid"]
    type: str | None = None  # 2.x idToken type; None matches any
    expires_at: float | None = None
    group: str | None = None  # parent idTag (1.6) / groupIdToken (2.x)
    updated_at: float


def normalise_token(token: str) -> str:
    """Id tokens are case-insensitive (1.6 CiString20, 2.0.1 IdTokenType)."""
    return token.casefold()


#: The meter profile keeps one reading per this many seconds.
PROFILE_BUCKET_S = 300


class Session(Outboxed, kw_only=True):
    charger_id: str
    protocol: str
    evse_id: int | None = None
    connector_id: int | None = None
    #: The charger's transaction id (1.6: ours, as a string).
    transaction_id: str
    tx_key: str
    start_key: str
    id_token: str | None = None
    id_token_type: str | None = None
    #: What the CSMS answered for the token when the session started.
    id_token_status: str | None = None
    status: SessionStatus = "active"
    started_at: float | None = None
    ended_at: float | None = None
    meter_start_wh: float | None = None
    meter_start_at: float | None = None
    #: Where the start reading came from: start (1.6 meterStart), begin (a
    #: Transaction.Begin reading) or reading (the earliest other reading).
    meter_start_source: str | None = None
    meter_last_wh: float | None = None
    meter_last_at: float | None = None
    #: The stop reading: the 1.6 meterStop, else a Transaction.End reading,
    #: else (once ended) the last reading.  Derived from the fields below.
    meter_stop_wh: float | None = None
    meter_end_wh: float | None = None
    meter_end_at: float | None = None
    meter_end_source: str | None = None  # stop (1.6 meterStop) or end (a reading)
    energy_wh: float | None = None
    power_w: float | None = None
    power_at: float | None = None
    stop_reason: str | None = None
    remote_start_id: int | None = None
    reservation_id: int | None = None
    #: Any of its messages was queued while the charger was offline.
    offline: bool = False
    #: 2.x: TransactionEvent seqNos merged so far; whether Started/Ended were seen.
    seq_nos: list[int] = msgspec.field(default_factory=list)
    started_seen: bool = False
    ended_seen: bool = False
    charging_state: str | None = None
    #: The seqNo that set charging_state (the highest wins).
    charging_state_seq: int | None = None
    #: The charging states reported with their times (the charger's clock),
    #: as [time, state]: 2.x chargingState, 1.6 connector statuses while the
    #: session is active.  A set: the order they arrive in doesn't matter.
    charging_states: list[tuple[float, str]] = msgspec.field(default_factory=list)
    #: When the car stopped charging for good (idle time starts), derived
    #: from charging_states; None while charging or when nobody said.
    idle_since: float | None = None
    #: The energy register over time, for pricing by time of day: per
    #: PROFILE_BUCKET_S of the charger's clock, the earliest reading, as
    #: [time, Wh].  Order-independent, like everything merged into a session.
    meter_profile: list[tuple[float, float]] = msgspec.field(default_factory=list)
    #: session.ended is published again (revision 2, 3, ...) when an ended
    #: session changes after all (late readings, a late start); the digest of
    #: the last one published tells whether it did.
    ended_revision: int = 0
    ended_digest: str | None = None
    #: Why the session needs a person to look at it.
    notes: list[str] = msgspec.field(default_factory=list)
    updated_event_at: float | None = None
    created_at: float
    updated_at: float


class Sample(msgspec.Struct, kw_only=True):
    """One sampled value; ``_id`` is its natural key, so the same reading
    stored twice is stored once."""

    id: str = msgspec.field(name="_id")
    charger_id: str
    session_id: str | None = None
    transaction_id: str | None = None
    evse_id: int
    connector_id: int | None = None
    timestamp: float
    measurand: str
    phase: str | None = None
    location: str | None = None
    context: str | None = None
    #: Normalised: Wh, varh, W, var, VA, VAh (kilo- units scaled);
    #: others as the charger sent them.
    unit: str | None = None
    value: float | None = None
    #: What the charger sent, when it differs (unit, multiplier) or can't be
    #: read as a number (1.6 SignedData).
    raw: dict[str, Any] | None = None
    signed: dict[str, Any] | None = None


class Record(msgspec.Struct, kw_only=True):
    """Something a charger reported that isn't a session: firmware and log
    status, security events, reports, data transfers."""

    id: str = msgspec.field(name="_id")
    charger_id: str
    kind: str  # the OCPP action
    at: float
    data: dict[str, Any]


class AuditEntry(msgspec.Struct, kw_only=True, omit_defaults=True):
    """An OCPP message received, and the answer when the CSMS decided it."""

    id: str = msgspec.field(name="_id")  # receipt time first: pages in time order
    charger_id: str
    at: float
    direction: Literal["in"] = "in"
    protocol: str
    action: str
    message_id: str
    payload: Any
    answer: Any = None
    error: str | None = None
    forgiven: list[str] = msgspec.field(default_factory=list)
