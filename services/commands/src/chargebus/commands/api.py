"""The commands HTTP API (docs/api.md)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.params import HeaderParameter, PathParameter, QueryParameter

from chargebus.commands.errors import ConflictingCommand, RefusedCommand
from chargebus.commands.service import CommandsService
from chargebus.common.backoff import Backoff
from chargebus.common.bus import BusError
from chargebus.common.commands import COMMAND_NAMES, FANOUT_NAMES, CommandState, FanoutState
from chargebus.common.store import StoreUnavailable

__all__ = ["routes"]

Limit = Annotated[int, QueryParameter(ge=1, le=1000, description="page size")]
After = Annotated[str | None, QueryParameter(description="the `next` of the previous page")]


class CommandPage(msgspec.Struct, kw_only=True):
    items: list[CommandState]
    next: str | None


class FanoutBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    charger_ids: list[str]
    params: dict[str, Any] = msgspec.field(default_factory=dict)
    ttl_s: float | None = None


def command_params(body: bytes) -> dict[str, Any]:
    """A command's params from the request body: a JSON object, or nothing."""
    try:
        params = msgspec.json.decode(body) if body.strip() else {}
    except msgspec.DecodeError as exc:
        raise ValidationException(f"the body is not JSON: {exc}") from None
    if not isinstance(params, dict):
        raise ValidationException("the body is the command's params: a JSON object")
    return params


@contextlib.contextmanager
def refusals_as_http() -> Iterator[None]:
    """A command refused as its HTTP answer: 409 for a conflicting
    Idempotency-Key, 400 for params or a ttl the command can't take."""
    try:
        yield
    except ConflictingCommand as exc:
        raise HTTPException(status_code=409, detail=str(exc)) from None
    except RefusedCommand as exc:
        raise ValidationException(str(exc)) from None


async def fanout_final(service: CommandsService, state: FanoutState, wait: float) -> FanoutState:
    """The fan-out once all its commands are final, or as it stands after
    ``wait`` s; looked at ever less often (each look reads every command)."""
    loop = asyncio.get_running_loop()
    until = loop.time() + wait
    looks = Backoff(0.25, 5.0)
    while not state.final and loop.time() < until:
        await asyncio.sleep(min(looks.next_delay(), until - loop.time()))
        state = await service.fanouts.state(state.fanout_id) or state
    return state


def filters(**fields: str | None) -> dict[str, Any]:
    """The store query for a listing: the filters given (not empty)."""
    return {name: value for name, value in fields.items() if value}


def routes(service: CommandsService) -> list[Any]:
    @post(
        "/v1/chargers/{charger_id:str}/commands/{name:str}",
        summary="Send a command to a charger",
        description="The JSON body is the command's params (docs/commands.md). "
        "202 with the command's state at once; with ?wait=S, 200 once it is final "
        "(or 202 as it stands after S seconds). The same Idempotency-Key again is "
        "the same command. Commands: " + ", ".join(COMMAND_NAMES) + ".",
        tags=["commands"],
        status_code=202,
        # An app may send commands without being able to change tariffs or tokens.
        opt={"scope": "command"},
    )
    async def send_command(
        charger_id: Annotated[str, PathParameter()],
        name: Annotated[str, PathParameter()],
        request: Request[Any, Any, Any],
        wait: Annotated[float, QueryParameter(ge=0, le=300)] = 0,
        ttl: Annotated[
            float | None,
            QueryParameter(gt=0, description="keep it this many s if the charger is offline"),
        ] = None,
        idempotency_key: Annotated[
            str | None, HeaderParameter(name="Idempotency-Key", min_length=1, max_length=64)
        ] = None,
    ) -> Response[CommandState]:
        params = command_params(await request.body())
        with refusals_as_http():
            state = await service.submit(
                name, charger_id, params, command_id=idempotency_key, ttl_s=ttl
            )
        if wait > 0 and not state.final:
            state = await service.wait_final(state.command_id, wait) or state
        return Response(state, status_code=200 if state.final else 202)

    @post(
        "/v1/fanouts/{name:str}",
        summary="Send a command to many chargers",
        description='The JSON body is `{"charger_ids": [...], "params": {...}, '
        '"ttl_s": S}`: each charger gets a command of its own (command id '
        "`fanout:<fanout_id>:<charger_id>`). 202 with how many commands are in each status; "
        "with ?wait=S, 200 once all are final (or 202 as they stand after S seconds). "
        "The same Idempotency-Key again is the same fan-out. Commands: "
        + ", ".join(FANOUT_NAMES)
        + ".",
        tags=["commands"],
        status_code=202,
        opt={"scope": "command"},
    )
    async def send_fanout(
        name: Annotated[str, PathParameter()],
        request: Request[Any, Any, Any],
        wait: Annotated[float, QueryParameter(ge=0, le=300)] = 0,
        idempotency_key: Annotated[
            str | None, HeaderParameter(name="Idempotency-Key", min_length=1, max_length=64)
        ] = None,
    ) -> Response[FanoutState]:
        try:
            body = msgspec.json.decode(await request.body(), type=FanoutBody)
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            raise ValidationException(f"the body: {exc}") from None
        try:
            with refusals_as_http():
                state = await service.fanouts.submit(
                    name, body.charger_ids, body.params, fanout_id=idempotency_key, ttl_s=body.ttl_s
                )
        except (BusError, StoreUnavailable) as exc:
            raise HTTPException(status_code=503, detail=f"try again: {exc}") from None
        state = await fanout_final(service, state, wait)
        return Response(state, status_code=200 if state.final else 202)

    @get("/v1/fanouts/{fanout_id:str}", summary="One fan-out", tags=["commands"])
    async def get_fanout(fanout_id: Annotated[str, PathParameter()]) -> FanoutState:
        state = await service.fanouts.state(fanout_id)
        if state is None:
            raise NotFoundException(f"no fan-out {fanout_id!r}")
        return state

    @get("/v1/commands/{command_id:str}", summary="One command", tags=["commands"])
    async def get_command(command_id: Annotated[str, PathParameter()]) -> CommandState:
        state = await service.find(command_id)
        if state is None:
            raise NotFoundException(f"no command {command_id!r}")
        return state

    @get("/v1/commands", summary="Commands, newest first", tags=["commands"])
    async def list_commands(
        charger_id: Annotated[str | None, QueryParameter()] = None,
        status: Annotated[str | None, QueryParameter()] = None,
        fanout_id: Annotated[str | None, QueryParameter()] = None,
        limit: Limit = 100,
        after: After = None,
    ) -> CommandPage:
        where = filters(charger_id=charger_id, status=status, fanout_id=fanout_id)
        docs = await service.commands.page(where, limit, after, descending=True)
        return CommandPage(
            items=[d.state() for d in docs],
            next=docs[-1].id if len(docs) == limit else None,
        )

    return [send_command, send_fanout, get_fanout, get_command, list_commands]
