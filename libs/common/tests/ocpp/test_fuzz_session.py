"""Fuzzing the session state machine: random interleavings of what a peer
sends (CALLs, results, errors, junk, resends) and what we do (answer, call,
let time pass, cancel).  The session never raises but the documented
LocalProtocolError for our own misuse, and after every step:

* at most one CALL of ours is on the wire without its answer or timeout,
  and the peer's CALLs are handed out one at a time;
* what waits is bounded by max_pending, both ways;
* every CALL the peer sent gets exactly one answer, unless it was a resend
  of the one in hand (dropped, the original gets the answer).
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from typing import Any

import pytest
from fuzz_tally import fuzz_settings, install, record
from hypothesis import given
from hypothesis import strategies as st

from chargebus.common.ocpp.errors import ErrorCode, LocalProtocolError
from chargebus.common.ocpp.frames import decode_frame
from chargebus.common.ocpp.session import (
    CallErrorReceived,
    CallReceived,
    CallTimedOut,
    FrameIgnored,
    ResultInvalid,
    ResultReceived,
    Role,
    Session,
)
from chargebus.common.ocpp.versions import OcppVersion

PEER_IDS = [f"p{n}" for n in range(6)]
OUR_IDS = [f"c{n}" for n in range(6)]

#: A CALL the peer (a charger) may send, per version, and one we may send.
PEER_CALLS = {
    OcppVersion.V16: [
        ("Heartbeat", {}),
        ("Authorize", {"idTag": "T"}),
        ("StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Available"}),
        ("Authorize", {}),  # invalid: refused with an error
        ("FlyToTheMoon", {}),
    ],
    OcppVersion.V201: [
        ("Heartbeat", {}),
        ("Authorize", {"idToken": {"idToken": "T", "type": "ISO14443"}}),
        ("Authorize", {"idToken": 7}),
        ("RequestStartTransaction", {}),
    ],
}
PEER_CALLS[OcppVersion.V21] = PEER_CALLS[OcppVersion.V201]
OUR_CALL = {
    OcppVersion.V16: ("Reset", {"type": "Soft"}),
    OcppVersion.V201: ("Reset", {"type": "Immediate"}),
    OcppVersion.V21: ("Reset", {"type": "Immediate"}),
}
RESULTS = [{"status": "Accepted"}, {}, {"status": "Perhaps"}, {"status": "Rejected", "x": 1}]
JUNK = ["", "[", '{"a":1}', "[2]", '[2,"p1","Heartbeat"]', '[9,"p2",{}]', '[3,"c1"]', "[" * 5000]


@pytest.fixture(autouse=True, scope="module")
def _tally(pytestconfig: pytest.Config) -> None:
    install(pytestconfig)


ops = st.one_of(
    st.tuples(st.just("peer_call"), st.sampled_from(PEER_IDS), st.integers(0, 4)),
    st.tuples(st.just("peer_result"), st.sampled_from(OUR_IDS), st.integers(0, 3)),
    st.tuples(st.just("peer_error"), st.sampled_from(OUR_IDS), st.just(0)),
    st.tuples(st.just("junk"), st.sampled_from(JUNK), st.just(0)),
    st.tuples(st.just("answer"), st.sampled_from([None, *PEER_IDS]), st.booleans()),
    st.tuples(st.just("call"), st.sampled_from(OUR_IDS), st.just(0)),
    st.tuples(st.just("tick"), st.sampled_from([0.5, 5.0, 40.0]), st.just(0)),
    st.tuples(st.just("cancel"), st.just(""), st.just(0)),
)


class Model:
    """What the test expects, kept beside the session."""

    def __init__(self, version: OcppVersion, max_pending: int) -> None:
        self.version = version
        self.session = Session(version, role=Role.CSMS, max_pending=max_pending)
        self.now = 0.0
        self.owed: Counter[str] = Counter()  # answers each peer id should get
        self.answers: Counter[str] = Counter()  # answers each peer id got
        self.on_wire: str | None = None  # our CALL sent and not yet ended
        self.handed_out: list[str] = []  # CallReceived not yet answered

    def step(self, op: str, arg: Any, extra: Any) -> None:
        s = self.session
        if op == "peer_call":
            action, payload = PEER_CALLS[self.version][extra % len(PEER_CALLS[self.version])]
            self.owed[arg] += 1
            s.receive(json.dumps([2, arg, action, payload]), self.now)
        elif op == "peer_result":
            s.receive(json.dumps([3, arg, RESULTS[extra]]), self.now)
        elif op == "peer_error":
            s.receive(json.dumps([4, arg, "GenericError", "no", {}]), self.now)
        elif op == "junk":
            if arg.startswith('[2,"p') or (
                arg.startswith('[9,"p') and self.version is OcppVersion.V201
            ):  # a broken CALL, and 2.0.1's MessageTypeNotSupported, carry its id
                self.owed[arg[4:6]] += 1
            s.receive(arg, self.now)
        elif op == "answer":
            target = arg if arg is not None else s.answering
            if target is None:
                return
            try:
                if extra:
                    s.send_error(target, ErrorCode.GENERIC_ERROR, "fuzz")
                else:
                    s.send_result(target, b"{}")  # valid or not: validated
            except LocalProtocolError:
                assert target != s.answering  # misuse: only the one in hand
                return
            assert self.handed_out and self.handed_out[0] == target
            self.handed_out.pop(0)
        elif op == "call":
            action, payload = OUR_CALL[self.version]
            with contextlib.suppress(LocalProtocolError):  # a full queue, a reused id
                s.call(arg, action, json.dumps(payload).encode(), now=self.now, timeout=30)
        elif op == "tick":
            self.now += arg
            deadline = s.next_deadline()
            if deadline is not None and self.now >= deadline:
                s.expire(self.now)
        elif op == "cancel":
            s.cancel_queued()
        self.observe()

    def observe(self) -> None:
        s = self.session
        for event in s.events_received():
            if isinstance(event, CallReceived):
                self.handed_out.append(event.message_id)
            elif isinstance(event, FrameIgnored) and event.reason == "CALL resent while in hand":
                assert event.message_id is not None
                self.owed[event.message_id] -= 1
            elif isinstance(
                event, ResultReceived | CallErrorReceived | ResultInvalid | CallTimedOut
            ):
                assert event.message_id == self.on_wire, (event, self.on_wire)
                self.on_wire = None
        for frame in s.data_to_send():
            decoded = json.loads(frame)
            assert decode_frame(frame).__class__.__name__ != "BadFrame", frame
            if decoded[0] == 2:
                assert self.on_wire is None, "a second CALL of ours on the wire"
                self.on_wire = decoded[1]
            elif decoded[0] in (3, 4) and decoded[1] != "-1":
                self.answers[decoded[1]] += 1
        # Invariants.
        assert s.held_calls <= s.max_pending
        assert s.queued_calls <= s.max_pending
        assert s.in_flight == self.on_wire
        assert len(self.handed_out) <= 1, "the peer's CALLs are handed out one at a time"
        assert s.answering == (self.handed_out[0] if self.handed_out else None)

    def finish(self) -> None:
        """Answer whatever is still owed; then each CALL has one answer."""
        for _ in range(4 * len(PEER_IDS) + 20):
            if self.session.answering is None:
                break
            self.step("answer", None, True)
        assert self.session.answering is None and self.session.held_calls == 0
        for message_id in PEER_IDS:
            assert self.answers[message_id] == self.owed[message_id], (
                message_id,
                self.answers[message_id],
                self.owed[message_id],
            )


@pytest.mark.parametrize(
    "version", [OcppVersion.V16, OcppVersion.V201, OcppVersion.V21], ids=lambda v: v.value
)
def test_random_interleavings_keep_the_sessions_invariants(version: OcppVersion) -> None:
    runs = 0
    steps = 0

    @fuzz_settings(400)
    @given(st.lists(ops, min_size=5, max_size=80), st.integers(1, 4))
    def check(sequence: list[tuple[str, Any, Any]], max_pending: int) -> None:
        nonlocal runs, steps
        runs += 1
        steps += len(sequence)
        model = Model(version, max_pending)
        for op, arg, extra in sequence:
            model.step(op, arg, extra)
        model.finish()

    check()
    record(f"session: interleavings ({version.value})", runs)
    record(f"session: steps in them ({version.value})", steps)
