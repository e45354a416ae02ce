"""What a sans-I/O session reports: one Struct per event, and their union.

:meth:`chargebus.common.ocpp.session.Session.events_received` hands these
out; the types say whose doing each one is: the peer's messages
(``CallReceived``, ``SendReceived``, ``ResultReceived``,
``CallErrorReceived``, ``ResultRejected``), the peer's faults
(``ResultInvalid``, ``UnmatchedResult``, ``FrameIgnored``), a timeout
(``CallTimedOut``) and our own fault (``AnswerInvalid``).  No behaviour
here: the rules are in session.py.
"""

from __future__ import annotations

from typing import Any

import msgspec

from chargebus.common.ocpp.errors import ErrorCode

__all__ = [
    "AnswerInvalid",
    "CallErrorReceived",
    "CallReceived",
    "CallTimedOut",
    "Event",
    "FrameIgnored",
    "ResultInvalid",
    "ResultReceived",
    "ResultRejected",
    "SendReceived",
    "UnmatchedResult",
]


class CallReceived(msgspec.Struct, frozen=True, gc=False):
    """The peer's CALL, validated.  Answer it with send_result or send_error."""

    message_id: str
    action: str
    request: Any
    #: What lenient validation forgave (empty in strict mode).
    forgiven: tuple[str, ...] = ()


class SendReceived(msgspec.Struct, frozen=True, gc=False):
    """A 2.1 SEND message, validated.  Never answered (J21 §4.2.3)."""

    message_id: str
    action: str
    request: Any
    forgiven: tuple[str, ...] = ()


class ResultReceived(msgspec.Struct, frozen=True, gc=False):
    """The CALLRESULT for one of our CALLs, validated."""

    message_id: str
    action: str
    response: Any
    forgiven: tuple[str, ...] = ()


class CallErrorReceived(msgspec.Struct, frozen=True, gc=False):
    """The peer answered one of our CALLs with a CALLERROR."""

    message_id: str
    action: str
    #: None when the peer used a code no version defines.
    code: ErrorCode | None
    wire_code: str
    description: str
    details: Any


class ResultInvalid(msgspec.Struct, frozen=True, gc=False):
    """The peer's CALLRESULT for our CALL failed validation.  The call has
    ended; in 2.1 the peer was told with a CALLRESULTERROR (J21 §4.2.5)."""

    message_id: str
    action: str
    code: ErrorCode
    description: str


class CallTimedOut(msgspec.Struct, frozen=True, gc=False):
    """No answer to our CALL before its deadline."""

    message_id: str
    action: str


class UnmatchedResult(msgspec.Struct, frozen=True, gc=False):
    """A CALLRESULT or CALLERROR whose id matches no call in flight; never
    answered.  ``timed_out`` is set when it belongs to a call that already
    timed out; ``payload`` holds the result's payload (or the error's
    details); ``error_code`` and ``description`` are set for a CALLERROR."""

    message_id: str
    action: str | None
    timed_out: bool
    payload: bytes
    error_code: str | None = None
    description: str = ""


class ResultRejected(msgspec.Struct, frozen=True, gc=False):
    """2.1 CALLRESULTERROR: the peer refused a CALLRESULT we sent."""

    message_id: str
    wire_code: str
    description: str


class AnswerInvalid(msgspec.Struct, frozen=True, gc=False):
    """Our own answer failed validation; InternalError was sent instead.
    This is a bug on our side: log it loudly."""

    message_id: str
    action: str
    description: str


class FrameIgnored(msgspec.Struct, frozen=True, gc=False):
    """Input the spec says to drop, or that can't be answered; for the log."""

    reason: str
    message_id: str | None = None


Event = (
    CallReceived
    | SendReceived
    | ResultReceived
    | CallErrorReceived
    | ResultInvalid
    | CallTimedOut
    | UnmatchedResult
    | ResultRejected
    | AnswerInvalid
    | FrameIgnored
)
