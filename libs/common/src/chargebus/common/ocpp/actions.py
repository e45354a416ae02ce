"""What an action is: its name, its message types and who may send it.

Each version's table lives in ``<version>/actions.py`` (generated).  The
session uses it to tell an unknown action (NotImplemented) from a known one
that this side does not accept (NotSupported), J201 §4.1.7.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from chargebus.common.ocpp.types import Message

__all__ = ["Action", "Initiator"]


class Initiator(enum.Enum):
    """The side that sends an action's CALL."""

    CHARGER = "charger"
    CSMS = "csms"
    BOTH = "both"


@dataclass(frozen=True, slots=True)
class Action:
    name: str
    request: type[Message]
    response: type[Message] | None
    initiator: Initiator
    send_only: bool = False

    @property
    def sent_by_charger(self) -> bool:
        return self.initiator is not Initiator.CSMS

    @property
    def sent_by_csms(self) -> bool:
        return self.initiator is not Initiator.CHARGER
