from __future__ import annotations

from http import HTTPStatus

import pytest

from chargebus.gateway.handshake import Refusal, charger_id_from_path, select_subprotocol


@pytest.mark.parametrize(
    ("path", "charger_id"),
    [
        ("/ocpp/CP-1", "CP-1"),
        ("/ocpp/CP%2D1", "CP-1"),
        ("/ocpp/a.b@c|d=e+f*g_h", "a.b@c|d=e+f*g_h"),
        ("/ocpp/" + "x" * 48, "x" * 48),
        ("/ocpp/CP-1?x=1", "CP-1"),
    ],
)
def test_identity_is_the_decoded_last_segment(path: str, charger_id: str) -> None:
    assert charger_id_from_path(path) == charger_id


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", HTTPStatus.NOT_FOUND),
        ("/ocpp/", HTTPStatus.NOT_FOUND),
        ("/ocpp/a/b", HTTPStatus.NOT_FOUND),
        ("/charge/CP-1", HTTPStatus.NOT_FOUND),
        ("/ocpp/a%3Ab", HTTPStatus.BAD_REQUEST),
        ("/ocpp/a:b", HTTPStatus.BAD_REQUEST),
        ("/ocpp/" + "x" * 49, HTTPStatus.BAD_REQUEST),
        ("/ocpp/%C3%A9", HTTPStatus.BAD_REQUEST),
        ("/ocpp/%FF", HTTPStatus.BAD_REQUEST),
        ("/ocpp/a%2Fb", HTTPStatus.BAD_REQUEST),
    ],
)
def test_bad_identities_are_refused(path: str, status: HTTPStatus) -> None:
    with pytest.raises(Refusal) as refusal:
        charger_id_from_path(path)
    assert refusal.value.status is status


def test_the_servers_preference_wins_among_what_is_offered() -> None:
    preference = ("ocpp2.1", "ocpp2.0.1", "ocpp1.6")
    assert select_subprotocol(["ocpp1.6", "ocpp2.0.1"], preference) == "ocpp2.0.1"
    assert select_subprotocol(["ocpp1.6"], preference) == "ocpp1.6"
    assert select_subprotocol(["ocpp1.5", "wamp"], preference) is None
    assert select_subprotocol([], preference) is None
    assert select_subprotocol(["ocpp2.1", "ocpp1.6"], ("ocpp1.6",)) == "ocpp1.6"
