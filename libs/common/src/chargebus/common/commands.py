"""Commands: what internal services send to have something happen on a
charger, and what they hear back.  See docs/bus.md and docs/commands.md.

A request goes to the ``chargebus.commands`` exchange with routing key
``command.<name>`` (``command.remote_start``) and a :class:`CommandRequest`
body; with AMQP ``reply_to`` and ``correlation_id`` the final state comes
back there as a :class:`CommandState`.  Every change of state is also
published on ``chargebus.events`` as ``command.<status>``.

:class:`CommandClient` does all of that in a few lines::

    async with CommandClient(os.environ["CHARGEBUS_AMQP_URL"]) as client:
        state = await client.send("remote_start", "CP-1", {"id_token": "04E91C5A"})
        print(state.status, state.session_id)
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import uuid
from collections.abc import Mapping
from types import MappingProxyType, TracebackType
from typing import Any, Literal, TypeVar

import msgspec

from chargebus.common.bus import Bus, BusError, Delivery
from chargebus.common.bus.topology import COMMANDS, GATEWAYS

__all__ = [
    "COMMAND_NAMES",
    "FANOUT_NAMES",
    "FINAL",
    "TRANSITIONS",
    "CallRecord",
    "CommandClient",
    "CommandRequest",
    "CommandState",
    "CommandStatus",
    "FanoutRequest",
    "FanoutState",
    "IllegalTransition",
    "Transition",
    "advance",
]

R = TypeVar("R")

#: While a command is not final, ``CommandClient.send`` asks for it again this
#: often (the same request, the same correlation id: the same command, never
#: sent twice): the commands service answers at once when it is final.  A
#: final state published while the client's inbox was being declared again
#: (a broker restart) is otherwise lost, and the caller would wait in vain.
ASK_AGAIN_EVERY = 15.0

COMMAND_NAMES = (
    "remote_start",
    "remote_stop",
    "reset",
    "change_availability",
    "unlock_connector",
    "trigger_message",
    "get_configuration",
    "set_configuration",
    "clear_cache",
    "data_transfer",
    "update_firmware",
    "get_diagnostics",
    "rotate_password",
    "call",
)

#: Commands that can go to many chargers at once (``command.fanout.<name>``):
#: those whose CALL needs nothing but the params and the charger's protocol.
#: (remote_start/remote_stop name a session or token per charger, firmware
#: and diagnostics get request ids, rotate_password a secret per charger.)
FANOUT_NAMES = (
    "reset",
    "change_availability",
    "unlock_connector",
    "trigger_message",
    "get_configuration",
    "set_configuration",
    "clear_cache",
    "data_transfer",
    "call",
)

CommandStatus = Literal[
    "received",  # stored; not yet routed
    "waiting",  # the charger is offline; kept until it connects or the ttl runs out
    "routed",  # the gateway holding the charger is known
    "sent",  # the gateway took it; the charger's answer is awaited
    "accepted",  # the charger accepted: final, but remote_start and update_firmware go on
    "rejected",  # the charger answered with a refusal (its status says which)
    "failed",  # a CALLERROR, or the charger's answer was invalid
    "timed_out",  # no answer in time (the outcome on the charger is unknown)
    "charger_offline",  # not connected, and no ttl
    "expired",  # the ttl ran out before the charger was reachable
    "invalid",  # unknown command or bad params: nothing was sent
    "session_started",  # remote_start: the charger started the session
    "start_timed_out",  # remote_start: accepted, but no session started in the window
    "installed",  # update_firmware: the charger reports Installed
    "install_failed",  # update_firmware: the charger reports a failure
]

#: What may follow each status: the command's life cycle as data (h11's
#: ``_state.py``).  :func:`advance` applies it.  Every status but the final
#: ones may end ``failed`` (an internal error on the way).  A move back
#: (``sent`` -> ``received``, ``routed`` -> ``received``, ``sent`` ->
#: ``waiting``) is only taken when the CALL surely never reached the
#: charger, so a command is still sent at most once.
TRANSITIONS: Mapping[CommandStatus, frozenset[CommandStatus]] = MappingProxyType(
    {
        "received": frozenset(
            {"waiting", "routed", "expired", "invalid", "charger_offline", "failed"}
        ),
        "waiting": frozenset(
            {"received", "routed", "expired", "invalid", "charger_offline", "failed"}
        ),
        # received again: delivered again after an error (nothing was sent)
        "routed": frozenset({"sent", "received", "failed"}),
        "sent": frozenset(
            {
                "accepted",
                "rejected",
                "failed",
                "timed_out",
                "charger_offline",
                "expired",
                # the charger wasn't reached: kept for when it connects (ttl),
                # or routed again (a fan-out's charger moved to another gateway)
                "waiting",
                "received",
                # the charger reported before its answer was recorded
                "session_started",
                "installed",
                "install_failed",
            }
        ),
        # final, but for remote_start and update_firmware, whose story goes on
        "accepted": frozenset(
            {
                "session_started",
                "start_timed_out",
                "timed_out",
                "installed",
                "install_failed",
                "failed",
            }
        ),
        "rejected": frozenset(),
        "failed": frozenset(),
        "timed_out": frozenset(),
        "charger_offline": frozenset(),
        "expired": frozenset(),
        "invalid": frozenset(),
        "session_started": frozenset(),
        "start_timed_out": frozenset(),
        "installed": frozenset(),
        "install_failed": frozenset(),
    }
)

#: States after which nothing changes (and ``accepted``, for every command
#: but remote_start and update_firmware): those with nothing after them.
FINAL: frozenset[CommandStatus] = frozenset(
    status for status, following in TRANSITIONS.items() if not following
)


class IllegalTransition(ValueError):
    """A move the life cycle doesn't have (:data:`TRANSITIONS`)."""


def advance(current: CommandStatus, to: CommandStatus) -> CommandStatus:
    """The status after ``current`` moves to ``to``; IllegalTransition if
    the life cycle has no such move."""
    if to not in TRANSITIONS[current]:
        raise IllegalTransition(f"a command can't move from {current} to {to}")
    return to


class CommandRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The body of ``command.<name>`` on ``chargebus.commands``."""

    charger_id: str
    #: The command's parameters (docs/commands.md lists them per command).
    params: dict[str, Any] = msgspec.field(default_factory=dict)
    #: Idempotency key: the same id twice is one command, one outcome.
    command_id: str | None = None
    #: Keep the command this many seconds if the charger is offline, and
    #: deliver it when the charger connects; without it, an offline charger
    #: ends the command at once (charger_offline).
    ttl_s: float | None = None


class FanoutRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The body of ``command.fanout.<name>``: one command for many chargers.
    Each charger gets a command of its own (``command_id``
    ``fanout:<fanout_id>:<charger_id>``), tracked like any other; with AMQP
    ``reply_to`` a :class:`FanoutState` comes back once all are final."""

    charger_ids: list[str]
    params: dict[str, Any] = msgspec.field(default_factory=dict)
    #: Idempotency key: the same id twice is one fan-out.
    fanout_id: str | None = None
    #: As for a single command: keep it this long for chargers that are offline.
    ttl_s: float | None = None


class FanoutState(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A fan-out: how many of its commands are in each status."""

    fanout_id: str
    name: str
    params: dict[str, Any]
    chargers: int
    #: Every command final.
    final: bool
    created_at: float
    statuses: dict[str, int] = msgspec.field(default_factory=dict)
    #: Why it was refused (``fanout_id`` is then empty).
    detail: str | None = None


class Transition(msgspec.Struct, kw_only=True, omit_defaults=True):
    status: str
    at: float
    detail: str | None = None


class CallRecord(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One CALL sent for the command, and how the charger answered."""

    action: str
    payload: dict[str, Any]
    message_id: str
    response: Any = None
    error_code: str | None = None
    error_description: str | None = None


class CommandState(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A command as stored, as answered to ``reply_to``, as published in
    ``command.<status>`` events (with ``event_id``) and by the HTTP API."""

    command_id: str
    charger_id: str
    name: str
    params: dict[str, Any]
    status: str
    final: bool
    created_at: float
    updated_at: float
    protocol: str | None = None
    calls: list[CallRecord] = msgspec.field(default_factory=list)
    #: Why it is in this state, in words (the error, the charger's status).
    detail: str | None = None
    expires_at: float | None = None
    #: remote_start: our remoteStartId (2.x), then the session it started.
    remote_start_id: int | None = None
    session_id: str | None = None
    transaction_id: str | None = None
    #: update_firmware: the requestId (2.x) and the latest firmware status.
    request_id: int | None = None
    firmware_status: str | None = None
    history: list[Transition] = msgspec.field(default_factory=list)


class CommandClient:
    """Send commands over the bus and await their final state.

    ``bus`` is an AMQP URL (the client then owns the connection), or a
    started :class:`~chargebus.common.bus.Bus` of the client's own: a bus has
    one inbox, and the client's replies arrive there.
    """

    def __init__(self, bus: Bus | str) -> None:
        if isinstance(bus, str):
            from chargebus.common.bus.amqp import AmqpBus

            self.bus: Bus = AmqpBus(bus, name="command client")
            self._owned = True
        else:
            self.bus = bus
            self._owned = False
        self._waiting: dict[str, asyncio.Future[Any]] = {}
        #: What each awaited reply decodes as.
        self._types: dict[str, type[Any]] = {}
        self._inbox: str | None = None

    async def start(self) -> None:
        if self._owned:
            await self.bus.start()
        with contextlib.suppress(BusError):
            if self.bus.inbox_name:
                raise ValueError("this bus already has an inbox: give the client a bus of its own")
        self._inbox = await self.bus.inbox(
            GATEWAYS, f"command-client-{uuid.uuid4().hex}", self._on_reply
        )

    async def close(self) -> None:
        if self._owned:
            await self.bus.close()

    async def __aenter__(self) -> CommandClient:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def _on_reply(self, delivery: Delivery) -> None:
        future = self._waiting.get(delivery.correlation_id or "")
        if future is not None and not future.done():
            type_ = self._types.get(delivery.correlation_id or "", CommandState)
            with contextlib.suppress(msgspec.ValidationError, msgspec.DecodeError):
                future.set_result(msgspec.json.decode(delivery.body, type=type_))

    async def send(
        self,
        name: str,
        charger_id: str,
        params: dict[str, Any] | None = None,
        *,
        command_id: str | None = None,
        ttl_s: float | None = None,
        timeout: float = 180.0,
    ) -> CommandState:
        """Send a command and wait (at most ``timeout`` s) for its final state."""
        request = CommandRequest(
            charger_id=charger_id, params=params or {}, command_id=command_id, ttl_s=ttl_s
        )
        return await self._request(
            f"command.{name}", request, CommandState, timeout, ask_again=True
        )

    async def fanout(
        self,
        name: str,
        charger_ids: list[str],
        params: dict[str, Any] | None = None,
        *,
        fanout_id: str | None = None,
        ttl_s: float | None = None,
        timeout: float = 180.0,
    ) -> FanoutState:
        """Send one command to many chargers (``FANOUT_NAMES``) and wait (at
        most ``timeout`` s) until every one of them is final."""
        request = FanoutRequest(
            charger_ids=charger_ids, params=params or {}, fanout_id=fanout_id, ttl_s=ttl_s
        )
        return await self._request(f"command.fanout.{name}", request, FanoutState, timeout)

    async def _request(
        self,
        routing_key: str,
        request: msgspec.Struct,
        reply: type[R],
        timeout: float,
        *,
        ask_again: bool = False,
    ) -> R:
        """Publish a request on ``chargebus.commands`` and wait (at most
        ``timeout`` s) for the reply, decoded as ``reply``; with ``ask_again``
        the request is published again every ASK_AGAIN_EVERY s until then."""
        assert self._inbox is not None, "start the client first"
        correlation_id = uuid.uuid4().hex
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting[correlation_id] = future
        self._types[correlation_id] = reply
        publish = functools.partial(
            self.bus.publish,
            COMMANDS,
            routing_key,
            msgspec.json.encode(request),
            correlation_id=correlation_id,
            reply_to=self.bus.inbox_name,
        )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            await publish()
            while True:
                wait = deadline - loop.time()
                if ask_again and wait > ASK_AGAIN_EVERY:
                    with contextlib.suppress(TimeoutError):
                        return await asyncio.wait_for(asyncio.shield(future), ASK_AGAIN_EVERY)
                    with contextlib.suppress(BusError):  # the next round tries again
                        await publish()
                    continue
                return await asyncio.wait_for(future, max(wait, 0.0))
        finally:
            self._waiting.pop(correlation_id, None)
            self._types.pop(correlation_id, None)
