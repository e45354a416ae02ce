"""The credentials record the gateways read."""

from __future__ import annotations

from chargebus.common.security import Credentials
from chargebus.sessions.model import Charger
from chargebus.sessions.registrations import credentials_record


def charger(credentials: Credentials | None, model: str = "X1") -> Charger:
    return Charger(
        id="CP-1",
        registration="Accepted",
        vendor="ACME",
        model=model,
        created_at=0.0,
        updated_at=0.0,
        credentials=credentials,
    )


def test_a_model_known_to_send_hex_keys_gets_hex_key() -> None:
    models = frozenset({"acme/x1"})
    assert credentials_record(charger(None), models) is None
    record = credentials_record(charger(Credentials(profile=1)), models)
    assert record == Credentials(profile=1, hex_key=True).encode()
    other = credentials_record(charger(Credentials(profile=1), model="Y"), models)
    assert other == Credentials(profile=1).encode()
