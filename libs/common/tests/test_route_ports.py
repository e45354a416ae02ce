"""The route table's narrow ports: each caller's side of the table.

RouteTable is the union of the sides (plus start/close/healthy), and both
adapters provide every member of every side with the port's signature, so
a caller typed against one side accepts either adapter."""

from __future__ import annotations

import inspect

import pytest

from chargebus.common import routes
from chargebus.common.routes.memory import MemoryRouteTable
from chargebus.common.routes.redis import RedisRouteTable

SIDES = (
    routes.RouteClaims,
    routes.RouteLookups,
    routes.RegistrationLookups,
    routes.RegistrationUpdates,
    routes.RememberedLogins,
)
LIFECYCLE = {"start", "close", "healthy"}


def members(port: type) -> set[str]:
    return {name for name in vars(port) if not name.startswith("_")}


def test_the_sides_split_the_table_without_overlap() -> None:
    seen: set[str] = set()
    for side in SIDES:
        assert not members(side) & seen, side.__name__
        seen |= members(side)
    assert set(routes.RouteTable.__mro__[1 : len(SIDES) + 1]) == set(SIDES)
    assert members(routes.RouteTable) == LIFECYCLE  # nothing only the whole table has


@pytest.mark.parametrize("adapter", [MemoryRouteTable, RedisRouteTable])
@pytest.mark.parametrize("side", SIDES, ids=lambda side: side.__name__)
def test_every_adapter_provides_every_side(adapter: type, side: type) -> None:
    for name in members(side):
        expected = inspect.signature(getattr(side, name))
        provided = inspect.signature(getattr(adapter, name))
        assert list(provided.parameters) == list(expected.parameters), f"{adapter.__name__}.{name}"
