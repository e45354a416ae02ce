"""What chargers report besides sessions and connector states: firmware and
log/diagnostics progress, security events, reports, data transfers, and the
decisions the CSMS doesn't offer yet.

Rules: every such message is kept as a record (its ``_id`` from its content,
so a redelivered report lands once); an upload's state is the latest by
receipt time; a SecurityEventNotification is always answered (A04.FR.03),
counted and logged as a security event; a decision the CSMS doesn't
implement (certificates, ISO 15118, smart-charging negotiation) gets a
conservative, schema-valid answer.
"""

from __future__ import annotations

import logging
from typing import Any

import msgspec
from msgspec import UNSET

from chargebus.sessions.boot import unknown_charger
from chargebus.sessions.context import Answer, HandlerPorts, MessageContext
from chargebus.sessions.model import Charger, Record, UploadState
from chargebus.sessions.values import iso_time, optional

__all__ = [
    "apply_upload_state",
    "handle_data_transfer",
    "handle_firmware_status",
    "handle_log_status",
    "handle_other",
    "handle_security_event",
    "keep_record",
    "not_supported_answer",
    "record_of",
]

_security_log = logging.getLogger("chargebus.security")

# Conservative, schema-valid answers to the decisions the CSMS doesn't
# implement yet (certificates, ISO 15118, smart-charging negotiation).
_NOT_SUPPORTED: dict[str, dict[str, Any]] = {
    "SignCertificate": {"status": "Rejected"},
    "GetCertificateStatus": {"status": "Failed"},
    "Get15118EVCertificate": {"status": "Failed", "exiResponse": ""},
    "NotifyEVChargingNeeds": {"status": "Rejected"},
    "NotifyEVChargingSchedule": {"status": "Accepted"},
    "OpenPeriodicEventStream": {"status": "Rejected"},
    "PullDynamicScheduleUpdate": {"status": "Rejected"},
}


def record_of(ctx: MessageContext) -> Record:
    message = ctx.message
    return Record(
        id=f"{message.charger_id}|{message.action}|{message.received_at:.6f}|{message.message_id}",
        charger_id=message.charger_id,
        kind=message.action,
        at=message.received_at,
        data=ctx.data,
    )


async def keep_record(ctx: MessageContext, ports: HandlerPorts) -> None:
    await ports.repositories.records.add(record_of(ctx), bytes(ctx.message.payload))


def apply_upload_state(charger: Charger, field: str, state: UploadState) -> Charger | None:
    """The charger with a newer firmware (``field`` "firmware") or log
    ("logs") upload state; None when the state held is as new."""
    current: UploadState | None = getattr(charger, field)
    if current is not None and current.at >= state.at:
        return None
    setattr(charger, field, state)
    charger.updated_at = max(charger.updated_at, state.at)
    return charger


async def _upload_status(ctx: MessageContext, ports: HandlerPorts, field: str) -> Answer:
    await keep_record(ctx, ports)
    state = UploadState(
        status=ctx.request.status,
        request_id=optional(getattr(ctx.request, "request_id", UNSET)),
        at=ctx.at,
    )

    def change(charger: Charger | None) -> Charger | None:
        if charger is None:
            charger = unknown_charger(
                ctx.charger_id,
                ctx.message.version,
                ctx.at,
                ports.settings.unknown_charger_policy,
                f"sent {ctx.message.action} without booting",
            )
        return apply_upload_state(charger, field, state)

    await ports.repositories.chargers.modify(ctx.charger_id, change)
    return None


async def handle_firmware_status(ctx: MessageContext, ports: HandlerPorts) -> Answer:
    return await _upload_status(ctx, ports, "firmware")


async def handle_log_status(ctx: MessageContext, ports: HandlerPorts) -> Answer:
    return await _upload_status(ctx, ports, "logs")


async def handle_security_event(ctx: MessageContext, ports: HandlerPorts) -> Answer:
    """Always answered (A04.FR.03; the gateway answers once it's stored),
    kept as a record and logged as a security event."""
    await keep_record(ctx, ports)
    ports.metrics.security_events.inc()
    request = ctx.request
    _security_log.warning(
        "security event from charger %s: %s%s",
        ctx.charger_id,
        request.type,
        f" ({request.tech_info})" if optional(request.tech_info) else "",
        extra={"security_event": f"charger:{request.type}", "charger_id": ctx.charger_id},
    )
    return None


def not_supported_answer(action: str, request: Any, now: float) -> Answer:
    """The conservative answer to a decision the CSMS doesn't offer yet;
    None for a notification."""
    answer = _NOT_SUPPORTED.get(action)
    if answer is not None:
        return dict(answer)
    if action == "GetCertificateChainStatus":
        # One status per certificate asked about: Failed, no status source yet.
        return {
            "certificateStatus": [
                {
                    "certificateHashData": msgspec.to_builtins(r.certificate_hash_data),
                    "source": r.source,
                    "status": "Failed",
                    "nextUpdate": iso_time(now),
                }
                for r in request.certificate_status_requests
            ]
        }
    if action == "VatNumberValidation":
        return {"vatNumber": request.vat_number, "status": "Rejected"}
    return None


async def handle_other(ctx: MessageContext, ports: HandlerPorts) -> Answer:
    """Actions without a handler of their own: kept as records; a decision
    gets the conservative answer (the feature isn't offered yet)."""
    await keep_record(ctx, ports)
    return not_supported_answer(ctx.message.action, ctx.request, ports.clock())


async def handle_data_transfer(ctx: MessageContext, ports: HandlerPorts) -> Answer:
    await keep_record(ctx, ports)
    request = ctx.request
    handler = ports.data_transfer.get(request.vendor_id)
    if handler is None:
        return {"status": "UnknownVendorId"}
    status, data = await handler(
        ctx.charger_id, optional(request.message_id), optional(request.data)
    )
    answer: dict[str, Any] = {"status": status}
    if data is not None:
        answer["data"] = data
    return answer
