"""The peer baseline: a central system written the way the ``ocpp`` package
documents it (its ChargePoint class and ``@on`` handlers on websockets),
with logging at WARNING.  It answers what the benchmarks send."""

from __future__ import annotations

import argparse
import asyncio
import logging
from datetime import UTC, datetime

from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call_result as result201
from websockets.asyncio.server import serve


class CentralSystem16(ChargePoint16):
    @on("Heartbeat")
    async def on_heartbeat(self) -> result16.Heartbeat:
        return result16.Heartbeat(current_time=datetime.now(UTC).isoformat())

    @on("MeterValues")
    async def on_meter_values(self, connector_id, meter_value, **kwargs) -> result16.MeterValues:  # type: ignore[no-untyped-def]
        return result16.MeterValues()


class CentralSystem201(ChargePoint201):
    @on("TransactionEvent")
    async def on_transaction_event(self, **kwargs) -> result201.TransactionEvent:  # type: ignore[no-untyped-def]
        return result201.TransactionEvent()


async def handler(ws) -> None:  # type: ignore[no-untyped-def]
    charger_id = ws.request.path.rsplit("/", 1)[-1]
    cls = CentralSystem16 if ws.subprotocol == "ocpp1.6" else CentralSystem201
    await cls(charger_id, ws).start()


async def main(port: int) -> None:
    async with serve(
        handler,
        "127.0.0.1",
        port,
        subprotocols=["ocpp1.6", "ocpp2.0.1"],
        ping_interval=None,
        compression=None,
    ):
        await asyncio.get_running_loop().create_future()


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    asyncio.run(main(parser.parse_args().port))
