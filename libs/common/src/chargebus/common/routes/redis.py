"""The Redis route table: the production path.

Keys (``{id}`` is the charger id):

* ``chargebus:epoch:{id}``: the charger's epoch counter (INCR);
* ``chargebus:route:{id}``: a hash ``instance, epoch, protocol, connected_at``
  with a TTL, refreshed by its owner;
* ``chargebus:registration:{id}``: the charger's registration state (no TTL);
* ``chargebus:credentials:{id}``: the charger's security profile and
  password hashes (no TTL; written by the sessions service);
* ``chargebus:login:{id}``: a keyed digest of the password a gateway saw
  pass the slow hash (with a TTL; see chargebus.gateway.security);
* ``chargebus:registrations:complete``: set once every state is written (a
  Redis that lost its data lacks it, and gateways then fail open on
  registration and closed on credentials); its value is the heartbeat
  interval of an accepted boot (``none`` when the writer didn't give one).

Every change is a Lua script, so each check-and-set is atomic (the
compare-and-delete lock pattern of Redis's documentation, extended to
refresh and restore).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from chargebus.common.routes import Registration, Route, RouteTableUnavailable

__all__ = ["RedisRouteTable", "RouteTableUnavailable"]


# ARGV: instance, protocol, connected_at, ttl_ms, floor, unless_newer (0/1).
# Returns the new epoch, or 0 when unless_newer is set and the route held
# now belongs to a connection that started later than this one.
_CLAIM = """
if ARGV[6] == '1' then
  local theirs = redis.call('HGET', KEYS[2], 'connected_at')
  if theirs and tonumber(theirs) > tonumber(ARGV[3]) then return 0 end
end
local epoch = redis.call('INCR', KEYS[1])
local current = tonumber(redis.call('HGET', KEYS[2], 'epoch') or '0')
local floor = tonumber(ARGV[5])
if current >= epoch or floor >= epoch then
  -- the counter fell behind a route or an epoch the caller knows was used
  -- (Redis lost or evicted it): move past both
  epoch = math.max(current, floor) + 1
  redis.call('SET', KEYS[1], epoch)
end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[2], 'instance', ARGV[1], 'epoch', epoch,
           'protocol', ARGV[2], 'connected_at', ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return epoch
"""

# ARGV: instance, epoch, protocol, connected_at, ttl_ms.  1 = kept, 0 = lost.
_REFRESH = """
local current = redis.call('HMGET', KEYS[2], 'instance', 'epoch')
local mine = tonumber(ARGV[2])
local counter = tonumber(redis.call('GET', KEYS[1]) or '0')
if current[2] then
  local theirs = tonumber(current[2])
  if theirs > mine then return 0 end
  if theirs == mine and current[1] ~= ARGV[1] then return 0 end
elseif counter > mine then
  return 0
end
-- the counter never stays behind a live route, so the next claim outranks it
if counter < mine then redis.call('SET', KEYS[1], mine) end
redis.call('HSET', KEYS[2], 'instance', ARGV[1], 'epoch', ARGV[2],
           'protocol', ARGV[3], 'connected_at', ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return 1
"""

_RELEASE = """
local current = redis.call('HMGET', KEYS[1], 'instance', 'epoch')
if current[1] == ARGV[1] and current[2] == ARGV[2] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


_COMPLETE = "chargebus:registrations:complete"

#: Connections to Redis per process, and how long a call waits for one (s).
POOL_SIZE = 100
POOL_WAIT = 10.0


def _interval(mark: bytes) -> int | None:
    """The heartbeat interval kept in the completeness mark (``none``: none)."""
    try:
        value = int(mark)
    except ValueError:
        return None
    return value if value > 0 else None


def _keys(charger_id: str) -> tuple[str, str]:
    return f"chargebus:epoch:{charger_id}", f"chargebus:route:{charger_id}"


class RedisRouteTable:
    def __init__(self, url: str, ttl: float = 90.0) -> None:
        self.url = url
        self.ttl_ms = int(ttl * 1000)
        self._redis: aioredis.Redis | None = None
        self._healthy = False

    async def start(self) -> None:
        # A blocking pool: in a reconnect storm thousands of sockets claim
        # their routes and read their states at once; past POOL_SIZE calls in
        # flight they wait for a connection (up to POOL_WAIT s) instead of
        # failing with "Too many connections", which read as "route table
        # away" (registrations guessed, credentials refused with 503).
        pool = aioredis.BlockingConnectionPool.from_url(
            self.url,
            max_connections=POOL_SIZE,
            timeout=POOL_WAIT,
            socket_connect_timeout=5,
            socket_timeout=5,
            health_check_interval=30,
            # A pooled connection Redis dropped (a restart) fails its next
            # command: try that once more, at once, on a fresh connection.
            retry=Retry(NoBackoff(), 1),
        )
        self._redis = aioredis.Redis.from_pool(pool)
        self._claim = self._redis.register_script(_CLAIM)
        self._refresh = self._redis.register_script(_REFRESH)
        self._release = self._redis.register_script(_RELEASE)
        await self._call(self._redis.ping())

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None

    @property
    def healthy(self) -> bool:
        return self._redis is not None and self._healthy

    async def _call(self, awaitable: Any) -> Any:
        try:
            result = await awaitable
        except (RedisError, OSError) as exc:
            self._healthy = False
            raise RouteTableUnavailable(str(exc)) from exc
        self._healthy = True
        return result

    async def claim(
        self, charger_id: str, instance: str, protocol: str, connected_at: float, *, floor: int = 0
    ) -> Route:
        route = await self._claim_route(charger_id, instance, protocol, connected_at, floor, False)
        assert route is not None
        return route

    async def claim_unless_newer(
        self, charger_id: str, instance: str, protocol: str, connected_at: float
    ) -> Route | None:
        return await self._claim_route(charger_id, instance, protocol, connected_at, 0, True)

    async def _claim_route(
        self,
        charger_id: str,
        instance: str,
        protocol: str,
        connected_at: float,
        floor: int,
        unless_newer: bool,
    ) -> Route | None:
        args: list[str | int | float] = [
            instance,
            protocol,
            connected_at,
            self.ttl_ms,
            floor,
            int(unless_newer),
        ]
        epoch = await self._call(self._claim(keys=_keys(charger_id), args=args))
        if not epoch:
            return None
        return Route(
            charger_id=charger_id,
            instance=instance,
            epoch=int(epoch),
            protocol=protocol,
            connected_at=connected_at,
        )

    def _refresh_args(self, route: Route) -> list[Any]:
        return [route.instance, route.epoch, route.protocol, route.connected_at, self.ttl_ms]

    async def refresh(self, route: Route) -> bool:
        kept = await self._call(
            self._refresh(keys=_keys(route.charger_id), args=self._refresh_args(route))
        )
        return bool(kept)

    async def refresh_many(self, routes: Sequence[Route]) -> list[bool]:
        if not routes:
            return []
        assert self._redis is not None
        # As a context, so a failed pipeline gives its connection back.
        async with self._redis.pipeline(transaction=False) as pipe:
            for route in routes:
                await self._refresh(
                    keys=_keys(route.charger_id), args=self._refresh_args(route), client=pipe
                )
            results = await self._call(pipe.execute())
        return [bool(r) for r in results]

    async def release(self, route: Route) -> bool:
        removed = await self._call(
            self._release(keys=[_keys(route.charger_id)[1]], args=[route.instance, route.epoch])
        )
        return bool(removed)

    async def lookup(self, charger_id: str) -> Route | None:
        assert self._redis is not None
        data = await self._call(self._redis.hgetall(_keys(charger_id)[1]))
        return _route(charger_id, data)

    async def lookup_many(self, charger_ids: Sequence[str]) -> list[Route | None]:
        if not charger_ids:
            return []
        assert self._redis is not None
        async with self._redis.pipeline(transaction=False) as pipe:
            for charger_id in charger_ids:
                pipe.hgetall(_keys(charger_id)[1])
            results = await self._call(pipe.execute())
        return [_route(c, data) for c, data in zip(charger_ids, results, strict=True)]

    async def registration(self, charger_id: str) -> Registration:
        assert self._redis is not None
        complete, value = await self._call(
            self._redis.mget(_COMPLETE, f"chargebus:registration:{charger_id}")
        )
        if complete is None:
            raise RouteTableUnavailable("registration states not written (Redis lost them?)")
        return Registration(
            state=value.decode() if value is not None else None,
            heartbeat_interval=_interval(complete),
        )

    async def set_registrations(
        self,
        states: Mapping[str, str],
        *,
        complete: bool = False,
        heartbeat_interval: int | None = None,
    ) -> None:
        assert self._redis is not None
        values = {f"chargebus:registration:{c}": s for c, s in states.items()}
        if complete:
            values[_COMPLETE] = str(heartbeat_interval) if heartbeat_interval else "none"
        if values:
            await self._call(self._redis.mset(values))

    async def registrations_complete(self) -> bool:
        assert self._redis is not None
        return bool(await self._call(self._redis.exists(_COMPLETE)))

    async def credentials(self, charger_id: str) -> bytes | None:
        assert self._redis is not None
        complete, value = await self._call(
            self._redis.mget(_COMPLETE, f"chargebus:credentials:{charger_id}")
        )
        if complete is None:
            raise RouteTableUnavailable("credentials not written (Redis lost them?)")
        return bytes(value) if value is not None else None

    async def remembered_login(self, charger_id: str) -> bytes | None:
        assert self._redis is not None
        value = await self._call(self._redis.get(f"chargebus:login:{charger_id}"))
        return bytes(value) if value is not None else None

    async def remember_login(self, charger_id: str, proof: bytes, ttl: float) -> None:
        assert self._redis is not None
        await self._call(
            self._redis.set(f"chargebus:login:{charger_id}", proof, px=max(1, int(ttl * 1000)))
        )

    async def set_credentials(self, records: Mapping[str, bytes | None]) -> None:
        assert self._redis is not None
        if not records:
            return
        async with self._redis.pipeline(transaction=False) as pipe:  # released if it fails
            for charger_id, record in records.items():
                key = f"chargebus:credentials:{charger_id}"
                if record is None:
                    pipe.delete(key)
                else:
                    pipe.set(key, record)
            await self._call(pipe.execute())


def _route(charger_id: str, data: dict[bytes, bytes]) -> Route | None:
    if not data:
        return None
    fields = {k.decode(): v.decode() for k, v in data.items()}
    return Route(
        charger_id=charger_id,
        instance=fields["instance"],
        epoch=int(fields["epoch"]),
        protocol=fields["protocol"],
        connected_at=float(fields["connected_at"]),
    )
