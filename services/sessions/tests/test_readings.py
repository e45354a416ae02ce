"""A session's merges of readings and charging states give the same
session whatever order the facts arrive in."""

from __future__ import annotations

import itertools
from typing import Any

from chargebus.sessions.model import PROFILE_BUCKET_S, Sample, Session
from chargebus.sessions.readings import (
    add_charging_state,
    add_profile_reading,
    apply_readings,
    derive_energy,
)


def session(**fields: Any) -> Session:
    """A 2.x session as a first TransactionEvent leaves it, changed by ``fields``."""
    base: dict[str, Any] = {
        "id": "S-1",
        "charger_id": "CP-1",
        "protocol": "v201",
        "transaction_id": "TX-1",
        "tx_key": "CP-1|TX-1",
        "start_key": "CP-1|TX-1",
        "created_at": 1000.0,
        "updated_at": 1000.0,
    }
    return Session(**{**base, **fields})


def register(at: float, wh: float, context: str | None = None) -> Sample:
    return Sample(
        id=f"r{at}{wh}{context}",
        charger_id="CP-1",
        evse_id=1,
        timestamp=at,
        measurand="Energy.Active.Import.Register",
        context=context,
        unit="Wh",
        value=wh,
    )


def test_readings_merge_the_same_in_any_order() -> None:
    samples = [register(10, 100), register(20, 150, "Transaction.Begin"), register(30, 400)]
    results = set()
    for order in itertools.permutations(samples):
        s = session()
        for sample in order:
            apply_readings(s, [sample])
        derive_energy(s)
        results.add((s.meter_start_wh, s.meter_start_source, s.meter_last_wh, s.energy_wh))
    # A Transaction.Begin reading is the start, before the earliest reading.
    assert results == {(150, "begin", 400, 250)}


def test_a_reading_merged_again_changes_nothing() -> None:
    s = session()
    assert apply_readings(s, [register(10, 100)])
    assert not apply_readings(s, [register(10, 100)])


def test_the_stop_reading_is_the_end_reading_else_the_last_once_ended() -> None:
    s = session()
    apply_readings(s, [register(10, 100), register(20, 300)])
    derive_energy(s)
    assert s.meter_stop_wh is None and s.energy_wh == 200
    s.ended_seen = True
    derive_energy(s)
    assert s.meter_stop_wh == 300
    apply_readings(s, [register(15, 250, "Transaction.End")])
    derive_energy(s)
    assert s.meter_stop_wh == 250 and s.energy_wh == 150


def test_the_profile_keeps_the_earliest_reading_per_bucket() -> None:
    s = session()
    assert add_profile_reading(s, 60, 200)
    assert add_profile_reading(s, 10, 100)  # earlier in the same bucket: replaces
    assert not add_profile_reading(s, 120, 300)
    assert add_profile_reading(s, PROFILE_BUCKET_S + 1, 400)
    assert s.meter_profile == [(10, 100), (PROFILE_BUCKET_S + 1, 400)]


def test_idle_time_begins_after_the_last_charging() -> None:
    s = session()
    for at, state in [(30, "SuspendedEV"), (10, "Charging"), (20, "SuspendedEVSE")]:
        assert add_charging_state(s, at, state)
    assert s.idle_since == 30
    assert not add_charging_state(s, 30, "SuspendedEV")  # known already
    add_charging_state(s, 40, "Charging")
    assert s.idle_since is None
    assert s.charging_states == [(40, "Charging")]
