"""The failed-login throttle and the proxy-header helpers, alone."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from websockets.datastructures import Headers

from chargebus.gateway.security import LoginThrottle, proxied_certificate, trusted


def test_failures_slow_down_then_block_then_expire() -> None:
    throttle = LoginThrottle(slow_after=3, block_after=5, window=60, block_seconds=10)
    delays = [throttle.fail("id:CP", now=float(n)) for n in range(4)]
    assert delays == [0.0, 0.0, 1.0, 2.0]
    assert throttle.blocked_for("id:CP", 4.0) == 0.0
    assert throttle.fail("id:CP", 4.0) == 4.0  # the fifth: blocked from now
    assert throttle.blocked_for("id:CP", 5.0) == pytest.approx(9.0)
    assert throttle.blocked_for("id:CP", 14.0) == 0.0  # served its time, count reset
    assert throttle.fail("id:CP", 15.0) == 0.0


def test_failures_outside_the_window_are_forgotten_and_success_clears() -> None:
    throttle = LoginThrottle(slow_after=2, block_after=3, window=10, block_seconds=10)
    throttle.fail("id:CP", 0.0)
    throttle.fail("id:CP", 1.0)
    assert throttle.fail("id:CP", 20.0) == 0.0  # the first two are out of the window
    throttle.succeed("id:CP")
    assert throttle.fail("id:CP", 21.0) == 0.0
    assert throttle.fail("id:CP", 21.5) == 1.0


def test_the_delay_is_capped_and_keys_are_bounded() -> None:
    throttle = LoginThrottle(
        slow_after=1, block_after=1000, window=1e9, block_seconds=1, max_keys=3
    )
    assert max(throttle.fail("id:CP", float(n)) for n in range(50)) == 10.0
    for n in range(10):
        throttle.fail(f"address:10.0.0.{n}", 0.0)
    assert len(throttle._failures) == 3


def test_trusted_proxies() -> None:
    assert trusted("10.1.2.3", ["10.0.0.0/8"])
    assert trusted("127.0.0.1", ["127.0.0.1"])
    assert not trusted("192.168.1.1", ["10.0.0.0/8"])
    assert not trusted("not-an-address", ["10.0.0.0/8"])


def test_proxied_certificate_forms(tmp_path) -> None:
    import base64

    from certs import ca, issue
    from cryptography.hazmat.primitives import serialization

    authority = ca(tmp_path)
    cert = issue(tmp_path, authority, "SN-1")
    pem = cert.pem.decode()
    der = cert.cert.public_bytes(serialization.Encoding.DER)
    for header, value in (
        ("X-Client-Cert", quote(pem)),  # nginx $ssl_client_escaped_cert
        ("X-Client-Cert", base64.b64encode(der).decode()),  # HAProxy, Traefik: base64 DER
        ("X-Forwarded-Client-Cert", f'Hash=abc;Cert="{quote(pem)}";Subject="CN=SN-1"'),  # Envoy
    ):
        assert proxied_certificate(Headers({header: value}), header) == cert.cert
    assert proxied_certificate(Headers(), "X-Client-Cert") is None
    with pytest.raises(ValueError, match="Incorrect padding"):  # base64's binascii.Error
        proxied_certificate(Headers({"X-Client-Cert": "garbage"}), "X-Client-Cert")
