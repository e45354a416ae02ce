"""Generate typed OCPP message Structs from the official OCA JSON schemas.

The schemas come from the ``ocpp`` package on PyPI (a dev dependency used by
this generator only): ``ocpp/v16/schemas``, ``ocpp/v201/schemas`` and
``ocpp/v21/schemas``.  For each version this writes two modules under
``chargebus/common/ocpp/<version>/``:

``messages.py``
    one ``msgspec.Struct`` per request and response, one per nested object,
    and a ``Literal`` alias per enumeration.  Every field carries its wire
    name explicitly (``msgspec.field(name="responderURL")``); nothing relies
    on case conversion at run time.
``actions.py``
    the version's explicit action table: name, request type, response type
    and which side may send it.

The output is committed.  ``tests/test_codegen.py`` regenerates into memory
and fails when the committed files differ, so a schema or generator change
can't slip in unreviewed.

Run it with ``uv run python libs/common/codegen/generate.py``.
"""

from __future__ import annotations

import json
import keyword
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1] / "src" / "chargebus" / "common" / "ocpp"

VERSIONS = {
    "v16": ("ocpp1.6", "1.6"),
    "v201": ("ocpp2.0.1", "2.0.1"),
    "v21": ("ocpp2.1", "2.1"),
}

# Which side initiates each action.  The schemas don't say; the specifications
# do (1.6 edition 2 §4-§5 and the security whitepaper; 2.0.1 and 2.1 part 2).
# Every action not listed here is sent by the CSMS to the charging station.
CHARGER_INITIATED = {
    "v16": {
        "Authorize",
        "BootNotification",
        "DataTransfer",
        "DiagnosticsStatusNotification",
        "FirmwareStatusNotification",
        "Heartbeat",
        "MeterValues",
        "StartTransaction",
        "StatusNotification",
        "StopTransaction",
        "SecurityEventNotification",
        "SignCertificate",
        "LogStatusNotification",
        "SignedFirmwareStatusNotification",
    },
    "v201": {
        "Authorize",
        "BootNotification",
        "ClearedChargingLimit",
        "DataTransfer",
        "FirmwareStatusNotification",
        "Get15118EVCertificate",
        "GetCertificateStatus",
        "Heartbeat",
        "LogStatusNotification",
        "MeterValues",
        "NotifyChargingLimit",
        "NotifyCustomerInformation",
        "NotifyDisplayMessages",
        "NotifyEVChargingNeeds",
        "NotifyEVChargingSchedule",
        "NotifyEvent",
        "NotifyMonitoringReport",
        "NotifyReport",
        "PublishFirmwareStatusNotification",
        "ReportChargingProfiles",
        "ReservationStatusUpdate",
        "SecurityEventNotification",
        "SignCertificate",
        "StatusNotification",
        "TransactionEvent",
    },
}
CHARGER_INITIATED["v21"] = CHARGER_INITIATED["v201"] | {
    "BatterySwap",
    "ClosePeriodicEventStream",
    "GetCertificateChainStatus",
    "NotifyDERAlarm",
    "NotifyDERStartStop",
    "NotifyPeriodicEventStream",
    "NotifyPriorityCharging",
    "NotifySettlement",
    "OpenPeriodicEventStream",
    "PullDynamicScheduleUpdate",
    "ReportDERControl",
    "VatNumberValidation",
}
# Actions either side may send.
BOTH_WAYS = {"DataTransfer"}
# 2.1 SEND messages (J21 §4.2.3): never answered, no response schema.
SEND_ONLY = {"v21": {"NotifyPeriodicEventStream"}}


def snake(name: str) -> str:
    """Python attribute name for a wire name: ``responderURL`` -> ``responder_url``."""
    s = name.replace("SoC", "Soc")  # state of charge: full_soc, not full_so_c
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", s)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    s = s.replace("-", "_").lower()
    if keyword.iskeyword(s):
        s += "_"
    return s


def pascal(name: str) -> str:
    return name[:1].upper() + name[1:]


def constraints(node: dict[str, Any], keywords: dict[str, str]) -> dict[str, Any]:
    """The schema keywords ``node`` has, as msgspec ``Meta`` arguments, in
    the order of ``keywords`` (JSON Schema keyword -> Meta argument)."""
    return {arg: node[keyword] for keyword, arg in keywords.items() if keyword in node}


@dataclass
class StructDef:
    name: str
    fields: list[tuple[str, str, str, bool]]  # attr, wire, annotation, required
    open_object: bool  # additionalProperties not false (CustomData)
    doc: str = ""

    def signature(self) -> tuple[Any, ...]:
        return (tuple(self.fields), self.open_object)


@dataclass
class Module:
    version: str
    structs: dict[str, StructDef] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # enum aliases
    order: list[str] = field(default_factory=list)
    float_multiples: dict[str, list[tuple[str, str, float]]] = field(default_factory=dict)

    def add_struct(self, s: StructDef, owner: str) -> str:
        """Register a Struct, reusing an identical one; rename on a clash."""
        existing = self.structs.get(s.name)
        if existing is None:
            self.structs[s.name] = s
            self.order.append(s.name)
            return s.name
        if existing.signature() == s.signature():
            return s.name
        renamed = owner + s.name
        n = 2
        while renamed in self.structs and self.structs[renamed].signature() != s.signature():
            renamed = f"{owner}{s.name}{n}"
            n += 1
        s.name = renamed
        return self.add_struct(s, owner)

    def add_alias(self, name: str, values: list[str], owner: str) -> str:
        literal = "Literal[" + ", ".join(json.dumps(v) for v in values) + "]"
        existing = self.aliases.get(name)
        if existing is None:
            self.aliases[name] = literal
            self.order.append(name)
            return name
        if existing == literal:
            return name
        return self.add_alias(owner + name, values, owner)


class Generator:
    def __init__(self, version: str, schema_dir: Path) -> None:
        self.version = version
        self.schema_dir = schema_dir
        self.module = Module(version)
        self.actions: dict[str, dict[str, str]] = {}

    # -- schema walking ----------------------------------------------------
    def run(self) -> None:
        for path in sorted(self.schema_dir.glob("*.json")):
            schema = json.loads(path.read_text(encoding="utf-8"))
            stem = path.stem
            if self.version == "v16":
                if stem.endswith("Response"):
                    action, kind = stem[: -len("Response")], "response"
                else:
                    action, kind = stem, "request"
            elif stem.endswith("Response"):
                action, kind = stem[: -len("Response")], "response"
            elif stem.endswith("Request"):
                action, kind = stem[: -len("Request")], "request"
            else:  # 2.1 SEND message, one file without suffix
                action, kind = stem, "request"
            class_name = action + ("Response" if kind == "response" else "Request")
            self.current_defs = schema.get("definitions", {})
            self.current_action = action
            name = self.object_struct(class_name, schema, owner=action, top=True)
            self.actions.setdefault(action, {})[kind] = name

    def resolve(self, node: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        ref = node.get("$ref")
        if ref is None:
            return node, None
        prefix = "#/definitions/"
        assert ref.startswith(prefix), ref
        name = ref[len(prefix) :]
        return self.current_defs[name], name

    def annotation(self, node: dict[str, Any], hint: str, owner: str) -> str:
        node, ref_name = self.resolve(node)
        kind = node.get("type")
        if "enum" in node:
            return self.enum_annotation(node, ref_name, hint, owner)
        if kind == "object":
            return self.object_struct(ref_name or pascal(hint), node, owner=owner)
        if kind == "array":
            return self.array_annotation(node, hint, owner)
        if kind == "string":
            return self.string_annotation(node)
        if kind in ("integer", "number"):
            return self.number_annotation(node, kind)
        if kind == "boolean":
            return "bool"
        if kind is None and not (set(node) - {"description", "comment"}):
            return "Any"  # no constraint at all: any JSON value (2.x DataTransfer.data)
        raise ValueError(f"{self.version} {owner}: unsupported schema node {node}")

    def enum_annotation(
        self, node: dict[str, Any], ref_name: str | None, hint: str, owner: str
    ) -> str:
        """A named alias of the values (the definition's name; 1.6 names
        inline enums after the property), else an inline ``Literal``."""
        assert node.get("type") == "string", node
        values = list(node["enum"])
        alias = ref_name or (pascal(hint) + "Enum" if self.version == "v16" else None)
        if alias is None:
            return "Literal[" + ", ".join(json.dumps(v) for v in values) + "]"
        return self.module.add_alias(alias, values, owner)

    def array_annotation(self, node: dict[str, Any], hint: str, owner: str) -> str:
        items = node["items"]
        assert isinstance(items, dict), node
        singular = hint[:-1] if hint.endswith("s") and len(hint) > 3 else hint
        inner = self.annotation(items, singular, owner)
        meta = constraints(node, {"minItems": "min_length", "maxItems": "max_length"})
        return self.meta(f"list[{inner}]", meta)

    def string_annotation(self, node: dict[str, Any]) -> str:
        if node.get("format") == "date-time":
            return "DateTime"
        # "uri" is not checked: JSON Schema makes format assertions optional
        # and the OCA files use it only as documentation (1.6 GetDiagnostics).
        meta = constraints(
            node, {"maxLength": "max_length", "minLength": "min_length", "pattern": "pattern"}
        )
        return self.meta("str", meta)

    def number_annotation(self, node: dict[str, Any], kind: str) -> str:
        meta = constraints(node, {"minimum": "ge", "maximum": "le"})
        if kind == "integer":  # the schemas write some integer bounds as 0.0
            if "ge" in meta:
                meta["ge"] = math.ceil(meta["ge"])
            if "le" in meta:
                meta["le"] = math.floor(meta["le"])
        base = "int" if kind == "integer" else "float"
        if "multipleOf" in node and kind == "integer":
            meta["multiple_of"] = node["multipleOf"]
        # A float multipleOf is checked in __post_init__ with JSON Schema's
        # own rule (see object_struct and types.check_multiple_of).
        return self.meta(base, meta)

    @staticmethod
    def meta(base: str, meta: dict[str, Any]) -> str:
        if not meta:
            return base
        args = ", ".join(f"{k}={v!r}" for k, v in meta.items())
        return f"Annotated[{base}, Meta({args})]"

    def object_struct(self, name: str, node: dict[str, Any], owner: str, top: bool = False) -> str:
        props: dict[str, Any] = node.get("properties", {})
        required = set(node.get("required", []))
        open_object = node.get("additionalProperties", True) is not False
        fields: list[tuple[str, str, str, bool]] = []
        multiples: list[tuple[str, str, float]] = []
        used: set[str] = set()
        for wire, sub in props.items():
            ann = self.annotation(sub, wire, owner)
            attr = snake(wire)
            while attr in used:
                attr += "_"
            used.add(attr)
            resolved = self.resolve(sub)[0]
            if resolved.get("type") == "number" and "multipleOf" in resolved:
                multiples.append((attr, wire, float(resolved["multipleOf"])))
            elif resolved.get("type") == "array" and "multipleOf" in resolved["items"]:
                raise ValueError(f"{owner}.{wire}: multipleOf inside an array")
            fields.append((attr, wire, ann, wire in required))
        doc = (node.get("description") or "").strip().replace("\r\n", " ").replace("\n", " ")
        s = StructDef(name, fields, open_object, doc)
        final = self.module.add_struct(s, owner)
        if multiples:
            self.module.float_multiples[final] = multiples
        return final

    # -- rendering -----------------------------------------------------------
    def render_messages(self) -> str:
        label = VERSIONS[self.version][1]
        out: list[str] = [
            f'"""OCPP {label} messages, generated from the OCA JSON schemas.',
            "",
            "Do not edit: run libs/common/codegen/generate.py.  Field names are",
            "Python's; each field's wire name is given explicitly.  Optional fields",
            "default to UNSET and are left out of the encoded JSON, as J201 §4.1.6",
            'asks ("leave unused optional fields out").',
            '"""',
            "",
            "from __future__ import annotations",
            "",
            "from typing import Annotated, Any, Literal",
            "",
            "from msgspec import UNSET, Meta, UnsetType, field",
            "",
            "from chargebus.common.ocpp.types import (",
            "    DateTime,",
            "    Message,",
            "    OpenMessage,",
            "    check_multiple_of,",
            ")",
            "",
            "__all__ = [",
        ]
        names = sorted(self.module.order)
        out += [f"    {json.dumps(n)}," for n in names]
        out += ["]", ""]
        for name in self.module.order:
            if name in self.module.aliases:
                out += ["", f"{name} = {self.module.aliases[name]}", ""]
                continue
            s = self.module.structs[name]
            base = "OpenMessage" if s.open_object else "Message"
            out += ["", f"class {name}({base}):"]
            if s.doc:
                out += [f"    {json.dumps(s.doc[:300])}", ""]
            if not s.fields:
                out += ["    pass"] if not s.doc else []
            ordered = [f for f in s.fields if f[3]] + [f for f in s.fields if not f[3]]
            for attr, wire_name, ann, req in ordered:
                if req:
                    if attr == wire_name:
                        out.append(f"    {attr}: {ann}")
                    else:
                        out.append(f"    {attr}: {ann} = field(name={json.dumps(wire_name)})")
                else:
                    default = f"field(default=UNSET, name={json.dumps(wire_name)})"
                    out.append(f"    {attr}: {ann} | UnsetType = {default}")
            multiples = self.module.float_multiples.get(name)
            if multiples:
                out += ["", "    def __post_init__(self) -> None:"]
                for attr, wire_name, m in multiples:
                    out.append(
                        f"        check_multiple_of(self.{attr}, {m!r}, {json.dumps(wire_name)})"
                    )
            out.append("")
        return "\n".join(out).rstrip() + "\n"

    def render_actions(self) -> str:
        label = VERSIONS[self.version][1]
        charger = CHARGER_INITIATED[self.version]
        send_only = SEND_ONLY.get(self.version, set())
        imports = sorted({n for kinds in self.actions.values() for n in kinds.values()})
        out = [
            f'"""The OCPP {label} action table, generated with the messages.',
            "",
            "Each action names its request and response types and the side that may",
            "send it (CHARGER: charging station to CSMS; CSMS: the reverse; BOTH).",
            "SEND-only actions (2.1, J21 §4.2.3) have no response type.",
            '"""',
            "",
            "from __future__ import annotations",
            "",
            "from chargebus.common.ocpp.actions import Action, Initiator",
            f"from chargebus.common.ocpp.{self.version}.messages import (",
        ]
        out += [f"    {n}," for n in imports]
        out += [")", "", "ACTIONS: dict[str, Action] = {"]
        for action in sorted(self.actions):
            kinds = self.actions[action]
            if action in BOTH_WAYS:
                who = "Initiator.BOTH"
            elif action in charger:
                who = "Initiator.CHARGER"
            else:
                who = "Initiator.CSMS"
            resp = kinds.get("response")
            if action in send_only:
                assert resp is None
            else:
                assert resp is not None, action
            name = json.dumps(action)
            extra = ", send_only=True" if action in send_only else ""
            out.append(f"    {name}: Action({name}, {kinds['request']}, {resp}, {who}{extra}),")
        out += ["}", ""]
        return "\n".join(out)


def schema_root() -> Path:
    import ocpp  # dev dependency of the generator only

    return Path(ocpp.__file__).resolve().parent


def generate() -> dict[Path, str]:
    files: dict[Path, str] = {}
    base = schema_root()
    for version in VERSIONS:
        gen = Generator(version, base / version / "schemas")
        gen.run()
        unknown = set(CHARGER_INITIATED[version]) - set(gen.actions)
        assert not unknown, f"{version}: no schema for {sorted(unknown)}"
        files[ROOT / version / "__init__.py"] = (
            f'"""OCPP {VERSIONS[version][1]}: generated messages and the action table."""\n'
        )
        files[ROOT / version / "messages.py"] = gen.render_messages()
        files[ROOT / version / "actions.py"] = gen.render_actions()
    return files


def main() -> int:
    check = "--check" in sys.argv
    stale = []
    for path, text in generate().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    for path in stale:
        print(("stale: " if check else "wrote: ") + str(path))
    return 1 if check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
