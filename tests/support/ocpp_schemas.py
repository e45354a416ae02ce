"""The official OCA JSON schemas (shipped in the ``ocpp`` package) for
tests: load one, validate with python-jsonschema, generate instances with
hypothesis-jsonschema.  On pytest's ``pythonpath`` (see pyproject.toml)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import ocpp
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from chargebus.common.ocpp.versions import OcppVersion, actions_for

SCHEMAS = Path(ocpp.__file__).resolve().parent
VERSIONS = {"v16": OcppVersion.V16, "v201": OcppVersion.V201, "v21": OcppVersion.V21}
INT64 = 2**63 - 1
GENERATED_ITEMS = 3


def schema_path(short: str, action: str, kind: str) -> Path:
    folder = SCHEMAS / short / "schemas"
    if short == "v16":
        return folder / (f"{action}Response.json" if kind == "response" else f"{action}.json")
    if kind == "response":
        return folder / f"{action}Response.json"
    path = folder / f"{action}Request.json"
    return path if path.exists() else folder / f"{action}.json"  # 2.1 SEND


def for_generation(schema: dict[str, Any]) -> Any:
    """The schema as hypothesis-jsonschema wants it: references inlined (it
    won't resolve them against the 2.1 files' ``urn:`` ids), every
    unbounded integer limited to 64 bits, and arrays kept to a few items so
    that nested schemas (ReportChargingProfiles) stay quick to generate and
    check.  Instances of the narrowed schema are instances of the real one."""
    definitions = schema.get("definitions", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(definitions[node["$ref"].rsplit("/", 1)[1]])
            return {k: inline(v) for k, v in node.items() if k not in ("$id", "definitions")}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    return bounded(inline(schema))


def bounded(node: Any) -> Any:
    if isinstance(node, dict):
        node = {k: bounded(v) for k, v in node.items()}
        if node.get("type") == "array":
            node["maxItems"] = min(node.get("maxItems", GENERATED_ITEMS), GENERATED_ITEMS)
        if node.get("type") == "integer":
            node.setdefault("minimum", -INT64)
            node.setdefault("maximum", INT64)
        return node
    if isinstance(node, list):
        return [bounded(v) for v in node]
    return node


@cache
def load(short: str, action: str, kind: str) -> tuple[dict[str, Any], Any, type[Any]]:
    schema = json.loads(schema_path(short, action, kind).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    entry = actions_for(VERSIONS[short])[action]
    type_ = entry.response if kind == "response" else entry.request
    assert type_ is not None
    return schema, validator, type_


@cache
def strategy(short: str, action: str, kind: str) -> st.SearchStrategy[Any]:
    schema, _, _ = load(short, action, kind)
    return from_schema(for_generation(schema))
