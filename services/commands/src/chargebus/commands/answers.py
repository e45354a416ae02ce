"""How a charger's answer reads: accepted or not (:func:`verdict`), the
command's status after a CALL's outcome (:func:`judge`), and what is kept
of the CALL (:func:`call_record`).  Pure functions."""

from __future__ import annotations

from typing import Any

import msgspec

from chargebus.commands.translate import redacted
from chargebus.common.commands import CallRecord, CommandStatus
from chargebus.common.envelope import CommandOutcome

__all__ = ["call_record", "judge", "verdict"]

_ACCEPTING = {
    "Accepted",
    "Scheduled",
    "Unlocked",
    "RebootRequired",
    "AcceptedCanceled",
    "AcceptedRebootRequired",
}


def verdict(action: str, response: dict[str, Any]) -> tuple[bool, str | None]:
    """Did the charger accept?  And the status it gave, to tell the caller."""
    status = response.get("status")
    if action == "GetConfiguration":
        unknown = response.get("unknownKey") or []
        known = response.get("configurationKey") or []
        if unknown and not known:
            return False, "unknown keys: " + ", ".join(unknown)
        return True, ("unknown keys: " + ", ".join(unknown)) if unknown else None
    if action == "UpdateFirmware" and status is None:
        return True, None  # 1.6: no status in the answer
    if action == "GetDiagnostics":
        return True, response.get("fileName")
    if action in ("GetVariables", "SetVariables"):
        key = "getVariableResult" if action == "GetVariables" else "setVariableResult"
        statuses = [r.get("attributeStatus") for r in response.get(key, [])]
        if not statuses:
            return False, "no results"
        bad = [s for s in statuses if s not in ("Accepted", "RebootRequired")]
        return (not bad), (", ".join(sorted({str(s) for s in bad})) or None)
    if status is None:
        return True, None
    return status in _ACCEPTING, status


def call_record(
    outcome: CommandOutcome, name: str, action: str, payload: dict[str, Any], message_id: str
) -> CallRecord:
    """What a CALL and the gateway's outcome for it are kept as."""
    record = CallRecord(action=action, payload=redacted(name, payload), message_id=message_id)
    if outcome.status == "result":
        record.response = msgspec.json.decode(bytes(outcome.payload))
    elif outcome.status == "error":
        record.error_code = outcome.error_code
        record.error_description = outcome.error_description
    return record


def judge(
    outcome: CommandOutcome, action: str, record: CallRecord
) -> tuple[CommandStatus, str | None]:
    """The command's status after a CALL's outcome, and why."""
    if outcome.status == "result":
        ok, status = verdict(action, record.response or {})
        if ok:
            return "accepted", status
        return "rejected", f"{action}: {status}"
    if outcome.status == "error":
        return "failed", f"{outcome.error_code}: {outcome.error_description}"
    if outcome.status in ("timeout", "closed"):
        return "timed_out", outcome.error_description or "no answer in time"
    if outcome.status == "not_connected":
        return "charger_offline", outcome.error_description
    if outcome.status == "expired":
        return "expired", outcome.error_description
    return "failed", outcome.error_description or outcome.status
