"""``chargebus simulate``'s flags: the protocol mix, spans, and the checks
that refuse a run before it starts (no sockets)."""

from __future__ import annotations

import argparse

import pytest

from chargebus.cli.simulate.command import _mix, _span, main, parser
from chargebus.common.ocpp.versions import OcppVersion


def test_the_mix_names_versions_with_optional_weights() -> None:
    assert _mix("1.6") == [(OcppVersion.V16, 1.0)]
    assert _mix("1.6=60, 2.0.1=30,2.1=10") == [
        (OcppVersion.V16, 60.0),
        (OcppVersion.V201, 30.0),
        (OcppVersion.V21, 10.0),
    ]
    with pytest.raises(argparse.ArgumentTypeError, match="unknown version"):
        _mix("1.5")
    with pytest.raises(argparse.ArgumentTypeError, match="above 0"):
        _mix("1.6=0")


def test_a_span_is_min_max_or_one_value() -> None:
    assert _span("1-10") == (1.0, 10.0)
    assert _span("3") == (3.0, 3.0)


def test_the_defaults_are_the_documented_ones() -> None:
    args = parser().parse_args(["ws://127.0.0.1:9000/ocpp/"])
    assert args.count == 100 and args.scenario == "idle" and args.ramp == 100.0
    assert args.protocols == [(OcppVersion.V16, 1.0)] and args.offline_for == (1.0, 10.0)
    assert args.heartbeat is None and args.json_file is None and not args.no_progress


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ws://h/ocpp/", "--stall", "1.5"], "--stall"),
        (["ws://h/ocpp/", "--id-token", "T" * 21], "--id-token"),
        (["ws://h/ocpp/", "--prefix", "P" * 18, "--count", "1000"], "--prefix"),
        (["http://h/ocpp/"], "url"),
        (["ws://h/ocpp/", "--scenario", "party"], "--scenario"),
    ],
)
def test_a_bad_run_is_refused_before_it_starts(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit:
        main(argv)
    assert exit.value.code == 2
    assert message in capsys.readouterr().err
