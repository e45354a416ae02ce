"""Gateways on real sockets, in both modes: embedded (in-memory bus and
route table) and distributed (RabbitMQ and Redis started by scripts/test).

``Owner`` stands in for the services that own decisions (the sessions
service, later): it consumes ``chargebus.sessions`` over the same bus the
gateway publishes to and replies to decision messages with what a test set.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import msgspec
import pytest

from chargebus.common import envelope
from chargebus.common.bus import Bus, Delivery
from chargebus.common.bus.amqp import AmqpBus
from chargebus.common.bus.memory import MemoryBroker, MemoryBus
from chargebus.common.envelope import OcppMessage, Reply
from chargebus.common.routes import RouteTable
from chargebus.common.routes.memory import MemoryRouteTable
from chargebus.common.routes.redis import RedisRouteTable
from chargebus.gateway.app import Gateway
from chargebus.gateway.settings import GatewaySettings
from chargebus.gateway.tls import tls_context


class Owner:
    """Answers decision messages; records everything that reaches the queue."""

    def __init__(self, bus: Bus) -> None:
        self.bus = bus
        self.received: list[OcppMessage] = []
        self.answers: dict[str, Callable[[OcppMessage], Reply | None]] = {}
        self.arrived = asyncio.Condition()

    async def start(self) -> None:
        await self.bus.start()
        await self.bus.consume("chargebus.sessions", self._on_message)

    async def _on_message(self, delivery: Delivery) -> None:
        message: OcppMessage = envelope.decode(delivery.body, OcppMessage)
        async with self.arrived:
            self.received.append(message)
            self.arrived.notify_all()
        if delivery.reply_to:
            answer = self.answers.get(message.action)
            reply = answer(message) if answer else None
            if reply is not None:
                await self.bus.publish(
                    "",
                    delivery.reply_to,
                    envelope.encode(reply),
                    correlation_id=delivery.correlation_id,
                    mandatory=False,
                    persistent=False,
                )

    def answer(
        self, action: str, payload: dict[str, Any] | Callable[[OcppMessage], Reply | None]
    ) -> None:
        if callable(payload):
            self.answers[action] = payload
        else:
            raw = msgspec.Raw(msgspec.json.encode(payload))
            self.answers[action] = lambda _m: Reply(payload=raw)

    async def wait_for(
        self, predicate: Callable[[OcppMessage], bool], timeout: float = 10
    ) -> OcppMessage:
        async def found() -> OcppMessage:
            async with self.arrived:
                while True:
                    for message in self.received:
                        if predicate(message):
                            return message
                    await self.arrived.wait()

        return await asyncio.wait_for(found(), timeout)


class Deployment:
    """One mode's shared infrastructure; makes gateways and owner buses."""

    def __init__(self, mode: str, amqp_url: str | None, redis_url: str | None) -> None:
        self.mode = mode
        self.amqp_url = amqp_url
        self.redis_url = redis_url
        self.broker = MemoryBroker()
        self.memory_routes = MemoryRouteTable(ttl=90)
        self.gateways: list[Gateway] = []
        self.buses: list[Bus] = []

    def bus(self, name: str = "test") -> Bus:
        bus: Bus = AmqpBus(self.amqp_url, name=name) if self.amqp_url else MemoryBus(self.broker)
        self.buses.append(bus)
        return bus

    def routes(self) -> RouteTable:
        if self.redis_url:
            return RedisRouteTable(self.redis_url, ttl=90)
        return self.memory_routes

    async def gateway(self, **settings: Any) -> Gateway:
        values = {
            "instance_id": f"gw-{uuid.uuid4().hex[:8]}",
            "host": "127.0.0.1",
            "ocpp_port": 0,
            "api_port": 0,
            "decision_timeout": 5.0,
            # Owner answers BootNotification only when a test says so.
            "registration_required": False,
            **settings,
        }
        settings = GatewaySettings(**values)
        gateway = Gateway(
            settings, self.bus(values["instance_id"]), self.routes(), tls=tls_context(settings)
        )
        await gateway.start()
        self.gateways.append(gateway)
        return gateway

    async def owner(self) -> Owner:
        owner = Owner(self.bus("owner"))
        await owner.start()
        return owner

    async def close(self) -> None:
        for gateway in self.gateways:
            await gateway.stop()
        for bus in self.buses:
            await bus.close()


@pytest.fixture(params=["embedded", "distributed"])
async def deployment(request: pytest.FixtureRequest) -> AsyncIterator[Deployment]:
    if request.param == "embedded":
        deployment = Deployment("embedded", None, None)
    else:
        amqp_url = await request.getfixturevalue("clean_rabbitmq")()
        redis_url = await request.getfixturevalue("clean_redis")()
        deployment = Deployment("distributed", amqp_url, redis_url)
    yield deployment
    await deployment.close()


@pytest.fixture
def url() -> Callable[[Gateway, str], str]:
    def make(gateway: Gateway, charger_id: str) -> str:
        return f"ws://127.0.0.1:{gateway.ocpp_port}/ocpp/{charger_id}"

    return make


async def eventually(
    check: Callable[[], Awaitable[bool]] | Callable[[], bool], timeout: float = 10
) -> None:
    """Poll until ``check`` is true (bounded in time)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


@pytest.fixture
def wait_until() -> Callable[..., Awaitable[None]]:
    return eventually


async def attached(gateway: Gateway, charger_id: str, timeout: float = 10) -> None:
    """Wait until the gateway has routed and attached the charger's socket
    (the client's handshake can finish before the server has claimed the route)."""
    await eventually(lambda: charger_id in gateway.connections, timeout)


@pytest.fixture
def wait_attached() -> Callable[..., Awaitable[None]]:
    return attached


# -- the whole CSMS: gateway, sessions service and HTTP API ---------------------------


class Csms:
    """A gateway, the sessions, commands and billing services and their HTTP
    API, in one mode:
    embedded (in-memory bus and routes, SQLite) or distributed (RabbitMQ,
    Redis, and the MongoDB adapter against the stand-in, or a real server
    when CHARGEBUS_TEST_MONGODB_URL is set)."""

    def __init__(self, deployment: Deployment, store_path: str) -> None:
        self.deployment = deployment
        self.store_path = store_path
        self.gateway: Gateway | None = None
        self.service: Any = None
        self.http: Any = None
        self.api: Any = None
        self.events: list[dict[str, Any]] = []
        self._mongo_db: str | None = None
        self._databases: list[str] = []
        self.commands: Any = None
        self.billing: Any = None
        #: An API key of each scope (read, command, admin); ``api`` uses admin.
        self.keys: dict[str, str] = {}

    def store(self, schema: Any, name: str) -> Any:
        """A store for one service: its own SQLite file, or its own database."""
        from chargebus.common.store.mongo import MongoStore
        from chargebus.common.store.sqlite import SqliteStore

        if self.deployment.mode == "embedded":
            return SqliteStore(f"{self.store_path}.{name}", schema)
        if self._mongo_db is None:
            self._mongo_db = f"chargebus_test_{uuid.uuid4().hex[:10]}"
        database = f"{self._mongo_db}_{name}"
        self._databases.append(database)
        real = os.environ.get("CHARGEBUS_TEST_MONGODB_URL")
        if real:
            return MongoStore(real, schema, database)
        from mongo_standin import standin_client_factory

        return MongoStore(
            "mongodb://standin", schema, database, client_factory=standin_client_factory
        )

    async def start(
        self,
        commands: dict[str, Any] | None = None,
        billing: dict[str, Any] | None = None,
        **sessions: Any,
    ) -> Csms:
        from chargebus.billing.api import routes as billing_routes
        from chargebus.billing.model import SCHEMA as BILLING_SCHEMA
        from chargebus.billing.service import BillingService
        from chargebus.billing.settings import BillingSettings
        from chargebus.commands.api import routes as command_routes
        from chargebus.commands.model import SCHEMA as COMMANDS_SCHEMA
        from chargebus.commands.service import CommandsService
        from chargebus.commands.settings import CommandsSettings
        from chargebus.common.apikeys import ApiKeys, new_key
        from chargebus.common.bus.topology import EVENTS
        from chargebus.common.http import HttpServer
        from chargebus.sessions.api import create_app
        from chargebus.sessions.schema import SCHEMA
        from chargebus.sessions.service import SessionsService
        from chargebus.sessions.settings import SessionsSettings

        settings = SessionsSettings(
            host="127.0.0.1",
            api_port=0,
            **{"unknown_chargers": "accept", "session_update_interval": 0.0, **sessions},
        )
        self.service = SessionsService(
            settings,
            self.store(SCHEMA, "sessions"),
            self.deployment.bus("sessions"),
            self.deployment.routes(),
        )
        await self.service.start()
        self.commands = CommandsService(
            CommandsSettings(**(commands or {})),
            self.store(COMMANDS_SCHEMA, "commands"),
            self.deployment.bus("commands"),
            self.deployment.routes(),
        )
        await self.commands.start()
        self.billing = BillingService(
            BillingSettings(**{"cdr_delay": 0.0, **(billing or {})}),
            self.store(BILLING_SCHEMA, "billing"),
            self.deployment.bus("billing"),
        )
        await self.billing.start()
        listener = self.deployment.bus("events")
        await listener.start()

        async def on_event(delivery: Delivery) -> None:
            self.events.append(msgspec.json.decode(delivery.body))

        await listener.inbox(EVENTS, "#", on_event)
        self.gateway = await self.deployment.gateway(
            registration_required=True, call_timeout=(commands or {}).get("call_timeout", 30.0)
        )
        made = {scope: new_key(f"test-{scope}", scope) for scope in ("read", "command", "admin")}
        self.keys = {scope: key for scope, (key, _) in made.items()}
        self.http = HttpServer(
            create_app(
                self.service,
                more_routes=[*command_routes(self.commands), *billing_routes(self.billing)],
                api_keys=ApiKeys(stored for _, stored in made.values()),
            ),
            "127.0.0.1",
            0,
        )
        await self.http.start()
        self.api = self.client("admin")
        return self

    def client(self, scope: str | None = None, **kwargs: Any) -> Any:
        """An HTTP client of the API with the key of ``scope`` (None: no key)."""
        import httpx

        assert self.http is not None
        headers = {"Authorization": f"Bearer {self.keys[scope]}"} if scope else {}
        return httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{self.http.port}",
            timeout=10,
            headers=headers,
            **kwargs,
        )

    async def eventually(self, check: Any, timeout: float = 10) -> None:
        await eventually(check, timeout)

    def gateway_of(self, charger_id: str) -> Gateway:
        """The gateway a charger's socket is attached to (the first one else)."""
        for gateway in self.deployment.gateways:
            if charger_id in gateway.connections:
                return gateway
        assert self.gateway is not None
        return self.gateway

    def url(self, charger_id: str) -> str:
        assert self.gateway is not None
        return f"ws://127.0.0.1:{self.gateway.ocpp_port}/ocpp/{charger_id}"

    def events_of(self, type_: str, **fields: Any) -> list[dict[str, Any]]:
        return [
            e
            for e in self.events
            if e["type"] == type_ and all(e.get(k) == v for k, v in fields.items())
        ]

    async def close(self) -> None:
        if self.api is not None:
            await self.api.aclose()
        if self.http is not None:
            await self.http.close()
        if self.commands is not None:
            await self.commands.stop()
        if self.billing is not None:
            await self.billing.stop()
        if self.service is not None:
            await self.service.stop()
        real = os.environ.get("CHARGEBUS_TEST_MONGODB_URL")
        if real and self._databases:
            from pymongo import AsyncMongoClient

            client: Any = AsyncMongoClient(real, serverSelectionTimeoutMS=5000)
            try:
                for database in self._databases:
                    await client.drop_database(database)
            finally:
                await client.close()


@pytest.fixture
async def csms(deployment: Deployment, tmp_path: Any) -> AsyncIterator[Csms]:
    system = Csms(deployment, str(tmp_path / "chargebus.db"))
    yield system
    await system.close()
