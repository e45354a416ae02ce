"""The commands' housekeeping, run every second: expire what waited too
long, deliver again what an error left on the way, time out what was sent
and never answered, and the accepted commands whose story never went on.
And after a restart, deliver what was taken but not sent.

Rules: nothing found ``sent`` is ever sent again (its outcome on the
charger is unknown: it times out); what was not sent is delivered again
(compare-and-set keeps it from being sent twice).
"""

from __future__ import annotations

from collections.abc import Callable

from chargebus.commands.core import GATEWAY_GRACE, CommandsCore
from chargebus.commands.repositories import Commands
from chargebus.commands.settings import CommandsSettings
from chargebus.common.commands import CommandStatus
from chargebus.common.tasks import TaskSet

__all__ = ["Housekeeping"]

#: A command left received or routed this long was left by an error: redrive it.
STUCK_S = 10.0


class Housekeeping:
    def __init__(
        self,
        core: CommandsCore,
        settings: CommandsSettings,
        commands: Commands,
        tasks: TaskSet,
        clock: Callable[[], float],
    ) -> None:
        self.core = core
        self.settings = settings
        self.commands = commands
        self.tasks = tasks
        self.clock = clock
        self._next_sent_scan = 0.0

    async def sweep(self) -> None:
        """Expire waiting commands, time out sent ones whose answer never
        came (the gateway died), and remote starts whose session never began."""
        now = self.clock()
        for raw in await self.commands.in_status("waiting"):
            if raw.get("expires_at") is not None and now >= raw["expires_at"]:
                await self.core.transition(
                    raw["_id"], "expired", detail="the ttl ran out", expected="waiting"
                )
        # Left by an error on the way (store, route table): deliver again;
        # compare-and-set keeps it from being sent twice.
        for status in ("received", "routed"):
            for raw in await self.commands.in_status(status):
                if now - raw["updated_at"] >= STUCK_S:
                    self.tasks.spawn(self._redrive(raw["_id"], status))
        # (A clock stepped back must not put the next read far away.)
        if now >= self._next_sent_scan or self._next_sent_scan - now > 30.0:
            await self._time_out_sent(now)
        window = self.settings.remote_start_window
        firmware = self.settings.firmware_window
        # Only those that go on: the final ones (most) are never read again.
        for raw in await self.commands.in_status("accepted", final=False):
            if raw["name"] == "remote_start" and now >= raw["updated_at"] + window:
                await self.core.transition(
                    raw["_id"],
                    "start_timed_out",
                    detail=f"accepted, but no session started within {window:g} s",
                )
            elif raw["name"] == "update_firmware" and now >= raw["updated_at"] + firmware:
                await self.core.transition(
                    raw["_id"],
                    "timed_out",
                    detail=f"accepted, but no Installed or failure reported within {firmware:g} s"
                    f" (last: {raw.get('firmware_status')})",
                    expected="accepted",
                )

    async def _time_out_sent(self, now: float) -> None:
        """Time out the commands left ``sent`` past their deadline.  Reading
        every sent command each second costs as much as a fan-out's
        thousands: the next read is when the first of those seen falls due,
        or when one sent after this read could (a deadline is at least
        call_timeout + grace after its sending), whichever is first."""
        due = now + self.settings.call_timeout + 2 * GATEWAY_GRACE
        for raw in await self.commands.in_status("sent"):
            deadline = raw.get("deadline")
            if deadline is None:
                continue
            # A live delivery reports well before this; past it, the process
            # that sent it is gone (or the gateway is): never resend.
            if now >= deadline + GATEWAY_GRACE:
                await self.core.transition(
                    raw["_id"],
                    "timed_out",
                    detail="no outcome reported; the outcome on the charger is unknown",
                    expected="sent",
                )
            else:
                due = min(due, deadline + GATEWAY_GRACE)
        # At least a second apart; at most 30 s (replicas configured apart).
        self._next_sent_scan = max(now + 1.0, min(due, now + 30.0))

    async def _redrive(self, id: str, status: CommandStatus) -> None:
        if status == "routed":
            moved = await self.core.transition(
                id, "received", detail="delivered again after an error", expected="routed"
            )
            if moved is None:
                return
        await self.core.drive(id)

    async def resume(self) -> None:
        """After a restart: deliver what was taken but not sent."""
        for status in ("received", "routed"):
            for raw in await self.commands.in_status(status):
                self.tasks.spawn(self._redrive(raw["_id"], status))
