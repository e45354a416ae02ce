"""What a connection only logs, never acts on: frames the session ignored,
answers that matched no call in flight, answers of ours the session found
invalid, answers the charger rejected.

Rule: junk a charger can send as often as it likes (frames ignored, answers
nobody asked for) is logged within ``NOISE_LOGS``, a budget shared by every
connection of the process, with a count of the lines left out; the others
are always worth a line.
"""

from __future__ import annotations

import logging

from chargebus.common.ocpp.session import (
    AnswerInvalid,
    FrameIgnored,
    ResultRejected,
    UnmatchedResult,
)
from chargebus.gateway.admission import LogBudget

__all__ = ["NOISE_LOGS", "log_event", "log_unmatched"]

# The connection's logger: these are its lines, moved here only to be short.
log = logging.getLogger("chargebus.gateway.connection")

#: For the lines junk makes: a charger sending nothing else would otherwise
#: write one per message.
NOISE_LOGS = LogBudget(per_second=20.0, burst=200)


def _left_out(count: int) -> str:
    return f" [{count} such lines left out]" if count else ""


def log_unmatched(event: UnmatchedResult, charger_id: str, now: float, *, late: bool) -> None:
    """An answer that matched no call in flight: ``late`` (it belongs to a
    command that timed out) always gets a line, junk within the budget."""
    left_out = 0 if late else NOISE_LOGS.take(now)
    if left_out is not None:
        log.warning(
            "answer %s from %s matched no call in flight%s%s",
            event.message_id,
            charger_id,
            " (it timed out)" if event.timed_out else "",
            _left_out(left_out),
        )


def log_event(
    event: AnswerInvalid | FrameIgnored | ResultRejected, charger_id: str, now: float
) -> None:
    if isinstance(event, AnswerInvalid):
        log.error(
            "invalid answer to %s %s from %s replaced by InternalError: %s",
            event.action,
            event.message_id,
            charger_id,
            event.description,
        )
    elif isinstance(event, FrameIgnored):
        left_out = NOISE_LOGS.take(now)
        if left_out is not None:
            log.info(
                "ignored from %s: %s (id %s)%s",
                charger_id,
                event.reason,
                event.message_id,
                _left_out(left_out),
            )
    else:
        log.warning(
            "%s rejected our answer %s: %s %s",
            charger_id,
            event.message_id,
            event.wire_code,
            event.description,
        )
