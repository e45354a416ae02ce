"""What the CSMS answers for a token."""

from __future__ import annotations

from chargebus.sessions.model import IdToken
from chargebus.sessions.tokens import token_info, token_status


def token(**fields: object) -> IdToken:
    base: dict[str, object] = {"id": "abc", "token": "ABC", "status": "Accepted", "updated_at": 0}
    return IdToken(**{**base, **fields})  # type: ignore[arg-type]


def test_status() -> None:
    assert token_status(None, 0) == "Invalid"
    assert token_status(token(expires_at=10.0), 9.0) == "Accepted"
    assert token_status(token(expires_at=10.0), 10.0) == "Expired"
    assert token_status(token(status="Blocked", expires_at=10.0), 20.0) == "Blocked"


def test_info_by_version() -> None:
    record = token(group="FLEET", expires_at=0.0)
    assert token_info(record, None, -1, is_2x=False) == {
        "status": "Accepted",
        "parentIdTag": "FLEET",
        "expiryDate": "1970-01-01T00:00:00Z",
    }
    assert token_info(record, "ISO14443", -1, is_2x=True) == {
        "status": "Accepted",
        "groupIdToken": {"idToken": "FLEET", "type": "Central"},
    }


def test_a_group_too_long_for_16_is_left_out() -> None:
    assert "parentIdTag" not in token_info(token(group="G" * 21), None, 0, is_2x=False)


def test_another_type_with_the_same_characters_is_unknown() -> None:
    assert token_info(token(type="ISO14443"), "eMAID", 0, is_2x=True) == {"status": "Invalid"}
    assert token_info(token(type="ISO14443"), "ISO14443", 0, is_2x=True)["status"] == "Accepted"
    assert token_info(token(type=None), "eMAID", 0, is_2x=True)["status"] == "Accepted"
