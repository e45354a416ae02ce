"""What a charger's login costs the gateway, per security profile.

Runs the gateway's authenticator (chargebus.gateway.security) against an
in-memory route table holding the credentials, the way the handshake calls
it, and prints CPU microseconds per login:

* profile 0 (no credentials recorded);
* profile 1/2, the password's first login in this gateway process (one
  scrypt run, N=2^14, in a worker thread);
* profile 1/2, a password that passed before (an HMAC, no scrypt);
* profile 1/2, the first login here of a password another gateway checked
  (CHARGEBUS_LOGIN_CACHE_KEY: one route-table read and an HMAC);
* a wrong password for a charger whose password passed before (an HMAC);
* profile 3, a client certificate's O and CN checked (the chain is TLS's).

And what it means for a reconnect storm of N chargers after a gateway
restart (every first login pays scrypt once).

    .venv/bin/python bench/login.py [--logins 2000] [--storm 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import logging
import tempfile
import time
from pathlib import Path

from cryptography import x509
from prometheus_client import CollectorRegistry
from websockets.datastructures import Headers

from chargebus.common.routes.memory import MemoryRouteTable
from chargebus.common.security import Credentials, hash_password
from chargebus.gateway.handshake import Login, Refusal
from chargebus.gateway.security import ProfileAuthenticator
from chargebus.gateway.settings import GatewaySettings

PASSWORD = b"correct-horse-battery-staple-42"


def basic(charger_id: str, password: bytes) -> Headers:
    token = base64.b64encode(charger_id.encode() + b":" + password).decode()
    return Headers({"Authorization": f"Basic {token}"})


async def measure(label: str, logins: int, run: object) -> tuple[str, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    for n in range(logins):
        await run(n)  # type: ignore[operator]
    return (
        label,
        (time.process_time() - cpu) / logins * 1e6,
        (time.perf_counter() - wall) / logins * 1e6,
    )


def charger_certificate(serial_number: str) -> x509.Certificate:
    """A client certificate for ``serial_number`` from a throwaway test CA
    (tests/support/certs.py): setup, done before any clock starts."""
    with tempfile.TemporaryDirectory() as folder:
        import sys

        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "support"))
        from certs import ca, issue

        authority = ca(Path(folder))
        return issue(Path(folder), authority, serial_number).cert


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--logins", type=int, default=2000)
    parser.add_argument("--first-logins", type=int, default=40, help="(each runs scrypt)")
    parser.add_argument("--storm", type=int, default=10_000)
    args = parser.parse_args()

    logging.getLogger("chargebus.security").setLevel(logging.ERROR)  # the refusals below
    routes = MemoryRouteTable()
    await routes.set_registrations({}, complete=True)
    settings = GatewaySettings(
        operator_name="ACME CPO",
        login_slow_after=10**9,
        login_block_after=10**9,
        login_cache_key="s" * 40,
    )
    auth = ProfileAuthenticator(settings, routes, CollectorRegistry())
    # Another gateway with the same key, meeting the chargers auth checked.
    elsewhere = ProfileAuthenticator(settings, routes, CollectorRegistry())
    stored = hash_password(PASSWORD)
    first = args.first_logins
    records = {
        f"P1-{n}": Credentials(profile=1, passwords=(stored,)).encode() for n in range(first)
    }
    records["P1-cached"] = Credentials(profile=1, passwords=(stored,)).encode()
    records["P3"] = Credentials(profile=3, serial_number="SN-3").encode()
    await routes.set_credentials(records)

    cert = charger_certificate("SN-3")

    async def profile0(n: int) -> None:
        await auth.authenticate(Login(f"P0-{n}", Headers(), "10.0.0.1", tls=False))

    async def first_login(n: int) -> None:
        await auth.authenticate(Login(f"P1-{n}", basic(f"P1-{n}", PASSWORD), "10.0.0.1", tls=False))

    cached_headers = basic("P1-cached", PASSWORD)
    await auth.authenticate(Login("P1-cached", cached_headers, "10.0.0.1", tls=False))

    async def cached(n: int) -> None:
        await auth.authenticate(Login("P1-cached", cached_headers, "10.0.0.1", tls=False))

    wrong_headers = basic("P1-cached", b"wrong-wrong-wrong-wrong")

    async def wrong(n: int) -> None:
        try:
            await auth.authenticate(
                Login("P1-cached", wrong_headers, f"10.1.{n // 250}.{n % 250}", tls=False)
            )
        except Refusal:
            return
        raise AssertionError("a wrong password got in")

    async def shared(n: int) -> None:
        login = Login(f"P1-{n}", basic(f"P1-{n}", PASSWORD), "10.0.0.1", tls=False)
        await elsewhere.authenticate(login)

    async def profile3(n: int) -> None:
        await auth.authenticate(Login("P3", Headers(), "10.0.0.1", tls=True, client_cert=cert))

    rows = [
        await measure("profile 0 (no credentials)", args.logins, profile0),
        await measure("profile 1/2, first login (scrypt)", first, first_login),
        await measure("profile 1/2, known password", args.logins, cached),
        await measure("profile 1/2, known to another gateway", first, shared),
        await measure("wrong password, known charger", first, wrong),
        await measure("profile 3, certificate O/CN", args.logins, profile3),
    ]
    print(f"{'login':40} {'CPU us':>10} {'wall us':>10}")
    for label, cpu, wall in rows:
        print(f"{label:40} {cpu:10.1f} {wall:10.1f}")
    storm = args.storm
    print(
        f"\na reconnect storm of {storm} profile 1/2 chargers right after a gateway restart "
        f"costs that gateway about {storm * rows[1][1] / 1e6:.0f} s of CPU in scrypt "
        f"(spread over its worker threads and cores); with a shared login cache key "
        f"{storm * rows[3][1] / 1e6:.2f} s; the next storm on the same process "
        f"{storm * rows[2][1] / 1e6:.2f} s"
    )


if __name__ == "__main__":
    asyncio.run(main())
