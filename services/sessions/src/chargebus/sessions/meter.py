"""Meter values of both versions as :class:`Sample` documents, units
normalised (kWh to Wh, kW to W, and the 2.x ``multiplier``)."""

from __future__ import annotations

import hashlib
from typing import Any

from msgspec import UNSET

from chargebus.sessions.model import Sample

__all__ = ["ENERGY", "POWER", "samples_from"]

ENERGY = "Energy.Active.Import.Register"
POWER = "Power.Active.Import"

# unit -> (normalised unit, factor)
_UNITS = {
    "Wh": ("Wh", 1.0),
    "kWh": ("Wh", 1000.0),
    "W": ("W", 1.0),
    "kW": ("W", 1000.0),
    "varh": ("varh", 1.0),
    "kvarh": ("varh", 1000.0),
    "var": ("var", 1.0),
    "kvar": ("var", 1000.0),
    "VA": ("VA", 1.0),
    "kVA": ("VA", 1000.0),
    "VAh": ("VAh", 1.0),
    "kVAh": ("VAh", 1000.0),
}


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
                number: float | None = float(sampled.value) * (10.0**multiplier)
                if multiplier:
                    raw = {"value": sampled.value, "unit": unit, "multiplier": multiplier}
                signed_value = _opt(sampled.signed_meter_value)
                if signed_value is not None:
                    signed = {
                        "signedMeterData": signed_value.signed_meter_data,
                        "signingMethod": signed_value.signing_method,
                        "encodingMethod": signed_value.encoding_method,
                        "publicKey": signed_value.public_key,
                    }
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
            normalised, factor = _UNITS.get(unit, (unit, 1.0))
            if number is not None and factor != 1.0:
                number *= factor
                raw = raw or {"value": sampled.value, "unit": unit}
            samples.append(
                Sample(
                    id=_key(
                        charger_id,
                        transaction_id,
                        evse_id,
                        connector_id,
                        at,
                        measurand,
                        phase,
                        location,
                        context,
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
