"""Operators' decisions and a password rotation's steps."""

from __future__ import annotations

import pytest

from chargebus.common.events import PasswordDropped, PasswordPending, PasswordUsed
from chargebus.common.security import Credentials, PasswordHash
from chargebus.sessions.administration import (
    PENDING_KEPT,
    SecurityDowngrade,
    apply_registration,
    apply_rotation,
    apply_security,
)
from chargebus.sessions.model import Charger


def charger(credentials: Credentials | None = None) -> Charger:
    return Charger(
        id="CP-1",
        registration="Accepted",
        created_at=0.0,
        updated_at=0.0,
        credentials=credentials,
    )


def password(id: str, *, pending: bool = False, created_at: float = 0.0) -> PasswordHash:
    return PasswordHash(id=id, salt=b"s", digest=b"d", pending=pending, created_at=created_at)


def test_registration() -> None:
    new = apply_registration(None, "CP-1", "Pending", 5.0)
    assert new is not None and new.registration == "Pending" and new.created_at == 5.0
    assert apply_registration(new, "CP-1", "Pending", 6.0) is None
    changed = apply_registration(new, "CP-1", "Rejected", 7.0)
    assert changed is not None and changed.updated_at == 7.0


def test_security_rules() -> None:
    with pytest.raises(LookupError):
        apply_security(None, "CP-1", 1, password("a"), None, None, 0.0)
    with pytest.raises(ValueError, match="needs a password"):
        apply_security(charger(), "CP-1", 2, None, None, None, 0.0)
    with pytest.raises(SecurityDowngrade):
        apply_security(charger(Credentials(profile=3)), "CP-1", 2, password("a"), None, None, 0.0)
    kept = apply_security(
        charger(Credentials(profile=1, passwords=(password("a"),), serial_number="SN")),
        "CP-1",
        2,
        None,
        None,
        True,
        1.0,
    )
    assert kept.credentials is not None
    assert kept.credentials.profile == 2 and kept.credentials.serial_number == "SN"
    assert [p.id for p in kept.credentials.passwords] == ["a"] and kept.credentials.hex_key


def test_a_rotation_pending_then_used() -> None:
    current = charger(Credentials(profile=2, passwords=(password("old"),)))
    pending = PasswordPending(
        event_id="e1",
        charger_id="CP-1",
        occurred_at=1.0,
        command_id="c1",
        password=password("new", pending=True, created_at=1.0),
    )
    step = apply_rotation(current, pending, 1.0)
    assert step is not None and step.credentials is not None
    assert [p.id for p in step.credentials.passwords] == ["old", "new"]
    assert apply_rotation(step, pending, 1.0) is None  # redelivered
    used = PasswordUsed(event_id="e2", charger_id="CP-1", occurred_at=2.0, password_id="new")
    step = apply_rotation(step, used, 2.0)
    assert step is not None and step.credentials is not None
    assert [(p.id, p.pending) for p in step.credentials.passwords] == [("new", False)]
    assert apply_rotation(step, used, 2.0) is None


def test_a_refused_password_is_forgotten() -> None:
    current = charger(
        Credentials(profile=2, passwords=(password("old"), password("new", pending=True)))
    )
    dropped = PasswordDropped(
        event_id="e",
        charger_id="CP-1",
        occurred_at=1.0,
        command_id="c",
        password_id="new",
        reason="Rejected",
    )
    step = apply_rotation(current, dropped, 1.0)
    assert step is not None and step.credentials is not None
    assert [p.id for p in step.credentials.passwords] == ["old"]
    assert apply_rotation(charger(), dropped, 1.0) is None  # no credentials


def test_only_the_newest_pending_passwords_are_kept() -> None:
    current = charger(Credentials(profile=2, passwords=(password("old"),)))
    for n in range(PENDING_KEPT + 2):
        event = PasswordPending(
            event_id=f"e{n}",
            charger_id="CP-1",
            occurred_at=n,
            command_id=f"c{n}",
            password=password(f"p{n}", pending=True, created_at=n),
        )
        current = apply_rotation(current, event, n) or current
    assert current.credentials is not None
    ids = [p.id for p in current.credentials.passwords]
    assert ids[0] == "old" and len(ids) == 1 + PENDING_KEPT
    assert ids[-1] == f"p{PENDING_KEPT + 1}"
