"""Small values every handler derives the same way: keys and ids made from
a message's content (so a redelivery finds what the first delivery wrote),
times as RFC 3339 text, an absent OCPP field as None, and a version's
subprotocol name."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any

from msgspec import UNSET

from chargebus.common.ocpp.versions import OcppVersion

__all__ = ["content_hash", "iso_time", "new_session_id", "optional", "subprotocol", "v16_tx_key"]


def optional(value: Any) -> Any:
    """An OCPP field the charger left out (UNSET) as None."""
    return None if value is UNSET else value


def iso_time(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat().replace("+00:00", "Z")


def content_hash(*parts: object) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()


def new_session_id(now: float) -> str:
    """Time-ordered: pages of sessions by id are pages by creation time."""
    return f"{int(now * 1000):012x}{uuid.uuid4().hex[:12]}"


def v16_tx_key(charger_id: str, transaction_id: str) -> str:
    """1.6 transaction ids are ours and 2.x ones the charger's: apart, so a
    charger moved from 2.0.1 back to 1.6 can't collide with itself."""
    return f"{charger_id}|v16|{transaction_id}"


def subprotocol(short: str) -> str:
    """``v16`` -> ``ocpp1.6``; a name that isn't a version's short name as it is."""
    try:
        return OcppVersion.from_short(short).value
    except KeyError:
        return short
