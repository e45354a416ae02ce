"""What a simulated fleet saw: counters, latencies by action and their
percentiles, and the summary (text, JSON, and the cheap live status).

Pure: no I/O, no clock; the fleet and its chargers write the counters,
the command line prints or writes what these functions return.
Percentiles are nearest-rank over every latency kept (none sampled away).
"""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

__all__ = ["Stats", "quantile", "quantiles_ms"]


class Stats:
    """What the fleet saw.  Latencies are kept whole (arrays of doubles, 8
    bytes each: 10,000 chargers for an hour at a message a minute, 5 MB)."""

    def __init__(self) -> None:
        self.connected = 0
        self.connections = 0
        self.booted: set[str] = set()
        #: Accepted BootNotifications (a charger booting again counts again).
        self.boots = 0
        #: Stalled chargers (not reading) and the CALLs they sent unread.
        self.stalled = 0
        self.stalled_sent = 0
        self.sent: Counter[str] = Counter()
        self.answered: Counter[str] = Counter()
        self.latency: dict[str, array[float]] = defaultdict(lambda: array("d"))
        self.errors: Counter[str] = Counter()
        self.invalid: Counter[str] = Counter()
        self.timeouts: Counter[str] = Counter()
        self.received: Counter[str] = Counter()
        #: What lenient validation forgave in the CSMS's answers.
        self.forgiven: Counter[str] = Counter()
        #: Chargers whose task ended with an error of the simulator's own.
        self.crashed: Counter[str] = Counter()
        self.peak_connected = 0
        #: Authorize / StartTransaction answers other than Accepted.
        self.not_authorized: Counter[str] = Counter()
        self.reconnects = 0
        self.refused: Counter[str] = Counter()
        self.closes: Counter[int] = Counter()
        self.sessions_started = 0
        self.sessions_ended = 0
        self.queued_offline = 0
        #: Messages still waiting offline when the run ended (unsent).
        self.still_queued = 0
        #: The simulator's own peak resident memory.
        self.peak_rss_kib = 0

    def percentile(self, action: str, q: float) -> float | None:
        return quantile(sorted(self.latency.get(action, ())), q)

    def as_dict(self, count: int, elapsed: float) -> dict[str, Any]:
        """The figures as JSON-ready values (latencies in ms)."""
        actions = {}
        for action in sorted(set(self.sent) | set(self.answered)):
            actions[action] = {
                "sent": self.sent[action],
                "answered": self.answered[action],
                "timeouts": self.timeouts[action],
                **quantiles_ms(sorted(self.latency.get(action, ()))),
            }
        overall = quantiles_ms(sorted(v for values in self.latency.values() for v in values))
        return {
            "chargers": count,
            "elapsed_s": round(elapsed, 3),
            "latency": overall,
            "connected": self.connected,
            "peak_connected": self.peak_connected,
            "booted": len(self.booted),
            "boots": self.boots,
            "connections": self.connections,
            "reconnects": self.reconnects,
            "sessions_started": self.sessions_started,
            "sessions_ended": self.sessions_ended,
            "queued_offline": self.queued_offline,
            "still_queued": self.still_queued,
            "stalled": self.stalled,
            "stalled_sent": self.stalled_sent,
            "actions": actions,
            "answered": sum(self.answered.values()),
            "errors": dict(self.errors),
            "invalid": dict(self.invalid),
            "forgiven": dict(self.forgiven),
            "not_authorized": dict(self.not_authorized),
            "crashed": dict(self.crashed),
            "refused": dict(self.refused),
            "closes": {str(k): n for k, n in self.closes.items()},
            "received": dict(self.received),
            "peak_rss_kib": self.peak_rss_kib,
        }

    def status(self, count: int, elapsed: float, phase: str) -> dict[str, Any]:
        """The live counters (cheap: no percentiles)."""
        return {
            "phase": phase,
            "chargers": count,
            "elapsed_s": round(elapsed, 3),
            "connected": self.connected,
            "booted": len(self.booted),
            "boots": self.boots,
            "connections": self.connections,
            "reconnects": self.reconnects,
            "stalled": self.stalled,
            "answered": dict(self.answered),
            "errors": dict(self.errors),
            "timeouts": sum(self.timeouts.values()),
            "refused": dict(self.refused),
        }

    def summary(self, count: int, elapsed: float) -> str:
        lines = [
            f"chargers: {count}, connected at most {self.peak_connected}, "
            f"booted {len(self.booted)}, "
            f"connections {self.connections}, reconnects {self.reconnects}",
            f"sessions: started {self.sessions_started}, ended {self.sessions_ended}, "
            f"messages queued offline {self.queued_offline} ({self.still_queued} unsent at "
            f"the end); ran {elapsed:.1f} s; simulator peak memory "
            f"{self.peak_rss_kib / 1024:.0f} MiB ({self.peak_rss_kib / max(count, 1):.1f} KiB "
            "per charger)",
            f"{'action':<28}{'sent':>9}{'answered':>10}{'p50 ms':>9}{'p99 ms':>9}",
        ]
        for action in sorted(self.sent):
            p50, p99 = self.percentile(action, 0.5), self.percentile(action, 0.99)
            lines.append(
                f"{action:<28}{self.sent[action]:>9}{self.answered[action]:>10}"
                f"{_ms(p50):>9}{_ms(p99):>9}"
            )
        if self.stalled:
            lines.append(
                f"stalled (not reading): {self.stalled} chargers, {self.stalled_sent} CALLs "
                "sent unread"
            )
        if self.received:
            lines.append(
                "CSMS CALLs answered: "
                + ", ".join(f"{a} {n}" for a, n in sorted(self.received.items()))
            )
        for title, counter in (
            ("CALLERRORs", self.errors),
            ("invalid answers", self.invalid),
            ("forgiven in answers", self.forgiven),
            ("tokens not authorised", self.not_authorized),
            ("chargers stopped by an error of the simulator", self.crashed),
            ("time-outs", self.timeouts),
            ("refused connections", self.refused),
            ("closes by code", self.closes),
        ):
            if counter:
                lines.append(
                    f"{title}: " + ", ".join(f"{k} {n}" for k, n in sorted(counter.items()))
                )
        return "\n".join(lines)


def quantile(values: Sequence[float], q: float) -> float | None:
    """The nearest-rank quantile of sorted ``values``."""
    if not values:
        return None
    return values[min(len(values) - 1, max(0, math.ceil(q * len(values)) - 1))]


def quantiles_ms(values: Sequence[float]) -> dict[str, float | None]:
    """p50, p90, p99 and the maximum of sorted seconds, in ms."""
    return {
        name: None if (v := quantile(values, q)) is None else 1000 * v
        for name, q in (("p50_ms", 0.5), ("p90_ms", 0.9), ("p99_ms", 0.99), ("max_ms", 1.0))
    }


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.1f}"
