"""Every action a charger may send, in every version, gets a real answer:
payloads drawn from the official schemas go through the service, every
decision's answer is valid against the schema of its response, and nothing
a charger may send makes the service fail."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ocpp_schemas import load, strategy

from chargebus.gateway.handling import TABLE, Handling

CASES = [(version.short, action) for version, table in TABLE.items() for action in sorted(table)]


@pytest.mark.parametrize(("short", "action"), CASES, ids=[f"{v}-{a}" for v, a in CASES])
def test_every_charger_message_is_answered_and_kept(
    short: str, action: str, harness_class: Any, tmp_path: Path
) -> None:
    loop = asyncio.new_event_loop()
    harness = harness_class(tmp_path / "chargebus.db")
    loop.run_until_complete(harness.start())
    version = next(v for v in TABLE if v.short == short)

    @settings(
        max_examples=6,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )
    @given(st.data())
    def check(data: st.DataObject) -> None:
        payload = data.draw(strategy(short, action, "request"), label="request")
        message = harness.envelope(action, payload, version=short, charger_id="CP-H")
        # What the gateway forwards for a decision (the rest it answers itself).
        decision = TABLE[version][action] is Handling.DECISION or (
            action == "TransactionEvent" and "idToken" in payload
        )
        answer = loop.run_until_complete(harness.deliver(message, decision=decision))
        if decision:
            assert isinstance(answer, dict), answer  # never an error, never nothing
            _, validator, _ = load(short, action, "response")
            errors = [e.message for e in validator.iter_errors(answer)]
            assert not errors, (payload, answer, errors)

    try:
        check()
        # Kept: the audit log has every one (Heartbeat aside: last seen only).
        if action != "Heartbeat":
            audit = loop.run_until_complete(harness.all("audit"))
            assert audit and {e["action"] for e in audit} == {action}
    finally:
        loop.run_until_complete(harness.close())
        loop.close()
