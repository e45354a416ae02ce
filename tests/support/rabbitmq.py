"""The private RabbitMQ node's rabbitmqctl (set by scripts/with_services.py)."""

from __future__ import annotations

import os

import pytest


def rabbitmqctl_command() -> str:
    """The rabbitmqctl command line for the tests' node; without it the
    test is skipped by hand and fails in CI."""
    command = os.environ.get("CHARGEBUS_TEST_RABBITMQCTL")
    if not command:
        message = "CHARGEBUS_TEST_RABBITMQCTL is not set: run the tests with scripts/test"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return command
