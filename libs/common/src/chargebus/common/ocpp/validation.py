"""Payload validation, strict or lenient, and the CALLERROR code for a failure.

Strict mode refuses what the OCA schema refuses.  Lenient mode first tries
strict, and only when that fails repairs the common vendor quirks below,
then decodes the repaired payload with the same strict types; every repair
is recorded as a note so the operator can see what a charger got away with:

* unknown properties are dropped;
* numbers and booleans sent as strings are read as numbers and booleans
  (``"connectorId": "1"``), and numbers sent where a string is due are
  read as their JSON text (``"value": 12.5``);
* a whole number sent as a float is read as an integer (``1.0``);
* timestamps without a zone are read as UTC;
* enumeration values in the wrong case are matched case-insensitively; an
  unknown value of an optional field is dropped;
* a single object sent where an array is due is read as a one-item array.

Anything else still fails, with the code strict mode would give.

Codes (J16 §4.2.3 Table 7, J201 §4.3 Table 8):

=============================  ================================================
failure                        code
=============================  ================================================
payload not an object,         FormatViolation (1.6: FormationViolation)
unknown property
required property missing,     OccurrenceConstraintViolation
too few or too many items      (1.6: OccurenceConstraintViolation)
wrong JSON type, bad date-time TypeConstraintViolation
enum value, length, bounds,    PropertyConstraintViolation
multipleOf
=============================  ================================================

Known difference from the reference validator (python-jsonschema with its
RFC 3339 format checker): date-times are read by msgspec, which also accepts
a lowercase ``t``/``z`` and a space between date and time (both allowed by
RFC 3339 §5.6's note) and ``±hhmm`` offsets; and ``multipleOf`` also passes a
value that is a multiple as written in decimal (0.3 of 0.1), which the
reference, dividing binary floats, refuses.  Everything else agrees; the conformance suite
measures it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, Final, TypeVar

import msgspec
from msgspec import inspect

from chargebus.common.ocpp.errors import ErrorCode

__all__ = ["PayloadInvalid", "classify", "decode_payload", "encode_payload"]

T = TypeVar("T")

_decoders: dict[type[Any], msgspec.json.Decoder[Any]] = {}
_encoder = msgspec.json.Encoder()
_generic = msgspec.json.Decoder()


class PayloadInvalid(msgspec.Struct, frozen=True, gc=False):
    """A payload that failed validation: the code to answer and why."""

    code: ErrorCode
    description: str


def _decoder(type_: type[T]) -> msgspec.json.Decoder[T]:
    decoder = _decoders.get(type_)
    if decoder is None:
        decoder = _decoders[type_] = msgspec.json.Decoder(type_)
    return decoder


def encode_payload(message: msgspec.Struct) -> bytes:
    return _encoder.encode(message)


def decode_payload(
    data: bytes | str, type_: type[T], *, strict: bool = True
) -> tuple[T, tuple[str, ...]] | PayloadInvalid:
    """Decode and validate a payload.  Never raises.

    Returns the typed value and the repairs made (always empty in strict
    mode), or :class:`PayloadInvalid`.
    """
    try:
        return _decoder(type_).decode(data), ()
    except msgspec.ValidationError as exc:
        error = PayloadInvalid(classify(str(exc)), str(exc))
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        return PayloadInvalid(ErrorCode.FORMAT_VIOLATION, str(exc))
    except RecursionError:
        return PayloadInvalid(ErrorCode.FORMAT_VIOLATION, "payload nested too deeply")
    except Exception as exc:  # a bug in a type's own check: ours, not the peer's
        return PayloadInvalid(ErrorCode.INTERNAL_ERROR, f"validation failed: {exc!r}")
    if strict:
        return error
    try:
        value = _generic.decode(data)
        notes: list[str] = []
        repaired = _repair(value, _type_info(type_), "$", notes, optional=False)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return error
    if not notes:
        return error
    try:
        return _decoder(type_).decode(_encoder.encode(repaired)), tuple(notes)
    except (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError) as exc:
        return PayloadInvalid(classify(str(exc)), str(exc))
    except RecursionError:  # pragma: no cover - the first decode would have failed too
        return PayloadInvalid(ErrorCode.FORMAT_VIOLATION, "payload nested too deeply")


def classify(message: str) -> ErrorCode:
    """Map a msgspec validation message to the OCPP error code."""
    if message.startswith("Object missing required field"):
        return ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION
    if message.startswith("Object contains unknown field"):
        return ErrorCode.FORMAT_VIOLATION
    if message.startswith("Expected `array` of length"):
        return ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION
    if message.startswith("Expected `object`, got") and message.find(" - at `") < 0:
        return ErrorCode.FORMAT_VIOLATION  # the payload itself is not an object
    if _WRONG_TYPE.match(message) or "RFC3339" in message or "timezone" in message:
        return ErrorCode.TYPE_CONSTRAINT_VIOLATION
    return ErrorCode.PROPERTY_CONSTRAINT_VIOLATION


_WRONG_TYPE: Final = re.compile(r"Expected `[^`]+`, got `")


# -- lenient repairs -----------------------------------------------------------

_type_infos: dict[type[Any], inspect.Type] = {}
_DROP: Final = object()
_NUMBER: Final = re.compile(r"\s*-?\d+(\.\d+)?([eE][+-]?\d+)?\s*")


def _type_info(type_: type[Any]) -> inspect.Type:
    info = _type_infos.get(type_)
    if info is None:
        info = _type_infos[type_] = inspect.type_info(type_)
    return info


def _repair(value: Any, t: inspect.Type, path: str, notes: list[str], optional: bool) -> Any:
    """``value`` repaired for type ``t`` (or as it was: the decode then fails
    as strict would), each repair noted; ``_DROP`` for an unknown value of an
    optional field."""
    repair = _REPAIRS.get(type(t))
    return value if repair is None else repair(value, t, path, notes, optional)


def _repair_union(
    value: Any, t: inspect.UnionType, path: str, notes: list[str], optional: bool
) -> Any:
    # UNSET never shows here: type_info leaves it out of unions.
    real = [x for x in t.types if not isinstance(x, inspect.NoneType)]
    if len(real) == 1:
        return _repair(value, real[0], path, notes, optional)
    return value


def _repair_metadata(
    value: Any, t: inspect.Metadata, path: str, notes: list[str], optional: bool
) -> Any:
    return _repair(value, t.type, path, notes, optional)


def _repair_struct(
    value: Any, t: inspect.StructType, path: str, notes: list[str], optional: bool
) -> Any:
    if not isinstance(value, dict):
        return value
    known = {f.encode_name: f for f in t.fields}
    out: dict[str, Any] = {}
    for key, item in value.items():
        f = known.get(key)
        if f is None:
            if t.forbid_unknown_fields:
                notes.append(f"{path}.{key}: unknown property ignored")
                continue
            out[key] = item
            continue
        fixed = _repair(item, f.type, f"{path}.{key}", notes, optional=not f.required)
        if fixed is not _DROP:
            out[key] = fixed
    return out


def _repair_list(
    value: Any, t: inspect.ListType, path: str, notes: list[str], optional: bool
) -> Any:
    if isinstance(value, dict):
        notes.append(f"{path}: single object read as a one-item array")
        value = [value]
    if not isinstance(value, list):
        return value
    return [_repair(v, t.item_type, f"{path}[{i}]", notes, False) for i, v in enumerate(value)]


def _repair_literal(
    value: Any, t: inspect.LiteralType, path: str, notes: list[str], optional: bool
) -> Any:
    if not isinstance(value, str) or value in t.values:
        return value
    folded = {str(v).lower(): v for v in t.values}
    match = folded.get(value.lower())
    if match is not None:
        notes.append(f"{path}: {value!r} read as {match!r}")
        return match
    if optional:
        notes.append(f"{path}: unknown value {value!r} dropped")
        return _DROP
    return value


def _repair_int(value: Any, t: inspect.IntType, path: str, notes: list[str], optional: bool) -> Any:
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        number = float(value)
        if number.is_integer() and abs(number) < 2**63:
            notes.append(f"{path}: string {value!r} read as a number")
            return int(number)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        notes.append(f"{path}: {value!r} read as an integer")
        return int(value)
    return value


def _repair_float(
    value: Any, t: inspect.FloatType, path: str, notes: list[str], optional: bool
) -> Any:
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        notes.append(f"{path}: string {value!r} read as a number")
        return float(value)
    return value


def _repair_bool(
    value: Any, t: inspect.BoolType, path: str, notes: list[str], optional: bool
) -> Any:
    if isinstance(value, str) and value.lower() in ("true", "false"):
        notes.append(f"{path}: string {value!r} read as a boolean")
        return value.lower() == "true"
    return value


def _repair_str(value: Any, t: inspect.StrType, path: str, notes: list[str], optional: bool) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        notes.append(f"{path}: number {value!r} read as a string")
        return _encoder.encode(value).decode()
    return value


def _repair_datetime(
    value: Any, t: inspect.DateTimeType, path: str, notes: list[str], optional: bool
) -> Any:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return value
        if parsed.tzinfo is None:
            notes.append(f"{path}: timestamp without a zone read as UTC")
            return parsed.isoformat() + "Z"
    return value


#: The repair for each kind of type (msgspec.inspect's classes, matched
#: exactly: none has subclasses); any other kind is left as it is.
_REPAIRS: Final[dict[type[inspect.Type], Callable[..., Any]]] = {
    inspect.UnionType: _repair_union,
    inspect.Metadata: _repair_metadata,
    inspect.StructType: _repair_struct,
    inspect.ListType: _repair_list,
    inspect.LiteralType: _repair_literal,
    inspect.IntType: _repair_int,
    inspect.FloatType: _repair_float,
    inspect.BoolType: _repair_bool,
    inspect.StrType: _repair_str,
    inspect.DateTimeType: _repair_datetime,
}
