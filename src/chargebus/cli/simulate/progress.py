"""What a run shows while it runs: the progress line on stderr (redrawn on
a terminal, a line every 5 s otherwise) and the JSON status file, rewritten
whole every ``status_interval`` seconds (a reader never sees half a file).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import msgspec

from chargebus.cli.simulate.stats import Stats

__all__ = ["show_progress", "write_json", "write_status", "write_status_now"]


def write_json(path: str, value: dict[str, Any]) -> None:
    """Write whole or not at all: a reader never sees half a file."""
    tmp = f"{path}.tmp"
    with open(tmp, "wb") as f:
        f.write(msgspec.json.encode(value))
    os.replace(tmp, path)


def write_status_now(path: str, stats: Stats, count: int, started: float, phase: str) -> None:
    write_json(path, stats.status(count, time.monotonic() - started, phase))


async def write_status(
    path: str,
    interval: float,
    stats: Stats,
    count: int,
    started: float,
    phase: Callable[[], str],
) -> None:
    """Keep the status file current until cancelled."""
    while True:
        write_status_now(path, stats, count, started, phase())
        await asyncio.sleep(interval)


async def show_progress(stats: Stats, count: int, started: float) -> None:
    """The progress line, until cancelled."""
    tty = sys.stderr.isatty()
    while True:
        await asyncio.sleep(0.5 if tty else 5.0)
        s = stats
        done = min(1.0, len(s.booted) / max(1, count))
        bar = "#" * int(done * 30)
        line = (
            f"[{bar:<30}] {time.monotonic() - started:6.1f}s connected {s.connected} "
            f"booted {len(s.booted)}/{count} messages "
            f"{sum(s.answered.values())} errors {sum(s.errors.values())} "
            f"reconnects {s.reconnects}"
        )
        print(("\r" + line) if tty else line, end="" if tty else "\n", file=sys.stderr)
