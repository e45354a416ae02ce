"""Password rotation (``rotate_password``): the new Basic password is made
here, never given, stored or shown in clear.

Rules: the sessions service is told the new password's hash (pending,
beside the current one) and the gateways must see it in the route table
before the charger is told the password, since the charger may reconnect
with it at once; a password the charger surely never got is dropped again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

import msgspec

from chargebus.commands.model import CommandDoc
from chargebus.commands.translate import Invalid
from chargebus.common.bus import Bus, BusError
from chargebus.common.bus.topology import EVENTS
from chargebus.common.events import PasswordDropped, PasswordPending
from chargebus.common.routes import Route, RouteTable, RouteTableUnavailable
from chargebus.common.security import (
    Credentials,
    generate_authorization_key,
    generate_password,
    hash_password,
)

__all__ = ["PasswordRotation"]

log = logging.getLogger(__name__)


class PasswordRotation:
    def __init__(self, bus: Bus, routes: RouteTable, clock: Callable[[], float]) -> None:
        self.bus = bus
        self.routes = routes
        self.clock = clock

    async def new_password(self, doc: CommandDoc, route: Route, context: dict[str, Any]) -> None:
        """Make the rotation's password (into ``context["secret"]``), and have
        the sessions service accept its hash beside the current one before
        the charger is told it.  Only the hash is kept."""
        length = doc.params.get("length")
        secret: bytes | str
        if route.protocol == "ocpp1.6":
            secret = generate_authorization_key(min(length or 20, 20))
            hashed = secret
        else:
            secret = generate_password(max(length or 32, 16))
            hashed = secret.encode()
        stored = await asyncio.to_thread(hash_password, hashed, pending=True)
        event = PasswordPending(
            event_id=f"{doc.id}:{stored.id}",
            charger_id=doc.charger_id,
            occurred_at=self.clock(),
            command_id=doc.id,
            password=stored,
        )
        await self.bus.publish(EVENTS, "security.password_pending", msgspec.json.encode(event))
        context["password_id"] = stored.id
        # The charger may reconnect with it the moment it has it: only once
        # the gateways would take it is it sent.
        if not await self._visible(doc.charger_id, stored.id):
            reason = "the new password could not be recorded in time; nothing was sent"
            await self.drop(doc, context, reason)
            raise Invalid(reason)
        context["secret"] = secret

    async def _visible(self, charger_id: str, password_id: str, within: float = 10.0) -> bool:
        """Until the route table (which the gateways read) holds the password."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            with contextlib.suppress(RouteTableUnavailable):
                record = await self.routes.credentials(charger_id)
                if record is not None and password_id in {
                    p.id for p in Credentials.decode(record).passwords
                }:
                    return True
            await asyncio.sleep(0.05)
        return False

    async def drop(self, doc: CommandDoc, context: dict[str, Any], reason: str) -> None:
        """Withdraw the rotation's new password (if one was made): the
        charger surely doesn't use it."""
        password_id = context.get("password_id")
        if doc.name != "rotate_password" or not password_id:
            return
        event = PasswordDropped(
            event_id=f"{doc.id}:{password_id}:dropped",
            charger_id=doc.charger_id,
            occurred_at=self.clock(),
            command_id=doc.id,
            password_id=password_id,
            reason=reason,
        )
        try:
            await self.bus.publish(EVENTS, "security.password_dropped", msgspec.json.encode(event))
        except BusError as exc:  # it stays pending: accepted, though never sent
            log.warning("could not drop the refused password of %s: %s", doc.charger_id, exc)
