"""Fuzzing the sessions service's handlers with what a gateway may forward
and with what it never should.

Schema-valid requests of every action a charger may send, drawn from the
official schemas or built from the msgspec Structs, and then mutated towards edge values (kept only when the
gateway's strict validation still accepts them, re-encoded as the gateway
does), from a few chargers so their messages interact, some delivered twice
as a redelivery; and garbage envelopes between them.  Nothing escapes a
handler for a valid message, every decision gets a schema-valid answer, a
redelivery changes nothing stored and gets the same transaction id, and
every stored document still reads as its model.  A garbage envelope may
only fail to decode (the bus then requeues it once and dead-letters it).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
from fuzz_tally import from_type_info, fuzz_settings, install, record
from hypothesis import given
from hypothesis import strategies as st
from ocpp_schemas import load, strategy

from chargebus.common.bus import Delivery
from chargebus.common.bus.topology import ocpp_routing_key
from chargebus.common.ocpp.validation import PayloadInvalid, decode_payload, encode_payload
from chargebus.common.ocpp.versions import actions_for
from chargebus.gateway.handling import TABLE, Handling
from chargebus.sessions.model import Charger, IdToken, Presence, Session

CHARGERS = ["CP-F1", "CP-F2"]
MODELS: dict[str, type[msgspec.Struct]] = {
    "chargers": Charger,
    "sessions": Session,
    "presence": Presence,
    "id_tokens": IdToken,
}
#: What a garbage envelope may raise: it can't be read (the bus requeues it
#: once, then dead-letters it, where an operator sees it).
UNREADABLE = (msgspec.DecodeError, msgspec.ValidationError, KeyError)


@pytest.fixture(autouse=True, scope="module")
def _tally(pytestconfig: pytest.Config) -> None:
    install(pytestconfig)


def _edges(value: Any) -> st.SearchStrategy[Any]:
    """A value of the same JSON type, towards the edges."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.sampled_from([0, 1, -1, 2**31 - 1, -(2**31), value])
    if isinstance(value, float):
        return st.sampled_from([0.0, -0.0, 1e-9, 1e15, -1e15, value])
    if isinstance(value, str):
        return st.sampled_from(["", "é✓", "\u0000", "x" * 20, "X" * 500, value, value.upper()])
    if isinstance(value, list):
        return st.sampled_from([value, value[:1], value * 3])
    return st.just(value)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            found += _paths(item, (*path, n))
    return found


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = json.loads(json.dumps(value))
    node = copy
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = new
    return copy


@st.composite
def requests(draw: st.DrawFn, short: str, action: str) -> dict[str, Any]:
    """A schema-valid request, mutated towards edge values while it stays
    valid for the gateway's strict validation."""
    request_type = actions_for(_VERSION[short])[action].request
    # From the official schema, or from the msgspec Struct (constraints kept).
    payload: dict[str, Any] = draw(
        strategy(short, action, "request") | from_type_info(msgspec.inspect.type_info(request_type))
    )
    for _ in range(draw(st.integers(0, 3))):
        paths = _paths(payload)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        node: Any = payload
        for key in path:
            node = node[key]
        candidate = _replace(payload, path, draw(_edges(node)))
        if not isinstance(
            decode_payload(json.dumps(candidate).encode(), request_type, strict=True),
            PayloadInvalid,
        ):
            payload = candidate
    return payload


_VERSION = {v.short: v for v in TABLE}

garbage = st.one_of(
    st.binary(max_size=80),
    st.just(b"{}"),
    st.just(b"[]"),
    st.builds(
        lambda version, action, payload: json.dumps(
            {
                "charger_id": "CP-F1",
                "version": version,
                "action": action,
                "message_id": "g1",
                "payload": payload,
                "received_at": 1.0,
                "gateway": "gw",
            }
        ).encode(),
        st.sampled_from(["v16", "v201", "v21", "v99", 7]),
        st.sampled_from(["Heartbeat", "StartTransaction", "TransactionEvent", "FlyToTheMoon", 3]),
        st.sampled_from([{}, [], None, "x", {"connectorId": "one"}, {"idTag": 7}]),
    ),
)


async def _snapshot(harness: Any) -> dict[str, int]:
    return {name: len(await harness.all(name)) for name in ("sessions", "samples", "records")}


@pytest.mark.parametrize("short", ["v16", "v201", "v21"])
def test_the_sessions_service_survives_whatever_it_is_fed(
    short: str, harness_class: Any, tmp_path: Path
) -> None:
    version = _VERSION[short]
    actions = sorted(TABLE[version])
    loop = asyncio.new_event_loop()
    harness = harness_class(tmp_path / "chargebus.db")
    loop.run_until_complete(harness.start())
    tried = {"valid": 0, "redelivered": 0, "garbage": 0}
    refused: dict[str, int] = {}

    async def deliver_garbage(body: bytes, routing_key: str) -> None:
        delivery = Delivery(body=body, routing_key=routing_key)
        try:
            await harness.service.on_delivery(delivery)
        except UNREADABLE as exc:  # requeued once, then dead-lettered
            refused[type(exc).__name__] = refused.get(type(exc).__name__, 0) + 1

    @fuzz_settings(60)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        for _ in range(data.draw(st.integers(1, 4), label="messages")):
            if data.draw(st.integers(0, 5), label="garbage?") == 0:
                body = data.draw(garbage, label="garbage")
                key = ocpp_routing_key(short, data.draw(st.sampled_from(actions)))
                loop.run_until_complete(deliver_garbage(body, key))
                tried["garbage"] += 1
                continue
            action = data.draw(st.sampled_from(actions), label="action")
            payload = data.draw(requests(short, action), label="request")
            request_type = actions_for(version)[action].request
            decoded = decode_payload(json.dumps(payload).encode(), request_type, strict=True)
            assert not isinstance(decoded, PayloadInvalid)
            canonical = json.loads(encode_payload(decoded[0]))  # as the gateway forwards it
            charger_id = data.draw(st.sampled_from(CHARGERS), label="charger")
            message = harness.envelope(action, canonical, version=short, charger_id=charger_id)
            decision = TABLE[version][action] is Handling.DECISION or (
                action == "TransactionEvent" and "idToken" in canonical
            )
            answer = loop.run_until_complete(harness.deliver(message, decision=decision))
            tried["valid"] += 1
            if decision:
                assert isinstance(answer, dict), (action, canonical, answer)
                _, validator, _ = load(short, action, "response")
                errors = [e.message for e in validator.iter_errors(answer)]
                assert not errors, (action, canonical, answer, errors)
            if data.draw(st.integers(0, 3), label="redeliver?") == 0:
                before = loop.run_until_complete(_snapshot(harness))
                again = loop.run_until_complete(
                    harness.deliver(message, decision=decision, redelivered=True)
                )
                tried["redelivered"] += 1
                assert loop.run_until_complete(_snapshot(harness)) == before, (action, canonical)
                if isinstance(answer, dict) and "transactionId" in answer:
                    assert isinstance(again, dict)
                    assert again["transactionId"] == answer["transactionId"]

    try:
        check()
        # Every stored document still reads as its model.
        for collection, model in MODELS.items():
            for doc in loop.run_until_complete(harness.all(collection)):
                msgspec.convert(doc, model, strict=False)
        for doc in loop.run_until_complete(harness.all("sessions")):
            assert doc["charger_id"] in CHARGERS
            if doc["status"] == "ended":
                assert doc.get("ended_at") is not None, doc
    finally:
        loop.run_until_complete(harness.close())
        loop.close()
    for kind, count in tried.items():
        record(f"sessions service ({short}): {kind}", count)
    print(f"garbage refused by: {refused}")
