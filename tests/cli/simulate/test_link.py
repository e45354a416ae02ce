"""What a simulated charger answers to a CSMS's CALL it doesn't simulate,
and how it logs in (no sockets)."""

from __future__ import annotations

import base64

import pytest

from chargebus.cli.simulate.link import Link, basic_auth, default_answer
from chargebus.cli.simulate.options import Options
from chargebus.cli.simulate.stats import Stats
from chargebus.common.ocpp.versions import OcppVersion


@pytest.mark.parametrize(
    ("version", "action", "answer"),
    [
        (OcppVersion.V16, "ClearCache", b'{"status":"Accepted"}'),
        (OcppVersion.V201, "Reset", b'{"status":"Accepted"}'),
        # nothing required: an empty answer is valid
        (OcppVersion.V16, "GetConfiguration", b"{}"),
        # no Accepted among the statuses: the first one
        (OcppVersion.V16, "UnlockConnector", b'{"status":"Unlocked"}'),
        # more than a status required: not simulated
        (OcppVersion.V201, "GetVariables", None),
        (OcppVersion.V16, "NoSuchAction", None),
    ],
)
def test_the_default_answer_is_the_smallest_valid_one(
    version: OcppVersion, action: str, answer: bytes | None
) -> None:
    assert default_answer(version, action) == answer


def test_basic_auth_logs_in_as_the_charger_id() -> None:
    header = basic_auth("SIM-0001", "secret")["Authorization"]
    assert header.startswith("Basic ")
    assert base64.b64decode(header.removeprefix("Basic ")) == b"SIM-0001:secret"


def test_a_charger_logs_in_with_its_own_password_or_none() -> None:
    stats = Stats()
    with_password = Options(url="ws://h/ocpp/", password="pw-{id}")
    link = Link(with_password, stats, "SIM-0007", OcppVersion.V201)
    header = (link.login_headers() or {})["Authorization"]
    assert base64.b64decode(header.removeprefix("Basic ")) == b"SIM-0007:pw-SIM-0007"
    assert (
        Link(Options(url="ws://h/ocpp/"), stats, "SIM-0007", OcppVersion.V16).login_headers()
        is None
    )
