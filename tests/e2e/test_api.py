"""The HTTP API over a real socket: what it answers to bad input (a 4xx
naming the problem, nothing written), paging, and the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
async def api(csms: Any) -> Any:
    await csms.start()
    return csms.api


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"status": "Bogus"}, "status"),
        ({"status": "Accepted", "colour": "red"}, "colour"),
        ({"status": "Accepted", "expires_at": "2030-01-01T00:00:00"}, "expires_at"),
        ({"status": "Accepted", "expires_at": "0001-01-01T00:00:00+14:00"}, "expires_at"),
        ({"status": "Accepted", "expires_at": "tomorrow"}, "expires_at"),
        ({"status": "Accepted", "group": "G" * 37}, "group"),
        ({"status": "Accepted", "type": ""}, "type"),
        ({}, "status"),
    ],
)
async def test_a_bad_token_is_refused_with_a_reason_and_not_written(
    api: Any, body: dict[str, Any], fragment: str
) -> None:
    response = await api.put("/v1/id-tokens/TAG-1", json=body)
    assert response.status_code == 400, response.text
    assert fragment in response.text
    assert (await api.get("/v1/id-tokens/TAG-1")).status_code == 404


async def test_bad_requests_get_4xx(api: Any) -> None:
    assert (await api.put("/v1/id-tokens/TAG", content=b"{not json")).status_code == 400
    assert (
        await api.put("/v1/id-tokens/" + "T" * 37, json={"status": "Accepted"})
    ).status_code == 400
    assert (await api.put("/v1/chargers/CP-1", json={"registration": "Maybe"})).status_code == 400
    assert (await api.get("/v1/chargers/CP-404")).status_code == 404
    assert (await api.get("/v1/sessions/nope")).status_code == 404
    assert (await api.get("/v1/sessions/nope/samples")).status_code == 404
    assert (await api.get("/v1/sessions", params={"status": "sleeping"})).status_code == 400
    assert (await api.get("/v1/sessions", params={"limit": 0})).status_code == 400
    assert (await api.get("/v1/chargers", params={"limit": 5000})).status_code == 400
    assert (await api.delete("/v1/chargers")).status_code == 405
    assert (await api.get("/v1/chargers")).json() == {"items": [], "next": None}


async def test_tokens_are_case_insensitive_and_expire(api: Any) -> None:
    response = await api.put(
        "/v1/id-tokens/AbC123",
        json={"status": "Accepted", "expires_at": "2001-01-01T00:00:00Z", "group": "FLEET"},
    )
    assert response.status_code == 200
    token = (await api.get("/v1/id-tokens/abc123")).json()
    assert token["token"] == "AbC123" and token["status"] == "Accepted"
    assert token["effective_status"] == "Expired"
    assert token["expires_at"] == "2001-01-01T00:00:00Z" and token["group"] == "FLEET"


async def test_chargers_page_by_id(api: Any) -> None:
    for n in range(5):
        response = await api.put(f"/v1/chargers/CP-{n}", json={"registration": "Accepted"})
        assert response.status_code == 200
        assert response.json()["connected"] is False
    first = (await api.get("/v1/chargers", params={"limit": 2})).json()
    assert [c["id"] for c in first["items"]] == ["CP-0", "CP-1"] and first["next"] == "CP-1"
    rest = (await api.get("/v1/chargers", params={"limit": 10, "after": first["next"]})).json()
    assert [c["id"] for c in rest["items"]] == ["CP-2", "CP-3", "CP-4"] and rest["next"] is None


async def test_the_openapi_document_describes_the_api(api: Any) -> None:
    document = (await api.get("/schema/openapi.json")).json()
    assert document["openapi"].startswith("3.1")
    for path in (
        "/v1/chargers",
        "/v1/chargers/{charger_id}",
        "/v1/id-tokens/{token}",
        "/v1/sessions",
        "/v1/sessions/{session_id}",
    ):
        assert path in document["paths"], path
    token = document["components"]["schemas"]["TokenUpdate"]
    assert set(token["properties"]["status"]["enum"]) == {
        "Accepted",
        "Blocked",
        "Expired",
        "Invalid",
    }
    assert (await api.get("/healthz")).text == "ok\n"
    assert (await api.get("/readyz")).status_code == 200
    assert "chargebus_sessions_messages_total" in (await api.get("/metrics")).text
