"""Fixtures for the contract, integration and end-to-end tests.

They use the real RabbitMQ and Redis that ``scripts/test`` starts on loopback
(``CHARGEBUS_TEST_AMQP_URL``, ``CHARGEBUS_TEST_REDIS_URL``).  Without them the
tests that need them are skipped when run by hand, and fail in CI (CI=true),
where a skip would hide a missing server.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable

import aio_pika
import pytest
import redis.asyncio as aioredis

from chargebus.common.bus.topology import QUEUES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if os.environ.get("CHARGEBUS_TEST_MONGODB_URL"):
        terminalreporter.write_line("MongoDB: the Mongo adapter ran against the real server too")
    else:
        terminalreporter.write_line(
            "MongoDB: no server here, so the Mongo adapter ran against mongomock (the "
            "stand-in); set CHARGEBUS_TEST_MONGODB_URL to run it against a real server"
        )


def _service_url(name: str) -> str:
    url = os.environ.get(name)
    if url:
        return url
    message = f"{name} is not set: run the tests with scripts/test"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def amqp_url() -> str:
    return _service_url("CHARGEBUS_TEST_AMQP_URL")


@pytest.fixture
def redis_url() -> str:
    return _service_url("CHARGEBUS_TEST_REDIS_URL")


async def purge_rabbitmq(url: str) -> None:
    """Empty the durable service queues: they outlive every test."""
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel()
        for queue in QUEUES:
            try:
                declared = await channel.declare_queue(queue.name, passive=True)
            except aio_pika.exceptions.ChannelClosed:
                channel = await connection.channel()
                continue
            await declared.purge()


async def flush_redis(url: str) -> None:
    client = aioredis.from_url(url)
    await client.flushdb()
    await client.aclose()


@pytest.fixture
def clean_rabbitmq(amqp_url: str) -> Callable[[], Awaitable[str]]:
    """A coroutine function that empties the service queues and returns the URL."""

    async def clean() -> str:
        await purge_rabbitmq(amqp_url)
        return amqp_url

    return clean


@pytest.fixture
def clean_redis(redis_url: str) -> Callable[[], Awaitable[str]]:
    """A coroutine function that empties the Redis database and returns the URL."""

    async def clean() -> str:
        await flush_redis(redis_url)
        return redis_url

    return clean
