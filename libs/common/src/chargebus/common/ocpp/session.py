"""A sans-I/O OCPP-J session: one per WebSocket connection.

Text goes in through :meth:`Session.receive`, events (the Structs of
:mod:`chargebus.common.ocpp.events`) come out of
:meth:`Session.events_received`, and frames to write come out of
:meth:`Session.data_to_send`, in the manner of python-websockets'
``protocol.py``.  The session does no I/O and reads no clock: every method
that may start a timer takes ``now`` (seconds, any monotonic origin), and the
I/O layer calls :meth:`Session.expire` when :meth:`Session.next_deadline`
has passed.

Rules it owns:

* One CALL in flight per direction (J16 §4.1.1 SHOULD, J201 §4.1.1 SHALL).
  Our CALLs wait in a queue until the previous one has its result, error or
  timeout.  A peer's CALL received while we still owe an answer is held back
  and handed out when the previous one is answered, so handlers see them one
  at a time and in order; a resent CALL with the id of the one in hand is a
  retry and is dropped (we will answer the original).
* Results are matched to calls by message id.  A result that matches nothing
  is reported (:class:`UnmatchedResult`, flagged when it belongs to a call
  that already timed out) and never answered.
* Bad input never raises.  It becomes the CALLERROR the negotiated version
  asks for (see :mod:`chargebus.common.ocpp.errors`), or an event:

  - not JSON / not a frame: 2.x RpcFrameworkError, 1.6 FormationViolation,
    with id ``"-1"`` when the id can't be read (J201 §4.2.3);
  - a CALL with the wrong elements: the same codes, with its id;
  - unknown message type: ignored in 1.6 (J16 §4.1.3) and 2.1 (J21 §4.4),
    MessageTypeNotSupported in 2.0.1 (J201 §4.4);
  - unknown action: NotImplemented; known but not accepted here:
    NotSupported (J201 §4.1.7);
  - a payload that fails validation: the code from
    :mod:`chargebus.common.ocpp.validation`.

* Answers are validated before they are sent: a handler that builds an
  invalid answer makes the session send InternalError instead, and report
  :class:`AnswerInvalid`, never a malformed frame.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from typing import Any

import msgspec

from chargebus.common.ocpp.actions import Action
from chargebus.common.ocpp.errors import MAX_DESCRIPTION, ErrorCode, LocalProtocolError
from chargebus.common.ocpp.events import (
    AnswerInvalid,
    CallErrorReceived,
    CallReceived,
    CallTimedOut,
    Event,
    FrameIgnored,
    ResultInvalid,
    ResultReceived,
    ResultRejected,
    SendReceived,
    UnmatchedResult,
)
from chargebus.common.ocpp.frames import (
    MAX_MESSAGE_ID,
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
from chargebus.common.ocpp.types import Message
from chargebus.common.ocpp.validation import PayloadInvalid, decode_payload, encode_payload
from chargebus.common.ocpp.versions import OcppVersion, actions_for

# The events are defined in chargebus.common.ocpp.events and are part of
# the session's interface: they are what events_received() returns.
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
    "Role",
    "SendReceived",
    "Session",
    "UnmatchedResult",
]


class Role(enum.Enum):
    """Which end of the connection this session is."""

    CSMS = "csms"
    CHARGER = "charger"


_ACCEPTED: dict[tuple[OcppVersion, Role, frozenset[str] | None], frozenset[str]] = {}


def _accepted_actions(
    version: OcppVersion, role: Role, accepted: Collection[str] | None
) -> frozenset[str]:
    """The actions a session accepts from its peer, shared by every session
    with the same settings (one set per connection would cost kilobytes)."""
    key = (version, role, None if accepted is None else frozenset(accepted))
    actions = _ACCEPTED.get(key)
    if actions is None:
        peer_sends = {
            name
            for name, a in actions_for(version).items()
            if (a.sent_by_charger if role is Role.CSMS else a.sent_by_csms)
        }
        actions = frozenset(peer_sends if key[2] is None else peer_sends & key[2])
        _ACCEPTED[key] = actions
    return actions


class _Outgoing(msgspec.Struct, gc=False):
    message_id: str
    action: Action
    data: bytes
    timeout: float
    deadline: float = 0.0


class _Incoming(msgspec.Struct, gc=False):
    event: CallReceived
    action: Action


class Session:
    """One OCPP-J connection's protocol state, free of I/O.

    :param version: the negotiated subprotocol.
    :param role: which end we are; decides which actions we accept.
    :param strict: refuse what the schema refuses (else repair known quirks).
    :param accepted: actions whose CALLs we accept; others the peer may send
        get NotSupported.  Default: every action the peer may send.
    :param max_pending: how many of the peer's CALLs may wait for their turn,
        and how many of ours may queue; past that, GenericError / refused.
    """

    __slots__ = (
        "_accepted",
        "_actions",
        "_answering",
        "_events",
        "_held",
        "_in_flight",
        "_out",
        "_queued",
        "_remember_timed_out",
        "_timed_out",
        "max_pending",
        "role",
        "strict",
        "version",
    )

    def __init__(
        self,
        version: OcppVersion,
        *,
        role: Role = Role.CSMS,
        strict: bool = True,
        accepted: Collection[str] | None = None,
        max_pending: int = 8,
        remember_timed_out: int = 64,
    ) -> None:
        self.version = version
        self.role = role
        self.strict = strict
        self.max_pending = max_pending
        self._actions = actions_for(version)
        self._accepted = _accepted_actions(version, role, accepted)
        self._events: list[Event] = []
        self._out: list[bytes] = []
        # The peer's CALL we are answering, and those waiting behind it.  Lists,
        # not deques: they hold a handful at most, and an empty deque costs
        # ten times an empty list on each of tens of thousands of connections.
        self._answering: _Incoming | None = None
        self._held: list[_Incoming] = []
        # Our CALL in flight, and those waiting behind it.
        self._in_flight: _Outgoing | None = None
        self._queued: list[_Outgoing] = []
        self._timed_out: dict[str, str] = {}
        self._remember_timed_out = remember_timed_out

    # -- outputs ---------------------------------------------------------------

    def events_received(self) -> list[Event]:
        events, self._events = self._events, []
        return events

    def data_to_send(self) -> list[bytes]:
        """Frames to write, in order, each one WebSocket text message."""
        out, self._out = self._out, []
        return out

    @property
    def answering(self) -> str | None:
        """Id of the peer's CALL we currently owe an answer to."""
        return self._answering.event.message_id if self._answering else None

    @property
    def in_flight(self) -> str | None:
        """Id of our CALL waiting for its answer."""
        return self._in_flight.message_id if self._in_flight else None

    @property
    def queued_calls(self) -> int:
        return len(self._queued)

    @property
    def held_calls(self) -> int:
        """The peer's CALLs waiting behind the one being answered (at most
        ``max_pending``; past that they are refused)."""
        return len(self._held)

    def next_deadline(self) -> float | None:
        return self._in_flight.deadline if self._in_flight else None

    # -- input -----------------------------------------------------------------

    def receive(self, data: str | bytes, now: float) -> None:
        """Handle one WebSocket text message from the peer."""
        frame = decode_frame(data)
        if isinstance(frame, Call):
            self._on_call(frame)
        elif isinstance(frame, CallResult):
            self._on_result(frame, now)
        elif isinstance(frame, CallError):
            self._on_error(frame, now)
        elif isinstance(frame, BadFrame):
            self._on_bad_frame(frame)
        elif self.version is not OcppVersion.V21:
            # Types 5 and 6 exist only in 2.1.
            tag = 5 if isinstance(frame, CallResultError) else 6
            self._on_bad_frame(BadFrame(BadFrameKind.UNKNOWN_TYPE, tag, frame.message_id))
        elif isinstance(frame, Send):
            self._on_send(frame)
        else:
            self._events.append(
                ResultRejected(frame.message_id, frame.error_code, frame.error_description)
            )

    def _on_bad_frame(self, bad: BadFrame) -> None:
        # Types 5 and 6 exist only in 2.1: elsewhere even a malformed one is
        # of an unknown type (2.0.1 answers MessageTypeNotSupported).
        if bad.kind is BadFrameKind.UNKNOWN_TYPE or (
            bad.message_type in (5, 6) and self.version is not OcppVersion.V21
        ):
            if self.version is OcppVersion.V201:
                self._error_frame(
                    bad.message_id or "-1",
                    ErrorCode.MESSAGE_TYPE_NOT_SUPPORTED,
                    f"message type {bad.message_type} is not supported",
                )
            else:
                self._events.append(
                    FrameIgnored(f"unknown message type {bad.message_type}", bad.message_id)
                )
            return
        if bad.message_type in (3, 4, 5, 6):
            # A broken answer or SEND: answering an answer would start a loop.
            self._events.append(FrameIgnored(f"{bad.kind.value}: {bad.detail}", bad.message_id))
            return
        self._error_frame(
            bad.message_id or "-1",
            ErrorCode.RPC_FRAMEWORK_ERROR,
            f"{bad.kind.value}: {bad.detail}" if bad.detail else bad.kind.value,
        )

    def _lookup(self, name: str) -> tuple[Action | None, ErrorCode | None]:
        action = self._actions.get(name)
        if action is None:
            return None, ErrorCode.NOT_IMPLEMENTED
        if name not in self._accepted:
            return action, ErrorCode.NOT_SUPPORTED
        return action, None

    def _on_call(self, frame: Call) -> None:
        if (self._answering and self._answering.event.message_id == frame.message_id) or any(
            h.event.message_id == frame.message_id for h in self._held
        ):
            self._events.append(FrameIgnored("CALL resent while in hand", frame.message_id))
            return
        action, refusal = self._lookup(frame.action)
        if refusal is not None or action is None or action.send_only:
            what = "unknown" if action is None else "not accepted here"
            self._error_frame(
                frame.message_id,
                refusal or ErrorCode.NOT_SUPPORTED,
                f"action {frame.action!r} is {what} ({self.version.value})",
            )
            return
        decoded = decode_payload(frame.payload, action.request, strict=self.strict)
        if isinstance(decoded, PayloadInvalid):
            self._error_frame(frame.message_id, decoded.code, decoded.description)
            return
        incoming = _Incoming(CallReceived(frame.message_id, action.name, *decoded), action)
        if self._answering is None:
            self._answering = incoming
            self._events.append(incoming.event)
        elif len(self._held) < self.max_pending:
            self._held.append(incoming)
        else:
            # InternalError, which chargers retry: a transaction message must
            # never be refused outright (S16 §3.7.1).
            self._error_frame(
                frame.message_id,
                ErrorCode.INTERNAL_ERROR,
                "too many CALLs waiting for an answer; retry, one at a time",
            )

    def _on_send(self, frame: Send) -> None:
        action, refusal = self._lookup(frame.action)
        if action is None or refusal is not None or not action.send_only:
            self._events.append(FrameIgnored(f"SEND of {frame.action!r} refused", frame.message_id))
            return
        decoded = decode_payload(frame.payload, action.request, strict=self.strict)
        if isinstance(decoded, PayloadInvalid):
            self._events.append(
                FrameIgnored(
                    f"invalid SEND {frame.action}: {decoded.description}", frame.message_id
                )
            )
            return
        self._events.append(SendReceived(frame.message_id, action.name, *decoded))

    def _take_in_flight(
        self, message_id: str, payload: bytes, error: CallError | None = None
    ) -> _Outgoing | None:
        call = self._in_flight
        if call is None or call.message_id != message_id:
            action = self._timed_out.pop(message_id, None)
            self._events.append(
                UnmatchedResult(
                    message_id,
                    action,
                    action is not None,
                    payload,
                    error.error_code if error else None,
                    error.error_description if error else "",
                )
            )
            return None
        self._in_flight = None
        return call

    def _on_result(self, frame: CallResult, now: float) -> None:
        call = self._take_in_flight(frame.message_id, bytes(frame.payload))
        if call is None:
            return
        assert call.action.response is not None
        decoded = decode_payload(frame.payload, call.action.response, strict=self.strict)
        if isinstance(decoded, PayloadInvalid):
            self._events.append(
                ResultInvalid(frame.message_id, call.action.name, decoded.code, decoded.description)
            )
            if self.version is OcppVersion.V21:
                self._out.append(
                    encode_frame(
                        CallResultError(
                            frame.message_id,
                            decoded.code.wire(self.version),
                            decoded.description[:MAX_DESCRIPTION],
                        )
                    )
                )
        else:
            self._events.append(ResultReceived(frame.message_id, call.action.name, *decoded))
        self._release_call(now)

    def _on_error(self, frame: CallError, now: float) -> None:
        call = self._take_in_flight(frame.message_id, bytes(frame.error_details), frame)
        if call is None:
            return
        try:
            details = msgspec.json.decode(frame.error_details)
        except msgspec.DecodeError:  # pragma: no cover - it decoded as part of the frame
            details = None
        self._events.append(
            CallErrorReceived(
                frame.message_id,
                call.action.name,
                ErrorCode.parse(frame.error_code),
                frame.error_code,
                frame.error_description,
                details,
            )
        )
        self._release_call(now)

    # -- answering the peer ----------------------------------------------------

    def _take_answering(self, message_id: str) -> _Incoming:
        incoming = self._answering
        if incoming is None or incoming.event.message_id != message_id:
            raise LocalProtocolError(f"no CALL {message_id!r} is waiting for an answer")
        return incoming

    def send_result(self, message_id: str, response: Message | bytes) -> None:
        """Answer the peer's CALL.  ``response`` is the action's response
        Struct, or its JSON (from a service over the bus); either is
        validated first, and an invalid one is answered with InternalError."""
        incoming = self._take_answering(message_id)
        response_type = incoming.action.response
        assert response_type is not None
        if isinstance(response, bytes):
            data = response
        elif isinstance(response, response_type):
            data = encode_payload(response)
        else:
            raise LocalProtocolError(
                f"{incoming.action.name} is answered with {response_type.__name__}, "
                f"not {type(response).__name__}"
            )
        checked = decode_payload(data, response_type, strict=True)
        if isinstance(checked, PayloadInvalid):
            self._events.append(
                AnswerInvalid(message_id, incoming.action.name, checked.description)
            )
            self._error_frame(message_id, ErrorCode.INTERNAL_ERROR, "the CSMS failed to answer")
        else:
            self._out.append(encode_frame(CallResult(message_id, msgspec.Raw(data))))
        self._release_held()

    def send_error(
        self,
        message_id: str,
        code: ErrorCode,
        description: str = "",
        details: dict[str, Any] | None = None,
    ) -> None:
        """Answer the peer's CALL with a CALLERROR."""
        self._take_answering(message_id)
        self._error_frame(message_id, code, description, details)
        self._release_held()

    def _error_frame(
        self,
        message_id: str,
        code: ErrorCode,
        description: str,
        details: dict[str, Any] | None = None,
    ) -> None:
        self._out.append(
            encode_frame(
                CallError(
                    message_id,
                    code.wire(self.version),
                    description[:MAX_DESCRIPTION],
                    msgspec.Raw(msgspec.json.encode(details or {})),
                )
            )
        )

    def _release_held(self) -> None:
        self._answering = self._held.pop(0) if self._held else None
        if self._answering is not None:
            self._events.append(self._answering.event)

    # -- calling the peer ------------------------------------------------------

    def call(
        self,
        message_id: str,
        action: str,
        request: Message | bytes,
        *,
        now: float,
        timeout: float,
    ) -> None:
        """Queue a CALL to the peer; it goes out when no other is in flight.

        Raises :class:`LocalProtocolError` for an action we may not send, an
        invalid request (nothing is queued), or a full queue.
        """
        if not 0 < len(message_id) <= MAX_MESSAGE_ID:
            raise LocalProtocolError("a message id is 1 to 36 characters")
        known = self._actions.get(action)
        ours = known is not None and (
            known.sent_by_csms if self.role is Role.CSMS else known.sent_by_charger
        )
        if known is None or not ours or known.send_only:
            raise LocalProtocolError(
                f"{self.role.value} can't CALL {action!r} in {self.version.value}"
            )
        if isinstance(request, bytes):
            data = request
        elif isinstance(request, known.request):
            data = encode_payload(request)
        else:
            raise LocalProtocolError(
                f"{action} takes {known.request.__name__}, not {type(request).__name__}"
            )
        checked = decode_payload(data, known.request, strict=True)
        if isinstance(checked, PayloadInvalid):
            raise LocalProtocolError(f"invalid {action} request: {checked.description}")
        if (self._in_flight and self._in_flight.message_id == message_id) or any(
            c.message_id == message_id for c in self._queued
        ):
            raise LocalProtocolError(f"a CALL with id {message_id!r} is already in hand")
        if self._in_flight is not None and len(self._queued) >= self.max_pending:
            raise LocalProtocolError("too many CALLs queued for this connection")
        self._queued.append(_Outgoing(message_id, known, data, timeout))
        if self._in_flight is None:
            self._release_call(now)

    def send(self, message_id: str, action: str, request: Message) -> None:
        """Send a 2.1 SEND message (never answered, not queued: J21 §4.2.3)."""
        known = self._actions.get(action)
        if self.version is not OcppVersion.V21 or known is None or not known.send_only:
            raise LocalProtocolError(f"{action!r} is not a SEND message in {self.version.value}")
        data = encode_payload(request)
        checked = decode_payload(data, known.request, strict=True)
        if isinstance(checked, PayloadInvalid):
            raise LocalProtocolError(f"invalid {action}: {checked.description}")
        self._out.append(encode_frame(Send(message_id, action, msgspec.Raw(data))))

    def _release_call(self, now: float) -> None:
        if self._in_flight is not None or not self._queued:
            return
        call = self._queued.pop(0)
        call.deadline = now + call.timeout
        self._in_flight = call
        self._out.append(
            encode_frame(Call(call.message_id, call.action.name, msgspec.Raw(call.data)))
        )

    def expire(self, now: float) -> None:
        """End our CALL in flight if its deadline has passed."""
        call = self._in_flight
        if call is None or now < call.deadline:
            return
        self._in_flight = None
        self._timed_out[call.message_id] = call.action.name
        while len(self._timed_out) > self._remember_timed_out:
            del self._timed_out[next(iter(self._timed_out))]
        self._events.append(CallTimedOut(call.message_id, call.action.name))
        self._release_call(now)

    def cancel_queued(self) -> list[str]:
        """Drop the CALLs still waiting to be sent (the connection is going
        away); returns their ids so their senders can be told."""
        ids = [c.message_id for c in self._queued]
        self._queued.clear()
        return ids
