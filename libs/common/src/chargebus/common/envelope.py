"""What travels on the bus: one envelope for every OCPP message, and the
replies, commands and domain events around it.

Bodies are JSON.  OCPP payloads ride inside as raw JSON (``msgspec.Raw``), so
a consumer decodes only the payload it handles, once, with the version's
types, and the envelope around it is never decoded twice.  The gateway
publishes what it validated, not the charger's bytes: each payload is encoded
again from the typed value the session decoded, so in lenient mode it is the
repaired payload (the repairs listed in ``forgiven``), never one the
consumer's strict types would refuse.  Only an answer that arrived after its
command had timed out goes on as the charger sent it (nothing validated it).
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

__all__ = [
    "ChargerConnected",
    "ChargerDisconnected",
    "Command",
    "CommandBatch",
    "CommandOutcome",
    "Evict",
    "OcppMessage",
    "OutcomeBatch",
    "Reply",
    "decode",
    "encode",
]


NULL = msgspec.Raw(b"null")


class OcppMessage(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """A charger-initiated CALL (or 2.1 SEND), as the gateway received it.

    Routing key ``ocpp.<version>.<Action>`` on ``chargebus.ocpp``.  Decision
    messages carry AMQP ``reply_to`` and ``correlation_id``; the owner answers
    with a :class:`Reply`.
    """

    charger_id: str
    version: str  # v16, v201, v21
    action: str
    message_id: str
    payload: msgspec.Raw
    #: When the gateway received it, seconds since the epoch (UTC).
    received_at: float
    gateway: str
    #: What lenient validation forgave, for the audit log.
    forgiven: tuple[str, ...] = ()
    #: CALL or SEND (2.1).
    kind: Literal["call", "send"] = "call"
    #: The answer the gateway already gave, JSON null when the owning
    #: service decides (a BootNotification of a charger the route table
    #: holds as Accepted: see CHARGEBUS_ANSWER_ACCEPTED_BOOTS).
    answer: msgspec.Raw = NULL


class Reply(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, gc=False):
    """A service's answer to a decision message: a payload, or an error code
    (ErrorCode value) with a description.  (msgspec.Raw can't share a union
    with None, so "no payload" is JSON null.)"""

    payload: msgspec.Raw = NULL
    error_code: str | None = None
    error_description: str = ""


class Command(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """A CALL for the gateway holding a charger to send.

    Published to ``chargebus.gateways`` with the gateway's instance id as the
    routing key, ``mandatory`` set, and ``reply_to``/``correlation_id`` for
    the :class:`CommandOutcome`.  ``epoch`` is the route's epoch when the
    command was routed: a gateway holding a newer connection answers
    ``not_connected`` so the sender looks the route up again.
    """

    charger_id: str
    action: str
    payload: msgspec.Raw
    message_id: str
    epoch: int | None = None
    #: How long the charger may take to answer; the gateway's call_timeout
    #: setting when not given.
    timeout_s: float | None = None
    #: Not to be sent after this time (seconds since the epoch): the gateway
    #: answers ``expired`` instead.
    expires_at: float | None = None


class Evict(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Sent by the gateway that just accepted a charger to the gateway that
    held it before (header ``kind: evict``): close any older socket of this
    charger now rather than at the next route refresh."""

    charger_id: str
    epoch: int


class CommandOutcome(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, gc=False):
    status: Literal["result", "error", "timeout", "not_connected", "invalid", "closed", "expired"]
    message_id: str
    payload: msgspec.Raw = NULL
    error_code: str | None = None
    error_description: str = ""


class CommandBatch(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Many CALLs for chargers held by one gateway, in one message (a
    fan-out): published like a :class:`Command` with the header
    ``kind: commands``.  Each command is handled as if it had come alone;
    their outcomes come back to ``reply_to`` in :class:`OutcomeBatch`
    messages carrying the batch's ``correlation_id``."""

    commands: list[Command]


class OutcomeBatch(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Outcomes of a :class:`CommandBatch`'s commands (header ``kind:
    outcomes``), gathered by the gateway for a few milliseconds: one batch
    can come back in several of these, each outcome exactly once (by its
    ``message_id``); a batch that can't be read comes back as one ``invalid``
    outcome with an empty message id."""

    outcomes: list[CommandOutcome]


class ChargerConnected(
    msgspec.Struct, frozen=True, kw_only=True, gc=False, tag="charger.connected"
):
    charger_id: str
    gateway: str
    epoch: int
    protocol: str
    occurred_at: float


class ChargerDisconnected(
    msgspec.Struct, frozen=True, kw_only=True, gc=False, tag="charger.disconnected"
):
    charger_id: str
    gateway: str
    epoch: int
    reason: str
    occurred_at: float


_encoder = msgspec.json.Encoder()


def encode(message: msgspec.Struct) -> bytes:
    return _encoder.encode(message)


def decode(data: bytes, type_: type[Any]) -> Any:
    return msgspec.json.decode(data, type=type_)
