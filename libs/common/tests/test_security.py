"""Password hashing and what a Basic password may stand for."""

from __future__ import annotations

import pytest

from chargebus.common.security import (
    Credentials,
    generate_authorization_key,
    generate_password,
    hash_password,
    login_secrets,
    verify_password,
)


def test_hash_and_verify() -> None:
    stored = hash_password(b"s3cret-s3cret-s3cret", cost=4)
    assert verify_password(b"s3cret-s3cret-s3cret", stored)
    assert not verify_password(b"s3cret-s3cret-s3creT", stored)
    again = hash_password(b"s3cret-s3cret-s3cret", cost=4)
    assert again.salt != stored.salt and again.digest != stored.digest  # salted
    assert b"s3cret" not in Credentials(profile=1, passwords=(stored,)).encode()


def test_credentials_round_trip() -> None:
    c = Credentials(profile=2, passwords=(hash_password(b"x" * 16, cost=4),), hex_key=True)
    assert Credentials.decode(c.encode()) == c


def test_hex_form_only_when_the_charger_sends_it() -> None:
    key = bytes(range(20))
    assert login_secrets(key.hex().encode(), hex_key=False) == [key.hex().encode()]
    assert login_secrets(key.hex().encode(), hex_key=True) == [key.hex().encode(), key]
    assert login_secrets(b"not hex!", hex_key=True) == [b"not hex!"]
    assert login_secrets(b"abc", hex_key=True) == [b"abc"]


def test_generated_secrets_fit_ocpp() -> None:
    for length in (16, 32, 40):
        password = generate_password(length)
        assert len(password) == length and password.isascii()
    assert 16 <= len(generate_authorization_key()) <= 20
    with pytest.raises(ValueError, match="a BasicAuthPassword is 16 to 40 characters"):
        generate_password(41)
    with pytest.raises(ValueError, match="an AuthorizationKey is 16 to 20 bytes"):
        generate_authorization_key(15)
