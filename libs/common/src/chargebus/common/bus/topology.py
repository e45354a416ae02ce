"""The exchanges and queues chargebus declares, in one place (docs/bus.md).

Every service declares the whole topology at start-up; declarations are
idempotent.  Service queues exist before their consumers run, so a message a
charger was told is stored is never dropped for want of a queue.
"""

from __future__ import annotations

from typing import Any

import msgspec

__all__ = [
    "COMMANDS",
    "DEAD_LETTERS",
    "EVENTS",
    "EXCHANGES",
    "GATEWAYS",
    "OCPP",
    "QUEUES",
    "Binding",
    "Exchange",
    "Queue",
    "ocpp_routing_key",
    "queue_arguments",
]

OCPP = "chargebus.ocpp"  # topic: charger-initiated messages, ocpp.<version>.<Action>
EVENTS = "chargebus.events"  # topic: domain events, key = event type
COMMANDS = "chargebus.commands"  # topic: command intake, command.<name>
GATEWAYS = "chargebus.gateways"  # direct: key = gateway instance id
DEAD_LETTERS = "chargebus.dead-letters"  # topic: poison messages


class Exchange(msgspec.Struct, frozen=True):
    name: str
    type: str  # topic | direct


class Binding(msgspec.Struct, frozen=True):
    exchange: str
    key: str


class Queue(msgspec.Struct, frozen=True):
    name: str
    bindings: tuple[Binding, ...]
    #: Quorum queues replicate and dead-letter at least once (RabbitMQ docs,
    #: "Quorum Queues"); the dead-letter queue itself is classic.
    quorum: bool = True
    dead_letter: bool = True


EXCHANGES = (
    Exchange(OCPP, "topic"),
    Exchange(EVENTS, "topic"),
    Exchange(COMMANDS, "topic"),
    Exchange(GATEWAYS, "direct"),
    Exchange(DEAD_LETTERS, "topic"),
)

QUEUES = (
    Queue(
        "chargebus.sessions",
        (
            Binding(OCPP, "ocpp.#"),
            # password rotations: new password pending, refused, in use
            Binding(EVENTS, "security.#"),
        ),
    ),
    Queue(
        "chargebus.commands",
        (
            Binding(COMMANDS, "command.#"),
            Binding(EVENTS, "charger.#"),
            Binding(EVENTS, "session.started"),
            # update_firmware follows the charger's progress
            Binding(OCPP, "ocpp.*.FirmwareStatusNotification"),
        ),
    ),
    Queue("chargebus.billing", (Binding(EVENTS, "session.#"),)),
    Queue("chargebus.dead-letters", (Binding(DEAD_LETTERS, "#"),), quorum=False, dead_letter=False),
)


def queue_arguments(queue: Queue) -> dict[str, Any]:
    """A service queue's arguments (the broker's definitions must match them)."""
    arguments: dict[str, Any] = {}
    if queue.quorum:
        arguments["x-queue-type"] = "quorum"
        arguments["x-delivery-limit"] = 20
    if queue.dead_letter:
        arguments["x-dead-letter-exchange"] = DEAD_LETTERS
        if queue.quorum:
            # At-least-once dead-lettering needs reject-publish overflow.
            arguments["x-dead-letter-strategy"] = "at-least-once"
            arguments["x-overflow"] = "reject-publish"
    return arguments


def ocpp_routing_key(version: str, action: str) -> str:
    """``ocpp.v16.StartTransaction``."""
    return f"ocpp.{version}.{action}"
