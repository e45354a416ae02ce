from __future__ import annotations

from datetime import datetime

import msgspec
import pytest

from chargebus.common.ocpp.types import DateTime, check_multiple_of
from chargebus.common.ocpp.versions import OcppVersion, actions_for


@pytest.mark.parametrize(
    "value", [0.0, 0.3, 0.5, 7.3, 16.0, 100.1, 1e20, 1e27, 1e300, 32, 17 * 0.1, msgspec.UNSET]
)
def test_multiples_of_a_tenth_pass_as_written_in_decimal(value: float) -> None:
    check_multiple_of(value, 0.1, "limit")


@pytest.mark.parametrize("value", [0.05, 7.25, 0.31])
def test_other_values_fail_with_the_field_named(value: float) -> None:
    with pytest.raises(ValueError, match=r"`limit` to be a multiple of 0\.1"):
        check_multiple_of(value, 0.1, "limit")


def test_date_times_need_a_zone() -> None:
    assert msgspec.json.decode(
        b'"2024-05-01T10:00:00+02:00"', type=DateTime
    ) == datetime.fromisoformat("2024-05-01T10:00:00+02:00")
    with pytest.raises(msgspec.ValidationError, match="timezone"):
        msgspec.json.decode(b'"2024-05-01T10:00:00"', type=DateTime)


def test_versions_are_named_by_subprotocol_and_share_their_tables() -> None:
    assert OcppVersion("ocpp2.0.1") is OcppVersion.V201
    assert [v.short for v in OcppVersion] == ["v16", "v201", "v21"]
    assert not OcppVersion.V16.is_2x and OcppVersion.V21.is_2x
    assert actions_for(OcppVersion.V16) is actions_for(OcppVersion.V16)
    with pytest.raises(TypeError):
        actions_for(OcppVersion.V16)["Heartbeat"] = None  # type: ignore[index]


def test_infinities_and_nan_are_no_multiple() -> None:
    for value in (float("nan"), float("inf")):
        with pytest.raises(ValueError, match="finite"):
            check_multiple_of(value, 0.1, "limit")
