"""The sessions service's collections and their keys (see
chargebus.common.store)."""

from __future__ import annotations

from chargebus.common.store import CollectionSpec

__all__ = ["SCHEMA"]

SCHEMA: dict[str, CollectionSpec] = {
    # One document per charger, its connectors embedded.
    "chargers": CollectionSpec(indexes=(("registration",), ("outbox",))),
    # Last seen, protocol and clock skew, written in batches (not per heartbeat).
    "presence": CollectionSpec(),
    "id_tokens": CollectionSpec(),
    # tx_key: charger + the charger's transaction id; start_key: the 1.6
    # StartTransaction dedupe key (the tx_key for 2.x).
    "sessions": CollectionSpec(
        unique=("tx_key", "start_key"),
        indexes=(("charger_id",), ("status",), ("charger_id", "status"), ("outbox",)),
    ),
    # One document per sampled value; _id is its natural key.
    "samples": CollectionSpec(indexes=(("session_id",), ("charger_id", "transaction_id"))),
    # What chargers report besides sessions: firmware and log status, security
    # events, reports.  _id makes a redelivered report land once.
    "records": CollectionSpec(indexes=(("charger_id", "kind"),)),
    # Every OCPP message received (and the answer to a decision).
    "audit": CollectionSpec(indexes=(("charger_id",), ("at",))),
}
