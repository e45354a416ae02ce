"""Tariff versions and assignments (chargebus.billing.tariffs): no store."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D
from typing import Any

import pytest

from chargebus.billing.model import Assignment, Invalid
from chargebus.billing.tariffs import add_assignment, add_version, candidates, tariff_version
from chargebus.common.billing import Tariff

NOW = 1_772_445_600.0


def at(t: float) -> datetime:
    return datetime.fromtimestamp(t, UTC)


def tariff(**fields: Any) -> Tariff:
    return Tariff(**{"currency": "EUR", "energy_price": D("0.30"), **fields})


def test_a_version_takes_effect_now_unless_it_says_later() -> None:
    assert tariff_version("t", tariff(), NOW).valid_from == at(NOW)
    assert tariff_version("t", tariff(), NOW).id == "t"
    assert tariff_version("t", tariff(valid_from=at(NOW + 600)), NOW).valid_from == at(NOW + 600)
    # A minute's clock skew is taken as now, not as the past.
    assert tariff_version("t", tariff(valid_from=at(NOW - 30)), NOW).valid_from == at(NOW)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"valid_from": at(NOW - 3600)}, "valid_from: in the past"),
        ({"valid_from": datetime(2026, 12, 1)}, "valid_from: give a time zone"),
        ({"id": "other"}, "id:"),
        ({"currency": "XXX"}, "currency:"),
    ],
)
def test_a_version_that_cant_be_used_names_the_field(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(Invalid, match=field):
        tariff_version("t", tariff(**fields), NOW)


def test_versions_are_kept_in_order_and_the_same_tariff_again_adds_none() -> None:
    v1 = tariff_version("t", tariff(), NOW)
    doc = add_version(None, v1, NOW)
    assert doc is not None and doc.versions == [v1]
    assert add_version(doc, tariff_version("t", tariff(), NOW + 60), NOW + 60) is None
    v3 = tariff_version("t", tariff(energy_price=D("0.40"), valid_from=at(NOW + 7200)), NOW)
    v2 = tariff_version("t", tariff(energy_price=D("0.35"), valid_from=at(NOW + 3600)), NOW)
    doc = add_version(doc, v3, NOW)
    assert doc is not None
    doc = add_version(doc, v2, NOW)
    assert doc is not None and doc.versions == [v1, v2, v3]
    # A version at the same time as one stored replaces it.
    v2b = tariff_version("t", tariff(energy_price=D("0.36"), valid_from=at(NOW + 3600)), NOW)
    doc = add_version(doc, v2b, NOW)
    assert doc is not None and doc.versions == [v1, v2b, v3]


def test_an_assignment_adds_history_unless_it_is_the_one_in_force() -> None:
    first = Assignment(valid_from=at(NOW), tariff_id="a", group="g")
    doc = add_assignment(None, "charger:CP-1", first, NOW)
    assert doc is not None and (doc.id, doc.history) == ("charger:CP-1", [first])
    assert (
        add_assignment(
            doc,
            "charger:CP-1",
            Assignment(valid_from=at(NOW + 1), tariff_id="a", group="g"),
            NOW + 1,
        )
        is None
    )
    second = Assignment(valid_from=at(NOW + 2), tariff_id="b", group="g")
    doc = add_assignment(doc, "charger:CP-1", second, NOW + 2)
    assert doc is not None and doc.history == [first, second] and doc.updated_at == NOW + 2


def test_the_charger_wins_over_its_group_which_wins_over_the_default() -> None:
    def entry(tariff_id: str | None, group: str | None = None) -> Assignment:
        return Assignment(valid_from=at(NOW), tariff_id=tariff_id, group=group)

    assert candidates(entry("own", "g1"), entry("grp"), entry("dflt")) == [
        ("own", "charger"),
        ("grp", "group:g1"),
        ("dflt", "default"),
    ]
    assert candidates(entry(None, "g1"), entry("grp"), None) == [("grp", "group:g1")]
    assert candidates(entry(None, "g2"), entry(None), entry("dflt")) == [("dflt", "default")]
    assert candidates(None, None, None) == []
