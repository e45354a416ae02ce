"""What the commands service refuses (raised by its intake, answered by the
bus handler and the HTTP API)."""

from __future__ import annotations

__all__ = ["ConflictingCommand", "RefusedCommand"]


class RefusedCommand(Exception):
    """Unknown command or bad params: nothing stored, nothing sent."""


class ConflictingCommand(RefusedCommand):
    """The command id is taken by a different command."""
