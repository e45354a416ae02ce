"""The registration gate: what a charger may send before the CSMS has
accepted it (B01-B03).  No I/O: the connection reads the registration from
the route table and hands it in.

Rules it owns:

* With ``registration_required``, a charger that isn't Accepted may send
  only BootNotification, and what the CSMS triggered it to send (for a
  while: see :mod:`chargebus.gateway.pending`); everything else is refused
  with SecurityError.
* The registration is what the CSMS last answered the charger's
  BootNotification; a route table that can't say fails open (the
  registration is not authentication: the security profile is).
* A charger known to be Accepted gets its BootNotification answered by the
  gateway itself when ``answer_accepted_boots`` is set, with the heartbeat
  interval the sessions service wrote.
"""

from __future__ import annotations

import contextlib
from typing import Protocol

import msgspec

from chargebus.common.routes import Registration

__all__ = ["RegistrationGate", "Triggers"]


class Triggers(Protocol):
    def triggered(self, action: str, now: float) -> bool:
        """Was the charger triggered to send ``action``, lately?"""


class _BootAnswer(msgspec.Struct):
    status: str


class RegistrationGate:
    __slots__ = (
        "_answer_accepted_boots",
        "_triggers",
        "boot_interval",
        "open",
        "required",
        "state",
    )

    def __init__(
        self,
        required: bool,
        answer_accepted_boots: bool,
        triggers: Triggers,
    ) -> None:
        self.required = required
        self._answer_accepted_boots = answer_accepted_boots
        self._triggers = triggers
        #: Accepted, Pending, Rejected (what the CSMS last answered its
        #: BootNotification), or None when the CSMS doesn't know it.
        self.state: str | None = None
        #: The heartbeat interval the gateway answers the charger's
        #: BootNotification with itself (it is Accepted), None: the sessions
        #: service decides.
        self.boot_interval: int | None = None
        #: Everything passes (read per message, so kept as a flag).
        self.open = not required

    def _set(self, state: str | None) -> None:
        self.state = state
        self.open = not self.required or state == "Accepted"

    def loaded(self, registration: Registration) -> None:
        """What the route table holds of the charger's registration."""
        self._set(registration.state)
        if registration.state == "Accepted" and self._answer_accepted_boots:
            self.boot_interval = registration.heartbeat_interval

    def unknown(self) -> None:
        """The route table couldn't say: fail open."""
        self._set("Accepted")

    def answered(self, boot_answer: bytes) -> None:
        """The CSMS answered the charger's BootNotification (an answer that
        doesn't decode was refused by the session anyway)."""
        with contextlib.suppress(msgspec.ValidationError, msgspec.DecodeError):
            self._set(msgspec.json.decode(boot_answer, type=_BootAnswer).status)

    def refuses(self, action: str, now: float) -> bool:
        """Is ``action`` refused now?  (Callers test ``open`` first.)"""
        if self.open or action == "BootNotification":
            return False
        return not self._triggers.triggered(action, now)

    def refusal(self) -> str:
        """The SecurityError's description."""
        return "BootNotification first: this charger is not accepted" + (
            f" ({self.state})" if self.state else ""
        )
