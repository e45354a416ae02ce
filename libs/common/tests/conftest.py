"""Shared helpers for the chargebus.common tests."""

from __future__ import annotations

from collections import Counter

import pytest

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
