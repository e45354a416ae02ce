"""The route table contract: in memory and in Redis, the newest connection wins."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from chargebus.common.routes import Registration, RouteTable
from chargebus.common.routes.memory import MemoryRouteTable
from chargebus.common.routes.redis import RedisRouteTable, RouteTableUnavailable

TTL = 0.4


@pytest.fixture(params=["memory", "redis"])
async def table(request: pytest.FixtureRequest) -> AsyncIterator[RouteTable]:
    if request.param == "memory":
        memory = MemoryRouteTable(ttl=TTL)
        yield memory
        return
    url = await request.getfixturevalue("clean_redis")()
    redis_table = RedisRouteTable(url, ttl=TTL)
    await redis_table.start()
    yield redis_table
    await redis_table.close()


async def lose_everything(table: RouteTable, request: pytest.FixtureRequest) -> None:
    """What a Redis restart without persistence does."""
    if isinstance(table, MemoryRouteTable):
        table.forget_everything()
    else:
        await request.getfixturevalue("clean_redis")()


async def test_each_connection_gets_a_newer_epoch_and_the_newest_wins(table: RouteTable) -> None:
    a = await table.claim("CP-1", "gw-a", "ocpp1.6", 1.0)
    b = await table.claim("CP-1", "gw-b", "ocpp2.0.1", 2.0)
    assert b.epoch == a.epoch + 1
    assert await table.lookup("CP-1") == b
    assert await table.lookup("CP-unknown") is None


async def test_thousands_of_calls_at_once_wait_for_a_connection_rather_than_fail(
    table: RouteTable,
) -> None:
    """A reconnect storm: every new socket claims its route and reads its
    registration and credentials at once.  More calls in flight than the
    client keeps connections must queue for one, not fail (a failure reads
    as "route table away": registration guessed, credentials refused)."""
    await table.set_registrations({"CP-0": "Accepted"}, complete=True)
    ids = [f"CP-{n}" for n in range(2000)]
    routes = await asyncio.gather(*(table.claim(c, "gw-a", "ocpp1.6", 1.0) for c in ids))
    registrations = await asyncio.gather(*(table.registration(c) for c in ids))
    credentials = await asyncio.gather(*(table.credentials(c) for c in ids))
    assert [r.charger_id for r in routes] == ids
    assert [r.state for r in registrations] == ["Accepted"] + [None] * 1999
    assert credentials == [None] * 2000


async def test_a_stale_owner_can_neither_refresh_nor_remove_a_newer_route(
    table: RouteTable,
) -> None:
    old = await table.claim("CP-1", "gw-a", "ocpp1.6", 1.0)
    new = await table.claim("CP-1", "gw-b", "ocpp1.6", 2.0)
    assert await table.refresh(old) is False
    assert await table.release(old) is False
    assert await table.lookup("CP-1") == new
    assert await table.refresh(new) is True
    assert await table.release(new) is True
    assert await table.lookup("CP-1") is None


async def test_the_same_gateway_reconnecting_also_fences_its_old_socket(table: RouteTable) -> None:
    old = await table.claim("CP-1", "gw-a", "ocpp1.6", 1.0)
    new = await table.claim("CP-1", "gw-a", "ocpp1.6", 2.0)
    assert await table.refresh(old) is False
    assert await table.refresh(new) is True


async def test_routes_expire_unless_refreshed(table: RouteTable) -> None:
    kept = await table.claim("CP-1", "gw-a", "ocpp1.6", 1.0)
    await table.claim("CP-2", "gw-a", "ocpp1.6", 1.0)
    for _ in range(3):
        await asyncio.sleep(TTL / 2)
        assert await table.refresh(kept) is True
    assert await table.lookup("CP-1") == kept
    assert await table.lookup("CP-2") is None  # its pod died: nobody refreshed it


async def test_a_lost_route_is_restored_by_its_owner(
    table: RouteTable, request: pytest.FixtureRequest
) -> None:
    route = await table.claim("CP-1", "gw-a", "ocpp1.6", 1.0)
    await lose_everything(table, request)
    assert await table.lookup("CP-1") is None
    assert await table.refresh(route) is True
    assert await table.lookup("CP-1") == route
    newer = await table.claim("CP-1", "gw-b", "ocpp1.6", 2.0)
    assert newer.epoch > route.epoch  # the counter was restored with the route


async def test_after_a_restart_the_newer_of_two_sockets_wins_whoever_refreshes_first(
    table: RouteTable, request: pytest.FixtureRequest
) -> None:
    old = await table.claim("CP-1", "gw-a", "ocpp1.6", 1.0)
    new = await table.claim("CP-1", "gw-b", "ocpp1.6", 2.0)
    await lose_everything(table, request)
    assert await table.refresh(old) is True  # nobody knows better yet
    assert await table.refresh(new) is True  # the newer epoch takes over
    assert await table.refresh(old) is False  # and the old socket learns it lost
    assert await table.lookup("CP-1") == new


async def test_an_expired_route_is_not_restored_once_the_charger_moved_on(
    table: RouteTable,
) -> None:
    old = await table.claim("CP-1", "gw-a", "ocpp1.6", 1.0)
    await table.claim("CP-1", "gw-b", "ocpp1.6", 2.0)
    await asyncio.sleep(TTL * 1.5)  # gw-b died; its route expired
    assert await table.refresh(old) is False


async def test_refresh_many_answers_per_route(table: RouteTable) -> None:
    a = await table.claim("CP-1", "gw-a", "ocpp1.6", 1.0)
    b = await table.claim("CP-2", "gw-a", "ocpp1.6", 1.0)
    await table.claim("CP-2", "gw-b", "ocpp1.6", 2.0)
    assert await table.refresh_many([a, b]) == [True, False]
    assert await table.refresh_many([]) == []


async def test_a_claim_outranks_every_route_even_after_the_counter_was_lost(
    table: RouteTable, request: pytest.FixtureRequest
) -> None:
    old = await table.claim("CP-1", "gw-a", "ocpp1.6", 1.0)
    live = await table.claim("CP-1", "gw-b", "ocpp1.6", 2.0)
    await lose_everything(table, request)
    assert await table.refresh(old) is True  # restores epoch 1 first
    assert await table.refresh(live) is True  # epoch 2 takes over
    newest = await table.claim("CP-1", "gw-c", "ocpp1.6", 3.0)
    assert newest.epoch > live.epoch
    assert await table.refresh(live) is False  # the live-but-older socket loses
    assert await table.refresh(newest) is True
    assert await table.lookup("CP-1") == newest


async def test_a_claim_goes_above_a_floor_the_caller_knows_was_used(
    table: RouteTable, request: pytest.FixtureRequest
) -> None:
    held = await table.claim("CP-1", "gw-a", "ocpp1.6", 1.0)
    held = await table.claim("CP-1", "gw-a", "ocpp1.6", 1.0)  # epoch 2 on this pod
    await lose_everything(table, request)
    newer = await table.claim("CP-1", "gw-a", "ocpp1.6", 2.0, floor=held.epoch)
    assert newer.epoch > held.epoch


async def test_a_late_claim_yields_to_a_connection_that_started_later(table: RouteTable) -> None:
    assert await table.claim_unless_newer("CP-1", "gw-a", "ocpp1.6", 5.0) is not None  # free
    newer = await table.claim("CP-1", "gw-b", "ocpp1.6", 10.0)
    assert await table.claim_unless_newer("CP-1", "gw-a", "ocpp1.6", 7.0) is None
    assert await table.lookup("CP-1") == newer
    later = await table.claim_unless_newer("CP-1", "gw-c", "ocpp1.6", 12.0)
    assert later is not None and later.epoch > newer.epoch


async def test_lookup_many_answers_per_charger_in_order(table: RouteTable) -> None:
    a = await table.claim("CP-1", "gw-a", "ocpp1.6", 1.0)
    c = await table.claim("CP-3", "gw-b", "ocpp2.0.1", 1.0)
    assert await table.lookup_many(["CP-1", "CP-2", "CP-3"]) == [a, None, c]
    assert await table.lookup_many([]) == []


async def test_registration_states_are_kept_without_expiry(table: RouteTable) -> None:
    await table.set_registrations({"CP-1": "Pending", "CP-2": "Accepted"}, complete=True)
    assert await table.registrations_complete()
    await table.set_registrations({"CP-1": "Accepted"})
    await table.set_registrations({})
    await asyncio.sleep(TTL * 1.5)  # routes expire; registrations don't
    assert (await table.registration("CP-1")).state == "Accepted"
    assert (await table.registration("CP-2")).state == "Accepted"
    assert (await table.registration("CP-3")).state is None


async def test_the_heartbeat_interval_is_kept_with_the_completeness_mark(
    table: RouteTable,
) -> None:
    """Gateways answer an accepted charger's boot with the interval the
    sessions service wrote with its full write; none given, none read."""
    await table.set_registrations({"CP-1": "Accepted"}, complete=True)
    assert await table.registration("CP-1") == Registration(state="Accepted")
    await table.set_registrations({}, complete=True, heartbeat_interval=300)
    assert await table.registration("CP-1") == Registration(
        state="Accepted", heartbeat_interval=300
    )
    assert await table.registration("CP-2") == Registration(state=None, heartbeat_interval=300)
    await table.set_registrations({"CP-2": "Pending"})  # a single write keeps it
    assert await table.registration("CP-2") == Registration(state="Pending", heartbeat_interval=300)


async def test_registrations_not_all_written_read_as_unavailable(
    table: RouteTable, request: pytest.FixtureRequest
) -> None:
    """Until a full write completes (and again after Redis lost its data) a
    gateway can't tell "unknown charger" from "forgotten": it must not guess."""
    await table.set_registrations({"CP-1": "Accepted"})
    assert not await table.registrations_complete()
    with pytest.raises(RouteTableUnavailable):
        await table.registration("CP-1")
    await table.set_registrations({}, complete=True)
    assert (await table.registration("CP-1")).state == "Accepted"
    await lose_everything(table, request)
    assert not await table.registrations_complete()
    with pytest.raises(RouteTableUnavailable):
        await table.registration("CP-1")


async def test_credentials_are_kept_removed_and_unavailable_until_complete(
    table: RouteTable, request: pytest.FixtureRequest
) -> None:
    """The gateway must not let a charger in unchecked because Redis lost
    its credentials: until the sessions service wrote them all, reading
    one raises (the gateway answers 503 and the charger retries)."""
    await table.set_credentials({"CP-1": b'{"profile":1}', "CP-2": b'{"profile":2}'})
    with pytest.raises(RouteTableUnavailable):
        await table.credentials("CP-1")
    await table.set_registrations({}, complete=True)
    await asyncio.sleep(TTL * 1.5)  # no expiry
    assert await table.credentials("CP-1") == b'{"profile":1}'
    assert await table.credentials("CP-3") is None
    await table.set_credentials({"CP-1": None, "CP-2": b'{"profile":3}'})
    await table.set_credentials({})
    assert await table.credentials("CP-1") is None
    assert await table.credentials("CP-2") == b'{"profile":3}'
    await lose_everything(table, request)
    with pytest.raises(RouteTableUnavailable):
        await table.credentials("CP-2")


async def test_remembered_logins_expire(table: RouteTable) -> None:
    assert await table.remembered_login("CP-1") is None
    await table.remember_login("CP-1", b"k1:h1:proof", ttl=TTL)
    await table.remember_login("CP-2", b"k1:h2:proof", ttl=60)
    assert await table.remembered_login("CP-1") == b"k1:h1:proof"
    await table.remember_login("CP-1", b"k1:h3:newer", ttl=TTL)
    assert await table.remembered_login("CP-1") == b"k1:h3:newer"
    await asyncio.sleep(TTL * 1.5)
    assert await table.remembered_login("CP-1") is None
    assert await table.remembered_login("CP-2") == b"k1:h2:proof"
