"""Which charger-initiated actions the gateway answers itself, and which it
forwards for a service to decide.  The table is explicit and tested.

* DECISION: the answer depends on state the CSMS owns (is this charger
  registered? may this token charge? which transaction id?).  The gateway
  publishes the message with a ``reply_to`` and answers with what the owning
  service replies; no reply in time means InternalError, so the charger
  retries.
* NOTIFICATION: the answer is fixed (an empty response, or the time for
  Heartbeat).  The gateway publishes the message as a durable event and
  answers only once the broker has confirmed it: a charger is never told
  something was received that could still be lost.  Heartbeat, which
  carries nothing to lose, is answered at once and published transient.

2.0.1 and 2.1 TransactionEvent is a decision when it carries an idToken
(the token must be checked) and a notification otherwise.  A 2.1 SEND
(NotifyPeriodicEventStream) is published and never answered.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from msgspec import UNSET

from chargebus.common.ocpp.types import Message
from chargebus.common.ocpp.versions import OcppVersion, actions_for

__all__ = ["Handling", "boot_accepted", "fixed_answer", "handling_of"]


class Handling(enum.Enum):
    DECISION = "decision"
    NOTIFICATION = "notification"


_COMMON_2X_DECISIONS = {
    "Authorize",
    "BootNotification",
    "DataTransfer",
    "Get15118EVCertificate",
    "GetCertificateStatus",
    "NotifyEVChargingNeeds",
    "NotifyEVChargingSchedule",
    "SignCertificate",
}
_COMMON_2X_NOTIFICATIONS = {
    "ClearedChargingLimit",
    "FirmwareStatusNotification",
    "Heartbeat",
    "LogStatusNotification",
    "MeterValues",
    "NotifyChargingLimit",
    "NotifyCustomerInformation",
    "NotifyDisplayMessages",
    "NotifyEvent",
    "NotifyMonitoringReport",
    "NotifyReport",
    "PublishFirmwareStatusNotification",
    "ReportChargingProfiles",
    "ReservationStatusUpdate",
    "SecurityEventNotification",
    "StatusNotification",
}

TABLE: dict[OcppVersion, dict[str, Handling]] = {
    OcppVersion.V16: {
        **dict.fromkeys(
            (
                "Authorize",
                "BootNotification",
                "DataTransfer",
                "StartTransaction",
                "StopTransaction",
                "SignCertificate",
            ),
            Handling.DECISION,
        ),
        **dict.fromkeys(
            (
                "DiagnosticsStatusNotification",
                "FirmwareStatusNotification",
                "Heartbeat",
                "MeterValues",
                "StatusNotification",
                "SecurityEventNotification",
                "LogStatusNotification",
                "SignedFirmwareStatusNotification",
            ),
            Handling.NOTIFICATION,
        ),
    },
    OcppVersion.V201: {
        **dict.fromkeys(_COMMON_2X_DECISIONS, Handling.DECISION),
        **dict.fromkeys(_COMMON_2X_NOTIFICATIONS, Handling.NOTIFICATION),
        # TransactionEvent: decided per message, see handling_of
        "TransactionEvent": Handling.NOTIFICATION,
    },
    OcppVersion.V21: {
        **dict.fromkeys(
            _COMMON_2X_DECISIONS
            | {
                "GetCertificateChainStatus",
                "OpenPeriodicEventStream",
                "PullDynamicScheduleUpdate",
                "VatNumberValidation",
            },
            Handling.DECISION,
        ),
        **dict.fromkeys(
            _COMMON_2X_NOTIFICATIONS
            | {
                "BatterySwap",
                "ClosePeriodicEventStream",
                "NotifyDERAlarm",
                "NotifyDERStartStop",
                "NotifyPriorityCharging",
                "NotifySettlement",
                "ReportDERControl",
                "NotifyPeriodicEventStream",
            },
            Handling.NOTIFICATION,
        ),
        "TransactionEvent": Handling.NOTIFICATION,
    },
}


def handling_of(version: OcppVersion, action: str, request: Any) -> Handling:
    if action == "TransactionEvent" and getattr(request, "id_token", UNSET) is not UNSET:
        return Handling.DECISION
    return TABLE[version][action]


def fixed_answer(version: OcppVersion, action: str, now: float) -> Message:
    """The answer to a notification: the empty response, or for Heartbeat the
    current time (J16 §4.6, J201 use case G02)."""
    response = actions_for(version)[action].response
    assert response is not None
    if action == "Heartbeat":
        return response(current_time=datetime.fromtimestamp(now, UTC))
    return response()


def boot_accepted(version: OcppVersion, now: float, interval: int) -> Message:
    """An Accepted BootNotification answer, for a charger the route table
    holds as Accepted (B01; J16 §4.2): what the sessions service answers
    such a charger, with the heartbeat interval it wrote beside the states."""
    response = actions_for(version)["BootNotification"].response
    assert response is not None
    return response(
        status="Accepted", current_time=datetime.fromtimestamp(now, UTC), interval=interval
    )
