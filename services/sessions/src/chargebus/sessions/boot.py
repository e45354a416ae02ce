"""BootNotification and Heartbeat: who a charger is and whether it may talk
(B01-B03; 1.6 §4.2).  Also the policy for a charger the store doesn't know,
which every message that creates a charger document applies.

Decisions are pure: ``apply_boot`` merges a boot into the charger (a
redelivered boot, recognised by its message id and receipt time, changes
nothing) and returns the ``charger.booted`` event; ``boot_answer`` is the
answer.  ``handle_boot`` loads, applies, stores and passes the state on to
the gateways.
"""

from __future__ import annotations

import logging
from typing import Any

from chargebus.common.envelope import NULL
from chargebus.common.events import ChargerBooted
from chargebus.sessions.context import Answer, HandlerPorts, MessageContext
from chargebus.sessions.model import Charger, Registration
from chargebus.sessions.values import content_hash, iso_time, optional

__all__ = [
    "apply_boot",
    "boot_answer",
    "boot_info",
    "handle_boot",
    "handle_heartbeat",
    "unknown_charger",
]

log = logging.getLogger(__name__)


def unknown_charger(charger_id: str, protocol: str, at: float, policy: str, what: str) -> Charger:
    """A charger the store doesn't know, registered by the boot policy
    (``CHARGEBUS_UNKNOWN_CHARGERS``: accept, pending, else reject)."""
    registration: Registration = {"accept": "Accepted", "pending": "Pending"}.get(  # type: ignore[assignment]
        policy, "Rejected"
    )
    log.warning("unknown charger %s %s: %s by policy", charger_id, what, registration)
    return Charger(
        id=charger_id,
        registration=registration,
        protocol=protocol,
        created_at=at,
        updated_at=at,
    )


def boot_info(request: Any, is_2x: bool) -> dict[str, Any]:
    """What a BootNotification says about the charger, as charger fields."""
    if is_2x:
        station = request.charging_station
        modem = optional(station.modem)
        return {
            "vendor": station.vendor_name,
            "model": station.model,
            "serial_number": optional(station.serial_number),
            "firmware_version": optional(station.firmware_version),
            "iccid": optional(modem.iccid) if modem else None,
            "imsi": optional(modem.imsi) if modem else None,
            "boot_reason": request.reason,
        }
    return {
        "vendor": request.charge_point_vendor,
        "model": request.charge_point_model,
        "serial_number": optional(request.charge_point_serial_number)
        or optional(request.charge_box_serial_number),
        "firmware_version": optional(request.firmware_version),
        "iccid": optional(request.iccid),
        "imsi": optional(request.imsi),
        "meter_type": optional(request.meter_type),
        "meter_serial_number": optional(request.meter_serial_number),
    }


def apply_boot(
    charger: Charger | None,
    *,
    charger_id: str,
    protocol: str,
    info: dict[str, Any],
    boot_key: str,
    at: float,
    policy: str,
) -> tuple[Charger | None, list[ChargerBooted]]:
    """The charger after a boot and its event; (None, []) when this boot
    was applied already."""
    if charger is None:
        charger = unknown_charger(
            charger_id, protocol, at, policy, f"booted ({info['vendor']} {info['model']})"
        )
    elif charger.last_boot == boot_key:
        return None, []
    for name, value in info.items():
        setattr(charger, name, value)
    charger.protocol = protocol
    charger.booted_at = at
    charger.last_boot = boot_key
    charger.updated_at = at
    event = ChargerBooted(
        event_id=f"{charger_id}:booted:{content_hash(boot_key)[:16]}",
        charger_id=charger_id,
        occurred_at=at,
        registration=charger.registration,
        protocol=protocol,
        vendor=info["vendor"],
        model=info["model"],
        serial_number=info["serial_number"],
        firmware_version=info["firmware_version"],
        reason=info.get("boot_reason"),
    )
    return charger, [event]


def boot_answer(
    registration: str, now: float, *, heartbeat_interval: int, boot_retry_interval: int
) -> dict[str, Any]:
    """Accepted chargers heartbeat at the interval; the others boot again
    after the retry interval."""
    interval = heartbeat_interval if registration == "Accepted" else boot_retry_interval
    return {"status": registration, "currentTime": iso_time(now), "interval": interval}


async def handle_boot(ctx: MessageContext, ports: HandlerPorts) -> Answer:
    message, settings = ctx.message, ports.settings
    info = boot_info(ctx.request, ctx.is_2x)

    def change(charger: Charger | None) -> Charger | None:
        updated, events = apply_boot(
            charger,
            charger_id=ctx.charger_id,
            protocol=message.version,
            info=info,
            boot_key=f"{message.message_id}|{message.received_at}",
            at=ctx.at,
            policy=settings.unknown_charger_policy,
        )
        return ctx.emit(updated, events)

    charger, _ = await ports.repositories.chargers.modify(ctx.charger_id, change)
    assert charger is not None
    ctx.outbox.append(charger)
    if message.answer != NULL and charger.registration != "Accepted":
        # The gateway read Accepted as the operator changed it: the
        # charger's next boot gets the new state (written just below).
        log.warning(
            "charger %s was answered Accepted by its gateway; its registration is now %s",
            ctx.charger_id,
            charger.registration,
        )
    await ports.registrations.publish_registration(ctx.charger_id)
    if charger.credentials is not None and ports.registrations.hex_key_models:
        await ports.registrations.publish_credentials(ctx.charger_id)  # its model may be known now
    return boot_answer(
        charger.registration,
        ports.clock(),
        heartbeat_interval=settings.heartbeat_interval,
        boot_retry_interval=settings.boot_retry_interval,
    )


async def handle_heartbeat(ctx: MessageContext, ports: HandlerPorts) -> Answer:
    return None  # last seen is noted for every message; no write
