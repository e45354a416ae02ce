"""What the parts of the commands service need of its core: the narrow
port that the fan-out, the delivery of single commands and the housekeeping
depend on, instead of the service's members.

The core (chargebus.commands.service.CommandsService) owns the commands'
state changes: every change goes through :meth:`CommandsCore.transition`
(the life cycle's table decides what is legal), and the callers waiting for
a command's end are told there.
"""

from __future__ import annotations

from typing import Any, Protocol

from chargebus.commands.model import CommandDoc
from chargebus.common.commands import CommandState, CommandStatus, FanoutState

__all__ = ["GATEWAY_GRACE", "CommandsCore"]

#: Extra time the gateway has to report an outcome after the charger's timeout.
GATEWAY_GRACE = 5.0


class CommandsCore(Protocol):
    async def transition(
        self,
        id: str,
        status: CommandStatus,
        *,
        detail: str | None = None,
        expected: CommandStatus | None = None,
        **fields: Any,
    ) -> CommandDoc | None:
        """Move the command to ``status`` if the life cycle allows it from
        where it is (and it is still in ``expected``, when given); the new
        document, or None if it had moved on."""
        ...

    async def note(self, id: str, only_in: CommandStatus | None = None, **fields: Any) -> bool:
        """Record fields without a change of state; False if it had moved on."""
        ...

    async def drive(self, id: str) -> None:
        """Deliver a received command (route, send, record the outcome)."""
        ...

    def ended(self, doc: CommandDoc) -> None:
        """A command was made final outside :meth:`transition` (a fan-out's
        batch): count it and tell whoever waits for it."""
        ...

    async def reply(
        self, reply_to: str, correlation_id: str | None, state: CommandState | FanoutState
    ) -> None:
        """Send a final state to a caller's ``reply_to``."""
        ...
