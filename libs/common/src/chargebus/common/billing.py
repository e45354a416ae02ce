"""Billing's wire types: tariffs and charge detail records (CDRs).

Shared because they travel: tariffs over the HTTP API, CDRs over HTTP and in
``billing.cdr_created`` on ``chargebus.events``.  The billing service does
the pricing (chargebus.billing.pricing); docs/billing.md explains the rules.

Money is exact: :class:`~decimal.Decimal` in code, a decimal string in JSON
(``"12.35"``), so no client's float parsing changes an amount.  Input may
give a JSON number too; it is read from its text, exactly.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

import msgspec

__all__ = [
    "CURRENCIES",
    "DAYS",
    "Band",
    "Cdr",
    "CdrDimension",
    "CdrLocation",
    "CdrToken",
    "ChargingPeriod",
    "Price",
    "Tariff",
    "minor_unit",
]

Day = Literal["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
DAYS: tuple[Day, ...] = (
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
    "SUNDAY",
)

#: A price (checked by the billing service: at least zero, at most six
#: decimal places).
Amount = Decimal
#: "HH:MM", local time in the tariff's time zone; "24:00" ends a day.
Clock = Annotated[str, msgspec.Meta(pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]

#: ISO 4217 active currency codes with their minor unit (decimal places)
#: where it isn't 2.
_EXPONENT_0 = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF"
_EXPONENT_3 = "BHD IQD JOD KWD LYD OMR TND"
_EXPONENT_2 = (
    "AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP "
    "BYN BZD CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP "
    "GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW "
    "KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR "
    "MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR "
    "SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS "
    "UAH USD UYU UZS VES WST XCD XCG YER ZAR ZMW ZWG ANG"
)
CURRENCIES: dict[str, int] = {
    **{c: 2 for c in _EXPONENT_2.split()},
    **{c: 0 for c in _EXPONENT_0.split()},
    **{c: 3 for c in _EXPONENT_3.split()},
}


def minor_unit(currency: str) -> Decimal:
    """The currency's smallest unit: Decimal("0.01") for EUR, ("1") for JPY."""
    return Decimal(1).scaleb(-CURRENCIES[currency])


class Band(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """Prices for a time of day on some days of the week, in the tariff's
    time zone.  A band whose end is at or before its start runs past
    midnight into the next day, and belongs to the day it starts on
    (FRIDAY 22:00 to 06:00 covers Saturday 02:00).  A price the band
    doesn't give is the tariff's own."""

    start: Clock = "00:00"
    end: Clock = "24:00"
    #: The days it starts on; none given: every day.
    days: list[Day] = msgspec.field(default_factory=list)
    energy_price: Amount | None = None
    time_price: Amount | None = None
    idle_price: Amount | None = None


class Tariff(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """What a session costs.  Prices exclude VAT; ``vat_rate`` is a percentage."""

    id: str = ""
    name: str | None = None
    currency: Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{3}$")]
    vat_rate: Decimal = Decimal(0)
    #: Per kWh delivered.
    energy_price: Amount = Decimal(0)
    #: Per minute of charging: from the start until the car stops charging
    #: for good (pauses included).
    time_price: Amount = Decimal(0)
    #: Per minute the car stays after it stopped charging, past the grace period.
    idle_price: Amount = Decimal(0)
    idle_grace_minutes: Annotated[int, msgspec.Meta(ge=0, le=10080)] = 0
    #: Once per session.
    session_fee: Amount = Decimal(0)
    #: The total (before VAT) is at least / at most this.
    min_price: Amount | None = None
    max_price: Amount | None = None
    #: The IANA time zone the bands' times are in.
    timezone: str = "UTC"
    #: Earlier bands win where two overlap.
    bands: Annotated[list[Band], msgspec.Meta(max_length=50)] = msgspec.field(default_factory=list)
    #: When this version takes effect (now, when a PUT doesn't say).
    valid_from: datetime | None = None


class Price(msgspec.Struct, kw_only=True):
    excl_vat: Decimal
    incl_vat: Decimal


class CdrDimension(msgspec.Struct, kw_only=True):
    #: ENERGY (kWh), TIME (hours charging), PARKING_TIME (hours idle).
    type: Literal["ENERGY", "TIME", "PARKING_TIME"]
    volume: Decimal


class ChargingPeriod(msgspec.Struct, kw_only=True):
    """A stretch of the session with the same prices (OCPI's CdrPeriod), and
    what it cost before VAT (chargebus's addition: every amount checkable)."""

    start_date_time: datetime
    dimensions: list[CdrDimension]
    tariff_id: str | None = None
    #: charging, grace (idle, not yet charged for) or idle.
    state: Literal["charging", "grace", "idle"] = "charging"
    #: The band in force (its index in the tariff's bands), if any.
    band: int | None = None
    cost_excl_vat: Decimal = Decimal(0)


class CdrToken(msgspec.Struct, kw_only=True):
    uid: str
    #: OCPI token type: RFID, APP_USER, AD_HOC_USER, OTHER.
    type: str
    contract_id: str


class CdrLocation(msgspec.Struct, kw_only=True):
    """Where it happened, as far as the CSMS knows it (OCPI's CdrLocation
    adds the site's address, which belongs to an OCPI module)."""

    charger_id: str
    evse_uid: str
    evse_id: int
    connector_id: int


class Cdr(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A charge detail record, after OCPI 2.2.1's CDR: the same field names
    and units (kWh, hours, prices with and without VAT).  A correction is a
    new ``version`` of the same ``id``; every version is kept."""

    id: str
    version: int
    session_id: str
    charger_id: str
    transaction_id: str
    start_date_time: datetime
    end_date_time: datetime
    cdr_token: CdrToken | None = None
    #: AUTH_REQUEST (a token the CSMS authorised), COMMAND (a remote start).
    auth_method: str
    authorization_reference: str | None = None
    cdr_location: CdrLocation
    currency: str
    #: The tariff used (the version in force when the session started).
    tariffs: list[Tariff] = msgspec.field(default_factory=list)
    charging_periods: list[ChargingPeriod] = msgspec.field(default_factory=list)
    total_cost: Price
    total_fixed_cost: Price | None = None
    total_energy: Decimal
    total_energy_cost: Price | None = None
    total_time: Decimal
    total_time_cost: Price | None = None
    total_parking_time: Decimal | None = None
    total_parking_cost: Price | None = None
    #: ended, or reconciliation (the session's start was never seen).
    session_status: str = "ended"
    remark: str | None = None
    last_updated: datetime
