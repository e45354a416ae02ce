"""Pending commands, triggers and late results, with the clock given."""

from __future__ import annotations

import msgspec

from chargebus.common.envelope import Command, CommandOutcome
from chargebus.common.ocpp.errors import ErrorCode
from chargebus.common.ocpp.session import (
    CallErrorReceived,
    CallTimedOut,
    ResultInvalid,
    ResultReceived,
    UnmatchedResult,
)
from chargebus.common.ocpp.v16.messages import ResetResponse, TriggerMessageResponse
from chargebus.gateway.pending import TIMED_OUT_KEPT, TRIGGER_WINDOW, PendingCalls


def command(message_id: str = "m1", action: str = "Reset", payload: bytes = b"{}") -> Command:
    return Command(
        charger_id="CP-1", action=action, payload=msgspec.Raw(payload), message_id=message_id
    )


def sent(
    calls: PendingCalls, message_id: str = "m1", action: str = "Reset", payload: bytes = b"{}"
) -> None:
    cmd = command(message_id, action, payload)
    pending = calls.received(cmd, "reply.q", "c1", 10.0, batched=False)
    assert calls.in_hand(message_id, pending) is False
    calls.sent(message_id, pending)


def test_a_result_ends_the_command_with_its_payload() -> None:
    calls = PendingCalls()
    sent(calls)
    done = calls.done(ResultReceived("m1", "Reset", ResetResponse(status="Accepted")), 12.0)
    assert done is not None
    pending, outcome = done
    assert (pending.reply_to, pending.correlation_id, pending.sent_at) == ("reply.q", "c1", 10.0)
    assert outcome.status == "result"
    assert bytes(outcome.payload) == b'{"status":"Accepted"}'
    assert calls.commands == {}
    assert calls.done(ResultReceived("m1", "Reset", ResetResponse(status="Accepted")), 13.0) is None


def test_errors_and_invalid_answers_end_it_as_errors() -> None:
    calls = PendingCalls()
    sent(calls, "m1")
    sent(calls, "m2")
    error = CallErrorReceived("m1", "Reset", ErrorCode.NOT_SUPPORTED, "NotSupported", "no", {})
    done = calls.done(error, 11.0)
    assert done is not None
    assert done[1] == CommandOutcome(
        status="error", message_id="m1", error_code="NotSupported", error_description="no"
    )
    invalid = calls.done(ResultInvalid("m2", "Reset", ErrorCode.FORMAT_VIOLATION, "bad"), 11.0)
    assert invalid is not None
    assert invalid[1] == CommandOutcome(
        status="error",
        message_id="m2",
        error_code=ErrorCode.FORMAT_VIOLATION.value,
        error_description="the charger's answer was invalid: bad",
    )


def test_a_redelivery_is_the_same_command_and_another_with_its_id_is_refused() -> None:
    calls = PendingCalls()
    sent(calls)
    again = calls.received(command(), "reply.q", "c1", 11.0, batched=False)
    assert calls.in_hand("m1", again) is True
    other = calls.received(command(), "elsewhere", "c2", 11.0, batched=False)
    refusal = calls.in_hand("m1", other)
    assert isinstance(refusal, CommandOutcome)
    assert (refusal.status, refusal.message_id) == ("invalid", "m1")


def test_a_late_answer_is_attached_to_the_command_that_timed_out() -> None:
    calls = PendingCalls()
    sent(calls)
    timed_out = calls.done(CallTimedOut("m1", "Reset"), 40.0)
    assert timed_out is not None and timed_out[1].status == "timeout"
    late = calls.late(UnmatchedResult("m1", "Reset", True, b'{"status":"Accepted"}'))
    assert late is not None
    assert late[1].status == "result"
    assert bytes(late[1].payload) == b'{"status":"Accepted"}'
    assert late[1].error_description.startswith("late:")
    # Once only; and junk matches nothing.
    assert calls.late(UnmatchedResult("m1", "Reset", True, b"{}")) is None
    assert calls.late(UnmatchedResult("zz", None, False, b"{}")) is None


def test_a_late_error_keeps_its_code() -> None:
    calls = PendingCalls()
    sent(calls)
    calls.done(CallTimedOut("m1", "Reset"), 40.0)
    late = calls.late(UnmatchedResult("m1", "Reset", True, b"", "NotSupported", "no"))
    assert late is not None
    assert (late[1].status, late[1].error_code) == ("error", "NotSupported")
    assert late[1].error_description.endswith(": no")


def test_only_the_last_timed_out_commands_are_remembered() -> None:
    calls = PendingCalls()
    for n in range(TIMED_OUT_KEPT + 1):
        sent(calls, f"m{n}")
        calls.done(CallTimedOut(f"m{n}", "Reset"), 40.0)
    assert calls.late(UnmatchedResult("m0", "Reset", True, b"{}")) is None
    assert calls.late(UnmatchedResult("m1", "Reset", True, b"{}")) is not None


def test_an_accepted_trigger_opens_a_window_for_what_was_asked() -> None:
    calls = PendingCalls()
    sent(calls, "t1", "TriggerMessage", payload=b'{"requestedMessage":"StatusNotification"}')
    sent(calls, "t2", "TriggerMessage", payload=b'{"requestedMessage":"SignV2GCertificate"}')
    sent(calls, "t3", "TriggerMessage", payload=b'{"requestedMessage":"Heartbeat"}')
    accepted = TriggerMessageResponse(status="Accepted")
    calls.done(ResultReceived("t1", "TriggerMessage", accepted), 100.0)
    calls.done(ResultReceived("t2", "TriggerMessage", accepted), 100.0)
    calls.done(
        ResultReceived("t3", "TriggerMessage", TriggerMessageResponse(status="Rejected")), 100.0
    )
    assert calls.triggered("StatusNotification", 100.0 + TRIGGER_WINDOW)
    assert not calls.triggered("StatusNotification", 100.1 + TRIGGER_WINDOW)
    assert calls.triggered("SignCertificate", 101.0)  # sent as another action
    assert not calls.triggered("Heartbeat", 101.0)


def test_closing_ends_every_command_in_hand() -> None:
    calls = PendingCalls()
    sent(calls, "m1")
    sent(calls, "m2")
    closed = calls.closed({"m2"})
    assert [(o.message_id, o.status) for _, o in closed] == [("m1", "closed"), ("m2", "closed")]
    assert "before the charger answered" in closed[0][1].error_description
    assert "before the command was sent" in closed[1][1].error_description
    assert calls.commands == {}
