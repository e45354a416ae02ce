"""A CALL's outcome, as the gateway reports it, decides the command's next
status (chargebus.commands.answers.judge), and is kept as a CallRecord."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from chargebus.commands.answers import call_record, judge
from chargebus.common.commands import TRANSITIONS
from chargebus.common.envelope import CommandOutcome


def _outcome(status: str, **fields: Any) -> CommandOutcome:
    return CommandOutcome(status=status, message_id="m-0", **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("outcome", "status", "detail"),
    [
        (_outcome("result", payload=msgspec.Raw(b'{"status":"Accepted"}')), "accepted", "Accepted"),
        (
            _outcome("result", payload=msgspec.Raw(b'{"status":"Rejected"}')),
            "rejected",
            "Reset: Rejected",
        ),
        (
            _outcome("error", error_code="NotSupported", error_description="no"),
            "failed",
            "NotSupported: no",
        ),
        (_outcome("timeout"), "timed_out", "no answer in time"),
        (_outcome("closed", error_description="socket closed"), "timed_out", "socket closed"),
        (_outcome("not_connected", error_description="gone"), "charger_offline", "gone"),
        (_outcome("expired", error_description="too late"), "expired", "too late"),
        (_outcome("invalid", error_description="garbled"), "failed", "garbled"),
    ],
)
def test_each_outcome_moves_a_sent_command_where_the_life_cycle_allows(
    outcome: CommandOutcome, status: str, detail: str
) -> None:
    record = call_record(outcome, "reset", "Reset", {"type": "Soft"}, "m-0")
    assert judge(outcome, "Reset", record) == (status, detail)
    assert status in TRANSITIONS["sent"]


def test_the_record_keeps_the_answer_or_the_error_and_never_a_secret() -> None:
    answer = _outcome("result", payload=msgspec.Raw(b'{"status":"Accepted"}'))
    record = call_record(
        answer,
        "rotate_password",
        "ChangeConfiguration",
        {"key": "AuthorizationKey", "value": "ab"},
        "m-0",
    )
    assert record.response == {"status": "Accepted"}
    assert record.payload == {"key": "AuthorizationKey", "value": "(redacted)"}
    error = _outcome("error", error_code="InternalError", error_description="boom")
    record = call_record(error, "reset", "Reset", {"type": "Soft"}, "m-0")
    assert (record.error_code, record.error_description, record.response) == (
        "InternalError",
        "boom",
        None,
    )
