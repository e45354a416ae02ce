"""The gateway over real sockets, driven by an independent OCPP client (the
``ocpp`` package's ChargePoint) and by raw frames for bad input, in the
embedded mode and against real RabbitMQ and Redis."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest
import websockets
from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from websockets.asyncio.client import connect

from chargebus.common import envelope
from chargebus.common.bus import Delivery
from chargebus.common.bus.topology import GATEWAYS
from chargebus.common.envelope import Command, CommandOutcome, Reply

NOW = datetime.now(UTC).isoformat()


class Charger16(ChargePoint16):
    """A 1.6 charger that accepts remote starts (or ignores them when told)."""

    silent = False
    remote_starts: list[str]

    @on("RemoteStartTransaction")
    async def on_remote_start(self, id_tag: str, **kwargs: Any) -> Any:
        self.remote_starts.append(id_tag)
        if self.silent:
            await asyncio.sleep(3600)
        return result16.RemoteStartTransaction(status="Accepted")


async def start16(
    url: str, charger_id: str, **kwargs: Any
) -> tuple[Charger16, Any, asyncio.Task[None]]:
    ws = await connect(url, subprotocols=["ocpp1.6"], **kwargs)
    charger = Charger16(charger_id, ws, response_timeout=10)
    charger.remote_starts = []
    task = asyncio.create_task(charger.start())
    return charger, ws, task


async def stop(ws: Any, task: asyncio.Task[None]) -> None:
    await ws.close()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


# -- the charger's messages ------------------------------------------------------------


async def test_a_1_6_charger_boots_heartbeats_and_reports_status(deployment, url) -> None:
    owner = await deployment.owner()
    owner.answer("BootNotification", {"status": "Accepted", "currentTime": NOW, "interval": 300})
    gateway = await deployment.gateway()
    charger, ws, task = await start16(url(gateway, "CP-16"), "CP-16")
    try:
        boot = await charger.call(
            call16.BootNotification(charge_point_model="X1", charge_point_vendor="ACME")
        )
        assert boot.status == "Accepted" and boot.interval == 300
        beat = await charger.call(call16.Heartbeat())
        assert datetime.fromisoformat(beat.current_time).tzinfo is not None
        await charger.call(
            call16.StatusNotification(connector_id=1, error_code="NoError", status="Available")
        )
        status = await owner.wait_for(lambda m: m.action == "StatusNotification")
        assert (status.charger_id, status.version, status.gateway) == (
            "CP-16",
            "v16",
            gateway.settings.instance_id,
        )
        assert json.loads(bytes(status.payload)) == {
            "connectorId": 1,
            "errorCode": "NoError",
            "status": "Available",
        }
        booted = await owner.wait_for(lambda m: m.action == "BootNotification")
        assert json.loads(bytes(booted.payload))["chargePointVendor"] == "ACME"
    finally:
        await stop(ws, task)


async def test_a_2_0_1_charger_is_served_and_token_events_are_decided(deployment, url) -> None:
    owner = await deployment.owner()
    owner.answer("BootNotification", {"status": "Accepted", "currentTime": NOW, "interval": 60})
    owner.answer("TransactionEvent", {"idTokenInfo": {"status": "Accepted"}})
    gateway = await deployment.gateway()
    ws = await connect(url(gateway, "CP-201"), subprotocols=["ocpp2.0.1"])
    charger = ChargePoint201("CP-201", ws, response_timeout=10)
    task = asyncio.create_task(charger.start())
    try:
        assert ws.subprotocol == "ocpp2.0.1"
        boot = await charger.call(
            call201.BootNotification(
                charging_station={"model": "X2", "vendor_name": "ACME"}, reason="PowerUp"
            )
        )
        assert boot.status == "Accepted"
        await charger.call(
            call201.StatusNotification(
                timestamp=NOW, connector_status="Occupied", evse_id=1, connector_id=1
            )
        )
        plain = await charger.call(
            call201.TransactionEvent(
                event_type="Started",
                timestamp=NOW,
                trigger_reason="CablePluggedIn",
                seq_no=0,
                transaction_info={"transaction_id": "tx-1"},
            )
        )
        assert plain.id_token_info is None  # a notification: fixed, empty answer
        decided = await charger.call(
            call201.TransactionEvent(
                event_type="Updated",
                timestamp=NOW,
                trigger_reason="Authorized",
                seq_no=1,
                transaction_info={"transaction_id": "tx-1"},
                id_token={"id_token": "TAG-1", "type": "ISO14443"},
            )
        )
        assert decided.id_token_info == {"status": "Accepted"}
        events = [m for m in owner.received if m.action == "TransactionEvent"]
        assert [json.loads(bytes(m.payload))["seqNo"] for m in events] == [0, 1]
    finally:
        await stop(ws, task)


async def test_no_decision_in_time_is_internal_error_so_the_charger_retries(
    deployment, url
) -> None:
    await deployment.owner()  # consumes, never answers Authorize
    gateway = await deployment.gateway(decision_timeout=0.5)
    async with connect(url(gateway, "CP-1"), subprotocols=["ocpp1.6"]) as ws:
        await ws.send('[2,"a1","Authorize",{"idTag":"TAG"}]')
        answer = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert answer[:3] == [4, "a1", "InternalError"]
        await ws.send('[2,"h1","Heartbeat",{}]')  # still connected and served
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))[:2] == [3, "h1"]


@pytest.mark.parametrize("answer_accepted_boots", [True, False])
async def test_a_charger_known_as_accepted_gets_its_boot_answered_by_the_gateway(
    deployment, url, answer_accepted_boots: bool
) -> None:
    """A reconnect storm needs no decision round trip per charger: a charger
    the route table holds as Accepted gets Accepted and the interval the
    sessions service wrote, once the message is confirmed by the broker
    (the owner still gets it, with the answer given); an unknown or Pending
    charger still waits for the owner's decision, as every charger does with
    CHARGEBUS_ANSWER_ACCEPTED_BOOTS off."""
    known, pending = f"CP-K-{uuid.uuid4().hex[:8]}", f"CP-P-{uuid.uuid4().hex[:8]}"
    routes = deployment.routes()
    await routes.start()
    await routes.set_registrations(
        {known: "Accepted", pending: "Pending"}, complete=True, heartbeat_interval=123
    )
    await routes.close()
    owner = await deployment.owner()
    owner.answer("BootNotification", {"status": "Pending", "currentTime": NOW, "interval": 7})
    gateway = await deployment.gateway(
        registration_required=True, answer_accepted_boots=answer_accepted_boots
    )
    for charger_id in (known, pending):
        async with connect(url(gateway, charger_id), subprotocols=["ocpp2.0.1"]) as ws:
            await ws.send(
                json.dumps(
                    [
                        2,
                        "b1",
                        "BootNotification",
                        {
                            "chargingStation": {"vendorName": "ACME", "model": "X2"},
                            "reason": "PowerUp",
                        },
                    ]
                )
            )
            kind, _, answer = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert kind == 3
            message = await owner.wait_for(lambda m, c=charger_id: m.charger_id == c)
            if charger_id == known and answer_accepted_boots:
                assert answer["status"] == "Accepted" and answer["interval"] == 123
                assert json.loads(bytes(message.answer)) == answer
                datetime.fromisoformat(answer["currentTime"])
            else:  # decided by the owner
                assert answer["status"] == "Pending" and answer["interval"] == 7
                assert bytes(message.answer) == b"null"


async def test_a_service_error_reaches_the_charger_in_its_versions_spelling(
    deployment, url
) -> None:
    owner = await deployment.owner()
    owner.answer(
        "DataTransfer",
        lambda m: Reply(error_code="OccurrenceConstraintViolation", error_description="no"),
    )
    gateway = await deployment.gateway()
    async with connect(url(gateway, "CP-1"), subprotocols=["ocpp1.6"]) as ws:
        await ws.send('[2,"d1","DataTransfer",{"vendorId":"ACME"}]')
        answer = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert answer[:4] == [4, "d1", "OccurenceConstraintViolation", "no"]


async def test_an_invalid_service_answer_becomes_internal_error(deployment, url) -> None:
    owner = await deployment.owner()
    owner.answer("Authorize", {"idTagInfo": {"status": "Perhaps"}})
    gateway = await deployment.gateway()
    async with connect(url(gateway, "CP-1"), subprotocols=["ocpp1.6"]) as ws:
        await ws.send('[2,"a1","Authorize",{"idTag":"TAG"}]')
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))[:3] == [4, "a1", "InternalError"]


# -- the handshake -------------------------------------------------------------------


async def test_the_servers_preference_picks_among_the_offered_versions(deployment, url) -> None:
    gateway = await deployment.gateway(subprotocols=("ocpp2.0.1", "ocpp1.6"))
    async with connect(url(gateway, "CP-1"), subprotocols=["ocpp1.6", "ocpp2.0.1"]) as ws:
        assert ws.subprotocol == "ocpp2.0.1"
    async with connect(url(gateway, "CP-2"), subprotocols=["ocpp1.6", "ocpp2.1"]) as ws:
        assert ws.subprotocol == "ocpp1.6"  # 2.1 is not in this server's list


async def test_no_common_version_completes_the_handshake_then_closes(deployment, url) -> None:
    gateway = await deployment.gateway()
    async with connect(url(gateway, "CP-1"), subprotocols=["ocpp1.5"]) as ws:
        assert ws.subprotocol is None
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1002


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 404),
        ("/ocpp/", 404),
        ("/other/CP-1", 404),
        ("/ocpp/a/b", 404),
        ("/ocpp/bad%3Aid", 400),
        ("/ocpp/" + "x" * 49, 400),
        ("/ocpp/%FF", 400),
        ("/ocpp/sp%20ace", 400),
    ],
)
async def test_bad_paths_and_ids_get_an_http_error_before_the_upgrade(
    deployment, path: str, status: int
) -> None:
    gateway = await deployment.gateway()
    with pytest.raises(websockets.InvalidStatus) as refused:
        async with connect(f"ws://127.0.0.1:{gateway.ocpp_port}{path}", subprotocols=["ocpp1.6"]):
            pass
    assert refused.value.response.status_code == status


async def test_a_percent_encoded_id_is_decoded(deployment, url) -> None:
    owner = await deployment.owner()
    gateway = await deployment.gateway()
    async with connect(url(gateway, "CP%2A7"), subprotocols=["ocpp1.6"]) as ws:
        await ws.send(
            '[2,"s1","StatusNotification",{"connectorId":0,"errorCode":"NoError","status":"Available"}]'
        )
        await asyncio.wait_for(ws.recv(), 5)
    message = await owner.wait_for(lambda m: m.action == "StatusNotification")
    assert message.charger_id == "CP*7"


# -- bad input over a real socket ---------------------------------------------------------

BAD_INPUT = [
    # (frame, 1.6 answer, 2.0.1 answer); None = no answer (ignored, per spec)
    ("not json", [4, "-1", "FormationViolation"], [4, "-1", "RpcFrameworkError"]),
    ('{"a": 1}', [4, "-1", "FormationViolation"], [4, "-1", "RpcFrameworkError"]),
    ('[2, "b1", "Heartbeat"]', [4, "b1", "FormationViolation"], [4, "b1", "RpcFrameworkError"]),
    ('[2, "b2", "FlyToTheMoon", {}]', [4, "b2", "NotImplemented"], [4, "b2", "NotImplemented"]),
    ('[7, "b3", "Heartbeat", {}]', None, [4, "b3", "MessageTypeNotSupported"]),
    ('[3, "nobody-asked", {}]', None, None),
]


@pytest.mark.parametrize(("frame", "answer16", "answer201"), BAD_INPUT)
async def test_bad_input_gets_the_spec_answer_and_the_connection_stays_up(
    deployment, url, frame: str, answer16: list[Any] | None, answer201: list[Any] | None
) -> None:
    await deployment.owner()
    gateway = await deployment.gateway()
    for protocol, expected in (("ocpp1.6", answer16), ("ocpp2.0.1", answer201)):
        async with connect(url(gateway, f"CP-{protocol}"), subprotocols=[protocol]) as ws:
            await ws.send(frame)
            await ws.send('[2,"alive","Heartbeat",{}]')
            answers = [json.loads(await asyncio.wait_for(ws.recv(), 5))]
            if expected is not None:
                answers.append(json.loads(await asyncio.wait_for(ws.recv(), 5)))
                assert answers[0][:3] == expected, protocol
                assert len(answers[0][3]) <= 255
            assert answers[-1][:2] == [3, "alive"], protocol


@pytest.mark.parametrize(
    ("protocol", "frame", "code"),
    [
        ("ocpp1.6", '[2,"c1","RemoteStartTransaction",{"idTag":"X"}]', "NotSupported"),
        ("ocpp1.6", '[2,"c2","Authorize",{}]', "OccurenceConstraintViolation"),
        ("ocpp1.6", '[2,"c3","Authorize",{"idTag":7}]', "TypeConstraintViolation"),
        (
            "ocpp1.6",
            '[2,"c4","Authorize",{"idTag":"123456789012345678901"}]',
            "PropertyConstraintViolation",
        ),
        ("ocpp1.6", '[2,"c5","Authorize",{"idTag":"X","extra":1}]', "FormationViolation"),
        ("ocpp2.0.1", '[2,"c6","Authorize",{}]', "OccurrenceConstraintViolation"),
        (
            "ocpp2.0.1",
            '[2,"c7","StatusNotification",{"timestamp":"yesterday","connectorStatus":"Available","evseId":1,"connectorId":1}]',
            "TypeConstraintViolation",
        ),
        (
            "ocpp2.0.1",
            '[2,"c8","RequestStartTransaction",{"idToken":{"idToken":"X","type":"Local"},"remoteStartId":1}]',
            "NotSupported",
        ),
    ],
)
async def test_schema_violations_get_their_codes_over_the_socket(
    deployment, url, protocol: str, frame: str, code: str
) -> None:
    gateway = await deployment.gateway()
    async with connect(url(gateway, "CP-1"), subprotocols=[protocol]) as ws:
        await ws.send(frame)
        answer = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert answer[2] == code


async def test_a_binary_frame_closes_the_connection_with_1003(deployment, url) -> None:
    gateway = await deployment.gateway()
    async with connect(url(gateway, "CP-1"), subprotocols=["ocpp1.6"]) as ws:
        await ws.send(b'[2,"x","Heartbeat",{}]')
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1003


async def test_a_frame_over_the_size_limit_closes_with_1009(deployment, url) -> None:
    gateway = await deployment.gateway(max_message_bytes=1024)
    async with connect(url(gateway, "CP-1"), subprotocols=["ocpp1.6"], max_size=None) as ws:
        await ws.send('[2,"x","DataTransfer",{"vendorId":"A","data":"' + "x" * 2000 + '"}]')
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


# -- commands to chargers ------------------------------------------------------------------


class Outcomes:
    def __init__(self) -> None:
        self.by_correlation: dict[str, CommandOutcome] = {}
        self.arrived = asyncio.Event()

    async def __call__(self, delivery: Delivery) -> None:
        self.by_correlation[delivery.correlation_id or ""] = envelope.decode(
            delivery.body, CommandOutcome
        )
        self.arrived.set()

    async def get(self, correlation_id: str, timeout: float = 10) -> CommandOutcome:
        async def wait() -> CommandOutcome:
            while correlation_id not in self.by_correlation:
                self.arrived.clear()
                await self.arrived.wait()
            return self.by_correlation[correlation_id]

        return await asyncio.wait_for(wait(), timeout)


async def command_sender(deployment) -> tuple[Any, Outcomes]:
    bus = deployment.bus("commands-test")
    await bus.start()
    outcomes = Outcomes()
    await bus.inbox(GATEWAYS, f"commands-test-{uuid.uuid4().hex[:6]}", outcomes)
    return bus, outcomes


async def send_command(
    bus,
    outcomes,
    instance: str,
    charger_id: str,
    action: str,
    payload: dict[str, Any],
    *,
    epoch: int | None = None,
    timeout_s: float = 10,
) -> CommandOutcome:
    correlation_id = uuid.uuid4().hex
    command = Command(
        charger_id=charger_id,
        action=action,
        payload=msgspec.Raw(json.dumps(payload).encode()),
        message_id=uuid.uuid4().hex,
        epoch=epoch,
        timeout_s=timeout_s,
    )
    await bus.publish(
        GATEWAYS,
        instance,
        envelope.encode(command),
        correlation_id=correlation_id,
        reply_to=bus.inbox_name,
        persistent=False,
    )
    return await outcomes.get(correlation_id, timeout=timeout_s + 10)


async def test_a_command_reaches_the_charger_and_its_answer_comes_back(
    deployment, url, wait_attached
) -> None:
    gateway = await deployment.gateway()
    bus, outcomes = await command_sender(deployment)
    charger, ws, task = await start16(url(gateway, "CP-7"), "CP-7")
    try:
        await wait_attached(gateway, "CP-7")
        route = await gateway.routes.lookup("CP-7")
        assert route is not None and route.instance == gateway.settings.instance_id
        outcome = await send_command(
            bus,
            outcomes,
            gateway.settings.instance_id,
            "CP-7",
            "RemoteStartTransaction",
            {"idTag": "TAG-9", "connectorId": 1},
            epoch=route.epoch,
        )
        assert outcome.status == "result"
        assert json.loads(bytes(outcome.payload or b"null")) == {"status": "Accepted"}
        assert charger.remote_starts == ["TAG-9"]
    finally:
        await stop(ws, task)


async def test_commands_that_cannot_be_delivered_say_why(deployment, url, wait_attached) -> None:
    gateway = await deployment.gateway()
    bus, outcomes = await command_sender(deployment)
    instance = gateway.settings.instance_id
    outcome = await send_command(bus, outcomes, instance, "CP-absent", "ClearCache", {})
    assert outcome.status == "not_connected"
    _charger, ws, task = await start16(url(gateway, "CP-8"), "CP-8")
    try:
        await wait_attached(gateway, "CP-8")
        stale = await send_command(bus, outcomes, instance, "CP-8", "ClearCache", {}, epoch=-5)
        assert stale.status == "not_connected"
        invalid = await send_command(
            bus, outcomes, instance, "CP-8", "RemoteStartTransaction", {"idTag": 5}
        )
        assert invalid.status == "invalid"
        wrong_way = await send_command(bus, outcomes, instance, "CP-8", "BootNotification", {})
        assert wrong_way.status == "invalid"
    finally:
        await stop(ws, task)


async def test_a_charger_that_never_answers_times_the_command_out(
    deployment, url, wait_attached
) -> None:
    gateway = await deployment.gateway()
    bus, outcomes = await command_sender(deployment)
    charger, ws, task = await start16(url(gateway, "CP-9"), "CP-9")
    charger.silent = True
    try:
        await wait_attached(gateway, "CP-9")
        outcome = await send_command(
            bus,
            outcomes,
            gateway.settings.instance_id,
            "CP-9",
            "RemoteStartTransaction",
            {"idTag": "T"},
            timeout_s=0.5,
        )
        assert outcome.status == "timeout"
    finally:
        await stop(ws, task)


async def test_a_reconnecting_charger_wins_and_its_old_socket_is_closed(
    deployment, url, wait_attached
) -> None:
    gateway = await deployment.gateway()
    old = await connect(url(gateway, "CP-1"), subprotocols=["ocpp1.6"])
    await wait_attached(gateway, "CP-1")
    first = await gateway.routes.lookup("CP-1")
    new = await connect(url(gateway, "CP-1"), subprotocols=["ocpp1.6"])
    try:
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(old.recv(), 5)
        await new.send('[2,"h","Heartbeat",{}]')
        assert json.loads(await asyncio.wait_for(new.recv(), 5))[:2] == [3, "h"]
        second = await gateway.routes.lookup("CP-1")
        assert first is not None and second is not None and second.epoch > first.epoch
        assert len(gateway.connections) == 1
    finally:
        await new.close()


async def test_metrics_and_probes_are_served(deployment, url) -> None:
    await deployment.owner()
    gateway = await deployment.gateway()
    async with connect(url(gateway, "CP-1"), subprotocols=["ocpp1.6"]) as ws:
        await ws.send('[2,"h","Heartbeat",{}]')
        await asyncio.wait_for(ws.recv(), 5)
        await ws.send('[2,"x","Nope",{}]')
        await asyncio.wait_for(ws.recv(), 5)
        reader, writer = await asyncio.open_connection("127.0.0.1", gateway.probe_port)
        writer.write(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        text = (await reader.read()).decode()
        writer.close()
    assert 'chargebus_gateway_chargers_connected{protocol="ocpp1.6"} 1.0' in text
    assert 'chargebus_gateway_frames_in_total{action="Heartbeat",version="v16"} 1.0' in text
    assert 'chargebus_gateway_callerrors_sent_total{code="NotImplemented"} 1.0' in text
    for path, status in (("/healthz", "200"), ("/readyz", "200"), ("/nope", "404")):
        reader, writer = await asyncio.open_connection("127.0.0.1", gateway.probe_port)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        assert (await reader.read()).split(b" ")[1] == status.encode()
        writer.close()


async def test_a_socket_whose_charger_moved_on_is_closed_at_the_next_refresh(
    deployment, url, wait_attached
) -> None:
    """Even when the other pod's eviction message never arrives."""
    gateway = await deployment.gateway()
    async with connect(url(gateway, "CP-1"), subprotocols=["ocpp1.6"]) as ws:
        await wait_attached(gateway, "CP-1")
        await gateway.routes.claim("CP-1", "gw-elsewhere", "ocpp1.6", 0.0)  # newer, no eviction
        await gateway.refresh_routes()
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
        assert ws.close_reason == "a newer connection holds this charger"


async def test_routes_lost_by_the_route_table_are_rebuilt_from_live_sockets(
    deployment, url, request, wait_attached
) -> None:
    gateway = await deployment.gateway()
    async with connect(url(gateway, "CP-1"), subprotocols=["ocpp1.6"]) as ws:
        await wait_attached(gateway, "CP-1")
        before = await gateway.routes.lookup("CP-1")
        if deployment.mode == "embedded":
            gateway.routes.forget_everything()
        else:
            await request.getfixturevalue("clean_redis")()  # what a Redis restart does
        assert await gateway.routes.lookup("CP-1") is None
        await gateway.refresh_routes()
        assert await gateway.routes.lookup("CP-1") == before
        await ws.send('[2,"h","Heartbeat",{}]')
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))[:2] == [3, "h"]


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1_1 is deprecated:DeprecationWarning")
async def test_wss_when_a_certificate_is_configured(deployment, tmp_path) -> None:
    import ssl

    from certs import ca, issue

    authority = ca(tmp_path)
    server = issue(tmp_path, authority, "localhost", server=True)  # for 127.0.0.1 too
    gateway = await deployment.gateway(
        tls_certfile=str(server.certfile), tls_keyfile=str(server.keyfile)
    )
    client = ssl.create_default_context(cafile=authority.certfile)
    async with connect(
        f"wss://127.0.0.1:{gateway.ocpp_port}/ocpp/CP-1", subprotocols=["ocpp1.6"], ssl=client
    ) as ws:
        assert ws.transport.get_extra_info("ssl_object").version() in ("TLSv1.2", "TLSv1.3")
        await ws.send('[2,"h","Heartbeat",{}]')
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))[:2] == [3, "h"]
    old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    old.load_verify_locations(authority.certfile)
    old.minimum_version = old.maximum_version = ssl.TLSVersion.TLSv1_1
    with pytest.raises((ssl.SSLError, OSError)):
        async with connect(
            f"wss://127.0.0.1:{gateway.ocpp_port}/ocpp/CP-1", subprotocols=["ocpp1.6"], ssl=old
        ):
            pass
    with pytest.raises((websockets.InvalidMessage, websockets.InvalidHandshake, OSError, EOFError)):
        async with connect(
            f"ws://127.0.0.1:{gateway.ocpp_port}/ocpp/CP-1",
            subprotocols=["ocpp1.6"],
            open_timeout=5,
        ):
            pass


async def test_compression_when_configured_is_for_2x_only(deployment, url) -> None:
    gateway = await deployment.gateway(compression=True)
    async with connect(
        url(gateway, "CP-2"), subprotocols=["ocpp2.0.1"], compression="deflate"
    ) as ws:
        assert ws.response.headers.get("Sec-WebSocket-Extensions", "").startswith(
            "permessage-deflate"
        )
    async with connect(url(gateway, "CP-1"), subprotocols=["ocpp1.6"], compression="deflate") as ws:
        assert "Sec-WebSocket-Extensions" not in ws.response.headers
        await ws.send('[2,"h","Heartbeat",{}]')
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))[:2] == [3, "h"]
    off = await deployment.gateway()
    async with connect(url(off, "CP-3"), subprotocols=["ocpp2.0.1"], compression="deflate") as ws:
        assert "Sec-WebSocket-Extensions" not in ws.response.headers


async def test_a_2_1_send_is_published_and_never_answered(deployment, url) -> None:
    owner = await deployment.owner()
    gateway = await deployment.gateway()
    async with connect(url(gateway, "CP-21"), subprotocols=["ocpp2.1"]) as ws:
        await ws.send(
            '[6,"s1","NotifyPeriodicEventStream",{"id":1,"pending":0,'
            '"basetime":"2024-05-01T10:00:00Z","data":[{"t":0.5,"v":"230.1"}]}]'
        )
        await ws.send('[2,"h1","Heartbeat",{}]')
        answer = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert answer[:2] == [3, "h1"]  # the first and only answer: SEND gets none
    message = await owner.wait_for(lambda m: m.action == "NotifyPeriodicEventStream")
    assert (message.kind, message.version) == ("send", "v21")


async def test_connections_and_disconnections_are_published_as_events(
    deployment, url, wait_attached
) -> None:
    bus = deployment.bus("events-test")
    await bus.start()
    seen: list[tuple[str, dict[str, Any]]] = []
    both_seen = asyncio.Event()

    async def on_event(delivery: Delivery) -> None:
        seen.append((delivery.routing_key, json.loads(delivery.body)))
        if len(seen) >= 2:
            both_seen.set()

    await bus.consume("chargebus.commands", on_event)
    gateway = await deployment.gateway()
    async with connect(url(gateway, "CP-E"), subprotocols=["ocpp2.0.1"]):
        await wait_attached(gateway, "CP-E")
    with contextlib.suppress(TimeoutError):  # the assertion below says what came
        await asyncio.wait_for(both_seen.wait(), 10)
    kinds = [key for key, _ in seen]
    assert kinds == ["charger.connected", "charger.disconnected"]
    connected, disconnected = seen[0][1], seen[1][1]
    assert connected["charger_id"] == "CP-E" and connected["protocol"] == "ocpp2.0.1"
    assert connected["gateway"] == gateway.settings.instance_id
    assert disconnected["epoch"] == connected["epoch"] >= 1


async def test_calls_sent_while_a_decision_is_pending_are_all_answered_in_order(
    deployment, url
) -> None:
    await deployment.owner()  # never answers Authorize: the decision times out
    gateway = await deployment.gateway(decision_timeout=0.5)
    async with connect(url(gateway, "CP-P"), subprotocols=["ocpp1.6"]) as ws:
        await ws.send('[2,"d","Authorize",{"idTag":"T"}]')
        await ws.send('[2,"n1","Heartbeat",{}]')
        await ws.send(
            '[2,"n2","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Charging"}]'
        )
        await ws.send('[2,"n3","Heartbeat",{}]')
        answers = [json.loads(await asyncio.wait_for(ws.recv(), 5)) for _ in range(4)]
    assert [(a[0], a[1]) for a in answers] == [(4, "d"), (3, "n1"), (3, "n2"), (3, "n3")]


async def test_compression_on_does_not_break_chargers_that_offer_none(deployment, url) -> None:
    gateway = await deployment.gateway(compression=True)
    for protocol in ("ocpp1.6", "ocpp2.0.1"):
        async with connect(url(gateway, "CP-N"), subprotocols=[protocol], compression=None) as ws:
            await ws.send('[2,"h","Heartbeat",{}]')
            assert json.loads(await asyncio.wait_for(ws.recv(), 5))[:2] == [3, "h"]


async def test_deeply_nested_input_gets_an_answer_and_the_connection_stays_up(
    deployment, url
) -> None:
    gateway = await deployment.gateway()
    async with connect(url(gateway, "CP-D"), subprotocols=["ocpp2.0.1"]) as ws:
        await ws.send("[" * 3000 + "]" * 3000)
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))[:3] == [
            4,
            "-1",
            "RpcFrameworkError",
        ]
        await ws.send('[2,"h","Heartbeat",{}]')
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))[:2] == [3, "h"]


async def test_a_reconnect_that_cannot_be_routed_still_replaces_the_old_socket(
    deployment, url, wait_attached
) -> None:
    from chargebus.common.routes.redis import RouteTableUnavailable

    gateway = await deployment.gateway()
    old = await connect(url(gateway, "CP-R"), subprotocols=["ocpp1.6"])
    await wait_attached(gateway, "CP-R")
    first = gateway.connections["CP-R"]
    real_claim = gateway.routes.claim

    async def unavailable(*args: Any, **kwargs: Any) -> Any:
        raise RouteTableUnavailable("down for the test")

    gateway.routes.claim = unavailable  # type: ignore[method-assign]
    try:
        async with connect(url(gateway, "CP-R"), subprotocols=["ocpp1.6"]) as new:
            with pytest.raises(websockets.ConnectionClosed):
                await asyncio.wait_for(old.recv(), 5)
            await new.send('[2,"h","Heartbeat",{}]')
            assert json.loads(await asyncio.wait_for(new.recv(), 5))[:2] == [3, "h"]
            assert gateway.connections["CP-R"] is not first
            gateway.routes.claim = real_claim  # type: ignore[method-assign]
            await gateway.refresh_routes()  # routed once the table is back
            assert gateway.connections["CP-R"].route is not None
    finally:
        gateway.routes.claim = real_claim  # type: ignore[method-assign]
