from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from chargebus.common.ocpp.errors import ErrorCode, LocalProtocolError
from chargebus.common.ocpp.session import (
    AnswerInvalid,
    CallErrorReceived,
    CallReceived,
    CallTimedOut,
    FrameIgnored,
    ResultInvalid,
    ResultReceived,
    ResultRejected,
    Role,
    SendReceived,
    Session,
    UnmatchedResult,
)
from chargebus.common.ocpp.v16 import messages as m16
from chargebus.common.ocpp.v21 import messages as m21
from chargebus.common.ocpp.v201 import messages as m201
from chargebus.common.ocpp.versions import OcppVersion

NOW = datetime(2024, 5, 1, 10, tzinfo=UTC)


def frames(session: Session) -> list[list[object]]:
    return [json.loads(f) for f in session.data_to_send()]


def boot16() -> m16.BootNotificationRequest:
    return m16.BootNotificationRequest(charge_point_vendor="ACME", charge_point_model="X1")


# -- the happy path, both directions ------------------------------------------


def test_a_charger_call_and_its_answer_travel_both_ways(pair16) -> None:
    pair16.charger.call("b1", "BootNotification", boot16(), now=0, timeout=30)
    csms_events, _ = pair16.flush()
    assert csms_events == [CallReceived("b1", "BootNotification", boot16())]
    answer = m16.BootNotificationResponse(status="Accepted", current_time=NOW, interval=300)
    pair16.csms.send_result("b1", answer)
    _, charger_events = pair16.flush()
    assert charger_events == [ResultReceived("b1", "BootNotification", answer)]
    assert pair16.wire[1] == (
        "<",
        b'[3,"b1",{"status":"Accepted","currentTime":"2024-05-01T10:00:00Z","interval":300}]',
    )


def test_a_csms_call_and_its_answer_travel_both_ways(pair201) -> None:
    request = m201.RequestStartTransactionRequest(
        id_token=m201.IdTokenType(id_token="TAG1", type="ISO14443"), remote_start_id=42
    )
    pair201.csms.call("r1", "RequestStartTransaction", request, now=0, timeout=30)
    _, charger_events = pair201.flush()
    assert charger_events == [CallReceived("r1", "RequestStartTransaction", request)]
    assert b'"remoteStartId":42' in pair201.wire[0][1]
    pair201.charger.send_result("r1", m201.RequestStartTransactionResponse(status="Accepted"))
    csms_events, _ = pair201.flush()
    assert csms_events == [
        ResultReceived(
            "r1", "RequestStartTransaction", m201.RequestStartTransactionResponse(status="Accepted")
        )
    ]


def test_unused_optional_fields_are_left_out_of_the_json(pair201) -> None:
    pair201.charger.call("h", "Heartbeat", m201.HeartbeatRequest(), now=0, timeout=30)
    assert frames(pair201.charger) == [[2, "h", "Heartbeat", {}]]


def test_calls_in_opposite_directions_may_cross(pair16) -> None:
    pair16.charger.call("c1", "Heartbeat", m16.HeartbeatRequest(), now=0, timeout=30)
    pair16.csms.call("s1", "ClearCache", m16.ClearCacheRequest(), now=0, timeout=30)
    csms_events, charger_events = pair16.flush()
    assert [type(e) for e in csms_events] == [CallReceived]
    assert [type(e) for e in charger_events] == [CallReceived]
    pair16.csms.send_result("c1", m16.HeartbeatResponse(current_time=NOW))
    pair16.charger.send_result("s1", m16.ClearCacheResponse(status="Accepted"))
    csms_events, charger_events = pair16.flush()
    assert [type(e) for e in csms_events] == [ResultReceived]
    assert [type(e) for e in charger_events] == [ResultReceived]


# -- one CALL in flight per direction -----------------------------------------


def test_our_calls_go_out_one_at_a_time_in_order() -> None:
    csms = Session(OcppVersion.V16)
    for i in range(3):
        csms.call(f"m{i}", "ClearCache", m16.ClearCacheRequest(), now=0, timeout=30)
    assert [f[1] for f in frames(csms)] == ["m0"]
    assert csms.queued_calls == 2
    csms.receive('[3,"m0",{"status":"Accepted"}]', now=1)
    assert [f[1] for f in frames(csms)] == ["m1"]
    csms.receive('[4,"m1","NotSupported","no",{}]', now=2)
    assert [f[1] for f in frames(csms)] == ["m2"]
    events = csms.events_received()
    assert isinstance(events[0], ResultReceived)
    assert events[1] == CallErrorReceived(
        "m1", "ClearCache", ErrorCode.NOT_SUPPORTED, "NotSupported", "no", {}
    )


def test_the_peers_calls_are_handed_out_one_at_a_time_in_order() -> None:
    csms = Session(OcppVersion.V16)
    csms.receive('[2,"a","Heartbeat",{}]', now=0)
    csms.receive('[2,"b","Heartbeat",{}]', now=0)
    assert [e.message_id for e in csms.events_received()] == ["a"]  # type: ignore[union-attr]
    csms.send_result("a", m16.HeartbeatResponse(current_time=NOW))
    assert [e.message_id for e in csms.events_received()] == ["b"]  # type: ignore[union-attr]
    assert [f[1] for f in frames(csms)] == ["a"]


def test_a_resent_call_we_are_still_answering_is_dropped() -> None:
    csms = Session(OcppVersion.V16)
    csms.receive('[2,"a","Heartbeat",{}]', now=0)
    csms.receive('[2,"a","Heartbeat",{}]', now=1)
    events = csms.events_received()
    assert [type(e) for e in events] == [CallReceived, FrameIgnored]
    assert frames(csms) == []


def test_a_flood_of_calls_past_the_limit_gets_internal_error_to_retry() -> None:
    csms = Session(OcppVersion.V201, max_pending=2)
    for i in range(5):
        csms.receive(f'[2,"{i}","Heartbeat",{{}}]', now=0)
    assert frames(csms) == [
        [4, "3", "InternalError", "too many CALLs waiting for an answer; retry, one at a time", {}],
        [4, "4", "InternalError", "too many CALLs waiting for an answer; retry, one at a time", {}],
    ]


def test_our_queue_is_bounded() -> None:
    csms = Session(OcppVersion.V16, max_pending=1)
    csms.call("a", "ClearCache", m16.ClearCacheRequest(), now=0, timeout=30)
    csms.call("b", "ClearCache", m16.ClearCacheRequest(), now=0, timeout=30)
    with pytest.raises(LocalProtocolError):
        csms.call("c", "ClearCache", m16.ClearCacheRequest(), now=0, timeout=30)


# -- time is passed in ----------------------------------------------------------


def test_a_call_times_out_only_when_told_the_time_and_the_next_goes_out() -> None:
    csms = Session(OcppVersion.V16)
    csms.call("a", "ClearCache", m16.ClearCacheRequest(), now=100, timeout=30)
    csms.call("b", "ClearCache", m16.ClearCacheRequest(), now=101, timeout=10)
    frames(csms)
    assert csms.next_deadline() == 130
    csms.expire(now=129.9)
    assert csms.events_received() == []
    csms.expire(now=130)
    assert csms.events_received() == [CallTimedOut("a", "ClearCache")]
    assert [f[1] for f in frames(csms)] == ["b"]
    assert csms.next_deadline() == 140  # b's clock starts when it is sent


def test_a_late_answer_is_reported_as_belonging_to_a_timed_out_call() -> None:
    csms = Session(OcppVersion.V16)
    csms.call("a", "ClearCache", m16.ClearCacheRequest(), now=0, timeout=30)
    assert [f[1] for f in frames(csms)] == ["a"]
    csms.expire(now=31)
    csms.events_received()
    csms.receive('[3,"a",{"status":"Accepted"}]', now=40)
    assert csms.events_received() == [
        UnmatchedResult("a", "ClearCache", True, b'{"status":"Accepted"}')
    ]
    csms.receive('[3,"zzz",{}]', now=41)
    assert csms.events_received() == [UnmatchedResult("zzz", None, False, b"{}")]
    assert frames(csms) == []  # never answered


# -- bad input, per version ---------------------------------------------------


@pytest.mark.parametrize(
    ("version", "code"),
    [
        (OcppVersion.V16, "FormationViolation"),
        (OcppVersion.V201, "RpcFrameworkError"),
        (OcppVersion.V21, "RpcFrameworkError"),
    ],
)
def test_unreadable_input_is_answered_with_id_minus_one(version: OcppVersion, code: str) -> None:
    csms = Session(version)
    for text in ("{{not json", "[]", '{"a":1}', '["x"]'):
        csms.receive(text, now=0)
        out = frames(csms)
        assert len(out) == 1
        assert out[0][:3] == [4, "-1", code]
        assert text not in str(out[0][3])  # never echo the invalid JSON back (J201 §4.2.3)


@pytest.mark.parametrize(
    ("version", "code"),
    [(OcppVersion.V16, "FormationViolation"), (OcppVersion.V201, "RpcFrameworkError")],
)
def test_a_broken_call_is_answered_with_its_id(version: OcppVersion, code: str) -> None:
    csms = Session(version)
    csms.receive('[2,"abc","Heartbeat"]', now=0)
    assert frames(csms)[0][:3] == [4, "abc", code]


def test_unknown_message_types_follow_each_version() -> None:
    for version, expected in (
        (OcppVersion.V16, []),
        (
            OcppVersion.V201,
            [[4, "q", "MessageTypeNotSupported", "message type 7 is not supported", {}]],
        ),
        (OcppVersion.V21, []),
    ):
        csms = Session(version)
        csms.receive('[7,"q","Heartbeat",{}]', now=0)
        assert frames(csms) == expected, version
    # 5 and 6 exist only in 2.1
    csms = Session(OcppVersion.V201)
    csms.receive('[6,"s","NotifyPeriodicEventStream",{}]', now=0)
    assert frames(csms)[0][2] == "MessageTypeNotSupported"
    csms = Session(OcppVersion.V16)
    csms.receive('[5,"s","FormatViolation","x",{}]', now=0)
    assert frames(csms) == []
    assert isinstance(csms.events_received()[0], FrameIgnored)


def test_unknown_and_unsupported_actions_get_different_codes() -> None:
    csms = Session(OcppVersion.V16, accepted={"Heartbeat"})
    csms.receive('[2,"1","BeamMeUp",{}]', now=0)
    csms.receive('[2,"2","RemoteStartTransaction",{"idTag":"x"}]', now=0)  # CSMS->charger only
    csms.receive('[2,"3","Authorize",{"idTag":"x"}]', now=0)  # not in accepted
    assert [(f[1], f[2]) for f in frames(csms)] == [
        ("1", "NotImplemented"),
        ("2", "NotSupported"),
        ("3", "NotSupported"),
    ]


@pytest.mark.parametrize(
    ("version", "code"),
    [
        (OcppVersion.V16, "OccurenceConstraintViolation"),
        (OcppVersion.V201, "OccurrenceConstraintViolation"),
    ],
)
def test_schema_violations_use_the_versions_spelling(version: OcppVersion, code: str) -> None:
    csms = Session(version)
    csms.receive('[2,"1","Authorize",{}]', now=0)
    out = frames(csms)
    assert out[0][:3] == [4, "1", code]
    assert csms.events_received() == []


def test_a_bad_call_does_not_disturb_the_one_being_answered() -> None:
    csms = Session(OcppVersion.V16)
    csms.receive('[2,"a","Heartbeat",{}]', now=0)
    csms.receive('[2,"b","Authorize",{"idTag": 5}]', now=0)
    assert frames(csms)[0][:3] == [4, "b", "TypeConstraintViolation"]
    assert csms.answering == "a"
    csms.send_result("a", m16.HeartbeatResponse(current_time=NOW))
    assert frames(csms)[0][:2] == [3, "a"]


def test_a_broken_answer_is_never_answered() -> None:
    csms = Session(OcppVersion.V201)
    csms.receive('[3,"a"]', now=0)
    csms.receive('[4,"a","X"]', now=0)
    assert frames(csms) == []
    assert [type(e) for e in csms.events_received()] == [FrameIgnored, FrameIgnored]


def test_an_invalid_result_ends_our_call_and_2_1_says_so() -> None:
    for version, told in ((OcppVersion.V201, False), (OcppVersion.V21, True)):
        csms = Session(version)
        request = (
            m201.ClearCacheRequest() if version is OcppVersion.V201 else m21.ClearCacheRequest()
        )
        csms.call("a", "ClearCache", request, now=0, timeout=30)
        frames(csms)
        csms.receive('[3,"a",{"status":"Perhaps"}]', now=1)
        events = csms.events_received()
        assert len(events) == 1
        assert isinstance(events[0], ResultInvalid)
        assert events[0].code is ErrorCode.PROPERTY_CONSTRAINT_VIOLATION
        out = frames(csms)
        assert (out[0][:3] == [5, "a", "PropertyConstraintViolation"]) if told else out == []
        assert csms.in_flight is None


def test_2_1_send_messages_are_delivered_and_never_answered() -> None:
    csms = Session(OcppVersion.V21)
    csms.receive(
        '[6,"s1","NotifyPeriodicEventStream",{"id":1,"pending":0,"basetime":'
        '"2024-05-01T10:00:00Z","data":[{"t":0.5,"v":"1"}]}]',
        now=0,
    )
    events = csms.events_received()
    assert isinstance(events[0], SendReceived)
    assert events[0].request.id == 1
    assert frames(csms) == []
    csms.receive('[5,"r1","FormatViolation","your answer was wrong",{}]', now=0)
    assert csms.events_received() == [
        ResultRejected("r1", "FormatViolation", "your answer was wrong")
    ]


def test_a_charger_can_send_2_1_send_messages() -> None:
    charger = Session(OcppVersion.V21, role=Role.CHARGER)
    message = m21.NotifyPeriodicEventStreamRequest(
        id=1, pending=0, basetime=NOW, data=[m21.StreamDataElementType(t=0.5, v="1")]
    )
    charger.send("s1", "NotifyPeriodicEventStream", message)
    assert frames(charger)[0][:3] == [6, "s1", "NotifyPeriodicEventStream"]


# -- our own mistakes -----------------------------------------------------------


def test_an_invalid_answer_becomes_internal_error_not_a_malformed_frame() -> None:
    csms = Session(OcppVersion.V16)
    csms.receive('[2,"a","Authorize",{"idTag":"x"}]', now=0)
    csms.events_received()
    bad = m16.AuthorizeResponse(id_tag_info=m16.IdTagInfo(status="Perhaps"))  # type: ignore[arg-type]
    csms.send_result("a", bad)
    assert frames(csms) == [[4, "a", "InternalError", "the CSMS failed to answer", {}]]
    assert isinstance(csms.events_received()[0], AnswerInvalid)


def test_an_answer_as_json_from_a_service_is_validated_too() -> None:
    csms = Session(OcppVersion.V16)
    csms.receive('[2,"a","Heartbeat",{}]', now=0)
    csms.receive('[2,"b","Heartbeat",{}]', now=0)
    csms.send_result("a", b'{"currentTime":"2024-05-01T10:00:00Z"}')
    csms.send_result("b", b'{"currentTime":"not a time"}')
    out = frames(csms)
    assert out[0] == [3, "a", {"currentTime": "2024-05-01T10:00:00Z"}]
    assert out[1][:3] == [4, "b", "InternalError"]


def test_misuse_raises_local_protocol_error() -> None:
    csms = Session(OcppVersion.V16)
    with pytest.raises(LocalProtocolError):
        csms.send_result("nope", m16.HeartbeatResponse(current_time=NOW))
    with pytest.raises(LocalProtocolError):  # the CSMS does not send BootNotification
        csms.call("x", "BootNotification", boot16(), now=0, timeout=1)
    with pytest.raises(LocalProtocolError):
        csms.call("x", "ClearCache", m16.ResetRequest(type="Hard"), now=0, timeout=1)
    with pytest.raises(LocalProtocolError):
        csms.call("x" * 37, "ClearCache", m16.ClearCacheRequest(), now=0, timeout=1)
    with pytest.raises(LocalProtocolError):
        csms.call(
            "x",
            "RemoteStartTransaction",
            m16.RemoteStartTransactionRequest(id_tag="y" * 21),
            now=0,
            timeout=1,
        )
    assert frames(csms) == []
    csms.receive('[2,"a","Heartbeat",{}]', now=0)
    with pytest.raises(LocalProtocolError):
        csms.send_result("a", m16.ClearCacheResponse(status="Accepted"))


def test_send_error_answers_with_the_code_in_the_versions_spelling() -> None:
    csms = Session(OcppVersion.V16)
    csms.receive('[2,"a","Heartbeat",{}]', now=0)
    csms.send_error("a", ErrorCode.FORMAT_VIOLATION, "x" * 300, {"hint": 1})
    out = frames(csms)[0]
    assert out[:3] == [4, "a", "FormationViolation"]
    assert len(out[3]) == 255  # errorDescription is at most 255 characters
    assert out[4] == {"hint": 1}


def test_lenient_sessions_report_what_they_forgave() -> None:
    csms = Session(OcppVersion.V16, strict=False)
    csms.receive(
        '[2,"a","StatusNotification",{"connectorId":"1","errorCode":"NoError",'
        '"status":"available"}]',
        now=0,
    )
    event = csms.events_received()[0]
    assert isinstance(event, CallReceived)
    assert event.request.status == "Available"
    assert len(event.forgiven) == 2


def test_queued_calls_can_be_cancelled_when_the_connection_goes() -> None:
    csms = Session(OcppVersion.V16)
    for i in range(3):
        csms.call(f"m{i}", "ClearCache", m16.ClearCacheRequest(), now=0, timeout=30)
    assert csms.cancel_queued() == ["m1", "m2"]
    assert csms.in_flight == "m0"


def test_deep_nesting_is_a_bad_frame_not_a_recursion_error() -> None:
    for version in OcppVersion:
        csms = Session(version)
        csms.receive("[" * 5000 + "]" * 5000, now=0)
        csms.receive('[2,"d","Heartbeat",' + "[" * 5000 + "]" * 5000 + "]", now=0)
        csms.receive(
            '[2,"e","DataTransfer",{"vendorId":"A","data":' + "[" * 5000 + "]" * 5000 + "}]", now=0
        )
        out = frames(csms)
        assert [f[0] for f in out] == [4, 4, 4], version
    lenient = Session(OcppVersion.V201, strict=False)
    lenient.receive('[2,"f","Heartbeat",{"x":' + "[" * 5000 + "]" * 5000 + "}]", now=0)
    assert frames(lenient)[0][:3] == [4, "f", "RpcFrameworkError"]  # refused under its own id
    # A deep answer is recognised as an answer: never answered itself.
    csms = Session(OcppVersion.V16)
    csms.receive('[3,"r",{"x":' + "[" * 5000 + "]" * 5000 + "}]", now=0)
    assert frames(csms) == []


def test_extra_elements_make_a_broken_frame() -> None:
    csms = Session(OcppVersion.V201)
    csms.receive('[2,"x","Heartbeat",{},"extra"]', now=0)
    assert frames(csms)[0][:3] == [4, "x", "RpcFrameworkError"]


def test_a_late_callerror_is_reported_as_an_error() -> None:
    csms = Session(OcppVersion.V16)
    csms.call("a", "Reset", m16.ResetRequest(type="Hard"), now=0, timeout=1)
    frames(csms)
    csms.expire(now=2)
    csms.events_received()
    csms.receive('[4,"a","NotSupported","no resets here",{}]', now=3)
    assert csms.events_received() == [
        UnmatchedResult("a", "Reset", True, b"{}", "NotSupported", "no resets here")
    ]


def test_the_same_id_cannot_be_called_twice_while_in_hand() -> None:
    csms = Session(OcppVersion.V16)
    csms.call("a", "ClearCache", m16.ClearCacheRequest(), now=0, timeout=30)
    csms.call("b", "ClearCache", m16.ClearCacheRequest(), now=0, timeout=30)
    for message_id in ("a", "b"):
        with pytest.raises(LocalProtocolError, match="already in hand"):
            csms.call(message_id, "ClearCache", m16.ClearCacheRequest(), now=0, timeout=30)
