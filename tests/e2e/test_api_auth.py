"""The HTTP API needs an API key: none or a bad one is a 401 with a Bearer
challenge, too small a scope a 403; the probes, /metrics and the OpenAPI
document stay open; refusals are logged without the key and counted."""

from __future__ import annotations

import logging
from typing import Any

import pytest

# Authentication doesn't depend on the bus or the store: one mode is enough.
pytestmark = pytest.mark.parametrize("deployment", ["embedded"], indirect=True)

TOKEN = {"status": "Accepted"}
TARIFF = {"currency": "EUR", "vat_rate": "19", "energy_price": "0.39"}


@pytest.fixture
async def csms_up(csms: Any) -> Any:
    await csms.start()
    return csms


def refused(text: str) -> dict[str, float]:
    """chargebus_api_refused_total by reason, from /metrics."""
    found: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("chargebus_api_refused_total{"):
            reason = line.split('reason="', 1)[1].split('"', 1)[0]
            found[reason] = float(line.rsplit(" ", 1)[1])
    return found


async def test_no_key_or_a_bad_key_is_401_with_a_bearer_challenge(csms_up: Any) -> None:
    key = csms_up.keys["admin"]
    key_id, secret = key.split("_", 2)[1:]
    other_secret = ("A" if secret[0] != "A" else "B") + secret[1:]
    async with csms_up.client(None) as anonymous:
        response = await anonymous.get("/v1/chargers")
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
        for headers in (
            {"Authorization": "Bearer nonsense"},
            {"Authorization": f"Bearer cb_{key_id}_{other_secret}"},  # the wrong secret
            {"Authorization": f"Bearer cb_0123456789ab_{secret}"},  # an unknown key id
            {"Authorization": f"Basic {key}"},  # another scheme
            {"Authorization": "Bearer"},
            {"X-API-Key": "cb_"},
        ):
            response = await anonymous.get("/v1/chargers", headers=headers)
            assert response.status_code == 401, headers
            assert response.headers["www-authenticate"].startswith("Bearer"), headers
        # Refused writes write nothing.
        response = await anonymous.put("/v1/id-tokens/T-1", json=TOKEN)
        assert response.status_code == 401
        # The key in X-API-Key works as well as in Authorization.
        response = await anonymous.get("/v1/chargers", headers={"X-API-Key": key})
        assert response.status_code == 200
    assert (await csms_up.api.get("/v1/id-tokens/T-1")).status_code == 404


async def test_a_read_key_reads_and_changes_nothing(csms_up: Any) -> None:
    async with csms_up.client("read") as reader:
        assert (await reader.get("/v1/chargers")).status_code == 200
        assert (await reader.get("/v1/tariffs")).status_code == 200
        assert (await reader.get("/v1/commands")).status_code == 200
        assert (await reader.head("/v1/chargers")).status_code in (200, 405)
        for method, path, body in (
            ("PUT", "/v1/id-tokens/T-1", TOKEN),
            ("PUT", "/v1/tariffs/t", TARIFF),
            ("PUT", "/v1/chargers/CP-1", {"registration": "Accepted"}),
            ("POST", "/v1/chargers/CP-1/commands/reset", {}),
        ):
            response = await reader.request(method, path, json=body)
            assert response.status_code == 403, (method, path, response.text)
            assert "scope" in response.json()["detail"]
    assert (await csms_up.api.get("/v1/id-tokens/T-1")).status_code == 404
    assert (await csms_up.api.get("/v1/tariffs/t")).status_code == 404


async def test_a_command_key_sends_commands_but_changes_no_tariff_or_token(
    csms_up: Any,
) -> None:
    async with csms_up.client("command") as app:
        response = await app.post(
            "/v1/chargers/CP-1/commands/reset", json={}, headers={"Idempotency-Key": "k-1"}
        )
        assert response.status_code in (200, 202), response.text  # offline: failed, but sent
        assert (await app.get("/v1/commands/k-1")).status_code == 200
        for method, path, body in (
            ("PUT", "/v1/id-tokens/T-1", TOKEN),
            ("PUT", "/v1/tariffs/t", TARIFF),
            ("PUT", "/v1/tariff-groups/default", {"tariff_id": "t"}),
            ("PUT", "/v1/chargers/CP-1/tariff", {"tariff_id": "t"}),
            ("PUT", "/v1/chargers/CP-1", {"registration": "Accepted"}),
        ):
            response = await app.request(method, path, json=body)
            assert response.status_code == 403, (method, path, response.text)


async def test_an_admin_key_does_everything(csms_up: Any) -> None:
    api = csms_up.api
    assert (await api.put("/v1/id-tokens/T-1", json=TOKEN)).status_code == 200
    assert (await api.put("/v1/tariffs/t", json=TARIFF)).status_code == 200
    assert (await api.put("/v1/tariff-groups/default", json={"tariff_id": "t"})).status_code == 200
    assert (
        await api.put("/v1/chargers/CP-1", json={"registration": "Accepted"})
    ).status_code == 200
    response = await api.post("/v1/chargers/CP-1/commands/reset", json={})
    assert response.status_code in (200, 202)


async def test_probes_metrics_and_the_openapi_document_are_open(csms_up: Any) -> None:
    async with csms_up.client(None) as anonymous:
        for path in ("/healthz", "/readyz", "/metrics", "/schema/openapi.json"):
            assert (await anonymous.get(path)).status_code == 200, path
        document = (await anonymous.get("/schema/openapi.json")).json()
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "cb_<key id>_<secret>",
        "description": schemes["bearer"]["description"],
    }
    assert schemes["apiKey"]["in"] == "header" and schemes["apiKey"]["name"] == "X-API-Key"
    assert {"bearer": []} in document["security"]


async def test_refusals_are_logged_and_counted_and_the_key_never_written(
    csms_up: Any, caplog: pytest.LogCaptureFixture
) -> None:
    read_key = csms_up.keys["read"]
    read_id, read_secret = read_key.split("_", 2)[1:]
    wrong = f"cb_{read_id}_{'x' * len(read_secret)}"
    with caplog.at_level(logging.DEBUG):
        async with csms_up.client(None) as anonymous:
            await anonymous.get("/v1/chargers")
            await anonymous.get("/v1/chargers", headers={"Authorization": f"Bearer {wrong}"})
        async with csms_up.client("read") as reader:
            await reader.put("/v1/id-tokens/T-1", json=TOKEN)
            await reader.get("/v1/chargers")
    refusals = [r for r in caplog.records if "API request refused" in r.getMessage()]
    assert len(refusals) == 3
    assert [getattr(r, "reason", None) for r in refusals] == ["missing", "invalid", "scope"]
    assert getattr(refusals[2], "key_id", None) == read_id
    everything = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    for key in csms_up.keys.values():
        assert key.split("_", 2)[2] not in everything
    assert "x" * len(read_secret) not in everything
    metrics = (await csms_up.api.get("/metrics")).text
    assert refused(metrics) == {"missing": 1.0, "invalid": 1.0, "scope": 1.0}
