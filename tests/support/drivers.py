"""Chargers driven by the ``ocpp`` package that answer the CSMS's commands
as the seeds describe (remote start and stop, reset, configuration), for the
command and fan-out end-to-end tests."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from ocpp.routing import after, on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201
from websockets.asyncio.client import connect


def now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


class Driver16(ChargePoint16):
    """A 1.6 charger that does what the seeds describe when told to start
    and stop: StartTransaction, Charging, MeterValues; StopTransaction."""

    answer = "Accepted"
    silent = False

    def setup(self) -> None:
        self.received: list[str] = []
        self.transaction_id: int | None = None
        self.tasks: set[asyncio.Task[None]] = set()

    def later(self, coroutine: Any) -> None:
        task = asyncio.create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    @on("RemoteStartTransaction")
    async def on_remote_start(self, id_tag: str, **kwargs: Any) -> Any:
        self.received.append("RemoteStartTransaction")
        if self.silent:
            await asyncio.sleep(3600)
        return result16.RemoteStartTransaction(status=self.answer)

    @after("RemoteStartTransaction")
    async def start_charging(self, id_tag: str, connector_id: int = 1, **kwargs: Any) -> None:
        if self.answer == "Accepted" and not self.silent:
            self.later(self._start(id_tag, connector_id))

    async def _start(self, id_tag: str, connector_id: int) -> None:
        await self.call(
            call16.StatusNotification(
                connector_id=connector_id, error_code="NoError", status="Preparing"
            )
        )
        started = await self.call(
            call16.StartTransaction(
                connector_id=connector_id, id_tag=id_tag, meter_start=100, timestamp=now()
            )
        )
        self.transaction_id = started.transaction_id
        await self.call(
            call16.StatusNotification(
                connector_id=connector_id, error_code="NoError", status="Charging"
            )
        )
        await self.call(
            call16.MeterValues(
                connector_id=connector_id,
                transaction_id=started.transaction_id,
                meter_value=[{"timestamp": now(), "sampled_value": [{"value": "600"}]}],
            )
        )

    @on("RemoteStopTransaction")
    async def on_remote_stop(self, transaction_id: int, **kwargs: Any) -> Any:
        self.received.append("RemoteStopTransaction")
        return result16.RemoteStopTransaction(status="Accepted")

    @after("RemoteStopTransaction")
    async def stop_charging(self, transaction_id: int, **kwargs: Any) -> None:
        self.later(
            self.call(
                call16.StopTransaction(
                    transaction_id=transaction_id, meter_stop=1100, timestamp=now(), reason="Remote"
                )
            )
        )

    @on("Reset")
    async def on_reset(self, type: str, **kwargs: Any) -> Any:
        self.received.append(f"Reset {type}")
        return result16.Reset(status="Accepted")

    @on("ChangeConfiguration")
    async def on_change_configuration(self, key: str, value: str, **kwargs: Any) -> Any:
        self.received.append(f"ChangeConfiguration {key}={value}")
        return result16.ChangeConfiguration(status="Accepted")

    @on("GetConfiguration")
    async def on_get_configuration(self, key: list[str] | None = None, **kwargs: Any) -> Any:
        return result16.GetConfiguration(
            configuration_key=[{"key": "HeartbeatInterval", "readonly": False, "value": "300"}]
        )


class Driver201(ChargePoint201):
    def setup(self) -> None:
        self.received: list[str] = []
        self.tasks: set[asyncio.Task[None]] = set()
        self.seq = 0

    def later(self, coroutine: Any) -> None:
        task = asyncio.create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def event(self, kind: str, trigger: str, **extra: Any) -> Any:
        self.seq += 1
        return call201.TransactionEvent(
            event_type=kind, timestamp=now(), trigger_reason=trigger, seq_no=self.seq, **extra
        )

    @on("RequestStartTransaction")
    async def on_start(self, id_token: dict, remote_start_id: int, **kwargs: Any) -> Any:
        self.received.append("RequestStartTransaction")
        return result201.RequestStartTransaction(status="Accepted")

    @after("RequestStartTransaction")
    async def start_charging(self, id_token: dict, remote_start_id: int, **kwargs: Any) -> None:
        info = {"transaction_id": "TX-R1", "remote_start_id": remote_start_id}
        self.later(
            self.call(
                self.event(
                    "Started",
                    "RemoteStart",
                    transaction_info=info,
                    id_token=id_token,
                    evse={"id": 1, "connector_id": 1},
                    meter_value=[
                        {
                            "timestamp": now(),
                            "sampled_value": [{"value": 100, "context": "Transaction.Begin"}],
                        }
                    ],
                )
            )
        )

    @on("RequestStopTransaction")
    async def on_stop(self, transaction_id: str, **kwargs: Any) -> Any:
        self.received.append(f"RequestStopTransaction {transaction_id}")
        return result201.RequestStopTransaction(status="Accepted")

    @after("RequestStopTransaction")
    async def stop_charging(self, transaction_id: str, **kwargs: Any) -> None:
        self.later(
            self.call(
                self.event(
                    "Ended",
                    "RemoteStop",
                    transaction_info={"transaction_id": transaction_id, "stopped_reason": "Remote"},
                    meter_value=[
                        {
                            "timestamp": now(),
                            "sampled_value": [{"value": 1600, "context": "Transaction.End"}],
                        }
                    ],
                )
            )
        )

    @on("Reset")
    async def on_reset(self, type: str, **kwargs: Any) -> Any:
        self.received.append(f"Reset {type}")
        return result201.Reset(status="Accepted")


async def plug(
    csms: Any,
    charger_id: str,
    version: str = "1.6",
    gateway: Any = None,
    driver: type[Any] | None = None,
) -> tuple[Any, Any, asyncio.Task[None]]:
    """A charger connected (to ``gateway``, or the one the CSMS routes it to)
    and booted: a ``driver`` (Driver16 or Driver201 by ``version``), its
    socket, and the task serving it."""
    url = (
        csms.url(charger_id)
        if gateway is None
        else f"ws://127.0.0.1:{gateway.ocpp_port}/ocpp/{charger_id}"
    )
    if version == "1.6":
        ws = await connect(url, subprotocols=["ocpp1.6"])
        charger: Any = (driver or Driver16)(charger_id, ws, response_timeout=10)
    else:
        ws = await connect(url, subprotocols=["ocpp2.0.1"])
        charger = (driver or Driver201)(charger_id, ws, response_timeout=10)
    charger.setup()
    task = asyncio.create_task(charger.start())
    if version == "1.6":
        await charger.call(
            call16.BootNotification(charge_point_model="X", charge_point_vendor="ACME")
        )
    else:
        await charger.call(
            call201.BootNotification(
                charging_station={"model": "X", "vendor_name": "ACME"}, reason="PowerUp"
            )
        )
    await csms.eventually(lambda: charger_id in csms.gateway_of(charger_id).connections)
    return charger, ws, task


async def unplug(ws: Any, task: asyncio.Task[None]) -> None:
    await ws.close()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
