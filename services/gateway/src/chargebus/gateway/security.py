"""Security profiles, checked before the upgrade (OCPP Security White Paper
§2, 2.0.1 part 2 A00/A01; docs/security.md).

Each charger has one profile, recorded with it by the sessions service and
read here from the route table:

* 1: HTTP Basic over ws; 2: HTTP Basic over wss; 3: mutual TLS.  (0: no
  credentials, allowed only while ``CHARGEBUS_MIN_SECURITY_PROFILE`` is 0.)
* A connection using any other profile than the charger's is refused, so a
  charger is never let in below its profile.
* Basic: the user must be the charger id (A00.FR.204); the password is
  checked against salted scrypt hashes.  A password that passed once is
  remembered by a keyed digest in this process, so a charger reconnecting
  costs no scrypt run (a reconnect storm would otherwise burn ~50 ms of CPU
  per charger); a rotation's pending password is accepted beside the
  current one.
* mTLS: the chain is checked by TLS itself against ``CHARGEBUS_TLS_CLIENT_CA``
  (an unknown or expired certificate fails the TLS handshake: there is no
  HTTP to answer), then here: organisation = ``CHARGEBUS_OPERATOR_NAME``
  (A00.FR.404), common name = the charger's serial number (A00.FR.405).
  Behind a TLS-terminating proxy the verified certificate arrives in a
  header, trusted only from ``CHARGEBUS_TRUSTED_PROXIES``; its chain and
  dates are then checked here too.
* Credentials that can't be read (Redis away or lost its data): with a
  minimum profile of 1 or more the charger is refused with 503 and retries
  (fail closed); with the minimum at 0 it is let in as profile 0.
* Failed logins per charger id and per address are slowed down, then
  blocked for a while; every refusal is a security event: one log line on
  the ``chargebus.security`` logger and a count by reason.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hashlib
import hmac
import ipaddress
import logging
import os
import time
from collections import OrderedDict
from collections.abc import Sequence
from datetime import UTC, datetime
from http import HTTPStatus
from typing import NoReturn
from urllib.parse import unquote

import msgspec
from cryptography import x509
from cryptography.x509.oid import NameOID
from prometheus_client import CollectorRegistry, Counter
from websockets.datastructures import Headers

from chargebus.common.routes import RouteTable, RouteTableUnavailable
from chargebus.common.security import Credentials, PasswordHash, login_secrets, verify_password
from chargebus.gateway.handshake import Admission, Login, Refusal
from chargebus.gateway.settings import GatewaySettings

__all__ = ["LoginThrottle", "ProfileAuthenticator", "load_ca_certificates", "proxied_certificate"]

log = logging.getLogger("chargebus.security")

_VERIFIED_CACHE = 200_000


class LoginThrottle:
    """Failed logins per key (a charger id, an address) in a sliding window:
    from ``slow_after`` failures each answer is delayed (1 s, 2 s, 4 s …
    at most 10 s); from ``block_after`` the key is blocked for
    ``block_seconds``.  A success clears the charger id's count.  Per
    gateway process; bounded (the oldest keys are forgotten first)."""

    def __init__(
        self,
        slow_after: int,
        block_after: int,
        window: float,
        block_seconds: float,
        *,
        max_keys: int = 100_000,
    ) -> None:
        self.slow_after = slow_after
        self.block_after = block_after
        self.window = window
        self.block_seconds = block_seconds
        self.max_keys = max_keys
        self._failures: OrderedDict[str, list[float]] = OrderedDict()
        self._blocked: dict[str, float] = {}

    def blocked_for(self, key: str, now: float) -> float:
        """Seconds ``key`` stays blocked (0: not blocked)."""
        until = self._blocked.get(key)
        if until is None:
            return 0.0
        if now >= until:
            del self._blocked[key]
            self._failures.pop(key, None)
            return 0.0
        return until - now

    def fail(self, key: str, now: float) -> float:
        """Count a failure; the delay to impose before answering."""
        times = [t for t in self._failures.pop(key, []) if now - t < self.window]
        times.append(now)
        self._failures[key] = times
        while len(self._failures) > self.max_keys:
            self._failures.popitem(last=False)
        if len(times) >= self.block_after:
            self._blocked[key] = now + self.block_seconds
            if len(self._blocked) > self.max_keys:
                oldest = min(self._blocked, key=self._blocked.__getitem__)
                del self._blocked[oldest]
        over = len(times) - self.slow_after
        return 0.0 if over < 0 else min(10.0, 2.0**over)

    def succeed(self, key: str) -> None:
        self._failures.pop(key, None)


class ProfileAuthenticator:
    def __init__(
        self,
        settings: GatewaySettings,
        routes: RouteTable,
        registry: CollectorRegistry,
        *,
        ca_certificates: Sequence[x509.Certificate] = (),
    ) -> None:
        self.settings = settings
        self.routes = routes
        self.ca_certificates = list(ca_certificates)
        self.throttle = LoginThrottle(
            settings.login_slow_after,
            settings.login_block_after,
            settings.login_window,
            settings.login_block_seconds,
        )
        self.refusals = Counter(
            "chargebus_gateway_security_events_total",
            "Chargers refused before the upgrade, by reason (each one a security event)",
            ["reason"],
            registry=registry,
        )
        self.logins = Counter(
            "chargebus_gateway_logins_total",
            "Chargers let in, by security profile",
            ["profile"],
            registry=registry,
        )
        self.checks = Counter(
            "chargebus_gateway_password_checks_total",
            "Basic passwords checked, by how: scrypt, remembered by this process, or "
            "remembered by another gateway (shared, with CHARGEBUS_LOGIN_CACHE_KEY)",
            ["how"],
            registry=registry,
        )
        # Passwords that passed scrypt once: (charger, hash id) -> keyed
        # digest of the password.  The key never leaves this process.
        self._key = os.urandom(32)
        self._verified: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._profiles: OrderedDict[str, bool] = OrderedDict()
        # At most this many scrypt runs at once: a flood of wrong passwords
        # for unknown-to-this-process chargers queues instead of taking
        # every core.
        self._scrypt = asyncio.Semaphore(max(1, (os.cpu_count() or 1)))
        # Shared by the gateways through the route table when they share a
        # key: a charger's first login at this gateway, or after a restart
        # (the reconnect storm), costs no scrypt run.  The key's id tells
        # entries made with another key apart.
        shared = settings.login_cache_key
        self._shared_key = (
            hashlib.sha256(b"chargebus login cache|" + shared.encode()).digest() if shared else None
        )
        self._shared_id = (
            hmac.new(self._shared_key, b"key id", hashlib.sha256).hexdigest()[:8]
            if self._shared_key
            else ""
        )

    async def authenticate(self, login: Login) -> Admission:
        # Counted per charger id *and* address: a charger with a wrong
        # password, or someone guessing, slows down and blocks only that
        # pair, never the charger logging in from its own address, nor every
        # charger behind one proxy or NAT address (docs/security.md).
        key = f"{login.charger_id}|{_network(login.address)}"
        now = time.monotonic()
        blocked = self.throttle.blocked_for(key, now)
        if blocked:
            self._event(login, "blocked", "too many failed logins")
            raise Refusal(
                HTTPStatus.TOO_MANY_REQUESTS,
                "too many failed logins; try again later",
                headers={"Retry-After": str(int(blocked) + 1)},
            )
        try:
            return await self._check(login)
        except Refusal as refusal:
            if refusal.counts_as_failure:
                delay = self.throttle.fail(key, now)
                if delay:
                    await asyncio.sleep(delay)
            raise

    async def _check(self, login: Login) -> Admission:
        try:
            record = await self.routes.credentials(login.charger_id)
        except RouteTableUnavailable as exc:
            if self.settings.min_security_profile == 0 and not self._profiles.get(login.charger_id):
                # Chargers without credentials may connect anyway (a trusted
                # network, as the registration gate fails open); one this
                # gateway has seen with a profile may not.
                log.warning("credentials of %s unreadable (%s): let in", login.charger_id, exc)
                return Admission(profile=0)
            # Fail closed: the charger retries; nobody gets in unchecked.
            self._event(login, "credentials_unavailable", str(exc), level=logging.ERROR)
            raise Refusal(
                HTTPStatus.SERVICE_UNAVAILABLE,
                "credentials can't be checked right now; retry",
                counts_as_failure=False,
            ) from None
        used = 3 if login.client_cert is not None else 2 if login.tls else 1
        self._note_profile(login.charger_id, record)
        if record is None:
            if self.settings.min_security_profile == 0:
                return Admission(profile=0)
            self._fail(login, "unknown_charger", "no credentials for this charger id", 401)
        try:
            credentials = Credentials.decode(record)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            self._event(login, "bad_record", f"unreadable credentials record: {exc}", logging.ERROR)
            raise Refusal(
                HTTPStatus.SERVICE_UNAVAILABLE, "credentials can't be checked right now; retry"
            ) from None
        profile = credentials.profile
        if profile < self.settings.min_security_profile:
            self._fail(
                login,
                "profile_below_minimum",
                f"profile {profile} is below this CSMS's minimum "
                f"{self.settings.min_security_profile}",
                403,
            )
        if profile == 0:
            return Admission(profile=0)
        if used != profile:
            self._fail(login, "wrong_profile", _wrong_profile(profile, used), 403)
        if profile == 3:
            assert login.client_cert is not None
            self._check_certificate(login, login.client_cert, credentials)
            self.throttle.succeed(f"id:{login.charger_id}")
            self.logins.labels("3").inc()
            return Admission(profile=3)
        matched = await self._check_password(login, credentials)
        self.throttle.succeed(f"id:{login.charger_id}")
        self.logins.labels(str(profile)).inc()
        return Admission(profile=profile, password_id=matched.id, pending=matched.pending)

    async def _check_password(self, login: Login, credentials: Credentials) -> PasswordHash:
        values = login.headers.get_all("Authorization")
        if len(values) != 1:
            self._fail(login, "no_credentials", "one HTTP Basic Authorization header required", 401)
        header = values[0]
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            self._fail(login, "no_credentials", "HTTP Basic credentials required", 401)
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            self._fail(login, "bad_header", "malformed Basic credentials", 401)
        user, colon, password = decoded.partition(b":")
        if not colon or user != login.charger_id.encode():
            # A00.FR.204: the user must be the charger id the URL names.
            self._fail(login, "wrong_user", "the user is not this charger's id", 401)
        candidates = login_secrets(password, credentials.hex_key)
        shared = await self._shared_proof(login.charger_id)
        for stored in credentials.passwords:
            cache_key = (login.charger_id, stored.id)
            remembered = self._verified.get(cache_key)
            for secret in candidates:
                digest = hmac.new(self._key, secret, hashlib.sha256).digest()
                if remembered is not None:
                    # The secret that passed for this hash is known here: any
                    # other is wrong, without running scrypt.
                    if hmac.compare_digest(remembered, digest):
                        self.checks.labels("remembered").inc()
                        return stored
                    continue
                if shared is not None and shared[0] == stored.id:
                    expected = self._shared_digest(login.charger_id, stored.id, secret)
                    if hmac.compare_digest(shared[1], expected):
                        self.checks.labels("shared").inc()
                        self._remember(cache_key, digest)
                        return stored
                    continue
                self.checks.labels("scrypt").inc()
                async with self._scrypt:
                    passed = await asyncio.to_thread(verify_password, secret, stored)
                if passed:
                    self._remember(cache_key, digest)
                    await self._share(login.charger_id, stored.id, secret)
                    return stored
        self._fail(login, "wrong_password", "wrong password", 401)

    def _note_profile(self, charger_id: str, record: bytes | None) -> None:
        """Remember who has a profile, so that a route table that lost the
        credentials doesn't let them in as profile 0 (bounded)."""
        if record is None:
            self._profiles.pop(charger_id, None)
            return
        self._profiles[charger_id] = True
        self._profiles.move_to_end(charger_id)
        while len(self._profiles) > _VERIFIED_CACHE:
            self._profiles.popitem(last=False)

    def _remember(self, cache_key: tuple[str, str], digest: bytes) -> None:
        self._verified[cache_key] = digest
        while len(self._verified) > _VERIFIED_CACHE:
            self._verified.popitem(last=False)

    def _shared_digest(self, charger_id: str, hash_id: str, secret: bytes) -> bytes:
        """Bound to the charger and the password's hash: equal passwords
        don't show as equal digests, and no digest stands in for another."""
        assert self._shared_key is not None
        message = b"\0".join((charger_id.encode(), hash_id.encode(), secret))
        return hmac.new(self._shared_key, message, hashlib.sha256).digest()

    async def _shared_proof(self, charger_id: str) -> tuple[str, bytes] | None:
        """(hash id, digest) another gateway remembered, made with our key."""
        if self._shared_key is None:
            return None
        try:
            value = await self.routes.remembered_login(charger_id)
        except RouteTableUnavailable:
            return None
        if value is None:
            return None
        key_id, _, rest = value.partition(b":")
        hash_id, _, digest = rest.partition(b":")
        if key_id.decode(errors="replace") != self._shared_id or len(digest) != 32:
            return None  # made with another key: scrypt decides
        return hash_id.decode(errors="replace"), digest

    async def _share(self, charger_id: str, hash_id: str, secret: bytes) -> None:
        if self._shared_key is None:
            return
        digest = self._shared_digest(charger_id, hash_id, secret)
        proof = f"{self._shared_id}:{hash_id}:".encode() + digest
        with contextlib.suppress(RouteTableUnavailable):  # else: scrypt once more elsewhere
            await self.routes.remember_login(charger_id, proof, self.settings.login_cache_ttl)

    def _check_certificate(
        self, login: Login, cert: x509.Certificate, credentials: Credentials
    ) -> None:
        if login.proxied:
            # The proxy says it verified the chain; check it again here: a
            # header is only as good as the proxy's configuration.
            problem = _chain_problem(cert, self.ca_certificates)
            if problem:
                self._fail(login, "bad_certificate", problem, 403)
        organisation = _name(cert, NameOID.ORGANIZATION_NAME)
        expected_o = self.settings.operator_name
        if not expected_o or organisation != expected_o:
            self._fail(
                login,
                "wrong_organisation",
                f"certificate organisation {organisation!r} is not the operator's",
                403,
            )
        common_name = _name(cert, NameOID.COMMON_NAME)
        serial = credentials.serial_number or login.charger_id
        if common_name != serial:
            self._fail(
                login,
                "wrong_common_name",
                f"certificate common name {common_name!r} is not this charger's serial number",
                403,
            )

    def _fail(self, login: Login, reason: str, message: str, status: int) -> NoReturn:
        """Refuse, saying why only in the log: the answer is the same for an
        unknown charger, a wrong user and a wrong password (ids can't be
        probed by what the answer says)."""
        self._event(login, reason, message)
        if status == 401:
            raise Refusal(
                HTTPStatus.UNAUTHORIZED,
                "authentication failed",
                headers={"WWW-Authenticate": 'Basic realm="chargebus", charset="UTF-8"'},
            )
        raise Refusal(HTTPStatus(status), "this connection is not allowed for this charger")

    def _event(self, login: Login, reason: str, message: str, level: int = logging.WARNING) -> None:
        self.refusals.labels(reason).inc()
        log.log(
            level,
            "security event: charger %s from %s refused (%s): %s",
            login.charger_id,
            login.address,
            reason,
            message,
            extra={
                "security_event": reason,
                "charger_id": login.charger_id,
                "address": login.address,
            },
        )


def _wrong_profile(profile: int, used: int) -> str:
    wanted = {1: "HTTP Basic over ws", 2: "HTTP Basic over wss", 3: "a TLS client certificate"}
    return f"this charger uses security profile {profile} ({wanted[profile]}), not {used}"


def _name(cert: x509.Certificate, oid: x509.ObjectIdentifier) -> str | None:
    values = cert.subject.get_attributes_for_oid(oid)
    return str(values[0].value) if values else None


def _chain_problem(cert: x509.Certificate, cas: Sequence[x509.Certificate]) -> str | None:
    now = datetime.now(UTC)
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        return "the client certificate is expired or not yet valid"
    for ca in cas:
        if ca.subject != cert.issuer:
            continue
        try:
            cert.verify_directly_issued_by(ca)
        except (ValueError, TypeError, Exception):  # InvalidSignature and kin
            continue
        if ca.not_valid_before_utc <= now <= ca.not_valid_after_utc:
            return None
    return "the client certificate is not issued by the configured CA"


def load_ca_certificates(path: str) -> list[x509.Certificate]:
    with open(path, "rb") as f:
        return x509.load_pem_x509_certificates(f.read())


def proxied_certificate(headers: Headers, header: str) -> x509.Certificate | None:
    """The client certificate a trusted proxy forwarded: URL-escaped PEM
    (nginx ``$ssl_client_escaped_cert``, HAProxy, Envoy's XFCC ``Cert=``),
    or raw PEM/base64 DER.  None when absent; ValueError when unreadable."""
    value = headers.get(header)
    if not value:
        return None
    if "Cert=" in value:  # Envoy x-forwarded-client-cert: key=value;...
        for part in value.split(";"):
            key, _, data = part.partition("=")
            if key.strip() == "Cert":
                value = data.strip().strip('"')
                break
    text = unquote(value)
    if "BEGIN CERTIFICATE" in text:
        return x509.load_pem_x509_certificate(text.encode())
    return x509.load_der_x509_certificate(base64.b64decode(text))


def _network(address: str) -> str:
    """What a login is counted against: the IPv4 address, an IPv6 /64."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def trusted(address: str, proxies: Sequence[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(p, strict=False) for p in proxies)
