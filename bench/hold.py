"""Open N idle charger connections and hold them until stdin closes.

Each charger connects (from 127.0.0.<first-source> on, PER_SOURCE chargers
per source address, to stay well inside the ~28,000 ephemeral ports of each),
sends one Heartbeat and waits for its answer, then stays idle.  Prints
"ready <connected> <failed>" once all attempts are done or --deadline has
passed (attempts still pending then count as failed).  Bounded: N
connections, each attempt with a timeout, all of them within --deadline.
Connects only to the URL it is given (loopback in the benchmarks).
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from websockets.asyncio.client import connect

PER_SOURCE = 5_000  # connections per 127.0.0.x source address


def sources(count: int) -> int:
    """How many source addresses ``count`` chargers use."""
    return -(-count // PER_SOURCE)


async def one(url: str, index: int, protocol: str, first: int, held: list[object]) -> None:
    source = f"127.0.0.{first + index // PER_SOURCE}"
    try:
        ws = await connect(
            f"{url}/CP-idle-{index}",
            subprotocols=[protocol],
            ping_interval=None,
            compression=None,
            open_timeout=60,
            local_addr=(source, 0),
        )
        await ws.send(f'[2,"h{index}","Heartbeat",{{}}]')
        await asyncio.wait_for(ws.recv(), 60)
        held.append(ws)
    except (OSError, TimeoutError, Exception):  # counted (as not held) and reported
        pass


async def main(args: argparse.Namespace) -> None:
    held: list[object] = []
    semaphore = asyncio.Semaphore(args.concurrency)

    async def limited(i: int) -> None:
        async with semaphore:
            await one(args.url, i, args.protocol, args.first_source, held)

    tasks = [asyncio.create_task(limited(i)) for i in range(args.count)]
    _, pending = await asyncio.wait(tasks, timeout=args.deadline)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    print(f"ready {len(held)} {args.count - len(held)}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--protocol", default="ocpp1.6")
    parser.add_argument(
        "--first-source", type=int, default=2, help="last byte of the first 127.0.0.x to use"
    )
    parser.add_argument("--deadline", type=float, default=600.0, help="seconds for all attempts")
    args = parser.parse_args()
    if not 1 <= args.first_source <= 255 - sources(args.count):
        sys.exit(f"{args.count} chargers from 127.0.0.{args.first_source} pass 127.0.0.254")
    import uvloop

    uvloop.run(main(args))
