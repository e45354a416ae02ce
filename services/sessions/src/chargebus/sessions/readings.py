"""How a session merges what its charger reports over time: meter readings
(start, last, end, power, the meter profile) and charging states.

Pure and order-independent: each merge takes the session and the new facts,
changes the session in place and says whether it changed; any order of
arrival gives the same session, so messages of one charger may be worked on
concurrently and redelivered.  Equal times are broken by value.
"""

from __future__ import annotations

import math

from chargebus.sessions.meter import power_readings, register_readings
from chargebus.sessions.model import PROFILE_BUCKET_S, Sample, Session

__all__ = [
    "CHARGING_STATUSES_V16",
    "add_charging_state",
    "add_profile_reading",
    "apply_readings",
    "derive_energy",
]

#: Where a start reading comes from, by precedence (lower wins).
_SOURCES = {"start": 0, "begin": 1, "reading": 2}
#: Charging states after the last Charging that mean the car is done (idle
#: time begins); SuspendedEVSE (the charger holds back) doesn't.
_IDLE_STATES = frozenset({"SuspendedEV", "EVConnected", "Idle", "Finishing"})
#: 1.6 connector statuses that tell a session's charging state.
CHARGING_STATUSES_V16 = frozenset({"Charging", "SuspendedEV", "SuspendedEVSE", "Finishing"})
_MAX_STATES = 200


def _later(at: float, value: float, than_at: float | None, than_value: float | None) -> bool:
    """Is (at, value) after the reading held (none held: yes)?"""
    if than_at is None or than_value is None:
        return True
    return (at, value) > (than_at, than_value)


def add_charging_state(session: Session, at: float, state: str) -> bool:
    """Merge a charging state into the session (a set, so any order of
    arrival gives the same result) and derive when idle time began.  Only
    what can still matter is kept: the latest Charging and what came after
    it (or, before any Charging, the latest 200)."""
    states = sorted({*session.charging_states, (at, state)})
    charging = [t for t, s in states if s == "Charging"]
    if charging:
        # The last Charging and the earliest of what followed it.
        after = [(t, s) for t, s in states if t > charging[-1]]
        states = [(charging[-1], "Charging"), *after[: _MAX_STATES - 1]]
    else:
        states = states[:_MAX_STATES]
    if states == session.charging_states:
        return False
    session.charging_states = states
    idle = [t for t, s in states if t > charging[-1] and s in _IDLE_STATES] if charging else []
    session.idle_since = idle[0] if idle else None
    return True


def add_profile_reading(session: Session, at: float, value: float) -> bool:
    """Keep the earliest reading of each PROFILE_BUCKET_S (order-independent)."""
    bucket = at // PROFILE_BUCKET_S
    for n, (t, v) in enumerate(session.meter_profile):
        if t // PROFILE_BUCKET_S == bucket:
            if (at, value) >= (t, v):
                return False
            session.meter_profile[n] = (at, value)
            return True
    session.meter_profile = sorted([*session.meter_profile, (at, value)])
    return True


def apply_readings(session: Session, samples: list[Sample]) -> bool:
    """Merge meter readings, whatever order they come in.  The start is,
    by precedence, the 1.6 meterStart, a Transaction.Begin reading, the
    earliest reading; the last is the latest; the end is the 1.6
    meterStop, else the latest Transaction.End reading.  Equal times are
    broken by value, so the order of arrival never matters."""
    changed = False
    for sample in register_readings(samples):
        value, at = sample.value, sample.timestamp
        assert value is not None
        source = "begin" if sample.context == "Transaction.Begin" else "reading"
        if session.meter_start_source is None or (_SOURCES[source], at, value) < (
            _SOURCES[session.meter_start_source],
            session.meter_start_at if session.meter_start_at is not None else math.inf,
            session.meter_start_wh if session.meter_start_wh is not None else math.inf,
        ):
            session.meter_start_wh, session.meter_start_at = value, at
            session.meter_start_source = source
            changed = True
        if _later(at, value, session.meter_last_at, session.meter_last_wh):
            session.meter_last_wh, session.meter_last_at = value, at
            changed = True
        if add_profile_reading(session, at, value):
            changed = True
        if (
            sample.context == "Transaction.End"
            and session.meter_end_source != "stop"
            and _later(at, value, session.meter_end_at, session.meter_end_wh)
        ):
            session.meter_end_wh, session.meter_end_at = value, at
            session.meter_end_source = "end"
            changed = True
    for sample in power_readings(samples):
        assert sample.value is not None
        if _later(sample.timestamp, sample.value, session.power_at, session.power_w):
            session.power_w, session.power_at = sample.value, sample.timestamp
            changed = True
    return changed


def derive_energy(session: Session) -> None:
    """Derive the stop reading and the energy from what was merged."""
    stop = session.meter_end_wh
    if stop is None and session.ended_seen:
        stop = session.meter_last_wh
    session.meter_stop_wh = stop
    end = stop if stop is not None else session.meter_last_wh
    if end is not None and session.meter_start_wh is not None:
        session.energy_wh = round(end - session.meter_start_wh, 3)
