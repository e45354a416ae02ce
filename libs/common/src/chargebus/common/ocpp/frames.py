"""OCPP-J frames: the RPC envelope around every message (J16 §4.2, J201 §4.2,
J21 §4.1.3 and §4.2).

=========  ====  ==========================================  ========
frame      type  shape                                       versions
=========  ====  ==========================================  ========
CALL       2     ``[2, "id", "Action", {payload}]``          all
CALLRESULT 3     ``[3, "id", {payload}]``                    all
CALLERROR  4     ``[4, "id", "code", "description", {…}]``   all
CALLRESULTERROR 5  like CALLERROR, for a rejected CALLRESULT 2.1
SEND       6     ``[6, "id", "Action", {payload}]``          2.1
=========  ====  ==========================================  ========

Frames decode straight from JSON arrays into a tagged union (the integer
type is the tag).  Payloads stay raw until the action says what type they
are.  :func:`decode_frame` never raises: anything it can't read becomes a
:class:`BadFrame` that says how much of it could be read, so the session can
answer as the spec asks.
"""

from __future__ import annotations

import enum
import re

import msgspec

__all__ = [
    "MAX_MESSAGE_ID",
    "BadFrame",
    "BadFrameKind",
    "Call",
    "CallError",
    "CallResult",
    "CallResultError",
    "Frame",
    "Send",
    "decode_frame",
    "encode_frame",
]

#: A message id is a string of at most 36 characters (J16 §4.1.4, J201 §4.1.4).
MAX_MESSAGE_ID = 36


class Call(
    msgspec.Struct, array_like=True, forbid_unknown_fields=True, tag=2, frozen=True, gc=False
):
    message_id: str
    action: str
    payload: msgspec.Raw


class CallResult(
    msgspec.Struct, array_like=True, forbid_unknown_fields=True, tag=3, frozen=True, gc=False
):
    message_id: str
    payload: msgspec.Raw


class CallError(
    msgspec.Struct, array_like=True, forbid_unknown_fields=True, tag=4, frozen=True, gc=False
):
    message_id: str
    error_code: str
    error_description: str
    error_details: msgspec.Raw = msgspec.Raw(b"{}")


class CallResultError(
    msgspec.Struct, array_like=True, forbid_unknown_fields=True, tag=5, frozen=True, gc=False
):
    message_id: str
    error_code: str
    error_description: str
    error_details: msgspec.Raw = msgspec.Raw(b"{}")


class Send(
    msgspec.Struct, array_like=True, forbid_unknown_fields=True, tag=6, frozen=True, gc=False
):
    message_id: str
    action: str
    payload: msgspec.Raw


Frame = Call | CallResult | CallError | CallResultError | Send


class BadFrameKind(enum.Enum):
    NOT_JSON = "not valid JSON"
    NOT_A_FRAME = "not an OCPP-J frame (a JSON array starting with a message type)"
    UNKNOWN_TYPE = "unknown message type"
    BAD_SHAPE = "wrong elements for its message type"
    BAD_MESSAGE_ID = "message id is not a string of 1 to 36 characters"


class BadFrame(msgspec.Struct, frozen=True, gc=False):
    """What could be read of a frame that did not decode."""

    kind: BadFrameKind
    #: The message type, when it is an integer.
    message_type: int | None = None
    #: The message id when it can be read (a string of at most 36 characters).
    message_id: str | None = None
    detail: str = ""


_decoder = msgspec.json.Decoder(Frame)
_generic = msgspec.json.Decoder()
_encoder = msgspec.json.Encoder()


def decode_frame(data: str | bytes) -> Frame | BadFrame:
    """Decode one WebSocket text message.  Never raises."""
    try:
        frame: Frame = _decoder.decode(data)
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError) as exc:
        return _diagnose(data, str(exc))
    except RecursionError:  # nesting deeper than the interpreter allows
        return _too_deep(data)
    if not 0 < len(frame.message_id) <= MAX_MESSAGE_ID:
        return BadFrame(
            BadFrameKind.BAD_MESSAGE_ID,
            message_type=_TYPE_OF[type(frame)],
            detail=f"message id of {len(frame.message_id)} characters",
        )
    return frame


def encode_frame(frame: Frame) -> bytes:
    return _encoder.encode(frame)


_TYPE_OF: dict[type, int] = {Call: 2, CallResult: 3, CallError: 4, CallResultError: 5, Send: 6}


def _diagnose(data: str | bytes, detail: str) -> BadFrame:
    try:
        value = _generic.decode(data)
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        return BadFrame(BadFrameKind.NOT_JSON, detail=str(exc))
    except RecursionError:
        return _too_deep(data)
    if not isinstance(value, list) or not value:
        return BadFrame(BadFrameKind.NOT_A_FRAME, detail=f"got {type(value).__name__}")
    message_type = value[0]
    if isinstance(message_type, bool) or not isinstance(message_type, int):
        return BadFrame(BadFrameKind.NOT_A_FRAME, detail="first element is not an integer")
    message_id = None
    if len(value) > 1 and isinstance(value[1], str) and 0 < len(value[1]) <= MAX_MESSAGE_ID:
        message_id = value[1]
    if message_type not in (2, 3, 4, 5, 6):
        return BadFrame(BadFrameKind.UNKNOWN_TYPE, message_type, message_id, f"type {message_type}")
    return BadFrame(BadFrameKind.BAD_SHAPE, message_type, message_id, detail)


_HEAD = re.compile(rb'\A\s*\[\s*(\d)\s*,\s*"([^"\\]{1,36})"')


def _too_deep(data: str | bytes) -> BadFrame:
    """A frame nested too deeply to parse: read its type and id from its
    head, so an answer is still recognised (and ignored) and a CALL is
    refused under its own id."""
    raw = data.encode() if isinstance(data, str) else data
    head = _HEAD.match(raw[:128])
    if head is None:
        return BadFrame(BadFrameKind.NOT_A_FRAME, detail="nested too deeply")
    return BadFrame(
        BadFrameKind.BAD_SHAPE, int(head.group(1)), head.group(2).decode(), "nested too deeply"
    )
