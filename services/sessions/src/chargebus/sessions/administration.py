"""An operator's decisions about a charger (its registration, its security
profile and password) and a password rotation's steps (docs/security.md),
each written to the store and passed on to the gateways.

The decisions are pure functions of the charger held and the request; the
rules: a security profile is never lowered (A00.FR.005); profiles 1 and 2
need a password; a new password replaces every earlier one; a rotation
keeps the current password beside at most ``PENDING_KEPT - 1`` older
pending ones and its own until the charger logs in with it.  Each step is
idempotent: a redelivered rotation event changes nothing more.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import msgspec

from chargebus.common.events import DomainEvent, PasswordDropped, PasswordPending, PasswordUsed
from chargebus.common.security import Credentials, PasswordHash, hash_password
from chargebus.sessions.model import Charger, Registration
from chargebus.sessions.registrations import Registrations
from chargebus.sessions.repositories import Chargers

__all__ = [
    "PENDING_KEPT",
    "ChargerAdministration",
    "SecurityDowngrade",
    "apply_registration",
    "apply_rotation",
    "apply_security",
]

log = logging.getLogger(__name__)

#: Rotations' pending passwords kept at once (the newest), beside the current one.
PENDING_KEPT = 5


class SecurityDowngrade(Exception):
    """A lower security profile than the charger's: never (A00.FR.005)."""


def apply_registration(
    charger: Charger | None, charger_id: str, registration: Registration, now: float
) -> Charger | None:
    """The charger registered, or with its new state; None when unchanged."""
    if charger is None:
        return Charger(id=charger_id, registration=registration, created_at=now, updated_at=now)
    if charger.registration == registration:
        return None
    charger.registration = registration
    charger.updated_at = now
    return charger


def apply_security(
    charger: Charger | None,
    charger_id: str,
    profile: int,
    hashed: PasswordHash | None,
    serial_number: str | None,
    hex_key: bool | None,
    now: float,
) -> Charger:
    """The charger with its new credentials.  Raises LookupError for an
    unknown charger, SecurityDowngrade for a lower profile than recorded,
    ValueError for a profile 1/2 without a password."""
    if charger is None:
        raise LookupError(f"no charger {charger_id!r}")
    current = charger.credentials
    if current is not None and profile < current.profile:
        raise SecurityDowngrade(
            f"{charger_id} uses security profile {current.profile}; "
            f"a profile is never lowered (A00.FR.005)"
        )
    passwords = (hashed,) if hashed else current.passwords if current else ()
    if profile in (1, 2) and not passwords:
        raise ValueError(f"security profile {profile} needs a password")
    charger.credentials = Credentials(
        profile=profile,  # type: ignore[arg-type]
        passwords=passwords,
        serial_number=serial_number
        if serial_number is not None
        else (current.serial_number if current else None),
        hex_key=hex_key if hex_key is not None else bool(current and current.hex_key),
    )
    charger.updated_at = now
    return charger


def apply_rotation(charger: Charger | None, event: DomainEvent, now: float) -> Charger | None:
    """A rotation's step applied to the charger's passwords; None when it
    changes nothing (unknown charger, redelivered event, replaced since)."""
    if charger is None:
        return None
    current = charger.credentials
    if isinstance(event, PasswordPending):
        current = current or Credentials(profile=0)
        if any(p.id == event.password.id for p in current.passwords):
            return None
        kept = [p for p in current.passwords if not p.pending]
        waiting = [p for p in current.passwords if p.pending][-(PENDING_KEPT - 1) :]
        passwords = (*kept, *waiting, event.password)
    elif current is None:
        return None
    elif isinstance(event, PasswordDropped):
        passwords = tuple(
            p for p in current.passwords if not (p.pending and p.id == event.password_id)
        )
        if passwords == current.passwords:
            return None
    elif isinstance(event, PasswordUsed):
        new = [p for p in current.passwords if p.id == event.password_id and p.pending]
        if not new:
            return None  # already the only one, or replaced since
        # The old ones go; a newer rotation's password, whose CALL may be on
        # its way, stays pending.
        newer = [p for p in current.passwords if p.pending and p.created_at > new[0].created_at]
        passwords = (msgspec.structs.replace(new[0], pending=False), *newer)
    else:
        return None
    charger.credentials = msgspec.structs.replace(current, passwords=passwords)
    charger.updated_at = now
    return charger


def _rotation_step(event: DomainEvent) -> str | None:
    """How a rotation's step reads in the log; None: not a rotation's."""
    if isinstance(event, PasswordPending):
        return "new password pending"
    if isinstance(event, PasswordDropped):
        return f"new password refused ({event.reason}): forgotten"
    if isinstance(event, PasswordUsed):
        return "logged in with the new password: the old one is gone"
    return None


class ChargerAdministration:
    def __init__(
        self, chargers: Chargers, registrations: Registrations, clock: Callable[[], float]
    ) -> None:
        self.chargers = chargers
        self.registrations = registrations
        self.clock = clock

    async def set_registration(self, charger_id: str, registration: Registration) -> Charger:
        """An operator's decision: register a charger or change its state."""
        now = self.clock()
        charger, _ = await self.chargers.modify(
            charger_id, lambda c: apply_registration(c, charger_id, registration, now)
        )
        assert charger is not None
        await self.registrations.publish_registration(charger_id)
        log.info("charger %s registration set to %s", charger_id, registration)
        return charger

    async def set_security(
        self,
        charger_id: str,
        profile: int,
        *,
        secret: bytes | None = None,
        serial_number: str | None = None,
        hex_key: bool | None = None,
    ) -> Charger:
        """An operator's decision: the charger's security profile and, for
        profiles 1 and 2, its password (replacing every earlier one); see
        ``apply_security`` for what it raises."""
        # Hashed once, outside the compare-and-set loop (scrypt is slow).
        hashed = await asyncio.to_thread(hash_password, secret) if secret is not None else None
        now = self.clock()
        charger, _ = await self.chargers.modify(
            charger_id,
            lambda c: apply_security(c, charger_id, profile, hashed, serial_number, hex_key, now),
        )
        assert charger is not None and charger.credentials is not None
        await self.registrations.publish_credentials(charger_id)
        log.info(
            "charger %s: security profile %d%s",
            charger_id,
            profile,
            ", new password" if hashed else "",
        )
        return charger

    async def on_rotation(self, event: DomainEvent) -> None:
        """A password rotation's step: the new password pending beside the
        current one, refused by the charger (forgotten), or used to log in
        (now the only one)."""
        what = _rotation_step(event)
        if what is None:
            return
        assert isinstance(event, PasswordPending | PasswordDropped | PasswordUsed)
        now = self.clock()
        charger_id = event.charger_id
        _, changed = await self.chargers.modify(charger_id, lambda c: apply_rotation(c, event, now))
        if changed:
            await self.registrations.publish_credentials(charger_id)
            log.info("charger %s: %s", charger_id, what)
