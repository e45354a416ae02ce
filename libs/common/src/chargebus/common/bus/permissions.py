"""Each service's RabbitMQ user and what it may do (docs/bus.md, "Users and
permissions"), and the broker definitions that create them with the
topology.

RabbitMQ grants three regular expressions per user and vhost, matched
against resource names whatever their kind: *configure* (declare, delete),
*write* (publish to an exchange; bind a queue) and *read* (consume from a
queue; bind from an exchange).  Each service gets only what it does:

- the gateway publishes charger messages and its events, commands' outcomes
  and replies (default exchange) and evictions (``chargebus.gateways``), and
  consumes its own server-named inbox bound to ``chargebus.gateways``;
- sessions consumes ``chargebus.sessions``, replies to gateways (default
  exchange) and publishes events;
- commands consumes ``chargebus.commands``, sends to gateways, publishes
  events, replies to whoever asked (default exchange), and has an inbox for
  outcomes;
- billing consumes ``chargebus.billing``, publishes events, and sends
  ``command.call`` (CostUpdated) to ``chargebus.commands``.

No service may declare or delete the durable topology: the broker's
definitions (:func:`definitions`) declare it, as the administrator.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import msgspec

from chargebus.common.bus.topology import (
    COMMANDS,
    EVENTS,
    EXCHANGES,
    GATEWAYS,
    OCPP,
    QUEUES,
    queue_arguments,
)

__all__ = ["DEFAULT_EXCHANGE", "INBOX", "PERMISSIONS", "SERVICES", "Permission", "definitions"]

#: What RabbitMQ calls the default exchange (publishing to ``""``) in permissions.
DEFAULT_EXCHANGE = "amq.default"
#: The exclusive inboxes of each gateway and of the commands service: aio-pika
#: names them amq_<uuid hex> (so that it can declare them again after a
#: reconnect), RabbitMQ amq.gen-<...> when it names them.
INBOX = r"amq_[0-9a-f]{32}|amq\.gen-[A-Za-z0-9_-]+"


class Permission(msgspec.Struct, frozen=True):
    configure: str
    write: str
    read: str


def _only(*names: str, inbox: bool = False) -> str:
    """A regex matching exactly these names (and inboxes); ``^$``: nothing."""
    alternatives = [re.escape(n) for n in names] + ([INBOX] if inbox else [])
    if not alternatives:
        return "^$"
    return "^(" + "|".join(alternatives) + ")$"


PERMISSIONS: dict[str, Permission] = {
    "gateway": Permission(
        configure=_only(inbox=True),
        write=_only(OCPP, EVENTS, GATEWAYS, DEFAULT_EXCHANGE, inbox=True),
        read=_only(GATEWAYS, inbox=True),
    ),
    "sessions": Permission(
        configure=_only(),
        write=_only(EVENTS, DEFAULT_EXCHANGE),
        read=_only("chargebus.sessions"),
    ),
    "commands": Permission(
        configure=_only(inbox=True),
        write=_only(GATEWAYS, EVENTS, DEFAULT_EXCHANGE, inbox=True),
        # chargebus.commands: its queue (the exchange of that name is read
        # only to bind from it, which needs write on a queue it has no
        # business with: it has none but its inbox).
        read=_only(COMMANDS, GATEWAYS, inbox=True),
    ),
    "billing": Permission(
        configure=_only(),
        write=_only(EVENTS, COMMANDS),
        read=_only("chargebus.billing"),
    ),
}

SERVICES = tuple(PERMISSIONS)


def definitions(
    passwords: Mapping[str, str],
    *,
    admin: tuple[str, str] | None = None,
    vhost: str = "/",
) -> dict[str, Any]:
    """RabbitMQ definitions (``load_definitions``, ``rabbitmqctl
    import_definitions``): the vhost, a user per service with its
    permissions and ``passwords[service]``, an optional administrator, and
    the whole topology, declared as the services would."""
    users = [{"name": service, "password": passwords[service], "tags": []} for service in SERVICES]
    permissions = [
        {"user": service, "vhost": vhost, **msgspec.structs.asdict(PERMISSIONS[service])}
        for service in SERVICES
    ]
    if admin is not None:
        users.insert(0, {"name": admin[0], "password": admin[1], "tags": ["administrator"]})
        permissions.insert(
            0, {"user": admin[0], "vhost": vhost, "configure": ".*", "write": ".*", "read": ".*"}
        )
    return {
        "users": users,
        "vhosts": [{"name": vhost}],
        "permissions": permissions,
        "exchanges": [
            {
                "name": e.name,
                "vhost": vhost,
                "type": e.type,
                "durable": True,
                "auto_delete": False,
                "internal": False,
                "arguments": {},
            }
            for e in EXCHANGES
        ],
        "queues": [
            {
                "name": q.name,
                "vhost": vhost,
                "durable": True,
                "auto_delete": False,
                "arguments": queue_arguments(q),
            }
            for q in QUEUES
        ],
        "bindings": [
            {
                "source": b.exchange,
                "vhost": vhost,
                "destination": q.name,
                "destination_type": "queue",
                "routing_key": b.key,
                "arguments": {},
            }
            for q in QUEUES
            for b in q.bindings
        ],
    }
