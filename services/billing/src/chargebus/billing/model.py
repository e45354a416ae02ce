"""What the billing service stores (see chargebus.common.store).

* ``tariffs``: one document per tariff id holding every version, each with
  the time it takes effect, so a session is priced with the version in
  force when it started, whenever its events are worked on.
* ``tariff_assignments``: which tariff a charger, a group or the default
  (``group:default``) has, with the same history.
* ``billed_sessions``: per charging session, what billing knows of it, the tariff
  chosen for it, its running cost, and its latest CDR.
* ``cdrs``: every CDR version; ``_id`` starts with its creation time, so
  pages by id are pages by time (OCPI filters CDRs by ``last_updated`` too).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from chargebus.common.billing import CURRENCIES, Cdr, Tariff
from chargebus.common.events import SessionEnded
from chargebus.common.store import CollectionSpec
from chargebus.common.store.documents import Outboxed, Versioned

__all__ = [
    "SCHEMA",
    "Assignment",
    "AssignmentDoc",
    "BillingSession",
    "CdrDoc",
    "Invalid",
    "TariffDoc",
    "check_tariff",
    "in_force",
]

SCHEMA: dict[str, CollectionSpec] = {
    "tariffs": CollectionSpec(),
    "tariff_assignments": CollectionSpec(),
    "billed_sessions": CollectionSpec(
        indexes=(("outbox",), ("cdr_pending",), ("cdr_unstored",), ("charger_id",))
    ),
    "cdrs": CollectionSpec(
        unique=("version_key",),
        indexes=(("latest",), ("charger_id", "latest"), ("session_id",)),
    ),
}


class Invalid(Exception):
    """A tariff or an assignment that can't be used (the message says why)."""


class TariffDoc(Versioned, kw_only=True):
    #: Oldest first; each has its valid_from.
    versions: list[Tariff]
    updated_at: float


class Assignment(msgspec.Struct, kw_only=True, omit_defaults=True):
    valid_from: datetime
    tariff_id: str | None = None
    #: A charger's group (charger assignments only).
    group: str | None = None


class AssignmentDoc(Versioned, kw_only=True):
    """``_id``: charger:<id> or group:<name> (group:default is the default)."""

    history: list[Assignment]
    updated_at: float


_T = TypeVar("_T", Tariff, Assignment)


def in_force(history: list[_T], at: float) -> _T | None:
    """The entry in force at ``at``: the latest to take effect by then."""
    found = None
    for entry in history:  # sorted by valid_from
        assert entry.valid_from is not None
        if entry.valid_from.timestamp() <= at:
            found = entry
        else:
            break
    return found


_SIX_PLACES = Decimal("0.000001")


def check_tariff(tariff: Tariff) -> None:
    """What the types can't say; raises :class:`Invalid` naming the field."""
    if tariff.currency not in CURRENCIES:
        raise Invalid(f"currency: {tariff.currency!r} is not an ISO 4217 currency code")
    try:
        ZoneInfo(tariff.timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise Invalid(f"timezone: {tariff.timezone!r} is not an IANA time zone") from None
    if not tariff.vat_rate.is_finite() or not 0 <= tariff.vat_rate <= 100:
        raise Invalid("vat_rate: a percentage, 0 to 100")
    amounts: list[tuple[str, Decimal | None]] = [
        ("energy_price", tariff.energy_price),
        ("time_price", tariff.time_price),
        ("idle_price", tariff.idle_price),
        ("session_fee", tariff.session_fee),
        ("min_price", tariff.min_price),
        ("max_price", tariff.max_price),
    ]
    for n, band in enumerate(tariff.bands):
        amounts += [
            (f"bands[{n}].energy_price", band.energy_price),
            (f"bands[{n}].time_price", band.time_price),
            (f"bands[{n}].idle_price", band.idle_price),
        ]
        if len(set(band.days)) != len(band.days):
            raise Invalid(f"bands[{n}].days: a day given twice")
    for name, amount in amounts:
        if amount is None:
            continue
        if not amount.is_finite() or amount < 0 or amount > 10**9:
            raise Invalid(f"{name}: a price from 0 to 1,000,000,000")
        if amount != amount.quantize(_SIX_PLACES):
            raise Invalid(f"{name}: at most six decimal places")
    if (
        tariff.min_price is not None
        and tariff.max_price is not None
        and tariff.min_price > tariff.max_price
    ):
        raise Invalid("min_price: more than max_price")


class BillingSession(Outboxed, kw_only=True):
    charger_id: str
    transaction_id: str
    evse_id: int = 0
    connector_id: int = 0
    protocol: str | None = None
    id_token: str | None = None
    remote_start_id: int | None = None
    started_at: float | None = None
    meter_start_wh: float | None = None
    #: Readings from session.updated (time, Wh), for the running cost.
    points: list[tuple[float, float]] = msgspec.field(default_factory=list)
    idle_since: float | None = None
    energy_wh: float | None = None
    #: The occurred_at of the latest session.updated applied.
    updated_seen: float | None = None
    #: The tariff version in force at ``tariff_for`` (the session's start),
    #: and how it was found: charger, group:<name>, default; None: no tariff.
    tariff: Tariff | None = None
    tariff_via: str | None = None
    tariff_for: float | None = None
    #: billing.cost_updated: how many, when (our clock), the last total.
    cost_seq: int = 0
    cost_sent_at: float | None = None
    cost_sent: Decimal | None = None
    #: The latest session.ended revision.
    ended: SessionEnded | None = None
    #: A CDR (version) is due at cdr_due_at; the latest is cdr, its
    #: document not yet written when cdr_unstored.
    cdr_pending: bool = False
    cdr_due_at: float | None = None
    cdr: Cdr | None = None
    #: Why the latest session.ended couldn't be priced (a meter reading
    #: beyond reason); the next revision tries again.
    cdr_error: str | None = None
    cdr_digest: str | None = None
    cdr_unstored: bool = False
    created_at: float
    updated_at: float


class CdrDoc(msgspec.Struct, kw_only=True):
    id: str = msgspec.field(name="_id")
    v: int = msgspec.field(name="_v", default=0)
    #: session id and version: one document per version, whatever happens.
    version_key: str
    session_id: str
    charger_id: str
    version: int
    #: The highest version of its session.
    latest: bool = True
    created_at: float
    cdr: Cdr
