"""Version-neutral commands to the OCPP CALLs of the charger's version.

Each command has a params Struct (checked before anything else: unknown
names and bad params are refused up front) and a translator
(:data:`TRANSLATORS`), one function per command, that builds the generated
request Structs of the charger's version: 1.6's, or 2.0.1's for 2.x (2.1
speaks 2.0.1's commands).  :func:`plan` checks each against the action's
request type of the charger's exact version (strictly, decoding the payload
that will be sent: an optional field not given is left out, J201 §4.1.6).
How the charger's answer reads (accepted or not) is in
chargebus.commands.answers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar, cast

import msgspec
from msgspec import UNSET, Meta, UnsetType

from chargebus.common.ocpp.types import Message
from chargebus.common.ocpp.v16 import messages as v16
from chargebus.common.ocpp.v21 import messages as v21
from chargebus.common.ocpp.v201 import messages as v201
from chargebus.common.ocpp.validation import PayloadInvalid, decode_payload
from chargebus.common.ocpp.versions import SHORT_NAMES, OcppVersion, actions_for

__all__ = [
    "PARAMS",
    "TRANSLATORS",
    "Call",
    "Invalid",
    "Plan",
    "RawRequest",
    "parse_params",
    "plan",
    "redacted",
]

T = TypeVar("T")
S = TypeVar("S", bound=msgspec.Struct)
V16 = OcppVersion.V16


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


class RawRequest(msgspec.Struct, kw_only=True):
    """The ``call`` command's CALL: the action and payload the caller gave,
    sent as given (checked against the action's request type like any)."""

    action: str
    payload: msgspec.Raw


#: What a translator returns per CALL: the request Struct (1.6's for 1.6,
#: 2.0.1's for 2.x: 2.1 speaks 2.0.1's commands), or a ``call``'s own.
Request = Message | RawRequest


class Call(msgspec.Struct, kw_only=True, frozen=True):
    """One CALL to send: its action, its request as the charger's version's
    Struct (checked), and the JSON payload sent, which it decodes from."""

    action: str
    request: Message
    payload: bytes

    def as_dict(self) -> dict[str, Any]:
        """The payload as the command's record keeps it."""
        value: dict[str, Any] = msgspec.json.decode(self.payload)
        return value


class Plan(msgspec.Struct, kw_only=True):
    """The CALLs to send, in order."""

    calls: list[Call]


Context = dict[str, Any]  # remote_start_id, request_id, now, transaction_id (resolved)
Translator = Callable[[Any, OcppVersion, Context], list[Request]]


def _verbatim(value: Any) -> Any:
    """A sub-document the caller gave in the charger's version's own format
    (a charging profile): sent as given, checked with the whole request."""
    return msgspec.Raw(msgspec.json.encode(value))


def _set(value: T | None) -> T | UnsetType:
    """An optional field: left out of the CALL when not given."""
    return UNSET if value is None else value


def _evse(evse_id: int | None, connector_id: int | None) -> v201.EVSEType | UnsetType:
    if evse_id is None:
        return UNSET
    return v201.EVSEType(id=evse_id, connector_id=_set(connector_id))


def _chunks(items: list[S], per: int, max_bytes: int | None) -> list[list[S]]:
    """Split items into messages of at most ``per`` items and (roughly, the
    envelope aside) ``max_bytes`` bytes."""
    out: list[list[S]] = []
    current: list[S] = []
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


def _component(v: Variable) -> v201.ComponentType:
    return v201.ComponentType(
        name=v.component,
        instance=_set(v.component_instance),
        evse=_evse(v.evse_id, v.connector_id),
    )


def _variable(v: Variable) -> v201.VariableType:
    return v201.VariableType(name=v.variable, instance=_set(v.variable_instance))


# -- one translator per command --------------------------------------------------------


def remote_start(p: RemoteStart, version: OcppVersion, ctx: Context) -> list[Request]:
    profile = _verbatim(p.charging_profile) if p.charging_profile is not None else UNSET
    if version is V16:
        return [
            v16.RemoteStartTransactionRequest(
                id_tag=p.id_token, connector_id=_set(p.evse_id), charging_profile=profile
            )
        ]
    return [
        v201.RequestStartTransactionRequest(
            id_token=v201.IdTokenType(
                id_token=p.id_token, type=cast(v201.IdTokenEnumType, p.id_token_type)
            ),
            remote_start_id=ctx["remote_start_id"],
            evse_id=_set(p.evse_id),
            charging_profile=profile,
        )
    ]


def remote_stop(p: RemoteStop, version: OcppVersion, ctx: Context) -> list[Request]:
    transaction_id = ctx["transaction_id"]
    if version is V16:
        try:
            return [v16.RemoteStopTransactionRequest(transaction_id=int(transaction_id))]
        except ValueError:
            raise Invalid(f"a 1.6 transaction id is an integer, not {transaction_id!r}") from None
    return [v201.RequestStopTransactionRequest(transaction_id=str(transaction_id))]


def reset(p: Reset, version: OcppVersion, ctx: Context) -> list[Request]:
    if version is V16:
        if p.evse_id is not None:
            raise Invalid("reset: a 1.6 charger resets as a whole (no evse_id)")
        return [v16.ResetRequest(type="Soft" if p.type == "soft" else "Hard")]
    kind: v201.ResetEnumType = "OnIdle" if p.type == "soft" else "Immediate"
    return [v201.ResetRequest(type=kind, evse_id=_set(p.evse_id))]


def change_availability(p: ChangeAvailability, version: OcppVersion, ctx: Context) -> list[Request]:
    kind: v201.OperationalStatusEnumType = "Operative" if p.available else "Inoperative"
    if version is V16:
        return [v16.ChangeAvailabilityRequest(connector_id=p.evse_id or 0, type=kind)]
    return [
        v201.ChangeAvailabilityRequest(
            operational_status=kind, evse=_evse(p.evse_id, p.connector_id)
        )
    ]


def unlock_connector(p: UnlockConnector, version: OcppVersion, ctx: Context) -> list[Request]:
    if version is V16:
        return [v16.UnlockConnectorRequest(connector_id=p.evse_id)]
    return [v201.UnlockConnectorRequest(evse_id=p.evse_id, connector_id=p.connector_id)]


def trigger_message(p: TriggerMessage, version: OcppVersion, ctx: Context) -> list[Request]:
    # The diagnostics status is called the log status in 2.x, and back.
    message = p.message
    if version is V16:
        if message == "LogStatusNotification":
            message = "DiagnosticsStatusNotification"
        return [
            v16.TriggerMessageRequest(
                requested_message=cast(v16.RequestedMessageEnum, message),
                connector_id=_set(p.evse_id),
            )
        ]
    if message == "DiagnosticsStatusNotification":
        message = "LogStatusNotification"
    return [
        v201.TriggerMessageRequest(
            requested_message=cast(v201.MessageTriggerEnumType, message),
            evse=_evse(p.evse_id, p.connector_id),
        )
    ]


def get_configuration(p: GetConfiguration, version: OcppVersion, ctx: Context) -> list[Request]:
    if version is V16:
        if p.variables:
            raise Invalid("get_configuration: a 1.6 charger has keys, not variables")
        return [v16.GetConfigurationRequest(key=_set(p.keys))]
    if not p.variables:
        raise Invalid("get_configuration: a 2.x charger needs variables (component and variable)")
    items = [
        v201.GetVariableDataType(component=_component(v), variable=_variable(v))
        for v in p.variables
    ]
    per = p.items_per_message or ctx["items_per_message"]
    return [
        v201.GetVariablesRequest(get_variable_data=chunk)
        for chunk in _chunks(items, per, p.bytes_per_message or ctx["bytes_per_message"])
    ]


def set_configuration(p: SetConfiguration, version: OcppVersion, ctx: Context) -> list[Request]:
    if version is V16:
        if p.variables or not p.values:
            raise Invalid("set_configuration: a 1.6 charger takes values: {key: value}")
        calls: list[Request] = [
            v16.ChangeConfigurationRequest(key=k, value=val) for k, val in p.values.items()
        ]
        _refuse_secrets(calls)
        return calls
    if p.values or not p.variables:
        raise Invalid("set_configuration: a 2.x charger takes variables with values")
    items: list[v201.SetVariableDataType] = []
    for v in p.variables:
        if v.value is None:
            raise Invalid(f"set_configuration: {v.component}.{v.variable} has no value")
        items.append(
            v201.SetVariableDataType(
                attribute_value=v.value, component=_component(v), variable=_variable(v)
            )
        )
    _refuse_secrets([v201.SetVariablesRequest(set_variable_data=items)])
    per = p.items_per_message or ctx["items_per_message"]
    return [
        v201.SetVariablesRequest(set_variable_data=chunk)
        for chunk in _chunks(items, per, p.bytes_per_message or ctx["bytes_per_message"])
    ]


def clear_cache(p: ClearCache, version: OcppVersion, ctx: Context) -> list[Request]:
    return [v16.ClearCacheRequest() if version is V16 else v201.ClearCacheRequest()]


def data_transfer(p: DataTransfer, version: OcppVersion, ctx: Context) -> list[Request]:
    if version is V16:
        return [
            v16.DataTransferRequest(
                vendor_id=p.vendor_id, message_id=_set(p.message_id), data=_set(p.data)
            )
        ]
    return [
        v201.DataTransferRequest(
            vendor_id=p.vendor_id, message_id=_set(p.message_id), data=_set(p.data)
        )
    ]


def update_firmware(p: UpdateFirmware, version: OcppVersion, ctx: Context) -> list[Request]:
    retrieve = p.retrieve_at or ctx["now"]
    if version is V16:
        return [
            v16.UpdateFirmwareRequest(
                location=p.location,
                retrieve_date=retrieve,
                retries=_set(p.retries),
                retry_interval=_set(p.retry_interval),
            )
        ]
    return [
        v201.UpdateFirmwareRequest(
            request_id=ctx["request_id"],
            retries=_set(p.retries),
            retry_interval=_set(p.retry_interval),
            firmware=v201.FirmwareType(
                location=p.location,
                retrieve_date_time=retrieve,
                signing_certificate=_set(p.signing_certificate),
                signature=_set(p.signature),
            ),
        )
    ]


def get_diagnostics(p: GetDiagnostics, version: OcppVersion, ctx: Context) -> list[Request]:
    if version is V16:
        return [
            v16.GetDiagnosticsRequest(
                location=p.location,
                start_time=_set(p.start),
                stop_time=_set(p.stop),
                retries=_set(p.retries),
                retry_interval=_set(p.retry_interval),
            )
        ]
    return [
        v201.GetLogRequest(
            log_type="DiagnosticsLog",
            request_id=ctx["request_id"],
            retries=_set(p.retries),
            retry_interval=_set(p.retry_interval),
            log=v201.LogParametersType(
                remote_location=p.location,
                oldest_timestamp=_set(p.start),
                latest_timestamp=_set(p.stop),
            ),
        )
    ]


def rotate_password(p: RotatePassword, version: OcppVersion, ctx: Context) -> list[Request]:
    # The secret is made by the service (ctx) and only its hash is kept.
    if version is V16:
        key: bytes = ctx["secret"]
        return [v16.ChangeConfigurationRequest(key="AuthorizationKey", value=key.hex())]
    return [v201.SetVariablesRequest(set_variable_data=[_password_item(ctx["secret"])])]


def call(p: RawCall, version: OcppVersion, ctx: Context) -> list[Request]:
    request = RawRequest(action=p.action, payload=_verbatim(p.payload))
    _refuse_secrets([_checked(request, version)[1]])
    return [request]


TRANSLATORS: dict[str, Translator] = {
    "remote_start": remote_start,
    "remote_stop": remote_stop,
    "reset": reset,
    "change_availability": change_availability,
    "unlock_connector": unlock_connector,
    "trigger_message": trigger_message,
    "get_configuration": get_configuration,
    "set_configuration": set_configuration,
    "clear_cache": clear_cache,
    "data_transfer": data_transfer,
    "update_firmware": update_firmware,
    "get_diagnostics": get_diagnostics,
    "rotate_password": rotate_password,
    "call": call,
}


def _password_item(password: str) -> v201.SetVariableDataType:
    return v201.SetVariableDataType(
        attribute_value=password,
        component=v201.ComponentType(name="SecurityCtrlr"),
        variable=v201.VariableType(name="BasicAuthPassword"),
    )


def _refuse_secrets(requests: Sequence[Request]) -> None:
    """The Basic password is set only by rotate_password: set any other way
    it would be stored in clear, and the CSMS wouldn't know it (the charger
    would be locked out at its next connection)."""
    for request in requests:
        if isinstance(request, v16.ChangeConfigurationRequest):
            if request.key.casefold() == "authorizationkey":
                raise Invalid("the AuthorizationKey is changed with rotate_password only")
        elif isinstance(request, v201.SetVariablesRequest | v21.SetVariablesRequest):
            for item in request.set_variable_data:
                if item.variable.name.casefold() == "basicauthpassword":
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


def _checked(request: Request, version: OcppVersion) -> tuple[str, Message, bytes]:
    """The request as a CALL of ``version``: its action, the version's
    request Struct decoded (strictly) from the payload, and the payload."""
    if isinstance(request, RawRequest):
        action, payload = request.action, bytes(request.payload)
    else:
        action = type(request).__name__.removesuffix("Request")
        payload = msgspec.json.encode(request)
    entry = actions_for(version).get(action)
    if entry is None or entry.response is None or not entry.sent_by_csms:
        raise Invalid(f"{action} is not something a CSMS sends in {version.value}")
    checked = decode_payload(payload, entry.request)
    if isinstance(checked, PayloadInvalid):
        raise Invalid(f"{action} for {version.value}: {checked.description}")
    return action, checked[0], payload


def plan(name: str, params: Any, protocol: str, ctx: Context) -> Plan:
    """The CALLs for ``protocol`` (a subprotocol or short version name),
    each checked against the action's request type (strictly)."""
    try:
        version = (
            OcppVersion(protocol) if protocol in SHORT_NAMES else OcppVersion.from_short(protocol)
        )
    except KeyError:
        raise Invalid(f"unknown protocol {protocol!r}") from None
    translator = TRANSLATORS.get(name)
    if translator is None:  # pragma: no cover - parse_params refused it first
        raise Invalid(f"unknown command {name!r}")
    calls = []
    for request in translator(params, version, ctx):
        action, checked, payload = _checked(request, version)
        calls.append(Call(action=action, request=checked, payload=payload))
    return Plan(calls=calls)
