"""A boot's decisions: who the charger is, the unknown-charger policy, the
answer; a redelivered boot changes nothing."""

from __future__ import annotations

from typing import Any

import msgspec

from chargebus.common.ocpp.versions import OcppVersion, actions_for
from chargebus.sessions.boot import apply_boot, boot_answer, boot_info, unknown_charger
from chargebus.sessions.model import Charger


def request(action: str, payload: dict[str, Any], version: str = "v16") -> Any:
    table = actions_for(OcppVersion.from_short(version))
    return msgspec.json.decode(msgspec.json.encode(payload), type=table[action].request)


V16_BOOT = {
    "chargePointVendor": "ACME",
    "chargePointModel": "X1",
    "chargeBoxSerialNumber": "BOX-1",
    "iccid": "8931",
}


def test_boot_info_of_each_version() -> None:
    info = boot_info(request("BootNotification", V16_BOOT), is_2x=False)
    assert info["vendor"] == "ACME" and info["serial_number"] == "BOX-1"
    assert info["iccid"] == "8931" and info["meter_type"] is None
    info = boot_info(
        request(
            "BootNotification",
            {
                "chargingStation": {"vendorName": "ACME", "model": "X2", "modem": {"imsi": "1"}},
                "reason": "PowerUp",
            },
            "v201",
        ),
        is_2x=True,
    )
    assert info["model"] == "X2" and info["imsi"] == "1" and info["boot_reason"] == "PowerUp"


def test_an_unknown_charger_gets_the_policy() -> None:
    assert unknown_charger("CP-1", "v16", 5.0, "accept", "booted").registration == "Accepted"
    assert unknown_charger("CP-1", "v16", 5.0, "pending", "booted").registration == "Pending"
    assert unknown_charger("CP-1", "v16", 5.0, "reject", "booted").registration == "Rejected"


def test_a_boot_applies_once() -> None:
    info = boot_info(request("BootNotification", V16_BOOT), is_2x=False)
    boot = {
        "charger_id": "CP-1",
        "protocol": "v16",
        "info": info,
        "boot_key": "m1|10.0",
        "at": 10.0,
        "policy": "reject",
    }
    charger, events = apply_boot(None, **boot)  # type: ignore[arg-type]
    assert charger is not None and charger.registration == "Rejected"
    assert charger.vendor == "ACME" and charger.booted_at == 10.0
    [event] = events
    assert event.registration == "Rejected" and event.charger_id == "CP-1"
    again, events = apply_boot(charger, **boot)  # type: ignore[arg-type]
    assert again is None and events == []


def test_a_known_charger_keeps_its_registration() -> None:
    known = Charger(id="CP-1", registration="Accepted", created_at=1.0, updated_at=1.0)
    info = boot_info(request("BootNotification", V16_BOOT), is_2x=False)
    charger, [event] = apply_boot(
        known,
        charger_id="CP-1",
        protocol="v16",
        info=info,
        boot_key="m2|20.0",
        at=20.0,
        policy="reject",
    )
    assert charger is not None and charger.registration == "Accepted"
    assert event.registration == "Accepted"


def test_the_answer_interval_depends_on_the_registration() -> None:
    kw = {"heartbeat_interval": 300, "boot_retry_interval": 60}
    assert boot_answer("Accepted", 0.0, **kw) == {
        "status": "Accepted",
        "currentTime": "1970-01-01T00:00:00Z",
        "interval": 300,
    }
    assert boot_answer("Pending", 0.0, **kw)["interval"] == 60
