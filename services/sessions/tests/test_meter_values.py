"""A 1.6 MeterValues merged into its session."""

from __future__ import annotations

from chargebus.common.events import SessionUpdated
from chargebus.sessions.meter_values import apply_meter_values
from chargebus.sessions.model import Sample, Session


def test_readings_merge_once_and_update_the_session() -> None:
    session = Session(
        id="S-1",
        charger_id="CP-1",
        protocol="v16",
        transaction_id="7",
        tx_key="CP-1|v16|7",
        start_key="k",
        meter_start_wh=1000.0,
        meter_start_at=0.0,
        meter_start_source="start",
        created_at=0.0,
        updated_at=0.0,
    )
    samples = [
        Sample(
            id="s1",
            charger_id="CP-1",
            evse_id=1,
            timestamp=10.0,
            measurand="Energy.Active.Import.Register",
            unit="Wh",
            value=1250.0,
        )
    ]
    updated, [event] = apply_meter_values(session, samples, 11.0, 60.0)
    assert updated is not None and updated.energy_wh == 250 and updated.updated_at == 11.0
    assert isinstance(event, SessionUpdated) and event.energy_wh == 250
    assert apply_meter_values(updated, samples, 12.0, 60.0) == (None, [])
