"""Fuzzing the frame decoder and what the session answers to bad frames.

Arbitrary bytes and text, and valid frames of every type mutated (a wrong
type in each position, huge strings, deep nesting, invalid UTF-8, numbers
out of range, elements dropped or added, truncation): ``decode_frame`` never
raises, and a CSMS session answers each input as the spec says for its
version (J201 §4.2.3, §4.4; J16 §4.1.3; J21 §4.4), or not at all, and keeps
serving the charger afterwards.  Counts are printed (``-s``) and listed in
the terminal summary.
"""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec
import pytest
from fuzz_tally import fuzz_settings, install, record
from hostile_support import CODES as _CODES
from hostile_support import UNREADABLE as _UNREADABLE
from hypothesis import given
from hypothesis import strategies as st

from chargebus.common.ocpp.frames import (
    MAX_MESSAGE_ID,
    BadFrame,
    Call,
    CallError,
    CallResult,
    CallResultError,
    Send,
    decode_frame,
)
from chargebus.common.ocpp.session import CallReceived, Role, Session
from chargebus.common.ocpp.versions import OcppVersion

VERSIONS = [OcppVersion.V16, OcppVersion.V201, OcppVersion.V21]

#: Codes a CSMS may answer a bad frame with, per version, in the version's
#: own spelling only (1.6 FormationViolation/Occurence..., 2.x
#: FormatViolation/Occurrence...; RpcFrameworkError and
#: MessageTypeNotSupported are 2.x only): the socket fuzzer's table.
CODES = {v: _CODES[v.value] for v in VERSIONS}
UNREADABLE = {v: _UNREADABLE[v.value] for v in VERSIONS}


@pytest.fixture(autouse=True, scope="module")
def _tally(pytestconfig: pytest.Config) -> None:
    install(pytestconfig)


# -- strategies ----------------------------------------------------------------------

ids = st.text(min_size=1, max_size=MAX_MESSAGE_ID) | st.sampled_from(["1", "-1", "a" * 36])
huge = st.integers(1_000, 300_000).map(lambda n: "x" * n)
numbers = (
    st.sampled_from([0, -1, 1, 7, 2**31, 2**63, 2**64 + 1, -(2**63) - 1, 10**30, 1.5, -0.0, 1e308])
    | st.integers()
)
scalars = (
    st.none() | st.booleans() | numbers | st.floats(allow_nan=False) | st.text(max_size=40) | huge
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)
actions = st.sampled_from(
    [
        "Heartbeat",
        "BootNotification",
        "Authorize",
        "StatusNotification",
        "TransactionEvent",
        "NotifyPeriodicEventStream",
        "RemoteStartTransaction",
        "FlyToTheMoon",
        "",
    ]
)
payloads = st.sampled_from(
    [{}, {"idTag": "T"}, {"idToken": {"idToken": "T", "type": "ISO14443"}}, {"x": [1, 2]}]
) | st.dictionaries(st.text(max_size=8), values, max_size=3)


@st.composite
def valid_frames(draw: st.DrawFn) -> list[Any]:
    message_type = draw(st.sampled_from([2, 3, 4, 5, 6]))
    message_id = draw(ids)
    if message_type in (2, 6):
        return [message_type, message_id, draw(actions), draw(payloads)]
    if message_type == 3:
        return [3, message_id, draw(payloads)]
    return [message_type, message_id, "GenericError", draw(st.text(max_size=20)), draw(payloads)]


@st.composite
def mutated(draw: st.DrawFn) -> str | bytes:
    frame = draw(valid_frames())
    how = draw(
        st.sampled_from(
            ["replace", "drop", "append", "wrap", "deep", "utf8", "truncate", "type", "none"]
        )
    )
    if how == "replace":
        frame[draw(st.integers(0, len(frame) - 1))] = draw(values)
    elif how == "drop":
        del frame[draw(st.integers(0, len(frame) - 1))]
    elif how == "append":
        frame.append(draw(values))
    elif how == "wrap":
        frame = [frame]
    elif how == "type":
        frame[0] = draw(numbers | st.booleans() | st.text(max_size=3))
    elif how == "deep":
        depth = draw(st.sampled_from([10, 1_000, 5_000, 100_000]))
        slot = draw(st.integers(0, len(frame)))
        text = json.dumps(frame[:slot])[:-1]
        rest = json.dumps(frame[slot:])[1:]
        sep = ", " if slot and rest != "]" else ""
        return text + sep + "[" * depth + "]" * depth + ("," if rest != "]" else "") + rest
    text = json.dumps(frame, ensure_ascii=draw(st.booleans()))
    if how == "utf8":
        raw = text.encode()
        at = draw(st.integers(0, len(raw)))
        bad = draw(
            st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80"])
        )
        return raw[:at] + bad + raw[at:]
    if how == "truncate":
        return text[: draw(st.integers(0, max(len(text) - 1, 0)))]
    return text if draw(st.booleans()) else text.encode()


inputs = (
    mutated()
    | st.binary(max_size=200)
    | st.text(max_size=200)
    | st.sampled_from(
        ["", "[", "]", "[]", "{}", "null", "[2]", "[2,", '"\\ud800"', '[2,"\\ud800","H",{}]']
    )
)


# -- the oracle ------------------------------------------------------------------------

_HEAD = re.compile(rb'\A\s*\[\s*(\d)\s*,\s*"([^"\\]{1,36})"')


def _readable(data: str | bytes) -> tuple[int | None, str | None, bool]:
    """(message type, message id, parsed) as an independent reading of the
    input gives them: a JSON array whose first element is an integer."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    try:
        value = msgspec.json.decode(raw)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None, None, False
    except RecursionError:
        head = _HEAD.match(raw[:128])
        if head is None:
            return None, None, False
        return int(head.group(1)), head.group(2).decode(), True
    if not isinstance(value, list) or not value:
        return None, None, True
    first = value[0]
    if isinstance(first, bool) or not isinstance(first, int):
        return None, None, True
    message_id = value[1] if len(value) > 1 else None
    if not (isinstance(message_id, str) and 0 < len(message_id) <= MAX_MESSAGE_ID):
        message_id = None
    return first, message_id, True


def _utf8(data: str | bytes) -> bool:
    try:
        data.decode() if isinstance(data, bytes) else data.encode()
    except UnicodeError:
        return False
    return True


def check_answer(version: OcppVersion, data: str | bytes, out: list[bytes]) -> None:
    assert len(out) <= 1, out  # one input, at most one answer
    if not _utf8(data):
        # Not text (the WebSocket layer closes with 1007 before a frame like
        # this gets here, RFC 6455 §8.1): any answer must still be a CALLERROR
        # of the version's codes.  msgspec checks UTF-8 in what it decodes,
        # not in a payload it keeps raw, so a CALL may still be read.
        for frame in out:
            answer = decode_frame(frame)
            assert isinstance(answer, CallError) and answer.error_code in CODES[version]
        return
    message_type, message_id, _ = _readable(data)
    if not out:
        # Silence is right for a valid CALL (handed out as an event), any
        # answer (3, 4; 5 and 6 in 2.1), and an unknown type in 1.6 and 2.1.
        unanswered = {3, 4, 5, 6} if version is OcppVersion.V21 else {3, 4}
        assert (
            message_type == 2
            or message_type in unanswered
            or (message_type is not None and version is not OcppVersion.V201)
        ), (data[:200], "not answered")
        return
    answer = decode_frame(out[0])
    assert isinstance(answer, CallError), out
    assert answer.error_code in CODES[version], (version, answer.error_code)
    assert len(answer.error_description) <= 255
    if len(data) >= 12:  # never echo the input back (J201 §4.2.3)
        text = data if isinstance(data, str) else data.decode("utf-8", "replace")
        assert text not in answer.error_description
    if message_type is None:
        assert (answer.message_id, answer.error_code) == ("-1", UNREADABLE[version])
        return
    assert message_type not in (3, 4), "an answer was answered"
    if message_type not in (2, 3, 4, 5, 6) or (
        message_type in (5, 6) and version is not OcppVersion.V21
    ):
        assert version is OcppVersion.V201, "an unknown message type was answered"
        assert answer.error_code == "MessageTypeNotSupported"
        assert answer.message_id == (message_id or "-1")
        return
    assert message_type == 2, (message_type, answer)
    assert answer.message_id == (message_id or "-1")
    if message_id is None:
        assert answer.error_code == UNREADABLE[version]


# -- the tests ---------------------------------------------------------------------------


def test_decode_frame_never_raises_and_reads_what_it_can() -> None:
    tried = 0

    @fuzz_settings(1500)
    @given(inputs)
    def check(data: str | bytes) -> None:
        nonlocal tried
        tried += 1
        frame = decode_frame(data)
        assert isinstance(frame, Call | CallResult | CallError | CallResultError | Send | BadFrame)
        if not _utf8(data):
            return  # see check_answer
        message_type, message_id, _ = _readable(data)
        if isinstance(frame, BadFrame):
            if frame.message_id is not None:
                assert 0 < len(frame.message_id) <= MAX_MESSAGE_ID
                assert frame.message_id == message_id
            if frame.message_type is not None:
                assert frame.message_type == message_type
        else:
            assert 0 < len(frame.message_id) <= MAX_MESSAGE_ID
            assert frame.message_id == message_id

    check()
    record("frames: decode_frame", tried)


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
def test_every_bad_frame_gets_the_spec_answer_and_the_session_keeps_serving(
    version: OcppVersion,
) -> None:
    tried = 0

    @fuzz_settings(700)
    @given(inputs)
    def check(data: str | bytes) -> None:
        nonlocal tried
        tried += 1
        session = Session(version, role=Role.CSMS)
        session.receive(data, 0.0)
        check_answer(version, data, session.data_to_send())
        events = session.events_received()
        # Still serving: a Heartbeat is handed out (or waits its turn
        # behind a CALL the junk happened to be).
        session.receive('[2,"alive-1","Heartbeat",{}]', 1.0)
        after = session.events_received()
        assert not session.data_to_send()
        if session.answering == "alive-1":
            assert after == [CallReceived("alive-1", "Heartbeat", after[0].request)]
        else:
            assert any(isinstance(e, CallReceived) for e in events)
            assert session.held_calls == 1

    check()
    record(f"frames: session answers ({version.value})", tried)


@pytest.mark.parametrize(
    ("frame", "message_id"),
    [('[5, "e1", "", {}]', "e1"), ('[6, "s1", 7, {}]', "s1"), ('[6, "s1"]', "s1"), ("[5]", "-1")],
)
def test_a_malformed_frame_of_a_2_1_only_type_is_an_unknown_type_before_2_1(
    frame: str, message_id: str
) -> None:
    """Found by the fuzzer: a malformed type 5 or 6 frame was ignored as a
    broken answer; before 2.1 those types don't exist, so 2.0.1 answers
    MessageTypeNotSupported (J201 §4.4) whatever their shape."""
    session = Session(OcppVersion.V201, role=Role.CSMS)
    session.receive(frame, 0.0)
    [answer] = [decode_frame(f) for f in session.data_to_send()]
    assert isinstance(answer, CallError)
    assert answer.error_code == "MessageTypeNotSupported"
    assert answer.message_id == message_id
    for version in (OcppVersion.V16, OcppVersion.V21):  # ignored, never answered
        session = Session(version, role=Role.CSMS)
        session.receive(frame, 0.0)
        assert session.data_to_send() == []
