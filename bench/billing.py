"""Billing: how fast sessions are priced and CDRs made.

    .venv/bin/python bench/billing.py [--sessions 2000] [--updates 10]

1. pricing alone: ``price()`` for a 2-hour session with three time-of-day
   bands, an idle fee and a 24-reading meter profile;
2. the billing service on SQLite and the in-memory bus, as in ``chargebus
   run``: per session one session.started, ``--updates`` session.updated
   and one session.ended, delivered as the bus would, to a CDR stored and
   billing.cdr_created published.

Prints sessions and events per second and CPU microseconds per event
(process CPU time). No peer CSMS prices sessions in a way that can run
here side by side, so there is no ratio; the number to watch is the
events per second against the sessions service's rate (bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import msgspec

from chargebus.billing.model import SCHEMA
from chargebus.billing.pricing import Usage, price
from chargebus.billing.service import BillingService
from chargebus.billing.settings import BillingSettings
from chargebus.common.billing import Tariff
from chargebus.common.bus import Delivery
from chargebus.common.bus.memory import MemoryBroker, MemoryBus
from chargebus.common.events import SessionEnded, SessionStarted, SessionUpdated
from chargebus.common.store.sqlite import SqliteStore

TARIFF = {
    "currency": "EUR",
    "vat_rate": "19",
    "energy_price": "0.39",
    "time_price": "0.01",
    "idle_price": "0.10",
    "idle_grace_minutes": 15,
    "session_fee": "0.50",
    "max_price": "80",
    "timezone": "Europe/Berlin",
    "bands": [
        {"start": "22:00", "end": "06:00", "energy_price": "0.29"},
        {"start": "16:00", "end": "20:00", "energy_price": "0.49"},
        {"days": ["SATURDAY", "SUNDAY"], "idle_price": "0"},
    ],
}
T0 = datetime(2026, 11, 23, 17, 0, tzinfo=UTC).timestamp()


def bench_pricing(count: int) -> None:
    tariff = msgspec.convert({"id": "bench", **TARIFF}, Tariff)
    meter = tuple((T0 + n * 300, Decimal(n * 1500)) for n in range(25))
    usage = Usage(started_at=T0, ended_at=T0 + 7200 + 1800, meter=meter, idle_since=T0 + 7200)
    price(tariff, usage)
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(count):
        price(tariff, usage)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(
        f"pricing   {count} sessions: {count / wall:,.0f} sessions/s, "
        f"{cpu / count * 1e6:,.0f} us CPU per session"
    )


async def bench_service(count: int, updates: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        service = BillingService(
            BillingSettings(cdr_delay=0.0, cost_update_interval=0.0),
            SqliteStore(Path(directory) / "billing.db", SCHEMA),
            MemoryBus(MemoryBroker()),
            clock=lambda: T0 - 60 if not started else time.time(),
        )
        started = False
        await service.store.start()
        await service.bus.start()
        await service.put_tariff("bench", msgspec.convert(TARIFF, Tariff))
        await service.assign("group:default", "bench")
        started = True
        service.started = True
        events: list[list[tuple[str, bytes]]] = []
        for n in range(count):
            ids = {
                "charger_id": f"CP-{n % 500}",
                "session_id": f"S-{n:06d}",
                "transaction_id": str(n),
                "evse_id": 1,
                "connector_id": 1,
                "protocol": "ocpp2.0.1",
            }
            flow = [
                (
                    "session.started",
                    SessionStarted(
                        **ids, event_id=f"{n}:s", occurred_at=T0, started_at=T0, meter_start_wh=0
                    ),
                )
            ]
            for u in range(1, updates + 1):
                at = T0 + u * 600
                flow.append(
                    (
                        "session.updated",
                        SessionUpdated(
                            **ids,
                            event_id=f"{n}:u{u}",
                            occurred_at=at,
                            started_at=T0,
                            energy_wh=u * 3000.0,
                            meter_wh=u * 3000.0,
                            meter_at=at,
                        ),
                    )
                )
            end = T0 + (updates + 1) * 600
            flow.append(
                (
                    "session.ended",
                    SessionEnded(
                        **ids,
                        event_id=f"{n}:e",
                        occurred_at=end,
                        started_at=T0,
                        ended_at=end,
                        energy_wh=updates * 3000.0,
                        meter_start_wh=0,
                        meter_stop_wh=updates * 3000.0,
                        meter_profile=[(T0 + u * 600, u * 3000.0) for u in range(updates + 1)],
                    ),
                )
            )
            events.append([(key, msgspec.json.encode(event)) for key, event in flow])

        async def one(flow: list[tuple[str, bytes]]) -> None:
            for key, body in flow:
                await service.on_delivery(Delivery(body=body, routing_key=key))

        cpu, wall = time.process_time(), time.perf_counter()
        # 100 sessions at once, as the prefetch would have them.
        for batch in range(0, count, 100):
            await asyncio.gather(*(one(flow) for flow in events[batch : batch + 100]))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        made = len(await service.store.find("cdrs", {"latest": True}, limit=count + 1))
        total = count * (updates + 2)
        print(
            f"service   {count} sessions, {total} events, {made} CDRs: "
            f"{count / wall:,.0f} sessions/s, {total / wall:,.0f} events/s, "
            f"{cpu / total * 1e6:,.0f} us CPU per event"
        )
        assert made == count, made
        await service.store.close()
        await service.bus.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--updates", type=int, default=10)
    args = parser.parse_args()
    bench_pricing(min(args.sessions, 20000))
    asyncio.run(bench_service(min(args.sessions, 20000), min(args.updates, 100)))


if __name__ == "__main__":
    main()
