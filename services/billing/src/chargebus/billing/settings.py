"""The billing service's settings (``CHARGEBUS_*``; see docs/configuration.md)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from chargebus.common.apikeys import ENTRY_PATTERN
from chargebus.common.settings import Port

__all__ = ["BillingSettings"]


class BillingSettings(msgspec.Struct, frozen=True, kw_only=True):
    host: str = "0.0.0.0"
    #: The HTTP API, health probes and /metrics.
    api_port: Port = 8080
    #: The API keys accepted (docs/api.md): ``name:scope:keyid:sha256``
    #: entries, as ``chargebus api-key new`` prints them.
    api_keys: tuple[Annotated[str, msgspec.Meta(pattern=ENTRY_PATTERN)], ...] = ()
    #: A file of such entries, one a line (``#`` comments), read at start-up.
    api_keys_file: str | None = None
    #: The currency of CDRs for sessions that started with no tariff in force
    #: (they cost nothing; the CDR says why).
    currency: str = "EUR"
    #: billing.cost_updated for a session at most this often (s).
    cost_update_interval: float = 60.0
    #: Wait this long after a session ends before making its CDR (s), so
    #: messages a charger sends in a burst after reconnecting land in the
    #: first version rather than in corrections.  0: at once.
    cdr_delay: float = 5.0
    #: Show the running cost on 2.0.1 and 2.1 chargers (CostUpdated), each
    #: time billing.cost_updated is published.  Off: many chargers don't
    #: support it, and a price on a display is a promise.
    show_cost_on_charger: bool = False
    #: How many deliveries this service works on at once.
    prefetch: int = 200
    #: The embedded store's directory (SQLite, one file per service: billing.db).
    data_dir: str = "data"
    amqp_url: str | None = None
    mongodb_url: str | None = None
    #: Log level (DEBUG, INFO, WARNING, ERROR) and format: json (one object
    #: per line), text, or auto (text on a terminal, else json).
    log_level: str = "INFO"
    log_format: Literal["auto", "json", "text"] = "auto"
