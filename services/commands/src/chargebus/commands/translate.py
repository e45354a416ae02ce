"""Version-neutral commands to the OCPP CALLs of the charger's version.

Each command has a params Struct (checked before anything else: unknown
names and bad params are refused up front) and a translation per version
into one or more CALLs, each validated against the action's request type
before it is sent.  How the charger's answer reads (accepted or not) is in
chargebus.commands.answers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from chargebus.common.ocpp.validation import PayloadInvalid, decode_payload
from chargebus.common.ocpp.versions import OcppVersion, actions_for

__all__ = ["PARAMS", "Invalid", "Plan", "parse_params", "plan", "redacted"]

_SHORT = {v.short: v for v in OcppVersion} | {v.value: v for v in OcppVersion}


class Invalid(Exception):
    """The command can't be sent as asked (the message says why)."""


class _Params(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


Id = Annotated[int, Meta(ge=0)]


EvseId = Annotated[int, Meta(ge=1)]
Time = Annotated[datetime, Meta(tz=True)]


class RemoteStart(_Params):
    id_token: Annotated[str, Meta(min_length=1, max_length=36)]
    id_token_type: str = "Central"  # 2.x only
    evse_id: EvseId | None = None  # 1.6: the connector
    connector_id: Id | None = None
    #: A charging profile in the charger's version's format (TxProfile).
    charging_profile: dict[str, Any] | None = None


class RemoteStop(_Params):
    session_id: str | None = None
    #: The charger's transaction id (1.6: ours, an integer).
    transaction_id: str | int | None = None


class Reset(_Params):
    type: Literal["soft", "hard"] = "soft"
    evse_id: Id | None = None  # 2.x only


class ChangeAvailability(_Params):
    available: bool
    evse_id: Id | None = None  # none: the whole charger
    connector_id: Id | None = None


class UnlockConnector(_Params):
    evse_id: EvseId
    connector_id: Id = 1


class TriggerMessage(_Params):
    #: BootNotification, Heartbeat, StatusNotification, MeterValues,
    #: FirmwareStatusNotification, DiagnosticsStatusNotification (1.6) /
    #: LogStatusNotification (2.x), ...
    message: str
    evse_id: Id | None = None
    connector_id: Id | None = None


class Variable(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    component: str
    variable: str
    value: str | None = None  # set_configuration
    evse_id: Id | None = None
    connector_id: Id | None = None
    component_instance: str | None = None
    variable_instance: str | None = None


class GetConfiguration(_Params):
    #: 1.6 configuration keys (none: all of them).
    keys: list[str] | None = None
    #: 2.x component/variable pairs.
    variables: list[Variable] | None = None
    #: The charger's ItemsPerMessageGetVariables and BytesPerMessageGetVariables
    #: (2.x), when known; else the service's defaults.
    items_per_message: Annotated[int, Meta(ge=1)] | None = None
    bytes_per_message: Annotated[int, Meta(ge=1)] | None = None


class SetConfiguration(_Params):
    #: 1.6: key -> value (one ChangeConfiguration per key).
    values: dict[str, str] | None = None
    #: 2.x: component/variable/value.
    variables: list[Variable] | None = None
    items_per_message: Annotated[int, Meta(ge=1)] | None = None
    bytes_per_message: Annotated[int, Meta(ge=1)] | None = None


class ClearCache(_Params):
    pass


class DataTransfer(_Params):
    vendor_id: str
    message_id: str | None = None
    data: Any = None


class UpdateFirmware(_Params):
    location: str
    retrieve_at: Time | None = None  # default: now
    retries: Annotated[int, Meta(ge=0)] | None = None
    retry_interval: Annotated[int, Meta(ge=0)] | None = None
    signing_certificate: str | None = None  # 2.x
    signature: str | None = None  # 2.x


class GetDiagnostics(_Params):
    location: str
    start: Time | None = None
    stop: Time | None = None
    retries: Annotated[int, Meta(ge=0)] | None = None
    retry_interval: Annotated[int, Meta(ge=0)] | None = None


class RotatePassword(_Params):
    """A new Basic password, made by the service (never given, stored or
    shown in clear): 2.x BasicAuthPassword of ``length`` characters (16 to
    40, default 32); 1.6 AuthorizationKey of ``length`` bytes (16 to 20,
    default 20)."""

    length: Annotated[int, Meta(ge=16, le=40)] | None = None


class RawCall(_Params):
    action: str
    payload: dict[str, Any] = msgspec.field(default_factory=dict)


PARAMS: dict[str, type[_Params]] = {
    "remote_start": RemoteStart,
    "remote_stop": RemoteStop,
    "reset": Reset,
    "change_availability": ChangeAvailability,
    "unlock_connector": UnlockConnector,
    "trigger_message": TriggerMessage,
    "get_configuration": GetConfiguration,
    "set_configuration": SetConfiguration,
    "clear_cache": ClearCache,
    "data_transfer": DataTransfer,
    "update_firmware": UpdateFirmware,
    "get_diagnostics": GetDiagnostics,
    "rotate_password": RotatePassword,
    "call": RawCall,
}


def parse_params(name: str, params: dict[str, Any]) -> _Params:
    """The command's params, checked (Invalid says what is wrong)."""
    type_ = PARAMS.get(name)
    if type_ is None:
        raise Invalid(f"unknown command {name!r}; known: {', '.join(PARAMS)}")
    try:
        parsed: _Params = msgspec.convert(params, type_, strict=False)
    except msgspec.ValidationError as exc:
        raise Invalid(f"{name}: {exc}") from None
    if isinstance(parsed, RemoteStop) and (parsed.session_id is None) == (
        parsed.transaction_id is None
    ):
        raise Invalid("remote_stop: give session_id or transaction_id (one of them)")
    if (
        isinstance(parsed, ChangeAvailability | TriggerMessage)
        and parsed.connector_id is not None
        and parsed.evse_id is None
    ):
        # without it the whole charger would be meant: refuse rather than guess
        raise Invalid(f"{name}: connector_id needs evse_id (a 1.6 connector is an evse_id)")
    return parsed


class Plan(msgspec.Struct, kw_only=True):
    """The CALLs to send, in order."""

    calls: list[tuple[str, dict[str, Any]]]


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def _evse(evse_id: int | None, connector_id: int | None) -> dict[str, Any] | None:
    if evse_id is None:
        return None
    evse: dict[str, Any] = {"id": evse_id}
    if connector_id is not None:
        evse["connectorId"] = connector_id
    return evse


def _drop_none(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if v is not None}


def _chunks(
    items: list[dict[str, Any]], per: int, max_bytes: int | None
) -> list[list[dict[str, Any]]]:
    """Split items into messages of at most ``per`` items and (roughly, the
    envelope aside) ``max_bytes`` bytes."""
    out: list[list[dict[str, Any]]] = []
    current: list[dict[str, Any]] = []
    size = 0
    for item in items:
        item_size = len(msgspec.json.encode(item)) + 1
        if current and (len(current) >= per or (max_bytes and size + item_size > max_bytes)):
            out.append(current)
            current, size = [], 0
        current.append(item)
        size += item_size
    if current:
        out.append(current)
    return out


def _variable_item(v: Variable, with_value: bool) -> dict[str, Any]:
    component = _drop_none(
        {
            "name": v.component,
            "instance": v.component_instance,
            "evse": _evse(v.evse_id, v.connector_id),
        }
    )
    item: dict[str, Any] = {
        "component": component,
        "variable": _drop_none({"name": v.variable, "instance": v.variable_instance}),
    }
    if with_value:
        if v.value is None:
            raise Invalid(f"set_configuration: {v.component}.{v.variable} has no value")
        item["attributeValue"] = v.value
    return item


Context = dict[str, Any]  # remote_start_id, request_id, now, transaction_id (resolved)


def _translate(
    name: str, p: Any, version: OcppVersion, ctx: Context
) -> list[tuple[str, dict[str, Any]]]:
    v16 = version is OcppVersion.V16
    if name == "remote_start":
        if v16:
            return [
                (
                    "RemoteStartTransaction",
                    _drop_none(
                        {
                            "idTag": p.id_token,
                            "connectorId": p.evse_id,
                            "chargingProfile": p.charging_profile,
                        }
                    ),
                )
            ]
        return [
            (
                "RequestStartTransaction",
                _drop_none(
                    {
                        "idToken": {"idToken": p.id_token, "type": p.id_token_type},
                        "remoteStartId": ctx["remote_start_id"],
                        "evseId": p.evse_id,
                        "chargingProfile": p.charging_profile,
                    }
                ),
            )
        ]
    if name == "remote_stop":
        transaction_id = ctx["transaction_id"]
        if v16:
            try:
                return [("RemoteStopTransaction", {"transactionId": int(transaction_id)})]
            except ValueError:
                raise Invalid(
                    f"a 1.6 transaction id is an integer, not {transaction_id!r}"
                ) from None
        return [("RequestStopTransaction", {"transactionId": str(transaction_id)})]
    if name == "reset":
        if v16:
            if p.evse_id is not None:
                raise Invalid("reset: a 1.6 charger resets as a whole (no evse_id)")
            return [("Reset", {"type": p.type.capitalize()})]
        kind = "OnIdle" if p.type == "soft" else "Immediate"
        return [("Reset", _drop_none({"type": kind, "evseId": p.evse_id}))]
    if name == "change_availability":
        kind = "Operative" if p.available else "Inoperative"
        if v16:
            return [("ChangeAvailability", {"connectorId": p.evse_id or 0, "type": kind})]
        return [
            (
                "ChangeAvailability",
                _drop_none({"operationalStatus": kind, "evse": _evse(p.evse_id, p.connector_id)}),
            )
        ]
    if name == "unlock_connector":
        if v16:
            return [("UnlockConnector", {"connectorId": p.evse_id})]
        return [("UnlockConnector", {"evseId": p.evse_id, "connectorId": p.connector_id})]
    if name == "trigger_message":
        message = p.message
        if v16:
            if message == "LogStatusNotification":
                message = "DiagnosticsStatusNotification"
            return [
                (
                    "TriggerMessage",
                    _drop_none({"requestedMessage": message, "connectorId": p.evse_id}),
                )
            ]
        if message == "DiagnosticsStatusNotification":
            message = "LogStatusNotification"
        return [
            (
                "TriggerMessage",
                _drop_none({"requestedMessage": message, "evse": _evse(p.evse_id, p.connector_id)}),
            )
        ]
    if name == "get_configuration":
        if v16:
            if p.variables:
                raise Invalid("get_configuration: a 1.6 charger has keys, not variables")
            return [("GetConfiguration", _drop_none({"key": p.keys}))]
        if not p.variables:
            raise Invalid(
                "get_configuration: a 2.x charger needs variables (component and variable)"
            )
        items = [_variable_item(v, False) for v in p.variables]
        per = p.items_per_message or ctx["items_per_message"]
        return [
            ("GetVariables", {"getVariableData": chunk})
            for chunk in _chunks(items, per, p.bytes_per_message or ctx["bytes_per_message"])
        ]
    if name == "set_configuration":
        if v16:
            if p.variables or not p.values:
                raise Invalid("set_configuration: a 1.6 charger takes values: {key: value}")
            calls = [
                ("ChangeConfiguration", {"key": k, "value": val}) for k, val in p.values.items()
            ]
            _refuse_secrets(calls)
            return calls
        if p.values or not p.variables:
            raise Invalid("set_configuration: a 2.x charger takes variables with values")
        items = [_variable_item(v, True) for v in p.variables]
        _refuse_secrets([("SetVariables", {"setVariableData": items})])
        per = p.items_per_message or ctx["items_per_message"]
        return [
            ("SetVariables", {"setVariableData": chunk})
            for chunk in _chunks(items, per, p.bytes_per_message or ctx["bytes_per_message"])
        ]
    if name == "clear_cache":
        return [("ClearCache", {})]
    if name == "data_transfer":
        return [
            (
                "DataTransfer",
                _drop_none({"vendorId": p.vendor_id, "messageId": p.message_id, "data": p.data}),
            )
        ]
    if name == "update_firmware":
        retrieve = _iso(p.retrieve_at or ctx["now"])
        if v16:
            return [
                (
                    "UpdateFirmware",
                    _drop_none(
                        {
                            "location": p.location,
                            "retrieveDate": retrieve,
                            "retries": p.retries,
                            "retryInterval": p.retry_interval,
                        }
                    ),
                )
            ]
        return [
            (
                "UpdateFirmware",
                _drop_none(
                    {
                        "requestId": ctx["request_id"],
                        "retries": p.retries,
                        "retryInterval": p.retry_interval,
                        "firmware": _drop_none(
                            {
                                "location": p.location,
                                "retrieveDateTime": retrieve,
                                "signingCertificate": p.signing_certificate,
                                "signature": p.signature,
                            }
                        ),
                    }
                ),
            )
        ]
    if name == "get_diagnostics":
        start = _iso(p.start) if p.start else None
        stop = _iso(p.stop) if p.stop else None
        if v16:
            return [
                (
                    "GetDiagnostics",
                    _drop_none(
                        {
                            "location": p.location,
                            "startTime": start,
                            "stopTime": stop,
                            "retries": p.retries,
                            "retryInterval": p.retry_interval,
                        }
                    ),
                )
            ]
        return [
            (
                "GetLog",
                _drop_none(
                    {
                        "logType": "DiagnosticsLog",
                        "requestId": ctx["request_id"],
                        "retries": p.retries,
                        "retryInterval": p.retry_interval,
                        "log": _drop_none(
                            {
                                "remoteLocation": p.location,
                                "oldestTimestamp": start,
                                "latestTimestamp": stop,
                            }
                        ),
                    }
                ),
            )
        ]
    if name == "rotate_password":
        # The secret is made by the service (ctx) and only its hash is kept.
        if v16:
            key: bytes = ctx["secret"]
            return [("ChangeConfiguration", {"key": "AuthorizationKey", "value": key.hex()})]
        return [("SetVariables", {"setVariableData": [_password_item(ctx["secret"])]})]
    if name == "call":
        _refuse_secrets([(p.action, p.payload)])
        return [(p.action, p.payload)]
    raise Invalid(f"unknown command {name!r}")  # pragma: no cover - PARAMS covers it


def _password_item(password: str) -> dict[str, Any]:
    return {
        "attributeValue": password,
        "component": {"name": "SecurityCtrlr"},
        "variable": {"name": "BasicAuthPassword"},
    }


def _refuse_secrets(calls: list[tuple[str, dict[str, Any]]]) -> None:
    """The Basic password is set only by rotate_password: set any other way
    it would be stored in clear, and the CSMS wouldn't know it (the charger
    would be locked out at its next connection)."""
    for action, payload in calls:
        key = str(payload.get("key", "")).casefold()
        if action == "ChangeConfiguration" and key == "authorizationkey":
            raise Invalid("the AuthorizationKey is changed with rotate_password only")
        if action == "SetVariables":
            for item in payload.get("setVariableData") or []:
                variable = (item.get("variable") or {}).get("name", "")
                if str(variable).casefold() == "basicauthpassword":
                    raise Invalid("the BasicAuthPassword is changed with rotate_password only")


def redacted(name: str, payload: dict[str, Any]) -> dict[str, Any]:
    """A rotate_password CALL's payload as it may be stored: the secret out."""
    if name != "rotate_password":
        return payload
    if "key" in payload:
        return {**payload, "value": "(redacted)"}
    return {
        "setVariableData": [
            {**item, "attributeValue": "(redacted)"} for item in payload["setVariableData"]
        ]
    }


def plan(name: str, params: Any, protocol: str, ctx: Context) -> Plan:
    """The CALLs for ``protocol`` (a subprotocol or short version name),
    each checked against the action's request type (strictly)."""
    version = _SHORT.get(protocol)
    if version is None:
        raise Invalid(f"unknown protocol {protocol!r}")
    calls = _translate(name, params, version, ctx)
    actions = actions_for(version)
    for action, payload in calls:
        entry = actions.get(action)
        if entry is None or entry.response is None or not entry.sent_by_csms:
            raise Invalid(f"{action} is not something a CSMS sends in {version.value}")
        checked = decode_payload(msgspec.json.encode(payload), entry.request)
        if isinstance(checked, PayloadInvalid):
            raise Invalid(f"{action} for {version.value}: {checked.description}")
    return Plan(calls=calls)
