"""Shared helpers for the chargebus.common tests."""

from __future__ import annotations

import os
from collections import Counter

import pytest
from hypothesis import settings

from chargebus.common.ocpp.session import Event, Role, Session
from chargebus.common.ocpp.versions import OcppVersion

# CI explores the same examples every run, so a submission's result does not
# depend on the draw; runs by hand draw afresh and keep finding new cases.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

_TALLY: Counter[str] = Counter()


@pytest.fixture(scope="session")
def conformance_tally() -> Counter[str]:
    """Counts of payloads compared by the conformance suite, printed at the end."""
    return _TALLY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _TALLY:
        return
    terminalreporter.section("OCPP schema conformance (msgspec vs jsonschema)")
    for version in ("v16", "v201", "v21"):
        compared = _TALLY[f"{version}:compared"]
        if compared:
            terminalreporter.write_line(
                f"{version}: {compared} payloads compared "
                f"({_TALLY[f'{version}:valid']} generated valid, "
                f"{_TALLY[f'{version}:mutated']} mutated, "
                f"{_TALLY[f'{version}:mutated_invalid']} of them invalid), "
                f"{_TALLY[f'{version}:disagreements']} disagreements"
            )


class Pair:
    """A charger session and a CSMS session wired together with no network,
    after h11's ConnectionPair: ``flush()`` carries frames both ways until
    both are quiet and returns the events each side saw."""

    def __init__(self, version: OcppVersion, *, strict: bool = True) -> None:
        self.csms = Session(version, role=Role.CSMS, strict=strict)
        self.charger = Session(version, role=Role.CHARGER, strict=strict)
        self.now = 0.0
        self.wire: list[tuple[str, bytes]] = []

    def flush(self) -> tuple[list[Event], list[Event]]:
        csms_events: list[Event] = []
        charger_events: list[Event] = []
        while True:
            to_csms = self.charger.data_to_send()
            to_charger = self.csms.data_to_send()
            if not to_csms and not to_charger:
                break
            for frame in to_csms:
                self.wire.append((">", frame))
                self.csms.receive(frame, self.now)
            for frame in to_charger:
                self.wire.append(("<", frame))
                self.charger.receive(frame, self.now)
            csms_events += self.csms.events_received()
            charger_events += self.charger.events_received()
        csms_events += self.csms.events_received()
        charger_events += self.charger.events_received()
        return csms_events, charger_events


@pytest.fixture
def pair16() -> Pair:
    return Pair(OcppVersion.V16)


@pytest.fixture
def pair201() -> Pair:
    return Pair(OcppVersion.V201)
