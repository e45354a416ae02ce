from __future__ import annotations

import msgspec
import pytest

from chargebus.common.ocpp.frames import (
    BadFrame,
    BadFrameKind,
    Call,
    CallError,
    CallResult,
    CallResultError,
    Send,
    decode_frame,
    encode_frame,
)


def test_each_message_type_decodes_to_its_frame() -> None:
    assert decode_frame('[2,"1","Heartbeat",{}]') == Call("1", "Heartbeat", msgspec.Raw(b"{}"))
    result = decode_frame(b'[3,"1",{"currentTime":"2024-01-01T00:00:00Z"}]')
    assert isinstance(result, CallResult)
    assert bytes(result.payload) == b'{"currentTime":"2024-01-01T00:00:00Z"}'
    error = decode_frame('[4,"1","NotImplemented","no",{"a":1}]')
    assert isinstance(error, CallError)
    assert (error.error_code, error.error_description, bytes(error.error_details)) == (
        "NotImplemented",
        "no",
        b'{"a":1}',
    )
    assert isinstance(decode_frame('[5,"1","FormatViolation","bad",{}]'), CallResultError)
    assert isinstance(decode_frame('[6,"1","NotifyPeriodicEventStream",{}]'), Send)


def test_payload_stays_raw_until_the_action_is_known() -> None:
    frame = decode_frame('[2, "7", "MeterValues", {"connectorId": 1,  "x": [1, 2]}]')
    assert isinstance(frame, Call)
    assert bytes(frame.payload) == b'{"connectorId": 1,  "x": [1, 2]}'


@pytest.mark.parametrize(
    ("text", "kind", "message_type", "message_id"),
    [
        ("{not json", BadFrameKind.NOT_JSON, None, None),
        ("", BadFrameKind.NOT_JSON, None, None),
        ('{"a": 1}', BadFrameKind.NOT_A_FRAME, None, None),
        ("[]", BadFrameKind.NOT_A_FRAME, None, None),
        ('["2", "1", "Heartbeat", {}]', BadFrameKind.NOT_A_FRAME, None, None),
        ('[true, "1"]', BadFrameKind.NOT_A_FRAME, None, None),
        ('[9, "abc", "Heartbeat", {}]', BadFrameKind.UNKNOWN_TYPE, 9, "abc"),
        ('[2, "abc", "Heartbeat"]', BadFrameKind.BAD_SHAPE, 2, "abc"),
        ('[2, "abc", 5, {}]', BadFrameKind.BAD_SHAPE, 2, "abc"),
        ('[2, 17, "Heartbeat", {}]', BadFrameKind.BAD_SHAPE, 2, None),
        ('[3, "abc"]', BadFrameKind.BAD_SHAPE, 3, "abc"),
        ('[2, "", "Heartbeat", {}]', BadFrameKind.BAD_MESSAGE_ID, 2, None),
        ('[2, "' + "x" * 37 + '", "Heartbeat", {}]', BadFrameKind.BAD_MESSAGE_ID, 2, None),
    ],
)
def test_bad_frames_say_what_could_be_read(
    text: str, kind: BadFrameKind, message_type: int | None, message_id: str | None
) -> None:
    bad = decode_frame(text)
    assert isinstance(bad, BadFrame)
    assert (bad.kind, bad.message_type, bad.message_id) == (kind, message_type, message_id)


def test_a_36_character_id_is_fine() -> None:
    assert isinstance(decode_frame('[2, "' + "x" * 36 + '", "Heartbeat", {}]'), Call)


def test_invalid_utf8_is_a_bad_frame_not_an_exception() -> None:
    assert isinstance(decode_frame(b'[2, "\xff", "Heartbeat", {}]'), BadFrame)


def test_encoding_writes_the_type_first_and_the_payload_verbatim() -> None:
    frame = CallResult("42", msgspec.Raw(b'{"status":"Accepted"}'))
    assert encode_frame(frame) == b'[3,"42",{"status":"Accepted"}]'
    error = CallError("42", "InternalError", "oops")
    assert encode_frame(error) == b'[4,"42","InternalError","oops",{}]'
    assert encode_frame(Call("1", "Heartbeat", msgspec.Raw(b"{}"))) == b'[2,"1","Heartbeat",{}]'
