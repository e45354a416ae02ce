"""Fuzzing the commands service's handlers.

Command requests for every command with params drawn from their types
(and mutated, and garbage bodies), to chargers of each protocol held by a
stand-in gateway that answers each CALL with a random outcome: a
schema-valid result, an error, a timeout, a disconnect, an answer that
doesn't decode.  Between them, garbage on every other key the service
consumes (charger.connected, session.started, FirmwareStatusNotification)
and on its outcome inbox (single outcomes and a fan-out's batches), and
fan-out requests that don't parse.  Nothing escapes a handler, nothing is logged as
an internal error, every CALL it sends is one the gateway's strict
validation accepts (raw ``call`` commands aside: the gateway refuses those
itself), every command ends in a state (or goes on after accepted), and the
same command id again is the same command.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from pathlib import Path
from typing import Any

import msgspec
import pytest
from fuzz_tally import from_type_info, fuzz_settings, install, record
from hypothesis import given
from hypothesis import strategies as st
from ocpp_schemas import strategy

from chargebus.commands.model import SCHEMA, CommandDoc
from chargebus.commands.service import CommandsService
from chargebus.commands.settings import CommandsSettings
from chargebus.commands.translate import PARAMS
from chargebus.common import envelope
from chargebus.common.bus import Delivery
from chargebus.common.bus.memory import MemoryBroker, MemoryBus
from chargebus.common.bus.topology import GATEWAYS
from chargebus.common.commands import FINAL
from chargebus.common.envelope import Command, CommandOutcome
from chargebus.common.ocpp.validation import PayloadInvalid, decode_payload
from chargebus.common.ocpp.versions import OcppVersion, actions_for
from chargebus.common.routes.memory import MemoryRouteTable
from chargebus.common.store.documents import from_doc
from chargebus.common.store.sqlite import SqliteStore

GATEWAY = "gw-fuzz"
PROTOCOLS = {"CP-16": "ocpp1.6", "CP-201": "ocpp2.0.1", "CP-21": "ocpp2.1"}
SHORT = {"ocpp1.6": "v16", "ocpp2.0.1": "v201", "ocpp2.1": "v21"}


@pytest.fixture(autouse=True, scope="module")
def _tally(pytestconfig: pytest.Config) -> None:
    install(pytestconfig)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def params(draw: st.DrawFn, name: str) -> dict[str, Any]:
    """The command's params from its type, sometimes with a field gone
    wrong (a wrong type, an unknown key)."""
    value: dict[str, Any] = draw(from_type_info(msgspec.inspect.type_info(PARAMS[name])))
    how = draw(st.integers(0, 5))
    if how == 0 and value:
        value[draw(st.sampled_from(sorted(value)))] = draw(json_values)
    elif how == 1:
        value[draw(st.text(min_size=1, max_size=8))] = draw(json_values)
    return value


class StandInGateway:
    """Holds every charger.  Each Command it takes waits in ``pending``
    until the test draws its outcome (hypothesis draws happen in the test's
    own code, never in a bus callback)."""

    def __init__(self, broker: MemoryBroker) -> None:
        self.bus = MemoryBus(broker)
        self.pending: asyncio.Queue[tuple[Command, Delivery]] = asyncio.Queue()
        self.invalid_calls: list[tuple[str, str]] = []
        self.commands = 0
        #: The command being delivered (for the record of invalid CALLs).
        self.current = ""

    async def start(self) -> None:
        await self.bus.start()
        await self.bus.inbox(GATEWAYS, GATEWAY, self._on_command)

    async def _on_command(self, delivery: Delivery) -> None:
        command: Command = envelope.decode(delivery.body, Command)
        self.commands += 1
        protocol = PROTOCOLS[command.charger_id]
        action = actions_for(OcppVersion(protocol)).get(command.action)
        if action is None or isinstance(
            decode_payload(bytes(command.payload), action.request, strict=True), PayloadInvalid
        ):
            what = f"{protocol} {command.action} {bytes(command.payload)!r}"
            self.invalid_calls.append((self.current, what))
        await self.pending.put((command, delivery))

    async def answer(self, data: Any, command: Command, delivery: Delivery) -> None:
        protocol = PROTOCOLS[command.charger_id]
        action = actions_for(OcppVersion(protocol)).get(command.action)
        kind = data.draw(
            st.sampled_from(
                ["result", "result", "result", "error", "timeout", "not_connected", "garbage"]
            ),
            label="outcome",
        )
        if kind == "garbage":
            body = data.draw(st.binary(max_size=40), label="outcome body")
        elif kind == "result" and action is not None and action.response is not None:
            payload = data.draw(
                strategy(SHORT[protocol], command.action, "response")
                | st.sampled_from([{}, {"status": "Perhaps"}]),
                label="result",
            )
            body = envelope.encode(
                CommandOutcome(
                    status="result",
                    message_id=command.message_id,
                    payload=msgspec.Raw(json.dumps(payload).encode()),
                )
            )
        elif kind == "error":
            body = envelope.encode(
                CommandOutcome(
                    status="error",
                    message_id=command.message_id,
                    error_code=data.draw(
                        st.sampled_from(["NotSupported", "InternalError", "Whatever", ""])
                    ),
                    error_description="fuzz",
                )
            )
        else:
            status = "timeout" if kind in ("timeout", "result") else "not_connected"
            body = envelope.encode(CommandOutcome(status=status, message_id=command.message_id))
        if delivery.reply_to:
            await self.bus.publish(
                "",
                delivery.reply_to,
                body,
                correlation_id=delivery.correlation_id,
                mandatory=False,
                persistent=False,
            )


garbage_deliveries = st.tuples(
    st.sampled_from(
        [
            "charger.connected",
            "session.started",
            "ocpp.v16.FirmwareStatusNotification",
            "ocpp.v201.FirmwareStatusNotification",
            "charger.disconnected",
            "command.reset",
            "command.nonsense",
            "command.fanout.reset",
            "command.fanout.remote_start",
            "command.fanout.nonsense",
        ]
    ),
    st.one_of(
        st.binary(max_size=60),
        json_values.map(lambda v: json.dumps(v).encode()),
        st.just(
            b'{"charger_id":"CP-16","version":"v16","action":"FirmwareStatusNotification",'
            b'"message_id":"m","payload":[],"received_at":1,"gateway":"g"}'
        ),
        st.just(
            b'{"type":"charger.connected","charger_id":"CP-16","gateway":"g","epoch":1,'
            b'"protocol":"ocpp1.6","occurred_at":1}'
        ),
    ),
)


async def settled(
    service: CommandsService, gateway: StandInGateway, data: Any, command_id: str
) -> Any:
    """Answer the command's CALLs as the stand-in gateway; the command
    once final, or accepted (remote_start and update_firmware go on from
    there), or as it is after 100 rounds."""
    state = None
    for _ in range(100):
        state = await service.find(command_id)
        if state is None or state.final or state.status == "accepted":
            return state
        try:
            command, delivery = await asyncio.wait_for(gateway.pending.get(), 0.2)
        except TimeoutError:
            continue
        await gateway.answer(data, command, delivery)
    return state


def test_the_commands_service_survives_whatever_it_is_fed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="chargebus")
    loop = asyncio.new_event_loop()
    broker = MemoryBroker()
    routes = MemoryRouteTable(ttl=3600)
    service = CommandsService(
        CommandsSettings(call_timeout=2.0),
        SqliteStore(tmp_path / "commands.db", SCHEMA),
        MemoryBus(broker),
        routes,
    )
    gateway = StandInGateway(broker)
    tried = {"commands": 0, "garbage": 0, "repeated": 0}
    escaped: list[str] = []

    async def setup() -> None:
        await service.start()
        await gateway.start()
        for charger_id, protocol in PROTOCOLS.items():
            await routes.claim(charger_id, GATEWAY, protocol, 1.0)

    async def deliver(key: str, body: bytes) -> None:
        try:
            await service.on_delivery(Delivery(body=body, routing_key=key))
        except (msgspec.DecodeError, msgspec.ValidationError):
            pass  # unreadable: the bus requeues it once, then dead-letters it
        except Exception as exc:
            escaped.append(f"{key} {body[:80]!r}: {exc!r}")

    loop.run_until_complete(setup())

    @fuzz_settings(120)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        if data.draw(st.integers(0, 3), label="garbage?") == 0:
            key, body = data.draw(garbage_deliveries, label="garbage")
            loop.run_until_complete(deliver(key, body))
            loop.run_until_complete(
                service._on_outcome(Delivery(body=body, routing_key="x", correlation_id="none"))
            )
            batch = Delivery(
                body=body, routing_key="x", correlation_id="none", headers={"kind": "outcomes"}
            )
            loop.run_until_complete(service._on_outcome(batch))
            tried["garbage"] += 1
            return
        name = data.draw(st.sampled_from(sorted(PARAMS)), label="command")
        body: dict[str, Any] = {
            "charger_id": data.draw(st.sampled_from(sorted(PROTOCOLS)), label="charger"),
            "params": data.draw(params(name), label="params"),
            "command_id": f"fz-{uuid.uuid4().hex[:10]}",
        }
        encoded = json.dumps(body).encode()
        gateway.current = name
        loop.run_until_complete(deliver(f"command.{name}", encoded))
        tried["commands"] += 1
        state = loop.run_until_complete(settled(service, gateway, data, body["command_id"]))
        if state is None:
            return  # refused: bad params, nothing stored
        assert state.final or state.status == "accepted", state  # accepted: goes on
        if data.draw(st.booleans(), label="again?"):
            loop.run_until_complete(deliver(f"command.{name}", encoded))
            tried["repeated"] += 1
            docs = loop.run_until_complete(
                service.store.find("commands", {"command_id": body["command_id"]}, limit=10)
            )
            assert len(docs) == 1, docs  # one command, sent once
            again = loop.run_until_complete(service.find(body["command_id"]))
            assert again is not None
            if state.final:
                assert again.status == state.status

    try:
        check()
        # A final state never changes (accepted aside: its story goes on).
        for raw in loop.run_until_complete(service.store.find("commands", {}, limit=100_000)):
            doc = from_doc(raw, CommandDoc)
            statuses = [h.status for h in doc.history]
            assert statuses[0] == "received", statuses
            ends = [n for n, status in enumerate(statuses) if status in FINAL - {"accepted"}]
            assert not ends or ends == [len(statuses) - 1], statuses
    finally:
        loop.run_until_complete(service.stop())
        loop.run_until_complete(gateway.bus.close())
        loop.close()
    record("commands service: command requests", tried["commands"])
    record("commands service: same command id again", tried["repeated"])
    record("commands service: garbage deliveries", tried["garbage"])
    record("commands service: CALLs answered by the stand-in gateway", gateway.commands)
    assert not escaped, escaped
    # Only a raw `call` may carry a CALL the gateway refuses (it says why).
    print(f"raw CALLs the gateway would refuse: {len(gateway.invalid_calls)}")
    assert all(name == "call" for name, _ in gateway.invalid_calls), gateway.invalid_calls
    errors = [
        f"{r.name}: {r.getMessage()}"
        for r in caplog.records
        if r.name.startswith("chargebus") and (r.levelno >= logging.ERROR or r.exc_info)
    ]
    assert not errors, errors[:5]


@pytest.mark.parametrize("payload", [b"[]", b'"Installed"', b"7", b"null"])
async def test_a_firmware_status_whose_payload_is_not_an_object_is_unreadable(
    tmp_path: Path, payload: bytes
) -> None:
    """Found by the fuzzer: such a payload raised AttributeError from the
    handler; now it is a decode error like any unreadable message (the bus
    requeues it once, then dead-letters it)."""
    service = CommandsService(
        CommandsSettings(),
        SqliteStore(tmp_path / "commands.db", SCHEMA),
        MemoryBus(MemoryBroker()),
        MemoryRouteTable(),
    )
    await service.start()
    try:
        body = (
            b'{"charger_id":"CP-16","version":"v16","action":"FirmwareStatusNotification",'
            b'"message_id":"m","payload":' + payload + b',"received_at":1,"gateway":"g"}'
        )
        with pytest.raises(msgspec.ValidationError):
            await service.on_delivery(
                Delivery(body=body, routing_key="ocpp.v16.FirmwareStatusNotification")
            )
    finally:
        await service.stop()
