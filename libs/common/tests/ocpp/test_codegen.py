"""The committed message modules are exactly what the generator writes, and
every generated type is usable."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

import msgspec
import pytest

from chargebus.common.ocpp.actions import Initiator
from chargebus.common.ocpp.versions import OcppVersion, actions_for

GENERATOR = Path(__file__).resolve().parents[2] / "codegen" / "generate.py"


def load_generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("chargebus_codegen", GENERATOR)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_regenerating_changes_nothing() -> None:
    generator = load_generator()
    stale = [
        str(path)
        for path, text in generator.generate().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert not stale, f"run libs/common/codegen/generate.py; stale: {stale}"


@pytest.mark.parametrize("version", list(OcppVersion))
def test_every_field_names_its_wire_name_explicitly(version: OcppVersion) -> None:
    """No case conversion at run time: a field whose Python name differs from
    its wire name says the wire name in the source, and nothing uses rename."""
    module = importlib.import_module(f"chargebus.common.ocpp.{version.short}.messages")
    source = Path(module.__file__ or "").read_text(encoding="utf-8")
    assert "rename=" not in source
    checked = 0
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, msgspec.Struct):
            for f in msgspec.structs.fields(value):
                if f.name != f.encode_name:
                    assert f'name="{f.encode_name}"' in source, (value, f.name)
                    checked += 1
    assert checked > 50


@pytest.mark.parametrize("version", list(OcppVersion))
def test_every_message_type_builds_a_decoder(version: OcppVersion) -> None:
    for action in actions_for(version).values():
        for type_ in (action.request, action.response):
            if type_ is not None:
                msgspec.json.Decoder(type_)
                msgspec.inspect.type_info(type_)


def test_wire_names_survive_round_trips() -> None:
    from chargebus.common.ocpp.v201.messages import OCSPRequestDataType

    data = OCSPRequestDataType(
        hash_algorithm="SHA256",
        issuer_name_hash="a",
        issuer_key_hash="b",
        serial_number="c",
        responder_url="http://ocsp",
    )
    encoded = msgspec.json.encode(data)
    assert b'"responderURL":"http://ocsp"' in encoded
    assert msgspec.json.decode(encoded, type=OCSPRequestDataType) == data


def test_action_tables_know_who_sends_what() -> None:
    v16 = actions_for(OcppVersion.V16)
    assert v16["StartTransaction"].initiator is Initiator.CHARGER
    assert v16["RemoteStartTransaction"].initiator is Initiator.CSMS
    assert v16["DataTransfer"].initiator is Initiator.BOTH
    assert v16["SignCertificate"].initiator is Initiator.CHARGER  # security extension
    v201 = actions_for(OcppVersion.V201)
    assert v201["TransactionEvent"].initiator is Initiator.CHARGER
    assert v201["RequestStartTransaction"].initiator is Initiator.CSMS
    v21 = actions_for(OcppVersion.V21)
    assert v21["NotifyPeriodicEventStream"].send_only
    assert v21["NotifyPeriodicEventStream"].response is None
    assert v21["BatterySwap"].initiator is Initiator.CHARGER
    assert (len(v16), len(v201), len(v21)) == (39, 64, 91)
