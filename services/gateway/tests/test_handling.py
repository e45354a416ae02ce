"""The table of which charger-initiated action the gateway answers itself."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest

from chargebus.common.ocpp.v201.messages import (
    IdTokenType,
    TransactionEventRequest,
    TransactionType,
)
from chargebus.common.ocpp.versions import OcppVersion, actions_for
from chargebus.gateway.handling import TABLE, Handling, fixed_answer, handling_of


@pytest.mark.parametrize("version", list(OcppVersion))
def test_every_charger_initiated_action_is_classified(version: OcppVersion) -> None:
    sent_by_charger = {name for name, a in actions_for(version).items() if a.sent_by_charger}
    assert set(TABLE[version]) == sent_by_charger


@pytest.mark.parametrize("version", list(OcppVersion))
def test_every_notification_has_a_fixed_valid_answer(version: OcppVersion) -> None:
    for action, handling in TABLE[version].items():
        entry = actions_for(version)[action]
        if handling is Handling.NOTIFICATION and entry.response is not None:
            answer = fixed_answer(version, action, 1_700_000_000.0)
            data = msgspec.json.encode(answer)
            msgspec.json.decode(data, type=entry.response)  # valid by the schema's types


def test_decisions_are_what_needs_state_the_csms_owns() -> None:
    v16 = TABLE[OcppVersion.V16]
    for action in (
        "BootNotification",
        "Authorize",
        "StartTransaction",
        "StopTransaction",
        "DataTransfer",
    ):
        assert v16[action] is Handling.DECISION
    for action in ("Heartbeat", "StatusNotification", "MeterValues", "FirmwareStatusNotification"):
        assert v16[action] is Handling.NOTIFICATION


def test_a_transaction_event_is_decided_only_when_it_carries_a_token() -> None:
    base: dict[str, Any] = dict(
        event_type="Updated",
        timestamp=datetime(2024, 1, 1, tzinfo=UTC),
        trigger_reason="Authorized",
        seq_no=1,
        transaction_info=TransactionType(transaction_id="t"),
    )
    without = TransactionEventRequest(**base)
    with_token = TransactionEventRequest(**base, id_token=IdTokenType(id_token="T", type="Local"))
    assert handling_of(OcppVersion.V201, "TransactionEvent", without) is Handling.NOTIFICATION
    assert handling_of(OcppVersion.V201, "TransactionEvent", with_token) is Handling.DECISION


def test_heartbeat_is_answered_with_the_time() -> None:
    answer = fixed_answer(OcppVersion.V16, "Heartbeat", 1_700_000_000.0)
    assert msgspec.json.encode(answer) == b'{"currentTime":"2023-11-14T22:13:20Z"}'
