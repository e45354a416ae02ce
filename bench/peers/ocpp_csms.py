"""The peer baseline: a central system written the way the ``ocpp`` package
documents it (its ChargePoint class and ``@on`` handlers on websockets),
with logging at WARNING.  It answers what the benchmarks and `chargebus
simulate` send, stores nothing, and on SIGUSR1 sends GetConfiguration (1.6)
or GetVariables (2.0.1) to every connected charger at once, writing how long
the answers took to the file given by ``--fanout-report``."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import signal
import time
from datetime import UTC, datetime
from typing import Any

from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201
from websockets.asyncio.server import serve

HEARTBEAT = 60
transactions = itertools.count(1)
connected: dict[str, ChargePoint16 | ChargePoint201] = {}


def now() -> str:
    return datetime.now(UTC).isoformat()


class CentralSystem16(ChargePoint16):
    @on("BootNotification")
    async def on_boot(self, **kwargs: Any) -> result16.BootNotification:
        return result16.BootNotification(current_time=now(), interval=HEARTBEAT, status="Accepted")

    @on("Heartbeat")
    async def on_heartbeat(self) -> result16.Heartbeat:
        return result16.Heartbeat(current_time=now())

    @on("StatusNotification")
    async def on_status(self, **kwargs: Any) -> result16.StatusNotification:
        return result16.StatusNotification()

    @on("Authorize")
    async def on_authorize(self, id_tag: str) -> result16.Authorize:
        return result16.Authorize(id_tag_info={"status": "Accepted"})

    @on("StartTransaction")
    async def on_start(self, **kwargs: Any) -> result16.StartTransaction:
        return result16.StartTransaction(
            transaction_id=next(transactions), id_tag_info={"status": "Accepted"}
        )

    @on("StopTransaction")
    async def on_stop(self, **kwargs: Any) -> result16.StopTransaction:
        return result16.StopTransaction()

    @on("MeterValues")
    async def on_meter_values(self, connector_id, meter_value, **kwargs) -> result16.MeterValues:  # type: ignore[no-untyped-def]
        return result16.MeterValues()


class CentralSystem201(ChargePoint201):
    @on("BootNotification")
    async def on_boot(self, **kwargs: Any) -> result201.BootNotification:
        return result201.BootNotification(current_time=now(), interval=HEARTBEAT, status="Accepted")

    @on("Heartbeat")
    async def on_heartbeat(self) -> result201.Heartbeat:
        return result201.Heartbeat(current_time=now())

    @on("StatusNotification")
    async def on_status(self, **kwargs: Any) -> result201.StatusNotification:
        return result201.StatusNotification()

    @on("Authorize")
    async def on_authorize(self, **kwargs: Any) -> result201.Authorize:
        return result201.Authorize(id_token_info={"status": "Accepted"})

    @on("TransactionEvent")
    async def on_transaction_event(self, **kwargs) -> result201.TransactionEvent:  # type: ignore[no-untyped-def]
        return result201.TransactionEvent()


async def handler(ws) -> None:  # type: ignore[no-untyped-def]
    charger_id = ws.request.path.rsplit("/", 1)[-1]
    cls = CentralSystem16 if ws.subprotocol == "ocpp1.6" else CentralSystem201
    charger = cls(charger_id, ws)
    connected[charger_id] = charger
    try:
        await charger.start()
    finally:
        if connected.get(charger_id) is charger:
            del connected[charger_id]


async def fan_out(report: str) -> None:
    """A configuration read to every connected charger at once."""

    async def one(charger: ChargePoint16 | ChargePoint201) -> str:
        try:
            if isinstance(charger, ChargePoint16):
                await charger.call(call16.GetConfiguration(key=["HeartbeatInterval"]))
            else:
                await charger.call(
                    call201.GetVariables(
                        get_variable_data=[
                            {
                                "component": {"name": "OCPPCommCtrlr"},
                                "variable": {"name": "HeartbeatInterval"},
                            }
                        ]
                    )
                )
            return "answered"
        except Exception as exc:  # counted by kind
            return type(exc).__name__

    started = time.monotonic()
    outcomes = await asyncio.gather(*(one(c) for c in list(connected.values())))
    took = time.monotonic() - started
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome] = counts.get(outcome, 0) + 1
    # The chargers are still connected and served: the file goes from a thread.
    await asyncio.to_thread(write_report, report, {"seconds": took, "outcomes": counts})


def write_report(path: str, result: dict[str, Any]) -> None:
    with open(path, "w") as f:
        json.dump(result, f)


async def main(port: int, report: str | None) -> None:
    loop = asyncio.get_running_loop()
    tasks: set[asyncio.Task[None]] = set()
    if report:

        def start_fan_out() -> None:
            task = loop.create_task(fan_out(report))
            tasks.add(task)
            task.add_done_callback(tasks.discard)

        loop.add_signal_handler(signal.SIGUSR1, start_fan_out)
    async with serve(
        handler,
        "127.0.0.1",
        port,
        subprotocols=["ocpp1.6", "ocpp2.0.1"],
        ping_interval=None,
        compression=None,
    ):
        await loop.create_future()


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--heartbeat-interval", type=int, default=HEARTBEAT)
    parser.add_argument("--fanout-report", help="where SIGUSR1's fan-out writes its outcome")
    args = parser.parse_args()
    HEARTBEAT = args.heartbeat_interval
    asyncio.run(main(args.port, args.fanout_report))
