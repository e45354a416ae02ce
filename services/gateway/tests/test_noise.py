"""What a connection only logs: junk within the shared budget."""

from __future__ import annotations

import logging

import pytest

from chargebus.common.ocpp.session import FrameIgnored, ResultRejected, UnmatchedResult
from chargebus.gateway import noise
from chargebus.gateway.admission import LogBudget


def test_junk_is_logged_within_the_budget(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(noise, "NOISE_LOGS", LogBudget(per_second=1.0, burst=1))
    caplog.set_level(logging.INFO, "chargebus.gateway.connection")
    for _ in range(3):
        noise.log_event(FrameIgnored("not a frame"), "CP-1", 0.0)
    noise.log_event(FrameIgnored("not a frame", "m9"), "CP-1", 1.0)
    assert [r.getMessage() for r in caplog.records] == [
        "ignored from CP-1: not a frame (id None)",
        "ignored from CP-1: not a frame (id m9) [2 such lines left out]",
    ]


def test_a_late_answer_is_always_worth_a_line(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(noise, "NOISE_LOGS", LogBudget(per_second=1.0, burst=0))
    caplog.set_level(logging.INFO, "chargebus.gateway.connection")
    unmatched = UnmatchedResult("m1", "Reset", True, b"{}")
    noise.log_unmatched(unmatched, "CP-1", 0.0, late=False)  # junk: over the budget
    noise.log_unmatched(unmatched, "CP-1", 0.0, late=True)
    noise.log_event(ResultRejected("m2", "FormatViolation", "bad"), "CP-1", 0.0)
    assert [r.getMessage() for r in caplog.records] == [
        "answer m1 from CP-1 matched no call in flight (it timed out)",
        "CP-1 rejected our answer m2: FormatViolation bad",
    ]
