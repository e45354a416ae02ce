"""How a command's outcome goes back to whoever sent the command.

Rules it owns:

* An outcome goes where its command came from: to the gateway's gatherer
  when the command came in a batch (an OutcomeBatch, see
  :mod:`chargebus.gateway.outcomes`), else on its own to ``reply_to`` with
  the command's ``correlation_id``; nobody asked (no ``reply_to``): dropped.
* Outcomes are transient messages, published in tasks of their own so the
  socket keeps being read; those tasks are never cancelled by a closing
  connection (an outcome decided is an outcome sent), and
  :meth:`OutcomeDelivery.wait` lets the connection wait for them.
"""

from __future__ import annotations

import logging

from chargebus.common import envelope
from chargebus.common.bus import Bus, BusError, reply
from chargebus.common.envelope import CommandOutcome
from chargebus.common.tasks import TaskSet
from chargebus.gateway.outcomes import OutcomeGatherer
from chargebus.gateway.pending import PendingCommand

__all__ = ["OutcomeDelivery"]

log = logging.getLogger(__name__)


class OutcomeDelivery:
    __slots__ = ("_bus", "_charger_id", "_gatherer", "_tasks")

    def __init__(self, bus: Bus, gatherer: OutcomeGatherer, charger_id: str) -> None:
        self._bus = bus
        self._gatherer = gatherer
        self._charger_id = charger_id
        self._tasks = TaskSet("a command's outcome")  # its lines name the charger

    def deliver(self, pending: PendingCommand, outcome: CommandOutcome) -> None:
        """On its way: gathered at once when the command came in a batch,
        else published in a task of its own."""
        if pending.batched:
            self._gatherer.add(pending.reply_to, pending.correlation_id, outcome)
        else:
            self._tasks.spawn(self.send(pending, outcome))

    async def send(self, pending: PendingCommand, outcome: CommandOutcome) -> None:
        """Gathered, or published now (waiting for the broker)."""
        if pending.batched:
            self._gatherer.add(pending.reply_to, pending.correlation_id, outcome)
            return
        if not pending.reply_to:
            return
        try:
            await reply(
                self._bus,
                pending.reply_to,
                envelope.encode(outcome),
                correlation_id=pending.correlation_id,
            )
        except BusError as exc:
            log.warning("outcome of %s for %s lost: %r", outcome.message_id, self._charger_id, exc)

    async def wait(self) -> None:
        """Until every outcome on its way is out."""
        await self._tasks.wait()
