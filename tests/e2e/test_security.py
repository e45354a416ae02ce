"""Security profiles over real sockets and real TLS (certificates made here
with ``cryptography``), in both modes: each charger's recorded profile is
the only way in, every refusal comes before the upgrade with the right HTTP
status (or, for a certificate TLS itself refuses, a failed TLS handshake),
and is a counted, logged security event that never shows a password."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import ssl
from pathlib import Path
from typing import Any
from urllib.parse import quote

import msgspec
import pytest
from certs import Issued, ca, issue
from chargers import SimulatedCharger
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidMessage, InvalidStatus
from websockets.http11 import Response

from chargebus.common.ocpp.session import CallReceived
from chargebus.common.ocpp.versions import OcppVersion
from chargebus.gateway.app import Gateway
from chargebus.gateway.main import build
from chargebus.gateway.settings import GatewaySettings

PASSWORD = "correct-horse-battery-42"
KEY_16 = bytes(range(0x41, 0x55))  # 20 bytes, a 1.6 AuthorizationKey
OPERATOR = "ACME CPO"


class Pki:
    def __init__(self, folder: Path) -> None:
        self.ca = ca(folder)
        self.server = issue(folder, self.ca, "localhost", server=True)
        self.other_ca = ca(folder, "Someone Else CA", organisation="Someone Else")
        self.folder = folder

    def client(self, cert: Issued | None = None) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self.ca.certfile)
        if cert is not None:
            context.load_cert_chain(cert.certfile, cert.keyfile)
        return context


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    return Pki(tmp_path)


async def secure_gateway(csms: Any, pki: Pki, **settings: Any) -> Gateway:
    deployment = csms.deployment
    values: dict[str, Any] = {
        "instance_id": "gw-secure",
        "host": "127.0.0.1",
        "ocpp_port": 0,
        "ocpp_plain_port": 0,
        "api_port": 0,
        "registration_required": False,
        "tls_certfile": str(pki.server.certfile),
        "tls_keyfile": str(pki.server.keyfile),
        "tls_client_ca": str(pki.ca.certfile),
        "operator_name": OPERATOR,
        "min_security_profile": 1,
        "amqp_url": deployment.amqp_url,
        "redis_url": deployment.redis_url,
        **settings,
    }
    gateway = build(
        GatewaySettings(**values),
        broker=deployment.broker,
        routes=deployment.routes(),
        serve_probes=False,
    )
    await gateway.start()
    deployment.gateways.append(gateway)
    return gateway


def basic(user: str, password: bytes | str) -> dict[str, str]:
    secret = password.encode() if isinstance(password, str) else password
    return {"Authorization": "Basic " + base64.b64encode(user.encode() + b":" + secret).decode()}


async def attempt(
    url: str,
    *,
    headers: dict[str, str] | None = None,
    tls: ssl.SSLContext | None = None,
    protocol: str = "ocpp2.0.1",
) -> int:
    """101 when the charger got in, else the HTTP status it was refused with."""
    try:
        async with connect(
            url, subprotocols=[protocol], additional_headers=headers, ssl=tls, open_timeout=10
        ) as ws:
            assert ws.subprotocol == protocol
            return 101
    except InvalidStatus as exc:
        return exc.response.status_code


async def refusal(
    url: str, why: str, *, headers: dict[str, str], local_addr: tuple[str, int] | None = None
) -> Response:
    """The HTTP response the gateway refused an OCPP 2.0.1 connection with;
    fails with ``why`` when the charger got in."""
    try:
        async with connect(
            url, subprotocols=["ocpp2.0.1"], additional_headers=headers, local_addr=local_addr
        ):
            pass
    except InvalidStatus as exc:
        return exc.response
    raise AssertionError(why)


def ws(gateway: Gateway, charger_id: str) -> str:
    return f"ws://127.0.0.1:{gateway.ocpp_plain_port}/ocpp/{quote(charger_id)}"


def wss(gateway: Gateway, charger_id: str) -> str:
    return f"wss://127.0.0.1:{gateway.ocpp_port}/ocpp/{quote(charger_id)}"


async def register(csms: Any, charger_id: str, **security: Any) -> None:
    response = await csms.api.put(f"/v1/chargers/{charger_id}", json={"registration": "Accepted"})
    assert response.status_code == 200, response.text
    response = await csms.api.put(f"/v1/chargers/{charger_id}/security", json=security)
    assert response.status_code == 200, response.text


async def test_profile_1_basic_over_ws(csms: Any, pki: Pki, caplog: Any) -> None:
    await csms.start()
    gateway = await secure_gateway(csms, pki)
    await register(csms, "CP-1", profile=1, password=PASSWORD)
    caplog.set_level(logging.INFO)

    assert await attempt(ws(gateway, "CP-1"), headers=basic("CP-1", PASSWORD)) == 101
    # wrong user (A00.FR.204), wrong password, no credentials: 401
    assert await attempt(ws(gateway, "CP-1"), headers=basic("CP-2", PASSWORD)) == 401
    assert await attempt(ws(gateway, "CP-1"), headers=basic("CP-1", PASSWORD + "x")) == 401
    assert await attempt(ws(gateway, "CP-1")) == 401
    # a charger without credentials while the minimum profile is 1
    assert await attempt(ws(gateway, "CP-NOBODY"), headers=basic("CP-NOBODY", PASSWORD)) == 401
    # the right password over wss is another profile: refused
    assert (
        await attempt(wss(gateway, "CP-1"), headers=basic("CP-1", PASSWORD), tls=pki.client())
        == 403
    )
    refusals = gateway.metrics.registry.get_sample_value
    for reason, count in [
        ("wrong_user", 1),
        ("wrong_password", 1),
        ("no_credentials", 1),
        ("unknown_charger", 1),
        ("wrong_profile", 1),
    ]:
        assert refusals("chargebus_gateway_security_events_total", {"reason": reason}) == count
    events = [r for r in caplog.records if r.name == "chargebus.security"]
    assert len(events) == 5
    assert all(getattr(r, "security_event", None) for r in events)
    assert PASSWORD not in caplog.text


async def test_profile_2_basic_over_wss_only(csms: Any, pki: Pki) -> None:
    await csms.start()
    gateway = await secure_gateway(csms, pki)
    await register(csms, "CP-2", profile=2, password=PASSWORD)
    good = basic("CP-2", PASSWORD)

    assert await attempt(wss(gateway, "CP-2"), headers=good, tls=pki.client()) == 101
    # plain ws when wss is required: refused before the upgrade
    assert await attempt(ws(gateway, "CP-2"), headers=good) == 403
    assert (
        await attempt(wss(gateway, "CP-2"), headers=basic("CP-2", "x" * 16), tls=pki.client())
        == 401
    )
    # a client certificate makes it profile 3, which this charger is not
    cert = issue(pki.folder, pki.ca, "CP-2")
    assert await attempt(wss(gateway, "CP-2"), headers=good, tls=pki.client(cert)) == 403
    # never lowered (A00.FR.005)
    response = await csms.api.put("/v1/chargers/CP-2/security", json={"profile": 1})
    assert response.status_code == 409, response.text
    view = (await csms.api.get("/v1/chargers/CP-2/security")).json()
    assert view["profile"] == 2 and len(view["passwords"]) == 1
    assert PASSWORD not in str(view) and "digest" not in str(view)


async def test_profile_3_mutual_tls(csms: Any, pki: Pki) -> None:
    await csms.start()
    gateway = await secure_gateway(csms, pki)
    await register(csms, "CP-3", profile=3, serial_number="SN-0003")

    good = issue(pki.folder, pki.ca, "SN-0003")
    assert await attempt(wss(gateway, "CP-3"), tls=pki.client(good)) == 101
    # no certificate: profile 2, not this charger's
    assert (
        await attempt(wss(gateway, "CP-3"), headers=basic("CP-3", PASSWORD), tls=pki.client())
        == 403
    )
    # the common name must be the serial number, the organisation the operator's
    wrong_cn = issue(pki.folder, pki.ca, "CP-3")
    assert await attempt(wss(gateway, "CP-3"), tls=pki.client(wrong_cn)) == 403
    wrong_o = issue(pki.folder, pki.ca, "SN-0003", organisation="Other CPO")
    assert await attempt(wss(gateway, "CP-3"), tls=pki.client(wrong_o)) == 403
    assert await attempt(ws(gateway, "CP-3")) == 403
    # expired, or from a CA we don't know: TLS refuses it in the handshake
    # (with TLS 1.3 the client learns it as the connection closing before
    # the HTTP answer)
    expired = issue(pki.folder, pki.ca, "SN-0003", days=1, starts_days_ago=3)
    unknown = issue(pki.folder, pki.other_ca, "SN-0003", organisation=OPERATOR)
    for cert in (expired, unknown):
        with pytest.raises((ssl.SSLError, ConnectionError, OSError, InvalidMessage)):
            await attempt(wss(gateway, "CP-3"), tls=pki.client(cert))
    # a good charger is still let in afterwards
    assert await attempt(wss(gateway, "CP-3"), tls=pki.client(good)) == 101


async def test_1_6_authorization_key_as_bytes_and_per_charger_as_hex(csms: Any, pki: Pki) -> None:
    await csms.start()
    gateway = await secure_gateway(csms, pki)
    await register(csms, "CP-16", profile=1, authorization_key=KEY_16.hex())
    await register(csms, "CP-16H", profile=1, authorization_key=KEY_16.hex(), hex_key=True)

    assert (
        await attempt(ws(gateway, "CP-16"), headers=basic("CP-16", KEY_16), protocol="ocpp1.6")
        == 101
    )
    # the hex text is a different password unless the charger's model sends it
    assert (
        await attempt(
            ws(gateway, "CP-16"), headers=basic("CP-16", KEY_16.hex()), protocol="ocpp1.6"
        )
        == 401
    )
    for secret in (KEY_16, KEY_16.hex(), KEY_16.hex().upper()):
        status = await attempt(
            ws(gateway, "CP-16H"), headers=basic("CP-16H", secret), protocol="ocpp1.6"
        )
        assert status == 101, secret


async def test_repeated_failures_are_blocked_then_let_in_after(csms: Any, pki: Pki) -> None:
    await csms.start()
    gateway = await secure_gateway(
        csms, pki, login_slow_after=100, login_block_after=3, login_block_seconds=1.5
    )
    await register(csms, "CP-B", profile=1, password=PASSWORD)
    for _ in range(3):
        assert await attempt(ws(gateway, "CP-B"), headers=basic("CP-B", "w" * 16)) == 401
    # blocked: even the right password is refused for a while, without a check
    response = await refusal(
        ws(gateway, "CP-B"), "a blocked charger got in", headers=basic("CP-B", PASSWORD)
    )
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    await asyncio.sleep(1.6)
    assert await attempt(ws(gateway, "CP-B"), headers=basic("CP-B", PASSWORD)) == 101
    assert gateway.metrics.registry.get_sample_value(
        "chargebus_gateway_security_events_total", {"reason": "blocked"}
    )


async def test_credentials_unreadable_fail_closed(csms: Any, pki: Pki) -> None:
    """A route table that lost the credentials lets nobody in unchecked:
    503 (the charger retries) until the sessions service writes them again."""
    await csms.start()
    gateway = await secure_gateway(csms, pki)
    await register(csms, "CP-R", profile=1, password=PASSWORD)
    routes = gateway.routes
    if csms.deployment.mode == "embedded":
        routes.forget_everything()
    else:
        await routes._redis.flushdb()  # what a Redis restart without persistence does
    assert await attempt(ws(gateway, "CP-R"), headers=basic("CP-R", PASSWORD)) == 503
    await csms.service.reseed_lost_registrations()
    assert await attempt(ws(gateway, "CP-R"), headers=basic("CP-R", PASSWORD)) == 101


async def test_certificate_forwarded_by_a_trusted_proxy_only(csms: Any, pki: Pki) -> None:
    """TLS terminated at an ingress: the verified certificate comes in a
    header, believed only from the configured proxies (and checked again)."""
    await csms.start()
    behind = await secure_gateway(
        csms,
        pki,
        instance_id="gw-behind",
        tls_certfile=None,
        tls_keyfile=None,
        ocpp_plain_port=None,
        trusted_proxies=("127.0.0.0/8",),
    )
    elsewhere = await secure_gateway(
        csms,
        pki,
        instance_id="gw-elsewhere",
        tls_certfile=None,
        tls_keyfile=None,
        ocpp_plain_port=None,
        trusted_proxies=("10.0.0.0/8",),
    )
    await register(csms, "CP-P", profile=3, serial_number="SN-P")
    good = issue(pki.folder, pki.ca, "SN-P")
    forwarded = {"X-Client-Cert": quote(good.pem.decode()), "X-Forwarded-Proto": "https"}

    def url(gateway: Gateway) -> str:
        return f"ws://127.0.0.1:{gateway.ocpp_port}/ocpp/CP-P"

    assert await attempt(url(behind), headers=forwarded) == 101
    # from an address that isn't a trusted proxy the header means nothing
    assert await attempt(url(elsewhere), headers=forwarded) == 403
    # checked again: expired, or not from our CA
    expired = issue(pki.folder, pki.ca, "SN-P", days=1, starts_days_ago=3)
    foreign = issue(pki.folder, pki.other_ca, "SN-P", organisation=OPERATOR)
    for cert in (expired, foreign):
        headers = {"X-Client-Cert": quote(cert.pem.decode()), "X-Forwarded-Proto": "https"}
        assert await attempt(url(behind), headers=headers) == 403
    assert await attempt(url(behind), headers={"X-Client-Cert": "garbage"}) == 400


class AnsweringCharger(SimulatedCharger):
    """The simulator's charger link answering the CSMS's CALLs (``status`` for
    ChangeConfiguration, ``attributeStatus`` for SetVariables), keeping what
    it was told in ``requests``; connected for the ``async with``, once."""

    def __init__(self, url: str, headers: dict[str, str], protocol: str, status: str) -> None:
        super().__init__(url, OcppVersion(protocol), headers=headers, reconnect=False)
        self.status = status

    def answer(self, call: CallReceived) -> bytes | None:
        if call.action == "SetVariables":
            data = msgspec.to_builtins(call.request)["setVariableData"]
            return msgspec.json.encode(
                {
                    "setVariableResult": [
                        {
                            "attributeStatus": self.status,
                            "component": item["component"],
                            "variable": item["variable"],
                        }
                        for item in data
                    ]
                }
            )
        return msgspec.json.encode({"status": self.status})

    async def __aenter__(self) -> AnsweringCharger:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


async def rotate(csms: Any, charger_id: str) -> dict[str, Any]:
    response = await csms.api.post(
        f"/v1/chargers/{charger_id}/commands/rotate_password", params={"wait": 15}, json={}
    )
    assert response.status_code == 200, response.text
    state: dict[str, Any] = response.json()
    return state


async def passwords(csms: Any, charger_id: str) -> list[dict[str, Any]]:
    view = (await csms.api.get(f"/v1/chargers/{charger_id}/security")).json()
    found: list[dict[str, Any]] = view["passwords"]
    return found


@pytest.mark.parametrize("protocol", ["ocpp2.0.1", "ocpp1.6"])
async def test_password_rotation_keeps_the_old_one_until_the_new_one_is_used(
    csms: Any, pki: Pki, protocol: str, caplog: Any
) -> None:
    await csms.start()
    # every chargebus logger at its most talkative (the AMQP library's own
    # frame dumps are held at WARNING by chargebus.common.logs)
    caplog.set_level(logging.DEBUG, logger="chargebus")
    gateway = await secure_gateway(csms, pki)
    if protocol == "ocpp1.6":
        await register(csms, "CP-ROT", profile=1, authorization_key=KEY_16.hex())
        old: bytes | str = KEY_16
    else:
        await register(csms, "CP-ROT", profile=1, password=PASSWORD)
        old = PASSWORD
    async with AnsweringCharger(
        ws(gateway, "CP-ROT"), basic("CP-ROT", old), protocol, "Accepted"
    ) as charger:
        state = await rotate(csms, "CP-ROT")
        assert state["status"] == "accepted", state
        [(action, payload)] = charger.requests
    if protocol == "ocpp1.6":
        assert action == "ChangeConfiguration" and payload["key"] == "AuthorizationKey"
        assert len(payload["value"]) == 40
        new: bytes | str = bytes.fromhex(payload["value"])  # sent as bytes (J16 §6.2.2)
        told = payload["value"]
    else:
        assert action == "SetVariables"
        [item] = payload["setVariableData"]
        assert item["variable"]["name"] == "BasicAuthPassword"
        new = told = item["attributeValue"]
        assert 16 <= len(new) <= 40
    # never kept in clear: not in the command's record, nor in any log line
    record = (await csms.api.get(f"/v1/commands/{state['command_id']}")).json()
    assert told not in json.dumps(record) and told not in caplog.text

    async def pending_too() -> bool:
        return len(await passwords(csms, "CP-ROT")) == 2

    await csms.eventually(pending_too)

    # both work until the charger logs in with the new one
    assert (
        await attempt(ws(gateway, "CP-ROT"), headers=basic("CP-ROT", old), protocol=protocol) == 101
    )
    assert (
        await attempt(ws(gateway, "CP-ROT"), headers=basic("CP-ROT", new), protocol=protocol) == 101
    )

    async def only_the_new_one() -> bool:
        return [p["pending"] for p in await passwords(csms, "CP-ROT")] == [False]

    await csms.eventually(only_the_new_one)

    # The gateway reads the route table, which the sessions service writes
    # after its store (CI caught the old one still let in just between).
    async def old_refused() -> bool:
        headers = basic("CP-ROT", old)
        return await attempt(ws(gateway, "CP-ROT"), headers=headers, protocol=protocol) == 401

    await csms.eventually(old_refused)
    assert (
        await attempt(ws(gateway, "CP-ROT"), headers=basic("CP-ROT", new), protocol=protocol) == 101
    )


async def test_a_refused_rotation_keeps_the_old_password_only(csms: Any, pki: Pki) -> None:
    await csms.start()
    gateway = await secure_gateway(csms, pki)
    await register(csms, "CP-NO", profile=1, password=PASSWORD)
    async with AnsweringCharger(
        ws(gateway, "CP-NO"), basic("CP-NO", PASSWORD), "ocpp2.0.1", "Rejected"
    ) as charger:
        state = await rotate(csms, "CP-NO")
        assert state["status"] == "rejected", state
        new = charger.requests[0][1]["setVariableData"][0]["attributeValue"]

    async def forgotten() -> bool:
        return len(await passwords(csms, "CP-NO")) == 1

    await csms.eventually(forgotten)
    assert await attempt(ws(gateway, "CP-NO"), headers=basic("CP-NO", new)) == 401
    assert await attempt(ws(gateway, "CP-NO"), headers=basic("CP-NO", PASSWORD)) == 101
    # the password is set by rotate_password only, never in clear another way
    for name, params in [
        (
            "set_configuration",
            {
                "variables": [
                    {
                        "component": "SecurityCtrlr",
                        "variable": "BasicAuthPassword",
                        "value": "x" * 20,
                    }
                ]
            },
        ),
        (
            "call",
            {
                "action": "SetVariables",
                "payload": {
                    "setVariableData": [
                        {
                            "attributeValue": "x" * 20,
                            "component": {"name": "SecurityCtrlr"},
                            "variable": {"name": "BasicAuthPassword"},
                        }
                    ]
                },
            },
        ),
    ]:
        async with AnsweringCharger(
            ws(gateway, "CP-NO"), basic("CP-NO", PASSWORD), "ocpp2.0.1", "Accepted"
        ) as charger:
            response = await csms.api.post(
                f"/v1/chargers/CP-NO/commands/{name}", params={"wait": 15}, json=params
            )
            assert response.json()["status"] == "invalid", response.text
            assert "rotate_password" in response.json()["detail"]
            assert charger.requests == []


@pytest.mark.parametrize("protocol", ["ocpp1.6", "ocpp2.0.1"])
async def test_security_event_notifications_are_answered_stored_and_logged(
    csms: Any, protocol: str, caplog: Any
) -> None:
    """A04.FR.03: always answered (here once stored), and kept."""
    from chargers import boot16, boot201, connect16, connect201
    from ocpp.v16 import call as call16
    from ocpp.v201 import call as call201

    await csms.start()
    caplog.set_level(logging.INFO, logger="chargebus")
    now = "2026-12-02T10:00:00Z"
    if protocol == "ocpp1.6":
        client = await connect16(csms, "CP-SEC")
        await boot16(client)
        await client.call(
            call16.SecurityEventNotification(
                type="FirmwareUpdated", timestamp=now, tech_info="1.2.4"
            )
        )
    else:
        client = await connect201(csms, "CP-SEC")
        await boot201(client)
        await client.call(
            call201.SecurityEventNotification(
                type="TamperDetectionActivated", timestamp=now, tech_info="lid"
            )
        )
    await client.close()
    records = (
        await csms.api.get(
            "/v1/chargers/CP-SEC/records", params={"kind": "SecurityEventNotification"}
        )
    ).json()["items"]
    assert len(records) == 1
    assert records[0]["data"]["techInfo"] in ("1.2.4", "lid")
    assert any(
        r.name == "chargebus.security" and "CP-SEC" in r.getMessage() for r in caplog.records
    )
    assert (
        csms.service.metrics.registry.get_sample_value(
            "chargebus_sessions_charger_security_events_total"
        )
        == 1
    )


async def test_the_simulator_logs_in_with_basic(csms: Any, pki: Pki) -> None:
    """``chargebus simulate --password`` drives a fleet of profile 1
    chargers; with wrong passwords every charger is refused with 401."""
    from chargebus.cli.simulate import Options, Simulation

    await csms.start()
    gateway = await secure_gateway(csms, pki, login_slow_after=1000, login_block_after=1000)
    ids = [f"SEC-{n:04d}" for n in range(3)]
    for charger_id in ids:
        await register(csms, charger_id, profile=1, password=f"pw-{charger_id}-0123456789")

    def run(password: str) -> Simulation:
        return Simulation(
            Options(
                url=f"ws://127.0.0.1:{gateway.ocpp_plain_port}/ocpp/",
                count=3,
                prefix="SEC-",
                scenario="idle",
                duration=1.0,
                heartbeat=300.0,
                progress=False,
                seed=3,
                password=password,
            )
        )

    stats = await run("pw-{id}-0123456789").run()
    assert sorted(stats.booted) == ids and not stats.refused
    stats = await run("pw-{id}-wrong-wrong").run()
    assert not stats.booted and stats.refused["HTTP 401"] >= 3


async def test_models_that_send_the_key_as_hex_are_let_in_with_it(csms: Any, pki: Pki) -> None:
    """CHARGEBUS_HEX_KEY_MODELS: the chargers of a 1.6 model known to send
    the AuthorizationKey's hex text get both forms, without a flag each."""
    from chargers import boot16, connect16

    await csms.start(hex_key_models=("acme/x1",))
    client = await connect16(csms, "CP-HM")  # profile 0 so far: boots as ACME X1
    await boot16(client)
    await client.close()
    await register(csms, "CP-HM", profile=1, authorization_key=KEY_16.hex())
    gateway = await secure_gateway(csms, pki)
    for secret in (KEY_16, KEY_16.hex()):
        status = await attempt(
            ws(gateway, "CP-HM"), headers=basic("CP-HM", secret), protocol="ocpp1.6"
        )
        assert status == 101
    assert (await csms.api.get("/v1/chargers/CP-HM/security")).json()["hex_key"] is False


async def test_gateways_sharing_a_login_cache_key_skip_scrypt(csms: Any, pki: Pki) -> None:
    """A password one gateway checked with scrypt lets the charger in at
    another gateway (or the same after a restart) without scrypt, when they
    share CHARGEBUS_LOGIN_CACHE_KEY; one with another key runs scrypt (and
    still lets the right password in, and not a wrong one)."""
    await csms.start()
    key = "k" * 40
    first = await secure_gateway(csms, pki, instance_id="gw-1", login_cache_key=key)
    second = await secure_gateway(csms, pki, instance_id="gw-2", login_cache_key=key)
    other = await secure_gateway(csms, pki, instance_id="gw-3", login_cache_key="o" * 40)
    await register(csms, "CP-S", profile=1, password=PASSWORD)

    def checks(gateway: Gateway, how: str) -> float:
        value = gateway.metrics.registry.get_sample_value(
            "chargebus_gateway_password_checks_total", {"how": how}
        )
        return value or 0.0

    good, bad = basic("CP-S", PASSWORD), basic("CP-S", "x" * 20)
    assert await attempt(ws(first, "CP-S"), headers=good) == 101
    assert await attempt(ws(first, "CP-S"), headers=good) == 101
    assert (checks(first, "scrypt"), checks(first, "remembered")) == (1, 1)
    assert await attempt(ws(second, "CP-S"), headers=good) == 101
    assert await attempt(ws(second, "CP-S"), headers=bad) == 401
    assert (checks(second, "scrypt"), checks(second, "shared")) == (0, 1)
    assert await attempt(ws(other, "CP-S"), headers=bad) == 401
    assert await attempt(ws(other, "CP-S"), headers=good) == 101
    assert checks(other, "scrypt") == 2 and checks(other, "shared") == 0
    # a new password (PUT) has a new hash id: what was remembered doesn't count
    await register(csms, "CP-S", profile=1, password=PASSWORD + "-new")
    assert await attempt(ws(second, "CP-S"), headers=good) == 401
    assert await attempt(ws(second, "CP-S"), headers=basic("CP-S", PASSWORD + "-new")) == 101


async def test_failures_block_the_id_from_that_address_only_and_say_nothing(
    csms: Any, pki: Pki
) -> None:
    """Guessing from one address blocks that id from that address: the
    charger from its own address still gets in. Every 401 reads the same, and
    two Authorization headers are refused like none (not a 500)."""
    await csms.start()
    gateway = await secure_gateway(csms, pki, login_slow_after=100, login_block_after=3)
    await register(csms, "CP-A", profile=1, password=PASSWORD)
    bodies = set()
    for _ in range(3):
        response = await refusal(
            ws(gateway, "CP-A"),
            "a wrong password got in",
            headers=basic("CP-A", "w" * 16),
            local_addr=("127.0.0.2", 0),
        )
        assert response.status_code == 401
        bodies.add(bytes(response.body or b""))
    # (from 127.0.0.1, for other ids: CP-A from here must stay unblocked)
    probes = [("CP-Z", {}), ("CP-Z", basic("CP-Y", PASSWORD)), ("CP-X", basic("CP-X", PASSWORD))]
    for charger_id, headers in probes:
        response = await refusal(ws(gateway, charger_id), "got in", headers=headers)
        bodies.add(bytes(response.body or b""))
    assert len(bodies) == 1, bodies  # nothing tells the reasons apart
    # 127.0.0.2 is blocked for CP-A; CP-A from 127.0.0.1 is not
    assert await attempt(ws(gateway, "CP-A"), headers=basic("CP-A", PASSWORD)) == 101
    twice = [("Authorization", basic("CP-A", PASSWORD)["Authorization"])] * 2
    assert await attempt(ws(gateway, "CP-A"), headers=twice) == 401  # type: ignore[arg-type]


async def test_a_charger_seen_with_a_profile_is_not_let_in_unchecked(csms: Any, pki: Pki) -> None:
    """Minimum profile 0 fails open when the credentials can't be read, but
    not for a charger this gateway knows has a profile."""
    await csms.start()
    gateway = await secure_gateway(csms, pki, min_security_profile=0)
    await register(csms, "CP-K", profile=1, password=PASSWORD)
    assert await attempt(ws(gateway, "CP-K"), headers=basic("CP-K", PASSWORD)) == 101
    if csms.deployment.mode == "embedded":
        gateway.routes.forget_everything()
    else:
        await gateway.routes._redis.flushdb()
    assert await attempt(ws(gateway, "CP-K")) == 503
    assert await attempt(ws(gateway, "CP-OTHER")) == 101  # profile 0 as configured
