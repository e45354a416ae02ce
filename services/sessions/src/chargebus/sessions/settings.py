"""The sessions service's settings (``CHARGEBUS_*``; see docs/configuration.md)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from chargebus.common.apikeys import ENTRY_PATTERN
from chargebus.common.settings import Port

__all__ = ["SessionsSettings"]


class SessionsSettings(msgspec.Struct, frozen=True, kw_only=True):
    host: str = "0.0.0.0"
    #: The HTTP API, health probes and /metrics.
    api_port: Port = 8080
    #: The API keys accepted (docs/api.md): ``name:scope:keyid:sha256``
    #: entries, as ``chargebus api-key new`` prints them.
    api_keys: tuple[Annotated[str, msgspec.Meta(pattern=ENTRY_PATTERN)], ...] = ()
    #: A file of such entries, one a line (``#`` comments), read at start-up.
    api_keys_file: str | None = None
    #: What a BootNotification from a charger the CSMS doesn't know gets:
    #: accept (register it, with a warning in the log), pending (register it
    #: and wait for an operator) or reject.  Default: accept in the embedded
    #: mode, reject when MongoDB is configured.
    unknown_chargers: Literal["accept", "pending", "reject"] | None = None
    #: 1.6 charger models that send their AuthorizationKey as hex text in
    #: the Basic header, as ``vendor/model`` (case-insensitive, as in their
    #: BootNotification): their chargers are let in with either form.
    hex_key_models: tuple[str, ...] = ()
    #: Heartbeat interval given to accepted chargers (s).
    heartbeat_interval: int = 300
    #: When a Pending or Rejected charger may boot again (s).
    boot_retry_interval: int = 60
    #: A charger clock further off than this is flagged (s).
    clock_skew_tolerance: float = 60.0
    #: Keep the audit log of received OCPP messages this many days.
    audit_retention_days: float = 90.0
    #: At most one session.updated event per session in this many seconds.
    session_update_interval: float = 60.0
    #: How often last-seen times are written, in one batch (s).
    presence_flush_interval: float = 15.0
    #: How many messages this service works on at once.
    prefetch: int = 200
    #: The embedded store's directory (SQLite, one file per service: sessions.db).
    data_dir: str = "data"
    amqp_url: str | None = None
    redis_url: str | None = None
    mongodb_url: str | None = None
    #: Log level (DEBUG, INFO, WARNING, ERROR) and format: json (one object
    #: per line), text, or auto (text on a terminal, else json).
    log_level: str = "INFO"
    log_format: Literal["auto", "json", "text"] = "auto"

    @property
    def unknown_charger_policy(self) -> str:
        if self.unknown_chargers is not None:
            return self.unknown_chargers
        return "reject" if self.mongodb_url else "accept"
