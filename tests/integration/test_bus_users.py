"""Each service on a RabbitMQ user of its own, with only the permissions
chargebus.common.bus.permissions gives it: the broker's definitions (as
docker-compose loads them) create the users and the topology, a charger
boots through gateway and sessions, a command goes through commands to the
gateway and back, billing starts on its user; and what a user must not do
(billing publishing to the gateways, consuming the sessions queue, deleting
a queue) is refused by the broker.

Runs against the private RabbitMQ of scripts/with_services.py, in a vhost of
its own, through ``rabbitmqctl`` (CHARGEBUS_TEST_RABBITMQCTL)."""

from __future__ import annotations

import asyncio
import json
import secrets
import shlex
import subprocess
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import aio_pika
import aiormq
import pytest
from ocpp.routing import on
from ocpp.v16 import ChargePoint
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from rabbitmq import rabbitmqctl_command
from websockets.asyncio.client import connect

from chargebus.billing.model import SCHEMA as BILLING_SCHEMA
from chargebus.billing.service import BillingService
from chargebus.billing.settings import BillingSettings
from chargebus.commands.model import SCHEMA as COMMANDS_SCHEMA
from chargebus.commands.service import CommandsService
from chargebus.commands.settings import CommandsSettings
from chargebus.common.bus.amqp import AmqpBus
from chargebus.common.bus.permissions import PERMISSIONS, SERVICES, definitions
from chargebus.common.bus.topology import GATEWAYS, OCPP
from chargebus.common.routes.redis import RedisRouteTable
from chargebus.common.store.sqlite import SqliteStore
from chargebus.gateway.app import Gateway
from chargebus.gateway.settings import GatewaySettings
from chargebus.sessions.schema import SCHEMA as SESSIONS_SCHEMA
from chargebus.sessions.service import SessionsService
from chargebus.sessions.settings import SessionsSettings


def rabbitmqctl(*args: str) -> str:
    command = rabbitmqctl_command()
    done = subprocess.run(
        [*shlex.split(command), *args], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, f"rabbitmqctl {args}: {done.stderr or done.stdout}"
    return done.stdout


class Users:
    def __init__(self, amqp_url: str, vhost: str, passwords: dict[str, str]) -> None:
        self.base, self.vhost, self.passwords = urlsplit(amqp_url), vhost, passwords

    def url(self, service: str) -> str:
        host = f"{self.base.hostname}:{self.base.port}"
        netloc = f"{service}:{quote(self.passwords[service], safe='')}@{host}"
        return urlunsplit(("amqp", netloc, "/" + quote(self.vhost, safe=""), "", ""))


@pytest.fixture
async def users(amqp_url: str, tmp_path: Path) -> AsyncIterator[Users]:
    """The four users and the topology, from the definitions, in a fresh vhost."""
    vhost = f"chargebus-users-{uuid.uuid4().hex[:8]}"
    passwords = {service: secrets.token_urlsafe(16) for service in SERVICES}
    document = tmp_path / "definitions.json"
    document.write_text(json.dumps(definitions(passwords, vhost=vhost)))
    rabbitmqctl("import_definitions", str(document))
    try:
        yield Users(amqp_url, vhost, passwords)
    finally:
        rabbitmqctl("delete_vhost", vhost)
        for service in SERVICES:
            rabbitmqctl("delete_user", service)


def test_the_users_have_exactly_their_permissions(users: Users) -> None:
    listed = json.loads(
        rabbitmqctl("list_permissions", "-p", users.vhost, "--formatter", "json", "--silent")
    )
    found = {p["user"]: (p["configure"], p["write"], p["read"]) for p in listed}
    assert found == {service: (p.configure, p.write, p.read) for service, p in PERMISSIONS.items()}
    users_listed = {
        u["user"]: u
        for u in json.loads(rabbitmqctl("list_users", "--formatter", "json", "--silent"))
    }
    for service in SERVICES:
        assert users_listed[service]["tags"] == [], "no service is an administrator"


class Charger(ChargePoint):
    @on("Reset")
    async def on_reset(self, type: str, **kwargs: Any) -> Any:
        return result16.Reset(status="Accepted")


async def test_a_boot_and_a_command_with_each_service_on_its_own_user(
    users: Users, clean_redis: Any, tmp_path: Path
) -> None:
    redis_url = await clean_redis()
    sessions = SessionsService(
        SessionsSettings(unknown_chargers="accept"),
        SqliteStore(tmp_path / "sessions.db", SESSIONS_SCHEMA),
        AmqpBus(users.url("sessions"), name="sessions"),
        RedisRouteTable(redis_url),
    )
    commands = CommandsService(
        CommandsSettings(),
        SqliteStore(tmp_path / "commands.db", COMMANDS_SCHEMA),
        AmqpBus(users.url("commands"), name="commands"),
        RedisRouteTable(redis_url),
    )
    billing = BillingService(
        BillingSettings(cdr_delay=0.0),
        SqliteStore(tmp_path / "billing.db", BILLING_SCHEMA),
        AmqpBus(users.url("billing"), name="billing"),
    )
    settings = GatewaySettings(
        instance_id=f"gw-{uuid.uuid4().hex[:6]}", host="127.0.0.1", ocpp_port=0, api_port=0
    )
    gateway = Gateway(
        settings, AmqpBus(users.url("gateway"), name="gateway"), RedisRouteTable(redis_url)
    )
    started: list[Any] = []
    ws = None
    task = None
    try:
        for service in (sessions, commands, billing, gateway):
            await service.start()
            started.append(service)
        ws = await connect(
            f"ws://127.0.0.1:{gateway.ocpp_port}/ocpp/CP-USERS", subprotocols=["ocpp1.6"]
        )
        charger = Charger("CP-USERS", ws, response_timeout=10)
        task = asyncio.create_task(charger.start())
        # gateway -> chargebus.ocpp -> sessions, and the answer back to the
        # gateway's inbox through the default exchange.
        boot = await charger.call(
            call16.BootNotification(charge_point_model="X", charge_point_vendor="Y")
        )
        assert boot.status == "Accepted"
        heartbeat = await charger.call(call16.Heartbeat())
        assert heartbeat.current_time
        # commands -> chargebus.gateways -> the gateway -> the charger, and the
        # outcome back to the commands service's inbox.
        state = await commands.submit("reset", "CP-USERS", {"type": "soft"})
        final = await commands.wait_final(state.command_id, 15) or state
        assert final.final and final.status == "accepted", final
    finally:
        if ws is not None:
            await ws.close()
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        for service in reversed(started):
            await service.stop()


async def _ignore(message: Any) -> None:
    pass


async def _refused(url: str, action: str, target: str) -> None:
    connection = await aio_pika.connect(url)
    try:
        channel = await connection.channel()
        with pytest.raises(aiormq.exceptions.ChannelAccessRefused):
            await _try(channel, action, target)
    finally:
        await connection.close()


async def _try(channel: aio_pika.abc.AbstractChannel, action: str, target: str) -> None:
    """Do ``action`` (publish, consume, delete or declare) on ``target``."""
    if action == "publish":
        exchange = await channel.get_exchange(target, ensure=False)
        await exchange.publish(aio_pika.Message(b"{}"), routing_key="anything")
    elif action == "consume":
        queue = await channel.get_queue(target, ensure=True)
        await queue.consume(_ignore)
    elif action == "delete":
        await channel.queue_delete(target)
    elif action == "declare":
        await channel.declare_exchange("chargebus.mine", aio_pika.ExchangeType.TOPIC)


@pytest.mark.parametrize(
    ("service", "action", "target"),
    [
        ("billing", "publish", GATEWAYS),  # only commands and gateways talk to gateways
        ("billing", "consume", "chargebus.sessions"),
        ("billing", "publish", OCPP),  # nobody but a gateway speaks for chargers
        ("sessions", "publish", GATEWAYS),
        ("commands", "publish", OCPP),
        ("gateway", "consume", "chargebus.sessions"),
        ("gateway", "consume", "chargebus.commands"),
        ("billing", "delete", "chargebus.billing"),  # the topology is the broker's
        ("sessions", "declare", "chargebus.mine"),
    ],
)
async def test_what_a_user_must_not_do_is_refused(
    users: Users, service: str, action: str, target: str
) -> None:
    await _refused(users.url(service), action, target)


async def test_the_queues_are_where_the_definitions_put_them(users: Users) -> None:
    """As the services would declare them: a service on an administrator's
    user (as in development) declares the same topology again, which the
    broker accepts only when every argument is equal."""
    admin = urlsplit(users.base.geturl()).username or "guest"
    rabbitmqctl("set_permissions", "-p", users.vhost, admin, ".*", ".*", ".*")
    netloc = users.base.netloc
    bus = AmqpBus(
        urlunsplit(("amqp", netloc, "/" + quote(users.vhost, safe=""), "", "")), name="admin"
    )
    await bus.start()
    await bus.close()
    listed = json.loads(
        rabbitmqctl(
            "list_queues", "-p", users.vhost, "name", "type", "--formatter", "json", "--silent"
        )
    )
    types = {q["name"]: q["type"] for q in listed}
    assert types["chargebus.sessions"] == "quorum" and types["chargebus.billing"] == "quorum"
    assert types["chargebus.dead-letters"] == "classic"
