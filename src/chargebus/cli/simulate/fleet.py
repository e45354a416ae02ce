"""The fleet: which chargers (ids, the protocol mix in deterministic shares,
source addresses, the stalled share), the ramp, the run's duration and its
wind-down (new work stops, what waits offline is sent, bounded, then every
connection closes).  ``Simulation.run()`` returns the ``Stats``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
import resource
import sys
import time

from chargebus.cli.simulate.charger import Charger
from chargebus.cli.simulate.options import Options
from chargebus.cli.simulate.progress import (
    show_progress,
    write_json,
    write_status,
    write_status_now,
)
from chargebus.cli.simulate.stats import Stats

__all__ = ["Simulation"]


class Simulation:
    def __init__(self, options: Options) -> None:
        self.options = options
        self.stats = Stats()
        self.transactions = itertools.count(1)
        self.chargers = self._fleet()
        #: Set to end the run before its duration is over (SIGTERM).
        self.finish = asyncio.Event()
        self.phase = "ramp"
        self.elapsed = 0.0

    def reset(self) -> None:
        """Measure from now on (SIGUSR1): the message counts, latencies and
        errors start again; connections and boots are kept."""
        stats = self.stats
        for counter in (stats.sent, stats.answered, stats.errors, stats.invalid, stats.timeouts):
            counter.clear()
        stats.latency.clear()

    def _fleet(self) -> list[Charger]:
        options = self.options
        rng = random.Random(options.seed)
        versions = [v for v, _ in options.mix]
        weights = [w for _, w in options.mix]
        # Deterministic shares: the mix's proportions, rounded, shuffled.
        shares = [round(options.count * w / sum(weights)) for w in weights]
        shares[-1] = options.count - sum(shares[:-1])
        assigned = [v for v, n in zip(versions, shares, strict=True) for _ in range(n)]
        rng.shuffle(assigned)
        sources: list[str | None] = [*options.sources] or [None]
        width = max(4, len(str(options.count)))
        chargers = [
            Charger(
                options,
                self.stats,
                f"{options.prefix}{n:0{width}d}",
                version,
                sources[n % len(sources)],
                transactions=self.transactions,
            )
            for n, version in enumerate(assigned)
        ]
        for charger in rng.sample(chargers, round(options.count * options.stall)):
            charger.stalled = True
        return chargers

    async def run(self) -> Stats:
        options = self.options
        if options.seed is not None:
            random.seed(options.seed)
        stop, wind_down = asyncio.Event(), asyncio.Event()
        started = time.monotonic()
        tasks: list[asyncio.Task[None]] = []
        progress = (
            asyncio.create_task(show_progress(self.stats, options.count, started))
            if options.progress
            else None
        )
        self.phase = "ramp"
        status = (
            asyncio.create_task(
                write_status(
                    options.status_file,
                    options.status_interval,
                    self.stats,
                    options.count,
                    started,
                    lambda: self.phase,
                )
            )
            if options.status_file
            else None
        )
        ramp = 0.0 if options.scenario == "storm" else options.ramp
        try:
            for n, charger in enumerate(self.chargers):
                if self.finish.is_set():
                    break
                if ramp > 0:
                    delay = started + n / ramp - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(charger.run(wind_down, stop)))
            self.phase = "run"
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.finish.wait(), options.duration)
        finally:
            # New work stops; what waits offline is sent (bounded), then all close.
            self.phase = "wind_down"
            wind_down.set()
            # The CALLs in flight are answered, what waits offline is sent.
            deadline = time.monotonic() + options.offline_for[1] + options.call_timeout
            busy = [c for c in self.chargers[: len(tasks)] if not c.done.is_set()]
            while busy and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
                busy = [c for c in busy if not c.done.is_set()]
            stop.set()
            await asyncio.wait(tasks, timeout=options.call_timeout + 10) if tasks else None
            for task in tasks:
                task.cancel()
            for result in await asyncio.gather(*tasks, return_exceptions=True):
                if isinstance(result, Exception):
                    self.stats.crashed[repr(result)[:120]] += 1
            if progress is not None:
                progress.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await progress
                print(file=sys.stderr)
        self.elapsed = time.monotonic() - started
        self.stats.still_queued = sum(len(c.offline) for c in self.chargers)
        self.stats.peak_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if status is not None:
            status.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await status
            self.phase = "done"
            assert options.status_file is not None
            write_status_now(options.status_file, self.stats, options.count, started, self.phase)
        if options.json_file:
            write_json(options.json_file, self.stats.as_dict(options.count, self.elapsed))
        return self.stats
