"""The commands one connection has sent and not yet seen the end of: what
each one's outcome is, where it goes, and what a TriggerMessage let the
charger send.  No I/O, no clock of its own (``now`` comes in).

Rules it owns:

* A command is in hand from the moment its CALL is queued until its result,
  error or timeout; its outcome goes where the command came from
  (``reply_to``/``correlation_id``, or the gateway's gatherer when it came
  in a batch).
* A command redelivered with an id already in hand is the same command: its
  outcome will come once.  The same id from elsewhere is refused
  (``invalid``).
* A command that timed out is remembered (the last 64): an answer arriving
  after the timeout is attached to it as a late outcome, so the commands
  service can reconcile (the charger may have acted on it).
* A TriggerMessage the charger accepted lets it send what it was asked to
  for ``TRIGGER_WINDOW`` seconds even before it is Accepted (B02).
"""

from __future__ import annotations

import contextlib

import msgspec

from chargebus.common.envelope import Command, CommandOutcome
from chargebus.common.ocpp.session import (
    CallErrorReceived,
    CallTimedOut,
    ResultInvalid,
    ResultReceived,
    UnmatchedResult,
)
from chargebus.common.ocpp.validation import encode_payload

__all__ = ["TRIGGER_WINDOW", "PendingCalls", "PendingCommand"]

#: How long a charger that isn't Accepted may send what it was triggered to (s).
TRIGGER_WINDOW = 60.0
#: How many timed-out commands are remembered for their late answers.
TIMED_OUT_KEPT = 64
#: requestedMessage values that are sent as another action.
_TRIGGERED_AS = {
    "SignChargingStationCertificate": "SignCertificate",
    "SignV2GCertificate": "SignCertificate",
    "SignCombinedCertificate": "SignCertificate",
}
_LATE = "late: arrived after the command had timed out"


class PendingCommand(msgspec.Struct, gc=False):
    action: str
    reply_to: str | None
    correlation_id: str | None
    sent_at: float
    #: TriggerMessage: the action the charger was asked to send.
    triggered: str | None = None
    #: It came in a CommandBatch: its outcome goes to the gateway's
    #: gatherer (an OutcomeBatch), not out on its own.
    batched: bool = False


class _Trigger(msgspec.Struct):
    requested_message: str = msgspec.field(name="requestedMessage")


class PendingCalls:
    __slots__ = ("_timed_out", "_triggered", "commands")

    def __init__(self) -> None:
        #: In hand, by message id (the connection reads it per message).
        self.commands: dict[str, PendingCommand] = {}
        self._timed_out: dict[str, PendingCommand] = {}
        #: What the charger was triggered to send: action -> until when.
        self._triggered: dict[str, float] = {}

    def received(
        self,
        command: Command,
        reply_to: str | None,
        correlation_id: str | None,
        now: float,
        *,
        batched: bool,
    ) -> PendingCommand:
        """A command as it came in, not yet in hand."""
        pending = PendingCommand(command.action, reply_to, correlation_id, now, batched=batched)
        if command.action == "TriggerMessage":
            with contextlib.suppress(msgspec.ValidationError, msgspec.DecodeError):
                requested = msgspec.json.decode(command.payload, type=_Trigger).requested_message
                pending.triggered = _TRIGGERED_AS.get(requested, requested)
        return pending

    def in_hand(self, message_id: str, pending: PendingCommand) -> CommandOutcome | bool:
        """Is a command with this id in hand already?  False: no, send it.
        True: the same command again, its outcome will come.  An outcome:
        another command with the id, refused."""
        held = self.commands.get(message_id)
        if held is None:
            return False
        if (held.reply_to, held.correlation_id, held.batched) == (
            pending.reply_to,
            pending.correlation_id,
            pending.batched,
        ):
            return True
        return CommandOutcome(
            status="invalid",
            message_id=message_id,
            error_description="a command with this id is already in hand",
        )

    def sent(self, message_id: str, pending: PendingCommand) -> None:
        """Its CALL is queued: in hand until its outcome."""
        self.commands[message_id] = pending

    def done(
        self, event: ResultReceived | CallErrorReceived | ResultInvalid | CallTimedOut, now: float
    ) -> tuple[PendingCommand, CommandOutcome] | None:
        """The outcome of the command ``event`` ends, if it is ours."""
        pending = self.commands.pop(event.message_id, None)
        if pending is None:
            return None
        if isinstance(event, ResultReceived):
            if pending.triggered and getattr(event.response, "status", None) == "Accepted":
                self._triggered[pending.triggered] = now + TRIGGER_WINDOW
            outcome = CommandOutcome(
                status="result",
                message_id=event.message_id,
                payload=msgspec.Raw(encode_payload(event.response)),
            )
        elif isinstance(event, CallErrorReceived):
            outcome = CommandOutcome(
                status="error",
                message_id=event.message_id,
                error_code=event.wire_code,
                error_description=event.description,
            )
        elif isinstance(event, ResultInvalid):
            outcome = CommandOutcome(
                status="error",
                message_id=event.message_id,
                error_code=event.code.value,
                error_description=f"the charger's answer was invalid: {event.description}",
            )
        else:
            self._timed_out[event.message_id] = pending
            while len(self._timed_out) > TIMED_OUT_KEPT:
                del self._timed_out[next(iter(self._timed_out))]
            outcome = CommandOutcome(status="timeout", message_id=event.message_id)
        return pending, outcome

    def late(self, event: UnmatchedResult) -> tuple[PendingCommand, CommandOutcome] | None:
        """An answer that matched no call in flight: the late outcome of a
        command that timed out, or None (junk)."""
        pending = self._timed_out.pop(event.message_id, None)
        if pending is None:
            return None
        if event.error_code is None:
            outcome = CommandOutcome(
                status="result",
                message_id=event.message_id,
                payload=msgspec.Raw(event.payload),
                error_description=_LATE,
            )
        else:
            outcome = CommandOutcome(
                status="error",
                message_id=event.message_id,
                error_code=event.error_code,
                error_description=f"{_LATE}: {event.description}",
            )
        return pending, outcome

    def triggered(self, action: str, now: float) -> bool:
        """Was the charger triggered to send ``action``, less than
        TRIGGER_WINDOW seconds ago?"""
        until = self._triggered.get(action)
        return until is not None and now <= until

    def closed(self, queued: set[str]) -> list[tuple[PendingCommand, CommandOutcome]]:
        """The connection closed: every command in hand ends ``closed``
        (``queued``: the ids whose CALL was never sent); none is left."""
        outcomes = [
            (
                pending,
                CommandOutcome(
                    status="closed",
                    message_id=message_id,
                    error_description=(
                        "the connection closed before the command was sent"
                        if message_id in queued
                        else "the connection closed before the charger answered; outcome unknown"
                    ),
                ),
            )
            for message_id, pending in self.commands.items()
        ]
        self.commands.clear()
        return outcomes
