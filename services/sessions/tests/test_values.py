from __future__ import annotations

from msgspec import UNSET

from chargebus.sessions.values import (
    content_hash,
    iso_time,
    new_session_id,
    optional,
    subprotocol,
    v16_tx_key,
)


def test_values() -> None:
    assert optional(UNSET) is None and optional(0) == 0
    assert iso_time(0) == "1970-01-01T00:00:00Z"
    assert content_hash("a", 1) == content_hash("a", "1")
    assert new_session_id(2.0) < new_session_id(3.0)
    assert v16_tx_key("CP-1", "7") == "CP-1|v16|7"
    assert subprotocol("v201") == "ocpp2.0.1"
    assert subprotocol("ocpp1.6") == "ocpp1.6"  # not a short name: as it is
