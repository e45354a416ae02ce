"""The gateway: the only process chargers talk to.

It holds sockets and nothing else: every charger message goes to the bus,
every command comes from it, and the route table says which gateway holds
which charger.  Built from its settings and its ports by :func:`build`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import time
import uuid
import weakref
from collections.abc import Sequence
from http import HTTPStatus

import msgspec
from cryptography import x509
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

from chargebus.common import envelope
from chargebus.common.bus import Bus, BusError, Delivery, reply
from chargebus.common.bus.topology import EVENTS, GATEWAYS, OCPP
from chargebus.common.envelope import Command, CommandBatch, CommandOutcome, Reply
from chargebus.common.events import PasswordUsed
from chargebus.common.logs import log_context
from chargebus.common.ocpp.versions import OcppVersion
from chargebus.common.probes import ProbeServer
from chargebus.common.routes import Route, RouteTable
from chargebus.common.settings import SettingsError
from chargebus.gateway.chargers import Chargers
from chargebus.gateway.connection import ChargerConnection
from chargebus.gateway.handshake import (
    Admission,
    Authenticator,
    Login,
    Refusal,
    charger_id_from_path,
    select_subprotocol,
)
from chargebus.gateway.metrics import GatewayMetrics
from chargebus.gateway.outcomes import OutcomeGatherer
from chargebus.gateway.security import (
    ProfileAuthenticator,
    proxied_certificate,
    trusted,
)
from chargebus.gateway.settings import GatewaySettings

__all__ = ["Gateway"]

log = logging.getLogger(__name__)


class Gateway:
    def __init__(
        self,
        settings: GatewaySettings,
        bus: Bus,
        routes: RouteTable,
        *,
        authenticator: Authenticator | None = None,
        tls: ssl.SSLContext | None = None,
        ca_certificates: Sequence[x509.Certificate] = (),
        serve_probes: bool = True,
    ) -> None:
        self.settings = settings
        self.bus = bus
        self.routes = routes
        self.tls = tls
        self.metrics = GatewayMetrics()
        self.authenticator = authenticator or ProfileAuthenticator(
            settings,
            routes,
            self.metrics.registry,
            ca_certificates=ca_certificates,
        )
        #: How each connection got in, from the handshake to its handler.
        self._admissions: weakref.WeakKeyDictionary[ServerConnection, Admission] = (
            weakref.WeakKeyDictionary()
        )
        #: The chargers held here, and their routes.
        self.chargers = Chargers(settings.instance_id, routes, bus)
        #: The connection held for each charger (the chargers' own dict).
        self.connections = self.chargers.connections
        self._replies: dict[str, asyncio.Future[Reply]] = {}
        #: Outcomes of batched commands, on their way back in OutcomeBatches.
        self.outcomes = OutcomeGatherer(bus, published=self.metrics.batched_outcomes.inc)
        self._server: Server | None = None
        self._plain_server: Server | None = None
        self._probes = (
            ProbeServer(
                settings.host, settings.api_port, ready=self.ready, registry=self.metrics.registry
            )
            if serve_probes
            else None
        )
        self._refresher: asyncio.Task[None] | None = None
        self._accepting = False

    # -- life cycle ------------------------------------------------------------

    async def start(self) -> None:
        await self.bus.start()
        await self.routes.start()
        await self.bus.inbox(GATEWAYS, self.settings.instance_id, self._on_inbox)
        s = self.settings
        try:
            self._server = await self._listen(s.ocpp_port, self.tls)
        except OSError as exc:
            reason = exc.strerror or exc
            raise SettingsError(
                f"CHARGEBUS_OCPP_PORT: can't listen on {s.host}:{s.ocpp_port}: {reason}"
            ) from None
        if s.ocpp_plain_port is not None and self.tls is not None:
            try:
                self._plain_server = await self._listen(s.ocpp_plain_port, None)
            except OSError as exc:
                reason = exc.strerror or exc
                raise SettingsError(
                    f"CHARGEBUS_OCPP_PLAIN_PORT: can't listen on {s.host}:{s.ocpp_plain_port}: "
                    f"{reason}"
                ) from None
        if self._probes is not None:
            await self._probes.start()
        self._refresher = asyncio.get_running_loop().create_task(
            self.chargers.keep_routes(s.route_refresh)
        )
        self._accepting = True
        log.info("gateway %s listening on %s:%d", s.instance_id, s.host, self.ocpp_port)

    async def _listen(self, port: int, tls: ssl.SSLContext | None) -> Server:
        s = self.settings
        return await serve(
            self._handle,
            s.host,
            port,
            process_request=self._process_request,
            select_subprotocol=self._select_subprotocol,
            ping_interval=s.ping_interval or None,
            ping_timeout=s.ping_timeout or None,
            max_size=s.max_message_bytes,
            compression="deflate" if s.compression else None,
            ssl=tls,
            server_header="chargebus",
            backlog=s.listen_backlog,
        )

    async def drain(self) -> None:
        """A graceful stop's first half (SIGTERM): refuse new chargers and
        turn unready, then close the sockets spread over the drain window,
        each once what is in flight on it is answered, so the chargers
        reconnect to the other gateways a few at a time, not all in the
        same second.  Their routes are released as they close."""
        self._accepting = False
        if self._server is None:
            return
        self._server.close(close_connections=False)  # no new connections
        if self._plain_server is not None:
            self._plain_server.close(close_connections=False)
        loop = asyncio.get_running_loop()
        connections = [c for c in self.connections.values() if not c.closing]
        # Spread over the window, but no slower than 20 a second: a few
        # chargers go at once, 100,000 take the whole window.
        gap = min(self.settings.drain_window / max(len(connections), 1), 0.05)
        log.info("draining %d chargers over %.1f s", len(connections), gap * len(connections))
        started = loop.time()
        tasks: list[asyncio.Task[None]] = []
        for n, connection in enumerate(connections):
            delay = started + n * gap - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(loop.create_task(connection.drain(self.settings.call_timeout)))
        if tasks:
            await asyncio.wait(tasks, timeout=self.settings.call_timeout + 5)
        # The handlers finish (routes released, charger.disconnected published).
        try:
            await asyncio.wait_for(self._server.wait_closed(), 15)
            if self._plain_server is not None:
                await asyncio.wait_for(self._plain_server.wait_closed(), 15)
        except TimeoutError:
            log.warning("%d sockets still open after the drain: closed", len(self.connections))
        log.info("drained in %.1f s", loop.time() - started)

    async def stop(self) -> None:
        self._accepting = False
        if self._refresher is not None:
            self._refresher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._refresher
        for server in (self._server, self._plain_server):
            if server is not None:
                server.close()
                await server.wait_closed()
        # The sockets are closed (their commands' outcomes decided): what
        # batched outcomes are gathered go out before the bus closes.
        await self.outcomes.close()
        if self._probes is not None:
            await self._probes.close()
        await self.bus.close()
        await self.routes.close()

    @property
    def ocpp_port(self) -> int:
        assert self._server is not None
        return int(next(iter(self._server.sockets)).getsockname()[1])

    @property
    def ocpp_plain_port(self) -> int | None:
        """The plain ws port served beside wss, if any."""
        if self._plain_server is None:
            return None
        return int(next(iter(self._plain_server.sockets)).getsockname()[1])

    @property
    def probe_port(self) -> int | None:
        return self._probes.port if self._probes else None

    def ready(self) -> bool:
        return self._accepting and self.bus.healthy and self.routes.healthy

    # -- the handshake -----------------------------------------------------------

    def _select_subprotocol(
        self, connection: ServerConnection, subprotocols: Sequence[Subprotocol]
    ) -> Subprotocol | None:
        chosen = select_subprotocol(subprotocols, self.settings.subprotocols)
        return Subprotocol(chosen) if chosen else None

    async def _process_request(
        self, connection: ServerConnection, request: Request
    ) -> Response | None:
        try:
            if not self._accepting:
                raise Refusal(HTTPStatus.SERVICE_UNAVAILABLE, "gateway is not accepting chargers")
            charger_id = charger_id_from_path(request.path)
            login = self._login(connection, charger_id, request)
            self._admissions[connection] = await self.authenticator.authenticate(login)
            self._compress_only_2x(request)
        except Refusal as refusal:
            self.metrics.refused.labels(refusal.status.phrase).inc()
            log.info("refused %s: %s %s", request.path, refusal.status.value, refusal.reason)
            response = connection.respond(refusal.status, refusal.reason + "\n")
            for name, value in refusal.headers.items():
                response.headers[name] = value
            return response
        return None

    def _login(self, connection: ServerConnection, charger_id: str, request: Request) -> Login:
        """Who is connecting: address, wss or ws, client certificate; from a
        trusted proxy's headers when it terminated TLS for us."""
        s = self.settings
        peer = connection.remote_address
        address = str(peer[0]) if peer else ""
        if s.trusted_proxies and trusted(address, s.trusted_proxies):
            forwarded = ",".join(request.headers.get_all("X-Forwarded-For"))
            if forwarded.strip():  # the hop that reached the proxy: the last entry
                address = forwarded.split(",")[-1].strip()
            protos = request.headers.get_all("X-Forwarded-Proto")
            if len(protos) > 1 or len(request.headers.get_all(s.client_cert_header)) > 1:
                raise Refusal(HTTPStatus.BAD_REQUEST, "repeated forwarding headers")
            proto = protos[0].strip().lower() if protos else ""
            try:
                cert = proxied_certificate(request.headers, s.client_cert_header)
            except ValueError as exc:
                raise Refusal(
                    HTTPStatus.BAD_REQUEST, f"unreadable client certificate header: {exc}"
                ) from None
            return Login(
                charger_id,
                request.headers,
                address,
                tls=proto in ("https", "wss") or cert is not None,
                client_cert=cert,
                proxied=cert is not None,
            )
        ssl_object = connection.transport.get_extra_info("ssl_object")
        cert = None
        if ssl_object is not None:
            der = ssl_object.getpeercert(binary_form=True)
            if der:  # verified by the TLS handshake against tls_client_ca
                cert = x509.load_der_x509_certificate(der)
        return Login(
            charger_id, request.headers, address, tls=ssl_object is not None, client_cert=cert
        )

    def _compress_only_2x(self, request: Request) -> None:
        """Compression (RFC 7692) is for 2.x, where the CSMS SHALL support it
        (J201 §3.3); a 1.6 connection never negotiates it.  The subprotocol
        is chosen after this hook, by the same rule, so decide it here and
        hide the charger's extension offer when it will be 1.6."""
        if not self.settings.compression:
            return
        offered = [
            p.strip()
            for value in request.headers.get_all("Sec-WebSocket-Protocol")
            for p in value.split(",")
        ]
        chosen = select_subprotocol(offered, self.settings.subprotocols)
        if chosen == "ocpp1.6" and "Sec-WebSocket-Extensions" in request.headers:
            del request.headers["Sec-WebSocket-Extensions"]

    async def _handle(self, ws: ServerConnection) -> None:
        charger_id = charger_id_from_path(ws.request.path if ws.request else "")
        if ws.subprotocol is None:
            # J201 §3.2: complete the handshake without a subprotocol, then close.
            self.metrics.refused.labels("No subprotocol").inc()
            offered = ws.request.headers.get_all("Sec-WebSocket-Protocol") if ws.request else []
            log.info("%s offered no OCPP version we speak (%s)", charger_id, offered)
            await ws.close(
                1002,
                "no common OCPP subprotocol; we speak " + ", ".join(self.settings.subprotocols),
            )
            return
        admission = self._admissions.pop(ws, None)
        if admission is not None and admission.pending and admission.password_id:
            await self._password_used(charger_id, admission.password_id)
        await ChargerConnection(self, ws, charger_id, OcppVersion(ws.subprotocol)).run()

    async def _password_used(self, charger_id: str, password_id: str) -> None:
        """The charger logged in with a rotation's new password: the sessions
        service makes it the only one.  If this is lost the password stays
        pending and the next login says it again."""
        event = PasswordUsed(
            event_id=f"{charger_id}:{password_id}:used",
            charger_id=charger_id,
            occurred_at=time.time(),
            password_id=password_id,
        )
        try:
            await self.bus.publish(EVENTS, "security.password_used", msgspec.json.encode(event))
        except BusError as exc:
            log.warning("could not report %s's new password in use: %r", charger_id, exc)

    # -- the connections' host (ConnectionHost) -------------------------------------

    async def claim(self, connection: ChargerConnection) -> Route | None:
        return await self.chargers.claim(connection)

    def attach(self, connection: ChargerConnection) -> None:
        self.chargers.attach(connection)

    def detach(self, connection: ChargerConnection) -> None:
        self.chargers.detach(connection)

    async def refresh_routes(self) -> None:
        """Keep the routes alive now (as every route_refresh seconds)."""
        await self.chargers.refresh_routes()

    # -- the bus -------------------------------------------------------------------

    async def decide(self, routing_key: str, body: bytes) -> Reply:
        """Publish a decision message and wait for the owning service's reply."""
        correlation_id = uuid.uuid4().hex
        future: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        self._replies[correlation_id] = future
        try:
            await self.bus.publish(
                OCPP,
                routing_key,
                body,
                correlation_id=correlation_id,
                reply_to=self.bus.inbox_name,
                mandatory=True,
                # Past the timeout the charger has been told to retry: a
                # request still queued then is dropped, not decided (under
                # overload, deciding abandoned requests is how a backlog
                # never drains: the reconnect storm's collapse).
                expiration=self.settings.decision_timeout,
            )
            return await asyncio.wait_for(future, self.settings.decision_timeout)
        finally:
            self._replies.pop(correlation_id, None)

    async def _on_inbox(self, delivery: Delivery) -> None:
        if delivery.exchange == "":
            self._on_reply(delivery)
        elif delivery.headers.get("kind") == "evict":
            self.chargers.on_evict(delivery)
        elif delivery.headers.get("kind") == "commands":
            with log_context(correlation_id=delivery.correlation_id):
                await self._on_commands(delivery)
        else:
            with log_context(correlation_id=delivery.correlation_id):
                await self._on_command(delivery)

    def _on_reply(self, delivery: Delivery) -> None:
        future = self._replies.get(delivery.correlation_id or "")
        if future is None or future.done():
            log.info("reply %s came after its CALL was answered", delivery.correlation_id)
            return
        try:
            future.set_result(envelope.decode(delivery.body, Reply))
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            future.set_exception(BusError(f"malformed reply: {exc}"))

    async def _on_command(self, delivery: Delivery) -> None:
        try:
            command: Command = envelope.decode(delivery.body, Command)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            log.warning("malformed command: %s", exc)
            await self._outcome(
                delivery,
                CommandOutcome(
                    status="invalid", message_id="", error_description=f"malformed command: {exc}"
                ),
            )
            return
        outcome = self._take_command(
            command, delivery.reply_to, delivery.correlation_id, time.time(), batched=False
        )
        if outcome is not None:
            await self._outcome(delivery, outcome)

    async def _on_commands(self, delivery: Delivery) -> None:
        """A CommandBatch: each command handled as if it had come alone,
        their outcomes gathered into OutcomeBatches (outcomes.py)."""
        try:
            batch: CommandBatch = envelope.decode(delivery.body, CommandBatch)
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            log.warning("malformed command batch: %s", exc)
            await self.outcomes.send_now(
                delivery.reply_to,
                delivery.correlation_id,
                [
                    CommandOutcome(
                        status="invalid",
                        message_id="",
                        error_description=f"malformed command batch: {exc}",
                    )
                ],
            )
            return
        self.metrics.command_batches.inc()
        self.metrics.batched_commands.inc(len(batch.commands))
        reply_to, correlation_id = delivery.reply_to, delivery.correlation_id
        now = time.time()
        for command in batch.commands:
            outcome = self._take_command(command, reply_to, correlation_id, now, batched=True)
            if outcome is not None:
                self.outcomes.add(reply_to, correlation_id, outcome)

    def _take_command(
        self,
        command: Command,
        reply_to: str | None,
        correlation_id: str | None,
        now: float,
        *,
        batched: bool,
    ) -> CommandOutcome | None:
        """Hand a command to its charger's connection, or say at once why
        not (expired, not_connected): that outcome is returned for the
        caller to send, alone or gathered."""
        if command.expires_at is not None and now >= command.expires_at:
            return CommandOutcome(
                status="expired",
                message_id=command.message_id,
                error_description="the command expired before it could be sent",
            )
        connection = self.connections.get(command.charger_id)
        stale = (
            connection is not None
            and command.epoch is not None
            and (connection.route is None or connection.route.epoch != command.epoch)
        )
        if connection is None or connection.closing or stale:
            return CommandOutcome(
                status="not_connected",
                message_id=command.message_id,
                error_description=f"{command.charger_id} is not connected to this gateway"
                + (" at that epoch" if stale else ""),
            )
        connection.send_command(command, reply_to, correlation_id, batched=batched)
        return None

    async def _outcome(self, delivery: Delivery, outcome: CommandOutcome) -> None:
        if not delivery.reply_to:
            return
        try:
            await reply(
                self.bus,
                delivery.reply_to,
                envelope.encode(outcome),
                correlation_id=delivery.correlation_id,
            )
        except BusError as exc:
            log.warning("outcome of %s lost: %r", outcome.message_id, exc)
