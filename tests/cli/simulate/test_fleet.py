"""Which chargers a fleet has: ids, the protocol mix in deterministic
shares, source addresses and the stalled share (no sockets)."""

from __future__ import annotations

from collections import Counter

from chargebus.cli.simulate.fleet import Simulation
from chargebus.cli.simulate.options import Options
from chargebus.common.ocpp.versions import OcppVersion

MIX = [(OcppVersion.V16, 60.0), (OcppVersion.V201, 30.0), (OcppVersion.V21, 10.0)]


def test_the_mix_is_shared_out_exactly_and_the_same_for_a_seed() -> None:
    options = Options(url="ws://h/ocpp/", count=10, mix=MIX, seed=7)
    chargers = Simulation(options).chargers
    assert Counter(c.version for c in chargers) == {
        OcppVersion.V16: 6,
        OcppVersion.V201: 3,
        OcppVersion.V21: 1,
    }
    again = Simulation(options).chargers
    assert [c.version for c in again] == [c.version for c in chargers]


def test_the_last_share_takes_what_rounding_left() -> None:
    options = Options(url="ws://h/ocpp/", count=3, mix=[(v, 1.0) for v in OcppVersion])
    assert len(Simulation(options).chargers) == 3


def test_ids_are_numbered_at_least_four_wide_and_sources_taken_in_turn() -> None:
    options = Options(url="ws://h/ocpp/", count=3, prefix="P-", sources=["127.0.0.2", "127.0.0.3"])
    chargers = Simulation(options).chargers
    assert [c.charger_id for c in chargers] == ["P-0000", "P-0001", "P-0002"]
    assert [c.source for c in chargers] == ["127.0.0.2", "127.0.0.3", "127.0.0.2"]
    wide = Simulation(Options(url="ws://h/ocpp/", count=12345, ramp=0)).chargers
    assert wide[-1].charger_id == "SIM-12344" and wide[0].source is None


def test_the_stalled_share_is_rounded_and_seeded() -> None:
    options = Options(url="ws://h/ocpp/", count=20, stall=0.25, seed=3)
    stalled = [c.charger_id for c in Simulation(options).chargers if c.stalled]
    assert len(stalled) == 5
    assert stalled == [c.charger_id for c in Simulation(options).chargers if c.stalled]


def test_a_fleet_shares_one_transaction_count() -> None:
    simulation = Simulation(Options(url="ws://h/ocpp/", count=2))
    first, second = simulation.chargers
    assert next(first.transactions) == 1 and next(second.transactions) == 2
