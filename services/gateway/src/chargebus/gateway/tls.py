"""The gateway's TLS: the server context for wss (security profiles 2 and 3)
and the client CA certificates, both from the settings.

Rules: TLS 1.2 or newer, the cipher suites OCPP lists, no compression
(A00.FR.312-321); a client certificate is asked for, and verified when
sent, only when a client CA is configured (profile 3).
"""

from __future__ import annotations

import ssl

from cryptography import x509

from chargebus.common.settings import SettingsError
from chargebus.gateway.security import load_ca_certificates
from chargebus.gateway.settings import GatewaySettings

__all__ = ["ca_certificates", "tls_context"]


_OCPP_CIPHERS = ":".join(
    (
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES256-GCM-SHA384",
        "AES128-GCM-SHA256",
        "AES256-GCM-SHA384",
    )
)


def tls_context(settings: GatewaySettings) -> ssl.SSLContext | None:
    """The server TLS context when a certificate is configured: TLS 1.2 or
    newer, no compression (A00.FR.312-321)."""
    if not settings.tls_certfile:
        if settings.tls_keyfile:
            raise SettingsError("CHARGEBUS_TLS_KEYFILE is set without CHARGEBUS_TLS_CERTFILE")
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.options |= ssl.OP_NO_COMPRESSION
    # TLS 1.2: the suites OCPP lists (ECDHE with ECDSA or RSA, and RSA, with
    # AES-GCM; A00.FR.314-318); TLS 1.3 keeps its own (all AEAD).
    context.set_ciphers(_OCPP_CIPHERS)
    try:
        context.load_cert_chain(settings.tls_certfile, settings.tls_keyfile)
    except (OSError, ssl.SSLError) as exc:
        raise SettingsError(
            f"CHARGEBUS_TLS_CERTFILE {settings.tls_certfile!r} / CHARGEBUS_TLS_KEYFILE "
            f"{settings.tls_keyfile!r}: not a usable certificate chain and key: {exc}"
        ) from None
    if settings.tls_client_ca:
        # Profile 3: ask for a client certificate and verify it when one is
        # sent (profile 2 chargers send none); who may use which profile is
        # decided per charger before the upgrade.
        context.verify_mode = ssl.CERT_OPTIONAL
        try:
            context.load_verify_locations(settings.tls_client_ca)
        except (OSError, ssl.SSLError) as exc:
            raise SettingsError(
                f"CHARGEBUS_TLS_CLIENT_CA {settings.tls_client_ca!r}: not usable CA "
                f"certificates: {exc}"
            ) from None
    return context


def ca_certificates(settings: GatewaySettings) -> list[x509.Certificate]:
    """The client CA certificates, parsed (to check proxy-forwarded
    certificates; TLS here checks its own)."""
    if not settings.tls_client_ca:
        return []
    try:
        return load_ca_certificates(settings.tls_client_ca)
    except (OSError, ValueError) as exc:
        raise SettingsError(
            f"CHARGEBUS_TLS_CLIENT_CA {settings.tls_client_ca!r}: not usable CA certificates: {exc}"
        ) from None
