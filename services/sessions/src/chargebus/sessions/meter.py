"""Meter values of both versions as :class:`Sample` documents, units
normalised (kWh to Wh, kW to W, and the 2.x ``multiplier``)."""

from __future__ import annotations

import hashlib
import math
from typing import Any

import msgspec
from msgspec import UNSET

from chargebus.sessions.model import Sample

__all__ = ["ENERGY", "POWER", "samples_from"]

ENERGY = "Energy.Active.Import.Register"
POWER = "Power.Active.Import"

# unit -> (normalised unit, power of ten)
_UNITS = {
    "kWh": ("Wh", 3),
    "kW": ("W", 3),
    "kvarh": ("varh", 3),
    "kvar": ("var", 3),
    "kVA": ("VA", 3),
    "kVAh": ("VAh", 3),
}


#: A unit multiplier beyond this is no meter's (and 10**huge would take
#: forever): the value is kept raw, not as a number.
_MAX_EXPONENT = 24


def _scaled(value: float, exponent: int) -> float | None:
    """value x 10^exponent without binary noise (7 x 10^-1 x 10^3 is 700)."""
    if abs(exponent) > _MAX_EXPONENT:
        return None
    if exponent >= 0:
        return value * float(10**exponent)
    return value / float(10**-exponent)


def _opt(value: Any) -> Any:
    return None if value is UNSET else value


def _key(*parts: object) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()


def samples_from(
    charger_id: str,
    meter_values: Any,
    *,
    evse_id: int,
    connector_id: int | None,
    session_id: str | None,
    transaction_id: str | None,
    is_2x: bool,
) -> list[Sample]:
    """``meter_values``: the request's MeterValue objects (1.6) or
    MeterValueType objects (2.x), as decoded."""
    samples: list[Sample] = []
    for meter_value in meter_values or ():
        at = meter_value.timestamp.timestamp()
        for sampled in meter_value.sampled_value:
            measurand = _opt(sampled.measurand) or ENERGY
            phase = _opt(sampled.phase)
            location = _opt(sampled.location)
            context = _opt(sampled.context)
            raw: dict[str, Any] | None = None
            signed: dict[str, Any] | None = None
            if is_2x:
                uom = _opt(sampled.unit_of_measure)
                unit = (_opt(uom.unit) if uom else None) or "Wh"
                multiplier = (_opt(uom.multiplier) if uom else None) or 0
                number: float | None = float(sampled.value)
                if multiplier:
                    raw = {"value": sampled.value, "unit": unit, "multiplier": multiplier}
                signed_value = _opt(sampled.signed_meter_value)
                if signed_value is not None:  # wire names, unset fields left out
                    signed = msgspec.to_builtins(signed_value)
            else:
                unit = _opt(sampled.unit) or "Wh"
                if _opt(sampled.format) == "SignedData":
                    number = None
                    signed = {"signedData": sampled.value}
                else:
                    try:
                        number = float(sampled.value)
                    except ValueError:
                        number = None
                    if (
                        number is None
                        or number != number
                        or number
                        in (
                            float("inf"),
                            float("-inf"),
                        )
                    ):
                        number = None
                        raw = {"value": sampled.value, "unit": unit}
            normalised, exponent = _UNITS.get(unit, (unit, 0))
            if is_2x:
                exponent += multiplier
            if number is not None and exponent:
                number = _scaled(number, exponent)
                raw = raw or {"value": sampled.value, "unit": unit}
            if number is not None and not math.isfinite(number):
                number = None
                raw = raw or {"value": sampled.value, "unit": unit}
            samples.append(
                Sample(
                    # A transaction's readings are its own whichever EVSE the
                    # message named (2.x events name it once, so it can't be
                    # part of the key: messages are merged in any order).
                    id=_key(
                        charger_id,
                        transaction_id,
                        None if transaction_id is not None else evse_id,
                        None if transaction_id is not None else connector_id,
                        at,
                        measurand,
                        phase,
                        location,
                        context,
                        # a signed reading next to the plain one (Eichrecht) is kept too
                        signed is not None and not is_2x,
                    ),
                    charger_id=charger_id,
                    session_id=session_id,
                    transaction_id=transaction_id,
                    evse_id=evse_id,
                    connector_id=connector_id,
                    timestamp=at,
                    measurand=measurand,
                    phase=phase,
                    location=location,
                    context=context,
                    unit=normalised,
                    value=number,
                    raw=raw,
                    signed=signed,
                )
            )
    return samples


def register_readings(samples: list[Sample]) -> list[Sample]:
    """The whole-meter energy register readings (no phase), in Wh."""
    return [
        s
        for s in samples
        if s.measurand == ENERGY
        and s.phase is None
        and s.value is not None
        and s.unit == "Wh"
        and s.location in (None, "Outlet")
    ]


def power_readings(samples: list[Sample]) -> list[Sample]:
    return [
        s
        for s in samples
        if s.measurand == POWER and s.phase is None and s.value is not None and s.unit == "W"
    ]
