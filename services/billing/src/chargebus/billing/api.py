"""The billing HTTP API (docs/billing.md, docs/api.md)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from litestar import Request, get, put
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import PathParameter, QueryParameter

from chargebus.billing.costs import running_cost
from chargebus.billing.model import AssignmentDoc, BillingSession, Invalid, TariffDoc, in_force
from chargebus.billing.service import BillingService
from chargebus.billing.tariffs import TariffChoice
from chargebus.common.billing import Cdr, Tariff

__all__ = ["routes"]

Limit = Annotated[int, QueryParameter(ge=1, le=1000, description="page size")]
After = Annotated[str | None, QueryParameter(description="the `next` of the previous page")]
_NAME = r"^[A-Za-z0-9._:-]{1,64}$"


class TariffView(msgspec.Struct, kw_only=True):
    id: str
    #: The version in force now (None: only future versions).
    in_force: Tariff | None
    #: Every version, oldest first (future ones included).
    versions: list[Tariff]


class TariffPage(msgspec.Struct, kw_only=True):
    items: list[TariffView]
    next: str | None


class ChargerTariffIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    #: The charger's own tariff (null: none; its group's or the default applies).
    tariff_id: Annotated[str, msgspec.Meta(pattern=_NAME)] | None = None
    #: The charger's tariff group.
    group: Annotated[str, msgspec.Meta(pattern=_NAME)] | None = None


class GroupTariffIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    tariff_id: Annotated[str, msgspec.Meta(pattern=_NAME)] | None


class ChargerTariff(msgspec.Struct, kw_only=True):
    charger_id: str
    tariff_id: str | None
    group: str | None
    #: The tariff a session starting now would get, and where it comes
    #: from: charger, group:<name> or default.
    effective_tariff_id: str | None
    via: str | None


class GroupTariff(msgspec.Struct, kw_only=True):
    group: str
    tariff_id: str | None


class Cost(msgspec.Struct, kw_only=True):
    session_id: str
    charger_id: str
    currency: str | None
    tariff_id: str | None
    #: How the tariff was found: charger, group:<name>, default.
    via: str | None
    #: So far (a running session: the minimum price isn't applied yet), or
    #: the latest CDR's total once it ended.
    total_excl_vat: Decimal | None
    total_incl_vat: Decimal | None
    energy_wh: float | None
    ended: bool
    as_of: datetime | None


class CdrPage(msgspec.Struct, kw_only=True):
    items: list[Cdr]
    next: str | None


def _decode(body: bytes, type_: Any) -> Any:
    try:
        return msgspec.json.decode(body or b"{}", type=type_)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise ValidationException(str(exc)) from None


def _view(doc: TariffDoc, now: float) -> TariffView:
    current = in_force(doc.versions, now)
    return TariffView(id=doc.id, in_force=current, versions=doc.versions)


@contextlib.contextmanager
def _invalid_as_400() -> Iterator[None]:
    try:
        yield
    except Invalid as exc:
        raise ValidationException(str(exc)) from None


def _charger_tariff(
    charger_id: str, own: AssignmentDoc | None, effective: TariffChoice
) -> ChargerTariff:
    """A charger's assignment (the latest) and the tariff in effect for it."""
    last = own.history[-1] if own is not None else None
    tariff, via = effective
    return ChargerTariff(
        charger_id=charger_id,
        tariff_id=last.tariff_id if last else None,
        group=last.group if last else None,
        effective_tariff_id=tariff.id if tariff else None,
        via=via,
    )


def _cost(doc: BillingSession) -> Cost:
    """A session's cost: its CDR's total once it ended, else the running
    cost so far (none before its first priced reading)."""
    cost = Cost(
        session_id=doc.id,
        charger_id=doc.charger_id,
        currency=doc.tariff.currency if doc.tariff else None,
        tariff_id=doc.tariff.id if doc.tariff else None,
        via=doc.tariff_via,
        total_excl_vat=None,
        total_incl_vat=None,
        energy_wh=doc.energy_wh,
        ended=doc.ended is not None,
        as_of=None,
    )
    if doc.cdr is not None:
        cost.currency = doc.cdr.currency
        cost.total_excl_vat = doc.cdr.total_cost.excl_vat
        cost.total_incl_vat = doc.cdr.total_cost.incl_vat
        cost.as_of = doc.cdr.end_date_time
    elif (running := running_cost(doc)) is not None:
        priced, as_of = running
        cost.total_excl_vat = priced.total.excl_vat
        cost.total_incl_vat = priced.total.incl_vat
        cost.as_of = datetime.fromtimestamp(as_of, UTC)
    return cost


def _cdr_window(
    from_: datetime | None, to: datetime | None, after: str | None
) -> tuple[str | None, str | None]:
    """The CDR listing's bounds as CDR ids (which start with the time they
    were made, in hex ms): where the page starts after, and the id prefix it
    stops before."""
    for name, value in (("from", from_), ("to", to)):
        if value is not None and value.tzinfo is None:
            raise ValidationException(f"{name}: give a time zone (2026-12-01T00:00:00Z)")
    start = f"{int(from_.timestamp() * 1000):012x}" if from_ else None
    if start is not None and (after is None or after < start):
        after = start
    stop = f"{int(to.timestamp() * 1000):012x}" if to else None
    return after, stop


def routes(service: BillingService) -> list[Any]:
    """The handlers: tariffs, assignments (chargers' and groups'), sessions' CDRs and costs."""
    return [*_tariff_routes(service), *_assignment_routes(service), *_session_routes(service)]


def _tariff_routes(service: BillingService) -> list[Any]:
    @put(
        "/v1/tariffs/{tariff_id:str}",
        summary="Create a tariff, or a new version of one",
        description="Prices exclude VAT; money is a decimal string. The version takes "
        "effect at valid_from (now when not given; never in the past). Sessions are "
        "priced with the version in force when they started (docs/billing.md).",
        tags=["billing"],
        status_code=200,
    )
    async def put_tariff(
        tariff_id: Annotated[str, PathParameter(pattern=_NAME)], request: Request[Any, Any, Any]
    ) -> TariffView:
        tariff = _decode(await request.body(), Tariff)
        with _invalid_as_400():
            await service.put_tariff(tariff_id, tariff)
        doc = await service.get_tariff(tariff_id)
        assert doc is not None
        return _view(doc, service.clock())

    @get("/v1/tariffs/{tariff_id:str}", summary="A tariff and its versions", tags=["billing"])
    async def get_tariff(tariff_id: Annotated[str, PathParameter()]) -> TariffView:
        doc = await service.get_tariff(tariff_id)
        if doc is None:
            raise NotFoundException(f"no tariff {tariff_id!r}")
        return _view(doc, service.clock())

    @get("/v1/tariffs", summary="Tariffs, by id", tags=["billing"])
    async def list_tariffs(limit: Limit = 100, after: After = None) -> TariffPage:
        docs = await service.tariffs.page(limit, after)
        now = service.clock()
        return TariffPage(
            items=[_view(doc, now) for doc in docs],
            next=docs[-1].id if len(docs) == limit else None,
        )

    return [put_tariff, get_tariff, list_tariffs]


def _assignment_routes(service: BillingService) -> list[Any]:
    async def charger_view(charger_id: str) -> ChargerTariff:
        own = await service.assignment(f"charger:{charger_id}")
        effective = await service.resolve(charger_id, service.clock())
        return _charger_tariff(charger_id, own, effective)

    @put(
        "/v1/chargers/{charger_id:str}/tariff",
        summary="Assign a charger its tariff and its tariff group",
        description="From now on; sessions already started keep their tariff. A charger's "
        "own tariff wins over its group's, which wins over the group `default`'s.",
        tags=["billing"],
        status_code=200,
    )
    async def assign_charger(
        charger_id: Annotated[str, PathParameter(max_length=255)],
        request: Request[Any, Any, Any],
    ) -> ChargerTariff:
        body = _decode(await request.body(), ChargerTariffIn)
        with _invalid_as_400():
            await service.assign(f"charger:{charger_id}", body.tariff_id, body.group)
        return await charger_view(charger_id)

    @get(
        "/v1/chargers/{charger_id:str}/tariff",
        summary="A charger's tariff assignment and the tariff in effect",
        tags=["billing"],
    )
    async def charger_tariff(
        charger_id: Annotated[str, PathParameter(max_length=255)],
    ) -> ChargerTariff:
        return await charger_view(charger_id)

    @put(
        "/v1/tariff-groups/{group:str}",
        summary="Assign a tariff group its tariff (the group `default`: every charger's)",
        tags=["billing"],
        status_code=200,
    )
    async def assign_group(
        group: Annotated[str, PathParameter(pattern=_NAME)], request: Request[Any, Any, Any]
    ) -> GroupTariff:
        body = _decode(await request.body(), GroupTariffIn)
        with _invalid_as_400():
            await service.assign(f"group:{group}", body.tariff_id)
        return GroupTariff(group=group, tariff_id=body.tariff_id)

    @get("/v1/tariff-groups/{group:str}", summary="A tariff group's tariff", tags=["billing"])
    async def group_tariff(group: Annotated[str, PathParameter()]) -> GroupTariff:
        doc = await service.assignment(f"group:{group}")
        if doc is None:
            raise NotFoundException(f"no tariff group {group!r}")
        return GroupTariff(group=group, tariff_id=doc.history[-1].tariff_id)

    return [assign_charger, charger_tariff, assign_group, group_tariff]


def _session_routes(service: BillingService) -> list[Any]:
    @get(
        "/v1/sessions/{session_id:str}/cdr",
        summary="A session's charge detail record (the latest version, or ?version=)",
        tags=["billing"],
    )
    async def session_cdr(
        session_id: Annotated[str, PathParameter()],
        version: Annotated[int | None, QueryParameter(ge=1)] = None,
    ) -> Cdr:
        cdr = await service.cdr_of(session_id, version)
        if cdr is None:
            raise NotFoundException(
                f"no CDR for session {session_id!r}"
                + (f" version {version}" if version else " (yet: it follows the session's end)")
            )
        return cdr

    @get(
        "/v1/sessions/{session_id:str}/cost",
        summary="A session's cost so far (or its CDR's total once it ended)",
        tags=["billing"],
    )
    async def session_cost(session_id: Annotated[str, PathParameter()]) -> Cost:
        doc = await service.sessions.get(session_id)
        if doc is None:
            raise NotFoundException(f"no session {session_id!r} known to billing")
        return _cost(doc)

    @get(
        "/v1/cdrs",
        summary="CDRs by when they were made (OCPI's last_updated), oldest first",
        description="The latest version of each session's CDR; ?versions=all for every "
        "version. from and to (RFC 3339) bound the time a CDR was made, to exclusive.",
        tags=["billing"],
    )
    async def list_cdrs(
        charger_id: Annotated[str | None, QueryParameter()] = None,
        from_: Annotated[datetime | None, QueryParameter(name="from")] = None,
        to: Annotated[datetime | None, QueryParameter()] = None,
        versions: Annotated[str, QueryParameter(pattern="^(latest|all)$")] = "latest",
        limit: Limit = 100,
        after: After = None,
    ) -> CdrPage:
        after, stop = _cdr_window(from_, to, after)
        docs = await service.cdrs.page(
            charger_id=charger_id, latest_only=versions == "latest", limit=limit, after=after
        )
        items = [doc for doc in docs if stop is None or doc.id[:12] < stop]
        return CdrPage(
            items=[doc.cdr for doc in items],
            next=docs[-1].id if len(docs) == limit and len(items) == len(docs) else None,
        )

    return [session_cdr, session_cost, list_cdrs]
