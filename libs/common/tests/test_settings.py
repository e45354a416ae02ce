from __future__ import annotations

import msgspec
import pytest

from chargebus.common.settings import SettingsError, load_settings


class Example(msgspec.Struct, frozen=True, kw_only=True):
    ocpp_port: int = 9000
    strict: bool = True
    subprotocols: tuple[str, ...] = ("ocpp1.6",)
    amqp_url: str | None = None


def test_defaults_env_and_flags_in_that_order() -> None:
    assert load_settings(Example, {}) == Example()
    env = {
        "CHARGEBUS_OCPP_PORT": "9100",
        "CHARGEBUS_STRICT": "false",
        "CHARGEBUS_SUBPROTOCOLS": "ocpp2.0.1, ocpp1.6",
        "OTHER": "x",
    }
    settings = load_settings(Example, env, {"ocpp_port": 9200, "amqp_url": None})
    assert settings == Example(ocpp_port=9200, strict=False, subprotocols=("ocpp2.0.1", "ocpp1.6"))


def test_a_bad_value_names_its_variable() -> None:
    with pytest.raises(SettingsError, match="CHARGEBUS_OCPP_PORT"):
        load_settings(Example, {"CHARGEBUS_OCPP_PORT": "nine thousand"})
    with pytest.raises(SettingsError, match="--ocpp-port"):
        load_settings(Example, {}, {"ocpp_port": "x"})
    # A flag not given (None) leaves the blame with the variable.
    with pytest.raises(SettingsError, match="CHARGEBUS_OCPP_PORT"):
        load_settings(Example, {"CHARGEBUS_OCPP_PORT": "abc"}, {"ocpp_port": None})


def test_ports_and_subprotocols_are_checked_at_start() -> None:
    from chargebus.gateway.settings import GatewaySettings

    with pytest.raises(SettingsError, match="CHARGEBUS_API_PORT"):
        load_settings(GatewaySettings, {"CHARGEBUS_API_PORT": "70000"})
    with pytest.raises(SettingsError, match="CHARGEBUS_OCPP_PORT"):
        load_settings(GatewaySettings, {"CHARGEBUS_OCPP_PORT": "-5"})
    with pytest.raises(SettingsError, match="CHARGEBUS_SUBPROTOCOLS"):
        load_settings(GatewaySettings, {"CHARGEBUS_SUBPROTOCOLS": "ocpp9"})
