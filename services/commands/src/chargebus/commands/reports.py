"""What chargers report after accepting a command, and how it ends the
command: a session started (remote_start), a firmware status
(update_firmware).

Rules: a report ends the latest command it matches; the charger may report
before its answer is recorded, so ``sent`` commands are candidates too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from chargebus.commands.core import CommandsCore
from chargebus.commands.model import CommandDoc, SessionSeen
from chargebus.commands.repositories import Commands, SessionsSeen
from chargebus.commands.settings import CommandsSettings
from chargebus.common.commands import CommandStatus
from chargebus.common.envelope import OcppMessage
from chargebus.common.events import SessionStarted
from chargebus.common.store.documents import from_doc

__all__ = ["ChargerReports"]

FIRMWARE_FAILED = frozenset(
    {
        "DownloadFailed",
        "InstallationFailed",
        "InstallVerificationFailed",
        "InvalidSignature",
        "InstallRebootFailed",
        "InstallScheduled_Failed",
    }
)
#: Where a command that a report may end is.
_CANDIDATES: Sequence[CommandStatus] = ("accepted", "sent")


class ChargerReports:
    def __init__(
        self,
        core: CommandsCore,
        settings: CommandsSettings,
        commands: Commands,
        sessions_seen: SessionsSeen,
    ) -> None:
        self.core = core
        self.settings = settings
        self.commands = commands
        self.sessions_seen = sessions_seen

    async def session_started(self, event: SessionStarted) -> None:
        await self.sessions_seen.put(
            SessionSeen(
                id=event.session_id,
                charger_id=event.charger_id,
                transaction_id=event.transaction_id,
                evse_id=event.evse_id,
            )
        )
        candidates = [
            from_doc(raw, CommandDoc)
            for status in _CANDIDATES
            for raw in await self.commands.of_charger(event.charger_id, status, limit=100)
            if raw["name"] == "remote_start"
        ]
        window = self.settings.remote_start_window
        for doc in sorted(candidates, key=lambda d: d.created_at):
            sent_at = next(
                (h.at for h in reversed(doc.history) if h.status == "sent"), doc.created_at
            )
            if doc.transaction_id is not None and doc.transaction_id == event.transaction_id:
                matches = True  # 2.x: the charger answered with this transaction
            elif event.remote_start_id is not None and doc.remote_start_id is not None:
                matches = event.remote_start_id == doc.remote_start_id
            elif doc.protocol == "ocpp1.6" or event.remote_start_id is None:
                token = str(doc.params.get("id_token", "")).casefold()
                evse = doc.params.get("evse_id")
                matches = (
                    token == (event.id_token or "").casefold()
                    and (evse is None or evse == event.evse_id)
                    and sent_at - 5 <= event.started_at <= sent_at + window
                )
            else:
                matches = False
            if matches:
                await self.core.transition(
                    doc.id,
                    "session_started",
                    session_id=event.session_id,
                    transaction_id=event.transaction_id,
                    detail=f"session {event.session_id}",
                )
                return

    async def firmware_status(self, message: OcppMessage) -> None:
        # An object, or a decode error like any unreadable message (the
        # gateway only forwards valid requests; anything else is garbage).
        request = msgspec.json.decode(bytes(message.payload), type=dict[str, Any])
        status = request.get("status")
        request_id = request.get("requestId")
        # "sent" too: the charger may report before its answer is recorded.
        candidates = [
            raw
            for status in _CANDIDATES
            for raw in await self.commands.of_charger(message.charger_id, status, limit=100)
            if raw["name"] == "update_firmware"
        ]
        for raw in sorted(candidates, key=lambda r: r["created_at"], reverse=True):
            if request_id is not None and raw.get("request_id") not in (None, request_id):
                continue
            if status == "Installed":
                await self.core.transition(raw["_id"], "installed", firmware_status=status)
            elif status in FIRMWARE_FAILED:
                await self.core.transition(
                    raw["_id"], "install_failed", firmware_status=status, detail=status
                )
            else:
                await self.core.note(raw["_id"], firmware_status=status)
            return
