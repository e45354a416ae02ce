"""Our typed messages agree with the official OCA schemas.

For every action of every version, request and response: payloads generated
from the schema (hypothesis-jsonschema) and mutations of them (a required
field removed, a wrong type, a string over its maxLength, a value outside an
enum, an extra property, a bad date-time, out-of-range numbers, arrays too
short or too long) are judged by msgspec, through our generated Structs, and
by python-jsonschema with its RFC 3339 format checker.  The verdicts must
agree; the counts are printed at the end of the run.

Two things are set aside, and said here so nobody has to guess:

* generated arrays hold at most three items (mutations still overfill them);
* integers are generated within 64 bits: OCPP integers are 32-bit and we
  refuse bigger ones, where JSON Schema has no limit;
* a whole number written as a float (``1.0``) where an integer is due is
  refused in strict mode, although draft-06 schemas (all of 2.x) count it as
  an integer: OCPP's integer is a whole-number type and ``1.0`` is a vendor
  quirk, which lenient mode reads as ``1``.  Mutations don't produce it;
  ``test_known_differences`` pins the behaviour;
* ``multipleOf`` also passes multiples as written in decimal (0.3 of 0.1),
  which the reference refuses; generated values pass both rules and the
  mutation (2.5 times the divisor) fails both;
* date-time mutations are ones RFC 3339 refuses outright; msgspec also reads
  a lowercase ``t``/``z``, a space separator and ``±hhmm`` offsets, which
  the reference validator refuses (see chargebus.common.ocpp.validation).
"""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ocpp_schemas import SCHEMAS, VERSIONS, load, schema_path, strategy

from chargebus.common.ocpp.validation import PayloadInvalid, decode_payload
from chargebus.common.ocpp.versions import actions_for

MUTATIONS_PER_PAYLOAD = 24
BAD_DATE_TIMES = [
    "2024-13-01T00:00:00Z",
    "2024-02-30T10:00:00Z",
    "2024-01-01T25:00:00Z",
    "2024-01-01T00:00:00",
    "01/01/2024 10:00",
    "",
]


def cases() -> list[tuple[str, str, str]]:
    out = []
    for short, version in VERSIONS.items():
        for name, action in sorted(actions_for(version).items()):
            out.append((short, name, "request"))
            if action.response is not None:
                out.append((short, name, "response"))
    return out


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["definitions"][node["$ref"].rsplit("/", 1)[1]]
    return node


def sites(schema: dict[str, Any], node: dict[str, Any], value: Any, path: tuple[Any, ...]):
    """Every (path, subschema, value) in a valid instance."""
    node = resolve(schema, node)
    yield path, node, value
    if isinstance(value, dict):
        props = node.get("properties", {})
        for key, item in value.items():
            if key in props:
                yield from sites(schema, props[key], item, (*path, key))
    elif isinstance(value, list) and isinstance(node.get("items"), dict):
        for i, item in enumerate(value):
            yield from sites(schema, node["items"], item, (*path, i))


def replaced(instance: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    out = copy.deepcopy(instance)
    target = out
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return out


def _object_mutations(node: dict[str, Any], value: dict[str, Any]) -> list[Any]:
    """Each required property dropped, one too many, an array instead."""
    out: list[Any] = [
        {k: v for k, v in value.items() if k != key}
        for key in node.get("required", [])
        if key in value
    ]
    return [*out, {**value, "unexpectedProperty": 1}, [value]]


def _list_mutations(node: dict[str, Any], value: list[Any]) -> list[Any]:
    out: list[Any] = [{"not": "a list"}]
    if "minItems" in node:
        out.append([])
    if "maxItems" in node and value:
        out.append(value * (node["maxItems"] + 1))
    return out


def _string_mutations(node: dict[str, Any], value: str) -> list[Any]:
    out: list[Any] = [12345]
    if "maxLength" in node:
        out.append("x" * (node["maxLength"] + 1))
    if "enum" in node:
        out.append("NotAnEnumValue")
        out.append(value.lower())
    if node.get("format") == "date-time":
        out.extend(BAD_DATE_TIMES)
    return out


def _integer_mutations(node: dict[str, Any], value: int) -> list[Any]:
    # value + 0.5, unless floats can't hold the half (then it would be
    # a whole float, which draft-06 counts as an integer: see above).
    out: list[Any] = [str(value), value + 0.5 if abs(value) < 2**52 else 0.5, True]
    if "minimum" in node:
        out.append(node["minimum"] - 1)
    if "maximum" in node:
        out.append(node["maximum"] + 1)
    return out


def _number_mutations(node: dict[str, Any], value: float) -> list[Any]:
    out: list[Any] = [str(value), None]
    if "minimum" in node:
        out.append(node["minimum"] - 0.5)
    if "maximum" in node:
        out.append(node["maximum"] + 0.5)
    if "multipleOf" in node:
        out.append(node["multipleOf"] * 2.5)
    return out


def _site_mutations(node: dict[str, Any], value: Any) -> list[Any]:
    """The new values tried at one site, by its value's shape or its
    schema's type (none for the types left alone)."""
    kind = node.get("type")
    if isinstance(value, dict):
        return _object_mutations(node, value)
    if isinstance(value, list):
        return _list_mutations(node, value)
    if kind == "string":
        return _string_mutations(node, value)
    if kind == "integer":
        return _integer_mutations(node, value)
    if kind == "number":
        return _number_mutations(node, value)
    if kind == "boolean":
        return ["true", 1]
    return []


def mutations(schema: dict[str, Any], instance: Any) -> list[tuple[tuple[Any, ...], Any]]:
    """Schema-aware mutations of a valid instance, as (path, new value) pairs;
    most make it invalid."""
    return [
        (path, new)
        for path, node, value in sites(schema, schema, instance, ())
        for new in _site_mutations(node, value)
    ]


def verdicts(validator: Any, type_: type[Any], instance: Any) -> tuple[bool, bool]:
    ours = not isinstance(decode_payload(msgspec.json.encode(instance), type_), PayloadInvalid)
    theirs = validator.is_valid(instance)
    return ours, theirs


@pytest.mark.conformance
@pytest.mark.parametrize(("short", "action", "kind"), cases())
@settings(
    max_examples=8,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_msgspec_agrees_with_jsonschema(
    short: str, action: str, kind: str, data: st.DataObject, conformance_tally: Counter[str]
) -> None:
    schema, validator, type_ = load(short, action, kind)
    instance = data.draw(strategy(short, action, kind), label="valid payload")
    ours, theirs = verdicts(validator, type_, instance)
    conformance_tally[f"{short}:compared"] += 1
    conformance_tally[f"{short}:valid"] += 1
    if ours != theirs:
        conformance_tally[f"{short}:disagreements"] += 1
    assert ours == theirs, f"generated {instance!r}: msgspec {ours}, jsonschema {theirs}"

    candidates = mutations(schema, instance)
    chosen = data.draw(st.randoms(use_true_random=False), label="sampler").sample(
        candidates, min(len(candidates), MUTATIONS_PER_PAYLOAD)
    )
    for path, new in chosen:
        mutated = replaced(instance, path, new)
        ours, theirs = verdicts(validator, type_, mutated)
        conformance_tally[f"{short}:compared"] += 1
        conformance_tally[f"{short}:mutated"] += 1
        conformance_tally[f"{short}:mutated_invalid"] += not theirs
        if ours != theirs:
            conformance_tally[f"{short}:disagreements"] += 1
        assert ours == theirs, f"mutated {mutated!r}: msgspec {ours}, jsonschema {theirs}"


def test_every_schema_file_has_a_type() -> None:
    """No OCA schema file is left without a generated type."""
    for short in VERSIONS:
        covered = {schema_path(*case).name for case in cases() if case[0] == short}
        files = {p.name for p in (SCHEMAS / short / "schemas").glob("*.json")}
        assert files == covered, sorted(files ^ covered)
