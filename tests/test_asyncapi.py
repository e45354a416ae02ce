"""docs/asyncapi.json is what scripts/asyncapi.py writes, hangs together, and
describes what the services really put on the bus."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import msgspec
import pytest

from chargebus.commands.model import CommandEvent
from chargebus.commands.translate import PARAMS
from chargebus.common import envelope
from chargebus.common.bus import topology
from chargebus.common.commands import (
    COMMAND_NAMES,
    CallRecord,
    CommandRequest,
    CommandState,
    Transition,
)
from chargebus.common.events import SessionEnded, SessionStarted

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT / "scripts" / "asyncapi.py"
DOCUMENT = ROOT / "docs" / "asyncapi.json"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("chargebus_asyncapi", GENERATOR)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return load_generator()


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    return document


def resolve(doc: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict) and part in node, f"{ref}: no {part!r}"
        node = node[part]
    return node


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in refs(value)]
    return []


def payload_validator(doc: dict[str, Any], message: str) -> jsonschema.Draft7Validator:
    """A validator for the payload of components.messages[message], with the
    document's components resolvable (AsyncAPI schemas are draft 07 based)."""
    schema = {
        "$ref": f"#/components/messages/{message}/payload",
        "components": doc["components"],
    }
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def instance(struct: msgspec.Struct) -> Any:
    return json.loads(msgspec.json.encode(struct))


# -- the committed document ------------------------------------------------------------


def test_committed_document_is_what_the_generator_writes(generator: ModuleType) -> None:
    assert DOCUMENT.read_text(encoding="utf-8") == generator.render(generator.build()), (
        "run python scripts/asyncapi.py"
    )


def test_check_flag(generator: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "docs" / "asyncapi.json"
    output.parent.mkdir()
    monkeypatch.setattr(generator, "OUTPUT", output)
    assert generator.main(["--check"]) == 1  # missing
    output.write_text("{}\n", encoding="utf-8")
    assert generator.main(["--check"]) == 1  # stale
    assert generator.main([]) == 0
    assert generator.main(["--check"]) == 0
    assert output.read_text(encoding="utf-8") == DOCUMENT.read_text(encoding="utf-8")


def test_output_is_deterministic(generator: ModuleType) -> None:
    assert generator.render(generator.build()) == generator.render(generator.build())


# -- structure ---------------------------------------------------------------------------


def test_header(doc: dict[str, Any]) -> None:
    assert doc["asyncapi"] == "3.0.0"
    assert doc["info"]["title"] == "chargebus bus"
    assert doc["info"]["version"] == "0.1.0"
    assert "scripts/asyncapi.py" in doc["info"]["description"]
    assert "event_id" in doc["info"]["description"]


def test_every_ref_resolves(doc: dict[str, Any]) -> None:
    found = refs(doc)
    assert len(found) > 100
    for ref in found:
        resolve(doc, ref)
    # msgspec's refs were pointed at components.schemas, not $defs
    assert not [r for r in found if "$defs" in r]


def test_operations_use_their_channels_messages(doc: dict[str, Any]) -> None:
    for name, operation in doc["operations"].items():
        channel = operation["channel"]["$ref"]
        assert operation["messages"], name
        for message in operation["messages"]:
            assert message["$ref"].startswith(channel + "/messages/"), name
        if "reply" in operation:
            reply = operation["reply"]["channel"]["$ref"]
            for message in operation["reply"]["messages"]:
                assert message["$ref"].startswith(reply + "/messages/"), name
    used = {m["$ref"] for o in doc["operations"].values() for m in o["messages"]} | {
        m["$ref"]
        for o in doc["operations"].values()
        for m in o.get("reply", {}).get("messages", [])
    }
    for channel_id, channel in doc["channels"].items():
        for key in channel["messages"]:
            assert f"#/channels/{channel_id}/messages/{key}" in used


def test_addresses_bindings_and_parameters(doc: dict[str, Any]) -> None:
    exchanges = {e.name: e.type for e in topology.EXCHANGES}
    for channel_id, channel in doc["channels"].items():
        amqp = channel["bindings"]["amqp"]
        assert amqp["is"] == "routingKey"
        exchange = amqp["exchange"]
        if channel["address"] is None:  # a reply, to the requester's queue
            assert exchange == {"name": "", "type": "default"}, channel_id
            continue
        assert exchanges[exchange["name"]] == exchange["type"], channel_id
        names = re.findall(r"\{(\w+)\}", channel["address"])
        assert sorted(names) == sorted(channel.get("parameters", {})), channel_id


def test_every_command_has_a_message(doc: dict[str, Any]) -> None:
    messages = doc["components"]["messages"]
    for name in COMMAND_NAMES:
        key = f"command.{name}"
        message = messages[key]
        schemas = message["payload"]["allOf"]
        assert schemas[0] == {"$ref": "#/components/schemas/CommandRequest"}
        params = schemas[1]["properties"]["params"]["$ref"]
        assert params == f"#/components/schemas/{PARAMS[name].__name__}"
        channel = doc["channels"][key]
        assert channel["address"] == key
        assert channel["bindings"]["amqp"]["exchange"]["name"] == topology.COMMANDS
        operation = doc["operations"][f"receive.{key}"]
        assert operation["action"] == "receive"
        assert operation["reply"]["messages"] == [
            {"$ref": "#/channels/command.reply/messages/CommandState"}
        ]


def test_components_have_every_field(doc: dict[str, Any], generator: ModuleType) -> None:
    """Including the types whose Raw defaults the generator had to copy."""
    schemas = doc["components"]["schemas"]
    for cls in generator._types():
        info = msgspec.inspect.type_info(cls)
        assert isinstance(info, msgspec.inspect.StructType)
        names = {f.encode_name for f in info.fields}
        if info.tag_field is not None:
            names.add(info.tag_field)
        assert set(schemas[cls.__name__]["properties"]) == names, cls


# -- what the services encode validates -----------------------------------------------------


def test_a_remote_start_request(doc: dict[str, Any]) -> None:
    validator = payload_validator(doc, "command.remote_start")
    request = CommandRequest(
        charger_id="CP-1",
        params={"id_token": "04E91C5A", "evse_id": 1},
        command_id="c-1",
        ttl_s=60,
    )
    validator.validate(instance(request))
    bad = [
        {"charger_id": "CP-1"},  # no params: no id_token
        {"charger_id": "CP-1", "params": {"id_token": ""}},  # too short
        {"charger_id": "CP-1", "params": {"id_token": "T", "colour": "red"}},  # unknown param
        {"charger_id": "CP-1", "params": {"id_token": "T"}, "priority": 1},  # unknown field
    ]
    for body in bad:
        assert not validator.is_valid(body), body
    payload_validator(doc, "command.clear_cache").validate({"charger_id": "CP-1"})


def test_every_commands_params_schema_takes_what_translate_takes(
    doc: dict[str, Any],
) -> None:
    samples: dict[str, dict[str, Any]] = {
        "remote_start": {"id_token": "T"},
        "remote_stop": {"transaction_id": 7},
        "reset": {"type": "hard"},
        "change_availability": {"available": False, "evse_id": 1},
        "unlock_connector": {"evse_id": 1},
        "trigger_message": {"message": "Heartbeat"},
        "get_configuration": {"keys": ["HeartbeatInterval"]},
        "set_configuration": {"variables": [{"component": "C", "variable": "V", "value": "1"}]},
        "clear_cache": {},
        "data_transfer": {"vendor_id": "acme", "data": {"x": 1}},
        "update_firmware": {"location": "https://fw/1.bin", "retries": 2},
        "get_diagnostics": {"location": "ftp://logs/"},
        "rotate_password": {"length": 24},
        "call": {"action": "ClearCache"},
    }
    assert set(samples) == set(COMMAND_NAMES)
    for name, params in samples.items():
        msgspec.convert(params, PARAMS[name])  # translate takes it
        body = instance(CommandRequest(charger_id="CP-1", params=params))
        payload_validator(doc, f"command.{name}").validate(body)


def test_a_command_state_reply_and_event(doc: dict[str, Any]) -> None:
    state = CommandState(
        command_id="c-1",
        charger_id="CP-1",
        name="remote_start",
        params={"id_token": "T"},
        status="session_started",
        final=True,
        created_at=1732363200.0,
        updated_at=1732363205.5,
        protocol="ocpp1.6",
        calls=[
            CallRecord(
                action="RemoteStartTransaction",
                payload={"idTag": "T"},
                message_id="m-1",
                response={"status": "Accepted"},
            )
        ],
        session_id="s-1",
        transaction_id="17",
        history=[Transition(status="received", at=1732363200.0)],
    )
    reply = payload_validator(doc, "CommandState")
    reply.validate(instance(state))
    state.final = False
    state.status = "sent"
    assert not reply.is_valid(instance(state))  # replies are final

    event = CommandEvent(
        **msgspec.structs.asdict(state),
        type="command.sent",
        event_id="c-1:sent",
        occurred_at=1732363201.0,
    )
    events = payload_validator(doc, "CommandEvent")
    events.validate(instance(event))
    assert not events.is_valid({**instance(event), "type": "command.bogus"})


def test_session_events(doc: dict[str, Any]) -> None:
    started = SessionStarted(
        event_id="e-1",
        charger_id="CP-1",
        occurred_at=1732363200.0,
        session_id="s-1",
        transaction_id="17",
        evse_id=1,
        connector_id=1,
        id_token="T",
        started_at=1732363199.0,
        meter_start_wh=1000.0,
    )
    validator = payload_validator(doc, "session.started")
    validator.validate(instance(started))
    assert not validator.is_valid({**instance(started), "type": "session.ended"})
    assert not validator.is_valid({k: v for k, v in instance(started).items() if k != "event_id"})
    ended = SessionEnded(
        event_id="e-2",
        charger_id="CP-1",
        occurred_at=1732363300.0,
        session_id="s-1",
        transaction_id="17",
        evse_id=1,
        connector_id=1,
        started_at=None,
        ended_at=1732363300.0,
        status="reconciliation",
    )
    payload_validator(doc, "session.ended").validate(instance(ended))


def test_envelopes(doc: dict[str, Any]) -> None:
    raw = msgspec.Raw(b'{"connectorId":1}')
    payload_validator(doc, "OcppMessage").validate(
        instance(
            envelope.OcppMessage(
                charger_id="CP-1",
                version="v16",
                action="StatusNotification",
                message_id="42",
                payload=raw,
                received_at=1732363200.5,
                gateway="gw-a",
            )
        )
    )
    payload_validator(doc, "Reply").validate(instance(envelope.Reply(payload=raw)))
    payload_validator(doc, "Reply").validate(
        instance(envelope.Reply(error_code="SecurityError", error_description="no"))
    )
    payload_validator(doc, "Command").validate(
        instance(
            envelope.Command(
                charger_id="CP-1", action="ClearCache", payload=msgspec.Raw(b"{}"), message_id="m"
            )
        )
    )
    payload_validator(doc, "CommandOutcome").validate(
        instance(envelope.CommandOutcome(status="timeout", message_id="m"))
    )
    payload_validator(doc, "Evict").validate(instance(envelope.Evict(charger_id="CP-1", epoch=3)))
    payload_validator(doc, "charger.connected").validate(
        instance(
            envelope.ChargerConnected(
                charger_id="CP-1", gateway="gw-a", epoch=3, protocol="ocpp2.0.1", occurred_at=1.0
            )
        )
    )


def test_every_command_translate_takes_is_named() -> None:
    from chargebus.commands.translate import PARAMS as TRANSLATED

    assert set(TRANSLATED) == set(COMMAND_NAMES)
