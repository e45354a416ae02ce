"""Closed-loop load: N chargers, each sending its next CALL when the answer
to the previous one arrives.  Prints one JSON line of results.

All chargers connect first (with --boot, each also sends a BootNotification
and needs it Accepted); then the timed window starts for all at once, and a
line "go" is printed so that the caller can start its own measurements.
Only CALLRESULTs count as messages (and have their latency kept); any other
answer, a CALLERROR above all, counts as an error, and the first one is shown
on stderr.  Bounded in count and time: stops after --seconds or
--max-messages.  It only connects to the URL it is given (loopback in the
benchmarks).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

from websockets.asyncio.client import connect

from messages import boot_frame, frame_parts


class Run:
    def __init__(self, chargers: int, budget: int) -> None:
        self.connected = 0
        self.all_connected = asyncio.Event()
        self.go = asyncio.Event()
        self.chargers = chargers
        self.stop_at = 0.0
        self.budget = budget
        self.latencies: list[float] = []
        self.errors = 0
        self.boots_refused: list[str] = []


def accepted(answer: str | bytes) -> bool:
    """A CALLRESULT to a BootNotification with status Accepted."""
    try:
        frame = json.loads(answer)
    except ValueError:
        return False
    return (
        isinstance(frame, list)
        and len(frame) == 3
        and frame[0] == 3
        and isinstance(frame[2], dict)
        and frame[2].get("status") == "Accepted"
    )


async def charger(
    run: Run, url: str, protocol: str, prefix: str, suffix: str, index: int, boot: bool
) -> None:
    async with connect(
        f"{url}/CP-load-{index}",
        subprotocols=[protocol],
        max_size=None,
        compression=None,
        ping_interval=None,
        open_timeout=60,
    ) as ws:
        if boot:
            await ws.send(boot_frame(protocol, f"boot-{index}"))
            answer = await asyncio.wait_for(ws.recv(), 60)
            if not accepted(answer):
                run.boots_refused.append(f"CP-load-{index}: {answer!r:.300}")
        run.connected += 1
        if run.connected == run.chargers:
            run.all_connected.set()
        await run.go.wait()
        n = 0
        while time.perf_counter() < run.stop_at and run.budget > 0:
            run.budget -= 1
            n += 1
            sent = time.perf_counter()
            await ws.send(f"{prefix}{index}-{n}{suffix}")
            answer = await ws.recv()
            if isinstance(answer, str) and answer.startswith("[3,"):
                run.latencies.append(time.perf_counter() - sent)
            else:
                if not run.errors:
                    print(f"load: first error answer: {answer!r:.300}", file=sys.stderr)
                run.errors += 1


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def main(args: argparse.Namespace) -> dict[str, float]:
    protocol, prefix, suffix = frame_parts(args.message)
    run = Run(args.chargers, args.max_messages)
    tasks = [
        asyncio.create_task(charger(run, args.url, protocol, prefix, suffix, i, args.boot))
        for i in range(args.chargers)
    ]
    await asyncio.wait_for(run.all_connected.wait(), 120)
    if run.boots_refused:
        sys.exit(f"load: {len(run.boots_refused)} boots not accepted, e.g. {run.boots_refused[0]}")
    print("go", flush=True)
    started = time.perf_counter()
    run.stop_at = started + args.seconds
    run.go.set()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    return {
        "messages": len(run.latencies),
        "seconds": elapsed,
        "per_second": len(run.latencies) / elapsed,
        "p50_ms": percentile(run.latencies, 0.50) * 1000,
        "p99_ms": percentile(run.latencies, 0.99) * 1000,
        "errors": run.errors,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True, help="ws://127.0.0.1:PORT/ocpp (loopback)")
    parser.add_argument("--message", required=True)
    parser.add_argument("--chargers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--max-messages", type=int, default=5_000_000)
    parser.add_argument(
        "--boot", action="store_true", help="each charger boots (and needs Accepted) first"
    )
    import uvloop  # the load must cost less than the server it measures

    print(json.dumps(uvloop.run(main(parser.parse_args()))))
