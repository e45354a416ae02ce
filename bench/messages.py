"""The CALLs the benchmarks send: the same frames for every server."""

from __future__ import annotations

import json

SAMPLES_16 = [
    {
        "value": "15210.5",
        "context": "Sample.Periodic",
        "measurand": "Energy.Active.Import.Register",
        "unit": "Wh",
        "location": "Outlet",
    },
    {
        "value": "7360.2",
        "context": "Sample.Periodic",
        "measurand": "Power.Active.Import",
        "unit": "W",
    },
    {
        "value": "32.1",
        "context": "Sample.Periodic",
        "measurand": "Current.Import",
        "unit": "A",
        "phase": "L1",
    },
    {
        "value": "229.8",
        "context": "Sample.Periodic",
        "measurand": "Voltage",
        "unit": "V",
        "phase": "L1-N",
    },
]
SAMPLES_201 = [
    {
        "value": 15210.5,
        "context": "Sample.Periodic",
        "measurand": "Energy.Active.Import.Register",
        "unitOfMeasure": {"unit": "Wh"},
        "location": "Outlet",
    },
    {
        "value": 7360.2,
        "context": "Sample.Periodic",
        "measurand": "Power.Active.Import",
        "unitOfMeasure": {"unit": "W"},
    },
    {"value": 32.1, "context": "Sample.Periodic", "measurand": "Current.Import", "phase": "L1"},
    {"value": 229.8, "context": "Sample.Periodic", "measurand": "Voltage", "phase": "L1-N"},
]

#: name -> (subprotocol, action, payload)
MESSAGES = {
    "1.6 Heartbeat": ("ocpp1.6", "Heartbeat", {}),
    "1.6 MeterValues (4 samples)": (
        "ocpp1.6",
        "MeterValues",
        {
            "connectorId": 1,
            "transactionId": 1042,
            "meterValue": [{"timestamp": "2024-05-01T10:15:00Z", "sampledValue": SAMPLES_16}],
        },
    ),
    "2.0.1 TransactionEvent (4 samples)": (
        "ocpp2.0.1",
        "TransactionEvent",
        {
            "eventType": "Updated",
            "timestamp": "2024-05-01T10:15:00Z",
            "triggerReason": "MeterValuePeriodic",
            "seqNo": 12,
            "transactionInfo": {
                "transactionId": "0f6c1e4e-2b1a-4c1b-9a55-6a8c2d1f0b77",
                "chargingState": "Charging",
            },
            "evse": {"id": 1, "connectorId": 1},
            "meterValue": [{"timestamp": "2024-05-01T10:15:00Z", "sampledValue": SAMPLES_201}],
        },
    ),
}


#: subprotocol -> the BootNotification payload a charger sends first where the
#: CSMS refuses other CALLs until it has accepted the boot.
BOOTS = {
    "ocpp1.6": {"chargePointVendor": "chargebus-bench", "chargePointModel": "load"},
    "ocpp2.0.1": {
        "reason": "PowerUp",
        "chargingStation": {"vendorName": "chargebus-bench", "model": "load"},
    },
}


def boot_frame(protocol: str, message_id: str) -> str:
    payload = json.dumps(BOOTS[protocol], separators=(",", ":"))
    return f'[2,"{message_id}","BootNotification",{payload}]'


def frame_parts(name: str) -> tuple[str, str, str]:
    """(subprotocol, prefix, suffix): a frame is prefix + id + suffix."""
    protocol, action, payload = MESSAGES[name]
    return protocol, '[2,"', f'","{action}",{json.dumps(payload, separators=(",", ":"))}]'
