"""Comparing RabbitMQ definitions a deployment loads with the code's
(chargebus.common.bus.permissions), for the compose and Kubernetes checks."""

from __future__ import annotations

import json
from typing import Any

from chargebus.common.bus.permissions import PERMISSIONS, definitions

PARTS = ("users", "vhosts", "permissions", "exchanges", "queues", "bindings")


def differing_parts(found: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Each part of ``found`` that isn't what the code would write with the
    same passwords (and administrator), with what differs either way."""
    users = {u.get("name"): u for u in found.get("users", [])}
    admins = [n for n, u in users.items() if "administrator" in (u.get("tags") or [])]
    expected = definitions(
        {service: users.get(service, {}).get("password", "") for service in PERMISSIONS},
        admin=(admins[0], users[admins[0]].get("password", "")) if admins else None,
    )
    differing = []
    for part in PARTS:
        have = sorted(json.dumps(x, sort_keys=True) for x in found.get(part, []))
        want = sorted(json.dumps(x, sort_keys=True) for x in expected[part])
        if have != want:
            differing.append((part, sorted(set(have) ^ set(want))))
    return differing
