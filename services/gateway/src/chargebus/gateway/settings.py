"""The gateway's settings (``CHARGEBUS_*``; see docs/configuration.md)."""

from __future__ import annotations

import os
import socket
import uuid
from typing import Annotated, Literal

import msgspec

from chargebus.common.settings import Port

__all__ = ["GatewaySettings", "default_instance_id"]


def default_instance_id() -> str:
    """Unique per process: a restarted pod is a new instance (its old routes
    and queue are gone with it)."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class GatewaySettings(msgspec.Struct, frozen=True, kw_only=True):
    #: This gateway process's id in routes and on the bus.
    instance_id: str = msgspec.field(default_factory=default_instance_id)
    host: str = "0.0.0.0"
    ocpp_port: Port = 9000
    #: Health probes and /metrics (the HTTP API port in the embedded mode).
    api_port: Port = 8080
    #: Subprotocols in order of preference; the first one the charger offers wins.
    subprotocols: tuple[Literal["ocpp2.1", "ocpp2.0.1", "ocpp1.6"], ...] = (
        "ocpp2.1",
        "ocpp2.0.1",
        "ocpp1.6",
    )
    #: Seconds between WebSocket pings; 0 turns them off.
    ping_interval: float = 60.0
    #: Seconds to wait for a pong before the connection counts as dead.
    ping_timeout: float = 30.0
    #: permessage-deflate (RFC 7692) for 2.x connections.
    compression: bool = False
    #: Largest WebSocket message accepted, in bytes.
    max_message_bytes: int = 1 << 20
    #: How long one of our CALLs may wait for the charger's answer (s).
    call_timeout: float = 30.0
    #: How long a charger's CALL may wait for a service's decision (s); past
    #: it the charger gets InternalError and retries.
    decision_timeout: float = 10.0
    #: Validate strictly; chargers listed in lenient_chargers are lenient.
    strict: bool = True
    lenient_chargers: tuple[str, ...] = ()
    #: Route TTL and refresh period (s).
    route_ttl: float = 90.0
    route_refresh: float = 30.0
    #: Refuse every charger CALL but BootNotification with SecurityError
    #: until the charger's BootNotification is Accepted (B02/B03; the state
    #: persists across reconnects).  Off: chargers that never booted here
    #: (booted against another CSMS before a migration) may talk.
    registration_required: bool = True
    #: Answer the BootNotification of a charger the route table holds as
    #: Accepted here, once the broker has confirmed it (the sessions service
    #: still stores it), instead of waiting for the sessions service's
    #: decision: a reconnect storm then needs no round trip per charger.
    answer_accepted_boots: bool = True
    #: The peer's CALLs that may wait behind the one being answered.
    max_pending_calls: int = 8
    #: Messages a charger may send per second, sustained (a token bucket per
    #: connection); past it the gateway stops reading its socket until the
    #: bucket refills (TCP back-pressure), nothing is refused.  0: no limit.
    max_calls_per_second: float = 20.0
    #: Messages a charger may send at once before the rate applies (an
    #: offline queue replayed after a reconnect).
    call_burst: int = 100
    #: Seconds a charger may stay throttled (over the rate, or with
    #: max_pending_calls CALLs waiting) before it is closed with 1008.
    call_flood_disconnect_after: float = 60.0
    #: Serve wss: the server certificate chain and its key (PEM files).
    tls_certfile: str | None = None
    tls_keyfile: str | None = None
    #: Also serve plain ws on this port while serving wss on ocpp_port, for
    #: profile 1 chargers (a profile 2 or 3 charger is refused on it).
    ocpp_plain_port: Port | None = None
    #: Security profiles (docs/security.md).  Chargers without credentials
    #: are let in only while this is 0; a charger whose recorded profile is
    #: below it is refused.
    min_security_profile: Annotated[int, msgspec.Meta(ge=0, le=3)] = 0
    #: Profile 3: CA certificates (PEM) that issue chargers' client
    #: certificates; the certificate's organisation must be operator_name.
    tls_client_ca: str | None = None
    operator_name: str | None = None
    #: Addresses or networks (CIDR) of TLS-terminating proxies whose
    #: X-Forwarded-Proto, X-Forwarded-For and client certificate header are
    #: believed; from anyone else those headers are ignored.
    trusted_proxies: tuple[str, ...] = ()
    #: The header such a proxy puts the verified client certificate in
    #: (URL-escaped PEM, as nginx's $ssl_client_escaped_cert; or Envoy's XFCC).
    client_cert_header: str = "X-Client-Cert"
    #: Failed logins per charger id and per address within login_window
    #: seconds: from login_slow_after on each answer is delayed (1, 2, 4 …
    #: 10 s); from login_block_after the id or address is refused with 429
    #: for login_block_seconds.
    login_slow_after: Annotated[int, msgspec.Meta(ge=1)] = 5
    login_block_after: Annotated[int, msgspec.Meta(ge=1)] = 10
    login_window: Annotated[float, msgspec.Meta(gt=0)] = 300.0
    login_block_seconds: Annotated[float, msgspec.Meta(ge=0)] = 900.0
    #: A secret (32 characters or more) the gateways share: a password one
    #: gateway checked with scrypt is remembered in Redis by its HMAC under
    #: this key for login_cache_ttl seconds, so the other gateways, and
    #: this one after a restart (a reconnect storm), skip scrypt (~45 ms of
    #: CPU a charger).  Unset: each gateway process remembers its own.
    login_cache_key: Annotated[str, msgspec.Meta(min_length=32)] | None = None
    login_cache_ttl: Annotated[float, msgspec.Meta(gt=0)] = 30 * 86400.0
    amqp_url: str | None = None
    redis_url: str | None = None
    #: On SIGTERM, close the chargers' sockets spread over this many
    #: seconds (so they don't all reconnect to the other pods at once),
    #: after refusing new ones and answering what is in flight.
    drain_window: float = 30.0
    #: Connections the kernel may hold waiting to be accepted: in a reconnect
    #: storm thousands of chargers connect at once, and a SYN over the
    #: backlog is dropped and tried again only after 1, 3, 7 s. The kernel
    #: caps it at net.core.somaxconn.
    listen_backlog: int = 4096
    #: Log level (DEBUG, INFO, WARNING, ERROR) and format: json (one object
    #: per line), text, or auto (text on a terminal, else json).
    log_level: str = "INFO"
    log_format: Literal["auto", "json", "text"] = "auto"
