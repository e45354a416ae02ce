"""The commands service's settings (``CHARGEBUS_*``; see docs/configuration.md)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from chargebus.common.apikeys import ENTRY_PATTERN
from chargebus.common.settings import Port

__all__ = ["CommandsSettings"]


class CommandsSettings(msgspec.Struct, frozen=True, kw_only=True):
    host: str = "0.0.0.0"
    #: The HTTP API, health probes and /metrics.
    api_port: Port = 8080
    #: The API keys accepted (docs/api.md): ``name:scope:keyid:sha256``
    #: entries, as ``chargebus api-key new`` prints them.
    api_keys: tuple[Annotated[str, msgspec.Meta(pattern=ENTRY_PATTERN)], ...] = ()
    #: A file of such entries, one a line (``#`` comments), read at start-up.
    api_keys_file: str | None = None
    #: How long a command's CALL may wait for the charger's answer (s).
    call_timeout: float = 30.0
    #: How long after an accepted remote_start its session must start (s).
    remote_start_window: float = 120.0
    #: How long after an accepted update_firmware the charger has to report
    #: Installed or a failure (s); past it the command is timed_out.
    firmware_window: float = 86400.0
    #: 2.x Get/SetVariables: items and bytes per message when the command
    #: doesn't give the charger's own limits.
    items_per_message: int = 20
    bytes_per_message: int = 32768
    #: The most chargers one fan-out (``command.fanout.<name>``,
    #: ``POST /v1/fanouts/{name}``) may name.
    fanout_max_chargers: int = 50000
    #: How many deliveries this service works on at once.
    prefetch: int = 200
    #: The embedded store's directory (SQLite, one file per service: commands.db).
    data_dir: str = "data"
    amqp_url: str | None = None
    redis_url: str | None = None
    mongodb_url: str | None = None
    #: Log level (DEBUG, INFO, WARNING, ERROR) and format: json (one object
    #: per line), text, or auto (text on a terminal, else json).
    log_level: str = "INFO"
    log_format: Literal["auto", "json", "text"] = "auto"
