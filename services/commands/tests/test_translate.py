"""Every command translates, for every version, into CALLs the official
schemas accept; what can't be translated is refused with a reason."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest
from ocpp_schemas import load

from chargebus.commands import translate
from chargebus.commands.translate import Invalid, Plan, parse_params
from chargebus.common.commands import COMMAND_NAMES
from chargebus.common.ocpp.versions import OcppVersion, actions_for

CONTEXT = {
    "now": datetime(2026, 11, 23, 12, 0, tzinfo=UTC),
    "items_per_message": 20,
    "bytes_per_message": 32768,
    "remote_start_id": 7,
    "request_id": 9,
    "transaction_id": "42",
}

VARIABLES = [{"component": "OCPPCommCtrlr", "variable": "HeartbeatInterval", "value": "300"}]

SAMPLES: list[tuple[str, dict[str, Any], dict[str, str]]] = [
    # name, params, the action per version (v16, v201)
    (
        "remote_start",
        {"id_token": "TAG", "evse_id": 1},
        {"v16": "RemoteStartTransaction", "v201": "RequestStartTransaction"},
    ),
    (
        "remote_start",
        {"id_token": "TAG", "id_token_type": "ISO14443"},
        {"v16": "RemoteStartTransaction", "v201": "RequestStartTransaction"},
    ),
    (
        "remote_stop",
        {"transaction_id": "42"},
        {"v16": "RemoteStopTransaction", "v201": "RequestStopTransaction"},
    ),
    ("reset", {"type": "hard"}, {"v16": "Reset", "v201": "Reset"}),
    ("reset", {"type": "soft", "evse_id": 1}, {"v201": "Reset"}),
    (
        "change_availability",
        {"available": False, "evse_id": 2, "connector_id": 1},
        {"v16": "ChangeAvailability", "v201": "ChangeAvailability"},
    ),
    (
        "change_availability",
        {"available": True},
        {"v16": "ChangeAvailability", "v201": "ChangeAvailability"},
    ),
    ("unlock_connector", {"evse_id": 1}, {"v16": "UnlockConnector", "v201": "UnlockConnector"}),
    (
        "trigger_message",
        {"message": "StatusNotification", "evse_id": 1, "connector_id": 1},
        {"v16": "TriggerMessage", "v201": "TriggerMessage"},
    ),
    (
        "trigger_message",
        {"message": "DiagnosticsStatusNotification"},
        {"v16": "TriggerMessage", "v201": "TriggerMessage"},
    ),
    ("get_configuration", {"keys": ["HeartbeatInterval"]}, {"v16": "GetConfiguration"}),
    ("get_configuration", {}, {"v16": "GetConfiguration"}),
    ("get_configuration", {"variables": VARIABLES}, {"v201": "GetVariables"}),
    ("set_configuration", {"values": {"HeartbeatInterval": "300"}}, {"v16": "ChangeConfiguration"}),
    ("set_configuration", {"variables": VARIABLES}, {"v201": "SetVariables"}),
    ("clear_cache", {}, {"v16": "ClearCache", "v201": "ClearCache"}),
    (
        "data_transfer",
        {"vendor_id": "com.example", "message_id": "m", "data": "x"},
        {"v16": "DataTransfer", "v201": "DataTransfer"},
    ),
    (
        "update_firmware",
        {"location": "https://fw.example/1.2.bin"},
        {"v16": "UpdateFirmware", "v201": "UpdateFirmware"},
    ),
    (
        "get_diagnostics",
        {"location": "ftp://logs.example/", "start": "2026-11-01T00:00:00Z"},
        {"v16": "GetDiagnostics", "v201": "GetLog"},
    ),
    (
        "call",
        {"action": "GetLocalListVersion"},
        {"v16": "GetLocalListVersion", "v201": "GetLocalListVersion"},
    ),
]


class Calls(msgspec.Struct):
    calls: list[tuple[str, dict[str, Any]]]


def plan(name: str, params: Any, protocol: str, context: dict[str, Any]) -> Calls:
    """The plan's CALLs as (action, payload): the JSON the charger gets."""
    return Calls(
        [(c.action, c.as_dict()) for c in translate.plan(name, params, protocol, context).calls]
    )


CASES = [
    (name, params, short, action)
    for name, params, actions in SAMPLES
    for short, action in actions.items()
]


@pytest.mark.parametrize(("name", "params", "short", "action"), CASES)
def test_each_command_becomes_calls_the_schemas_accept(
    name: str, params: dict[str, Any], short: str, action: str
) -> None:
    calls = plan(name, parse_params(name, params), short, CONTEXT).calls
    assert [a for a, _ in calls] == [action]
    _, validator, _ = load(short, action, "request")
    for _, payload in calls:
        errors = [e.message for e in validator.iter_errors(payload)]
        assert not errors, (payload, errors)
    # 2.1 speaks 2.0.1's commands too
    if short == "v201":
        _, validator21, _ = load("v21", action, "request")
        for _, payload in plan(name, parse_params(name, params), "v21", CONTEXT).calls:
            assert not list(validator21.iter_errors(payload)), payload


def test_the_versions_differ_where_they_should() -> None:
    def payload(name: str, params: dict[str, Any], short: str) -> dict[str, Any]:
        return plan(name, parse_params(name, params), short, CONTEXT).calls[0][1]

    assert payload("reset", {"type": "soft"}, "v16") == {"type": "Soft"}
    assert payload("reset", {"type": "soft"}, "v201") == {"type": "OnIdle"}
    assert payload("reset", {"type": "hard"}, "v201") == {"type": "Immediate"}
    assert payload("remote_stop", {"transaction_id": "42"}, "v16") == {"transactionId": 42}
    assert payload("remote_start", {"id_token": "T"}, "v201")["remoteStartId"] == 7
    assert payload("update_firmware", {"location": "x"}, "v201")["requestId"] == 9


def test_set_variables_are_split_by_items_and_bytes_per_message() -> None:
    variables = [{"component": "Ctrlr", "variable": f"V{n}", "value": "x" * 40} for n in range(45)]
    by_items = plan(
        "set_configuration",
        parse_params("set_configuration", {"variables": variables}),
        "v201",
        CONTEXT,
    ).calls
    assert [len(p["setVariableData"]) for _, p in by_items] == [20, 20, 5]
    by_bytes = plan(
        "set_configuration",
        parse_params("set_configuration", {"variables": variables, "bytes_per_message": 1000}),
        "v201",
        CONTEXT,
    ).calls
    assert len(by_bytes) > 3 and all(len(str(p)) < 1400 for _, p in by_bytes)
    assert sum(len(p["setVariableData"]) for _, p in by_bytes) == 45
    one_per_key = plan(
        "set_configuration",
        parse_params("set_configuration", {"values": {"A": "1", "B": "2"}}),
        "v16",
        CONTEXT,
    ).calls
    assert one_per_key == [
        ("ChangeConfiguration", {"key": "A", "value": "1"}),
        ("ChangeConfiguration", {"key": "B", "value": "2"}),
    ]


@pytest.mark.parametrize(
    ("name", "params", "short", "reason"),
    [
        ("fly", {}, "v16", "unknown command"),
        ("remote_start", {"id_token": ""}, "v16", "id_token"),
        ("remote_start", {"id_token": "T" * 21}, "v16", "RemoteStartTransaction"),
        ("remote_stop", {"transaction_id": "TX-A"}, "v16", "integer"),
        ("get_configuration", {"keys": ["A"]}, "v201", "variables"),
        (
            "call",
            {"action": "BootNotification", "payload": {}},
            "v16",
            "not something a CSMS sends",
        ),
        ("call", {"action": "Reset", "payload": {"type": "Sideways"}}, "v16", "Reset"),
        ("unlock_connector", {"evse_id": 0}, "v16", "evse_id"),
        ("change_availability", {"available": False, "connector_id": 2}, "v16", "needs evse_id"),
        ("trigger_message", {"message": "MeterValues", "connector_id": 1}, "v201", "needs evse_id"),
        ("reset", {"type": "hard", "evse_id": 1}, "v16", "as a whole"),
        (
            "update_firmware",
            {"location": "x", "retrieve_at": "2026-11-23T10:00:00"},
            "v16",
            "retrieve_at",
        ),
    ],
)
def test_what_cannot_be_sent_is_refused_with_a_reason(
    name: str, params: dict[str, Any], short: str, reason: str
) -> None:
    # the service puts the transaction id to stop into the context
    context = CONTEXT | {"transaction_id": str(params.get("transaction_id", "42"))}
    with pytest.raises(Invalid, match=reason):
        plan(name, parse_params(name, params), short, context)


def test_answers_are_read_as_the_charger_meant_them() -> None:
    from chargebus.commands.answers import verdict

    assert verdict("GetConfiguration", {"unknownKey": ["Nope"]}) == (False, "unknown keys: Nope")
    assert verdict(
        "GetConfiguration",
        {"configurationKey": [{"key": "A", "readonly": True}], "unknownKey": ["B"]},
    ) == (True, "unknown keys: B")
    assert verdict("GetVariables", {"getVariableResult": []}) == (False, "no results")
    assert verdict("TriggerMessage", {"status": "NotImplemented"}) == (False, "NotImplemented")
    assert verdict("UnlockConnector", {"status": "Unlocked"}) == (True, "Unlocked")
    assert verdict("UnlockConnector", {"status": "UnlockFailed"}) == (False, "UnlockFailed")
    assert verdict("ChangeAvailability", {"status": "Scheduled"}) == (True, "Scheduled")
    assert verdict("UpdateFirmware", {}) == (True, None)


def test_rotate_password_sends_the_secret_made_by_the_service_and_stores_it_redacted() -> None:
    from chargebus.commands.translate import redacted

    key = bytes(range(20))
    [(action, payload)] = plan(
        "rotate_password", parse_params("rotate_password", {}), "ocpp1.6", {"secret": key}
    ).calls
    assert (action, payload) == (
        "ChangeConfiguration",
        {"key": "AuthorizationKey", "value": key.hex()},
    )
    assert redacted("rotate_password", payload)["value"] == "(redacted)"
    [(action, payload)] = plan(
        "rotate_password", parse_params("rotate_password", {}), "ocpp2.0.1", {"secret": "p" * 32}
    ).calls
    assert action == "SetVariables"
    assert payload["setVariableData"][0]["attributeValue"] == "p" * 32
    stored = redacted("rotate_password", payload)
    assert (
        "p" * 32 not in str(stored) and payload["setVariableData"][0]["attributeValue"] == "p" * 32
    )
    assert redacted("reset", {"type": "Soft"}) == {"type": "Soft"}


@pytest.mark.parametrize(
    ("name", "params", "protocol"),
    [
        ("set_configuration", {"values": {"authorizationKey": "00" * 16}}, "ocpp1.6"),
        (
            "call",
            {
                "action": "ChangeConfiguration",
                "payload": {"key": "AuthorizationKey", "value": "00" * 16},
            },
            "ocpp1.6",
        ),
        (
            "set_configuration",
            {
                "variables": [
                    {
                        "component": "SecurityCtrlr",
                        "variable": "BasicAuthPassword",
                        "value": "x" * 16,
                    }
                ]
            },
            "ocpp2.0.1",
        ),
    ],
)
def test_the_basic_password_is_set_by_rotate_password_only(name, params, protocol) -> None:
    with pytest.raises(Invalid, match="rotate_password"):
        plan(
            name,
            parse_params(name, params),
            protocol,
            {"items_per_message": 10, "bytes_per_message": 10000},
        )


SECRETS = {"v16": bytes(range(20)), "v201": "p" * 32, "v21": "p" * 32}


def _plan(name: str, params: dict[str, Any], short: str) -> Plan:
    context = CONTEXT | {"secret": SECRETS[short]}
    return translate.plan(name, parse_params(name, params), short, context)


def test_every_command_has_one_translator() -> None:
    assert set(translate.TRANSLATORS) == set(translate.PARAMS) == set(COMMAND_NAMES)
    sampled = {name for name, _, _ in SAMPLES} | {"rotate_password"}
    assert sampled == set(COMMAND_NAMES)


ROTATE = {"v16": "ChangeConfiguration", "v201": "SetVariables"}


@pytest.mark.parametrize(
    ("name", "params", "actions"),
    [*SAMPLES, ("rotate_password", {}, ROTATE)],
)
@pytest.mark.parametrize("short", ["v16", "v201", "v21"])
def test_every_command_on_every_version_is_the_versions_request_struct(
    name: str, params: dict[str, Any], actions: dict[str, str], short: str
) -> None:
    """The CALL is the generated request Struct of the charger's exact
    version (2.1 speaks 2.0.1's commands); the payload sent decodes to it and
    it encodes to the payload.  What a version can't do is refused."""
    version = OcppVersion.from_short(short)
    action = actions.get("v201" if short == "v21" else short)
    if action is None:
        with pytest.raises(Invalid):
            _plan(name, params, short)
        return
    calls = _plan(name, params, short).calls
    assert [call.action for call in calls] == [action] * len(calls) and calls
    for call in calls:
        request_type = actions_for(version)[call.action].request
        assert type(call.request) is request_type
        assert request_type.__module__.endswith(f".{short}.messages")
        assert msgspec.json.decode(call.payload, type=request_type) == call.request
        assert msgspec.json.encode(call.request) == call.payload
        # optional fields not given are left out (J201 §4.1.6), none is null
        assert b"null" not in call.payload


def test_what_the_caller_gave_verbatim_goes_out_as_given() -> None:
    """A ``call``'s payload and a charging profile are the caller's JSON,
    checked by the version's Struct but sent as written."""
    payload = {"customData": {"vendorId": "com.example", "note": 1}}
    [call] = _plan("call", {"action": "ClearCache", "payload": payload}, "v201").calls
    assert call.as_dict() == payload
    profile = {
        "chargingProfileId": 1,
        "stackLevel": 0,
        "chargingProfilePurpose": "TxProfile",
        "chargingProfileKind": "Absolute",
        "chargingSchedule": {
            "chargingRateUnit": "A",
            "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}],
        },
    }
    [call] = _plan("remote_start", {"id_token": "T", "charging_profile": profile}, "v16").calls
    assert b'"limit":16}' in call.payload
    assert call.as_dict()["chargingProfile"] == profile
