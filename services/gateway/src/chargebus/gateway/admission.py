"""Who may be read now: the per-connection rate limit and the flood policy,
with no I/O and no clock of their own (every method takes ``now``).

Rules it owns:

* One token bucket (:class:`TokenBucket`) for every rate here: a
  connection's messages, and the log lines limits write (:class:`LogBudget`,
  shared by every connection of the process).
* A message is read once the charger is under its rate (a token is free) and
  has fewer than ``max_pending`` CALLs waiting behind the one being answered.
  Until then its socket is not read: TCP back-pressure, nothing refused.
* A charger throttled for ``close_after`` seconds on end is flooding: its
  connection is closed with 1008.  An episode ends once the charger has
  slowed down (its bucket half full again, or no rate limit).
"""

from __future__ import annotations

import enum

__all__ = [
    "LIMIT_LOGS",
    "PENDING_POLL",
    "THROTTLE_LOG_EVERY",
    "FloodPolicy",
    "LogBudget",
    "TokenBucket",
    "Verdict",
]

#: How often a connection throttled by pending CALLs looks again (s).
PENDING_POLL = 0.02
#: A connection logs a throttling episode at most this often (s).
THROTTLE_LOG_EVERY = 10.0


class TokenBucket:
    """``rate`` tokens a second, at most ``burst`` held, full at ``now``.  A
    rate of 0 or less is no limit: every take succeeds."""

    __slots__ = ("_at", "burst", "rate", "tokens")

    def __init__(self, rate: float, burst: int, now: float = 0.0) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self._at = now

    def take(self, now: float) -> float:
        """Take a token: 0.0, or how long until one is free (s)."""
        rate = self.rate
        if rate <= 0:
            return 0.0
        tokens = min(float(self.burst), self.tokens + (now - self._at) * rate)
        self._at = now
        if tokens >= 1.0:
            self.tokens = tokens - 1.0
            return 0.0
        self.tokens = tokens
        return (1.0 - tokens) / rate


class LogBudget:
    """A token bucket for the log lines of limits, shared by every
    connection of the process: a thousand flooding chargers write a few
    lines a second and a count of what was left out, not a line each."""

    __slots__ = ("_bucket", "suppressed")

    def __init__(self, per_second: float, burst: int) -> None:
        self._bucket = TokenBucket(per_second, burst)
        self.suppressed = 0

    def take(self, now: float) -> int | None:
        """None: leave the line out.  Else how many were left out before it."""
        if self._bucket.take(now) > 0.0:
            self.suppressed += 1
            return None
        suppressed, self.suppressed = self.suppressed, 0
        return suppressed


#: The log lines of limits (throttling, flood closes), for every connection.
LIMIT_LOGS = LogBudget(per_second=5.0, burst=50)


class Verdict(enum.Enum):
    """What to do with the message just read."""

    #: Handle it.
    ADMIT = "admit"
    #: A throttling episode began: count it, then wait ``FloodPolicy.wait``.
    THROTTLE = "throttle"
    #: Still throttled: wait ``FloodPolicy.wait`` and ask again.
    WAIT = "wait"
    #: Throttled for ``close_after`` s: close the connection (1008).
    CLOSE = "close"


class FloodPolicy(TokenBucket):
    """One connection's admission: its rate limit (a token bucket, full at
    ``now``) and the throttling episodes it makes.  After a verdict other
    than ADMIT, ``why`` says which limit holds it back ("rate" or
    "pending") and ``wait`` for how long (s).  (A bucket itself, not one
    held: one object less for each of 10,000 connections.)"""

    __slots__ = ("_logged_at", "close_after", "throttled_since", "wait", "why")

    def __init__(self, rate: float, burst: int, close_after: float, now: float) -> None:
        super().__init__(rate, burst, now)
        self.close_after = close_after
        #: When the current throttling episode began (None: not throttled).
        self.throttled_since: float | None = None
        self.wait = 0.0
        self.why = "rate"
        self._logged_at = -THROTTLE_LOG_EVERY

    def check(self, now: float, pending_full: bool) -> Verdict:
        """May the message just read be handled?  ``pending_full``: the next
        CALL would be refused (it would wait behind the one being answered,
        and max_pending already do)."""
        if pending_full:
            self.wait, self.why = PENDING_POLL, "pending"
        else:
            wait = self.take(now)
            if wait == 0.0:
                if self.throttled_since is not None and (
                    self.rate <= 0 or self.tokens >= self.burst / 2
                ):
                    self.throttled_since = None  # it slowed down: the episode is over
                return Verdict.ADMIT
            self.wait, self.why = wait, "rate"
        if self.throttled_since is None:
            self.throttled_since = now
            return Verdict.THROTTLE
        if now - self.throttled_since >= self.close_after:
            return Verdict.CLOSE
        return Verdict.WAIT

    def throttled_for(self, now: float) -> float:
        """How long the current episode has lasted (s)."""
        return 0.0 if self.throttled_since is None else now - self.throttled_since

    def worth_a_line(self, now: float) -> bool:
        """Log the episode that just began?  At most one a connection every
        THROTTLE_LOG_EVERY seconds."""
        if now - self._logged_at < THROTTLE_LOG_EVERY:
            return False
        self._logged_at = now
        return True

    def limit_text(self, max_pending: int) -> str:
        """The limit that holds the charger back, for the log and the close."""
        if self.why == "pending":
            return f"{max_pending} CALLs waiting for an answer"
        return f"over {self.rate:g} messages/s (burst {self.burst})"
