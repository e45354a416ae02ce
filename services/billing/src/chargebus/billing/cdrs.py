"""A session's charge detail record and its versions: pure, clock given.

Rules:

* A CDR is made from the latest ``session.ended`` revision and the tariff in
  force at the session's start (:func:`build_cdr`).
* A later revision makes a new version of the same CDR only when the CDR
  comes out different (its facts, version and time aside, are compared by
  digest); otherwise nothing is published (:func:`issue_cdr`).
* A version is made only once the one before it is written
  (``cdr_unstored``), so versions never skip and one stays the latest.
* A session that can't be priced (a meter reading beyond reason) keeps the
  reason in ``cdr_error``; one bad session never holds up the rest.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, NamedTuple

import msgspec

from chargebus.billing.model import BillingSession, CdrDoc
from chargebus.billing.pricing import Usage, price, tidy
from chargebus.common.billing import Cdr, CdrLocation, CdrToken, Price, Tariff
from chargebus.common.events import CdrCreated, SessionEnded

__all__ = ["CdrIssue", "build_cdr", "cdr_document", "issue_cdr", "mark_written", "token_of"]

_KWH = Decimal("0.000001")
_HOURS = Decimal("0.000001")
#: 2.x idToken types (and 1.6 tags) to OCPI token types.
_TOKEN_TYPES = {
    "ISO14443": "RFID",
    "ISO15693": "RFID",
    "Central": "APP_USER",
    "eMAID": "APP_USER",
    "MacAddress": "OTHER",
    "KeyCode": "OTHER",
    "Local": "OTHER",
    "NoAuthorization": "AD_HOC_USER",
}


class CdrIssue(NamedTuple):
    session: BillingSession
    #: The new version's event (None: no new version: the same CDR again,
    #: or the session can't be priced, see ``session.cdr_error``).
    created: CdrCreated | None


def _time(at: float) -> datetime:
    return datetime.fromtimestamp(at, UTC)


def _digest(value: Any) -> str:
    return hashlib.sha1(msgspec.json.encode(value, order="sorted")).hexdigest()


def issue_cdr(session: BillingSession | None, now: float, currency: str) -> CdrIssue | None:
    """The due CDR made: the session changed and the ``billing.cdr_created``
    to publish; None when no CDR is due, or the one before is unwritten (the
    sweep writes it, then makes this one)."""
    if session is None or not session.cdr_pending or session.ended is None or session.cdr_unstored:
        return None
    session.cdr_pending = False
    session.cdr_due_at = None
    session.cdr_error = None
    try:
        cdr = build_cdr(session, now, currency)
    except (ArithmeticError, ValueError) as exc:
        session.cdr_error = f"can't be priced: {exc!r}"
        return CdrIssue(session, None)
    facts = msgspec.to_builtins(cdr)
    for varying in ("version", "last_updated"):
        facts.pop(varying, None)
    digest = _digest(facts)
    if digest == session.cdr_digest:
        return CdrIssue(session, None)
    session.cdr = cdr
    session.cdr_digest = digest
    session.cdr_unstored = True
    session.updated_at = now
    created = CdrCreated(
        event_id=f"{session.id}:cdr:{cdr.version}",
        charger_id=session.charger_id,
        occurred_at=now,
        session_id=session.id,
        cdr_id=cdr.id,
        version=cdr.version,
        cdr=cdr,
    )
    return CdrIssue(session, created)


def cdr_document(session: BillingSession, now: float) -> CdrDoc:
    """The document of the session's latest CDR version.  Its ``_id`` starts
    with the time it is written, so a client paging ``/v1/cdrs`` by time
    sees a late-written version after the ones it has seen, not before."""
    cdr = session.cdr
    assert cdr is not None
    return CdrDoc(
        id=f"{int(now * 1000):012x}-{session.id}-{cdr.version}",
        version_key=f"{session.id}:{cdr.version}",
        session_id=session.id,
        charger_id=session.charger_id,
        version=cdr.version,
        created_at=now,
        cdr=cdr,
    )


def mark_written(session: BillingSession | None, version: int) -> BillingSession | None:
    """The session once its CDR ``version`` is written; None when that is
    no longer its pending write (another replica or the sweep did it)."""
    if (
        session is None
        or session.cdr is None
        or session.cdr.version != version
        or not session.cdr_unstored
    ):
        return None
    session.cdr_unstored = False
    return session


def token_of(ended: SessionEnded) -> CdrToken | None:
    if not ended.id_token:
        return None
    if ended.id_token_type is not None:
        kind = _TOKEN_TYPES.get(ended.id_token_type, "OTHER")
    else:  # 1.6: an RFID card, unless an app started it
        kind = "APP_USER" if ended.remote_start_id is not None else "RFID"
    return CdrToken(uid=ended.id_token, type=kind, contract_id=ended.id_token)


def build_cdr(session: BillingSession, now: float, currency: str) -> Cdr:
    """The next CDR version of an ended session; ``currency`` is for a
    session without a tariff (it costs nothing; the remark says why).
    Raises ArithmeticError or ValueError when it can't be priced."""
    ended = session.ended
    assert ended is not None
    started_at = ended.started_at if ended.started_at is not None else ended.ended_at
    meter: list[tuple[float, Decimal]] = []
    remarks: list[str] = []
    if ended.meter_start_wh is not None and ended.meter_stop_wh is not None:
        meter.append((started_at, Decimal(repr(ended.meter_start_wh))))
        meter += [
            (t, Decimal(repr(v))) for t, v in ended.meter_profile if started_at < t < ended.ended_at
        ]
        meter.append((ended.ended_at, Decimal(repr(ended.meter_stop_wh))))
    elif ended.energy_wh is not None:
        meter = [(started_at, Decimal(0)), (ended.ended_at, Decimal(repr(ended.energy_wh)))]
    if ended.status == "reconciliation":
        remarks.append("the session's start was never seen: priced on what is known")
    tariff = session.tariff or Tariff(currency=currency)
    if session.tariff is None:
        remarks.append("no tariff was in force when the session started")
    usage = Usage(
        started_at=started_at,
        ended_at=ended.ended_at,
        meter=tuple(meter),
        idle_since=ended.idle_since,
    )
    priced = price(tariff, usage)
    remarks += priced.remarks
    version = (session.cdr.version + 1) if session.cdr is not None else 1

    def part(amount: Decimal) -> Price | None:
        return priced.part(tariff, amount) if amount else None

    return Cdr(
        id=session.id,
        version=version,
        session_id=session.id,
        charger_id=session.charger_id,
        transaction_id=ended.transaction_id,
        start_date_time=_time(started_at),
        end_date_time=_time(ended.ended_at),
        cdr_token=token_of(ended),
        auth_method="COMMAND" if ended.remote_start_id is not None else "AUTH_REQUEST",
        authorization_reference=(
            str(ended.remote_start_id) if ended.remote_start_id is not None else None
        ),
        cdr_location=CdrLocation(
            charger_id=session.charger_id,
            evse_uid=f"{session.charger_id}*{ended.evse_id}",
            evse_id=ended.evse_id,
            connector_id=ended.connector_id,
        ),
        currency=tariff.currency,
        tariffs=[session.tariff] if session.tariff is not None else [],
        charging_periods=priced.periods,
        total_cost=priced.total,
        total_fixed_cost=part(priced.fixed_cost),
        total_energy=tidy(priced.energy_kwh, _KWH),
        total_energy_cost=part(priced.energy_cost),
        total_time=tidy(priced.charging_hours + priced.idle_hours, _HOURS),
        total_time_cost=part(priced.time_cost),
        total_parking_time=tidy(priced.idle_hours, _HOURS) if priced.idle_hours else None,
        total_parking_cost=part(priced.idle_cost),
        session_status=ended.status,
        remark="; ".join(remarks) or None,
        last_updated=_time(now),
    )
