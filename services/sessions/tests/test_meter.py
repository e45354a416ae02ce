"""Meter values of both versions become samples with normalised units."""

from __future__ import annotations

import msgspec

from chargebus.common.ocpp.v16.messages import MeterValuesRequest as MeterValues16
from chargebus.common.ocpp.v201.messages import MeterValuesRequest as MeterValues201
from chargebus.sessions.meter import samples_from


def samples(payload: dict, is_2x: bool) -> list:
    type_ = MeterValues201 if is_2x else MeterValues16
    request = msgspec.json.decode(msgspec.json.encode(payload), type=type_)
    return samples_from(
        "CP",
        request.meter_value,
        evse_id=1,
        connector_id=1,
        session_id="s",
        transaction_id="t",
        is_2x=is_2x,
    )


def test_1_6_units_are_normalised_and_defaults_filled_in() -> None:
    out = samples(
        {
            "connectorId": 1,
            "meterValue": [
                {
                    "timestamp": "2026-01-01T00:00:00Z",
                    "sampledValue": [
                        {"value": "12.5", "unit": "kWh"},
                        {"value": "3500"},
                        {
                            "value": "7.4",
                            "unit": "kW",
                            "measurand": "Power.Active.Import",
                            "phase": "L1",
                        },
                        {"value": "31", "unit": "Celsius", "measurand": "Temperature"},
                        {"value": "n/a", "unit": "Wh"},
                        {"value": "<signed blob>", "format": "SignedData"},
                    ],
                }
            ],
        },
        False,
    )
    got = [(s.measurand, s.unit, s.value, s.phase) for s in out]
    assert got == [
        ("Energy.Active.Import.Register", "Wh", 12500.0, None),
        ("Energy.Active.Import.Register", "Wh", 3500.0, None),
        ("Power.Active.Import", "W", 7400.0, "L1"),
        ("Temperature", "Celsius", 31.0, None),
        ("Energy.Active.Import.Register", "Wh", None, None),
        ("Energy.Active.Import.Register", "Wh", None, None),
    ]
    assert out[0].raw == {"value": "12.5", "unit": "kWh"}
    assert out[4].raw == {"value": "n/a", "unit": "Wh"}
    assert out[5].signed == {"signedData": "<signed blob>"}
    # one plain energy reading (three times: stored once), the signed one, power, temperature
    assert len({s.id for s in out}) == 4


def test_2_0_1_multiplier_and_unit_are_applied() -> None:
    out = samples(
        {
            "evseId": 1,
            "meterValue": [
                {
                    "timestamp": "2026-01-01T00:00:00Z",
                    "sampledValue": [
                        {"value": 12.5, "unitOfMeasure": {"unit": "kWh"}},
                        {
                            "value": 35,
                            "unitOfMeasure": {"unit": "Wh", "multiplier": 2},
                            "context": "Sample.Clock",
                        },
                        {
                            "value": 7,
                            "measurand": "Power.Active.Import",
                            "unitOfMeasure": {"unit": "kW", "multiplier": -1},
                        },
                    ],
                }
            ],
        },
        True,
    )
    assert [(s.unit, s.value) for s in out] == [("Wh", 12500.0), ("Wh", 3500.0), ("W", 700.0)]
    assert out[1].raw == {"value": 35.0, "unit": "Wh", "multiplier": 2}


def test_an_absurd_multiplier_keeps_the_value_raw_and_costs_nothing() -> None:
    out = samples(
        {
            "evseId": 1,
            "meterValue": [
                {
                    "timestamp": "2026-01-01T00:00:00Z",
                    "sampledValue": [
                        {"value": 1, "unitOfMeasure": {"unit": "Wh", "multiplier": 2**62}},
                        {"value": 1e308, "unitOfMeasure": {"unit": "kWh"}},
                    ],
                }
            ],
        },
        True,
    )
    assert [s.value for s in out] == [None, None]
    assert out[0].raw == {"value": 1.0, "unit": "Wh", "multiplier": 2**62}
