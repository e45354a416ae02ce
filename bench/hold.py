"""Open N idle charger connections and hold them until stdin closes.

Each charger connects (from 127.0.0.2 to 127.0.0.N, to stay inside the
ephemeral port range per source address), sends one Heartbeat and waits for
its answer, then stays idle.  Prints "ready <connected> <failed>" once all
attempts are done.  Bounded: N connections, each attempt with a timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from websockets.asyncio.client import connect

PER_SOURCE = 5_000  # connections per 127.0.0.x source address


async def one(url: str, index: int, protocol: str, held: list[object], failed: list[int]) -> None:
    source = f"127.0.0.{2 + index // PER_SOURCE}"
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
    except (OSError, TimeoutError, Exception):  # counted and reported
        failed.append(index)


async def main(args: argparse.Namespace) -> None:
    held: list[object] = []
    failed: list[int] = []
    semaphore = asyncio.Semaphore(args.concurrency)

    async def limited(i: int) -> None:
        async with semaphore:
            await one(args.url, i, args.protocol, held, failed)

    await asyncio.gather(*(limited(i) for i in range(args.count)))
    print(f"ready {len(held)} {len(failed)}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--protocol", default="ocpp1.6")
    import uvloop

    uvloop.run(main(parser.parse_args()))
