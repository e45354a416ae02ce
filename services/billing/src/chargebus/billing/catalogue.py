"""Tariffs, their versions and who has which: the I/O around
chargebus.billing.tariffs, for the API and for pricing a session.

Rule: a tariff or an assignment that can't be used raises
:class:`~chargebus.billing.model.Invalid` naming the field, before anything
is written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from chargebus.billing.model import Assignment, AssignmentDoc, Invalid, TariffDoc, in_force
from chargebus.billing.repositories import Assignments, Tariffs
from chargebus.billing.tariffs import (
    DEFAULT_GROUP,
    TariffChoice,
    add_assignment,
    add_version,
    candidates,
    tariff_version,
)
from chargebus.common.billing import Tariff

__all__ = ["TariffCatalogue"]


class TariffCatalogue:
    def __init__(
        self, tariffs: Tariffs, assignments: Assignments, clock: Callable[[], float]
    ) -> None:
        self.tariffs = tariffs
        self.assignments = assignments
        self.clock = clock

    async def put_tariff(self, tariff_id: str, tariff: Tariff) -> Tariff:
        """A new version of the tariff, in force from its valid_from (now
        when not given; never in the past: sessions priced keep theirs)."""
        now = self.clock()
        version = tariff_version(tariff_id, tariff, now)
        await self.tariffs.change(tariff_id, lambda doc: add_version(doc, version, now))
        return version

    async def get_tariff(self, tariff_id: str) -> TariffDoc | None:
        return await self.tariffs.get(tariff_id)

    async def assign(
        self, key: str, tariff_id: str | None, group: str | None = None
    ) -> AssignmentDoc:
        """Assign a tariff (None: none) and, for a charger, a group, from now on."""
        if tariff_id is not None and not await self.tariffs.exists(tariff_id):
            raise Invalid(f"tariff_id: no tariff {tariff_id!r}")
        now = self.clock()
        entry = Assignment(
            valid_from=datetime.fromtimestamp(now, UTC), tariff_id=tariff_id, group=group
        )
        result, _ = await self.assignments.change(
            key, lambda doc: add_assignment(doc, key, entry, now)
        )
        assert result is not None  # created, or there already
        return result

    async def assignment(self, key: str) -> AssignmentDoc | None:
        return await self.assignments.get(key)

    async def resolve(self, charger_id: str, at: float) -> TariffChoice:
        """The tariff in force at ``at`` for the charger: its own, else its
        group's, else the default's; (None, None) when there is none."""
        own = await self.assignments.get(f"charger:{charger_id}")
        charger = in_force(own.history, at) if own is not None else None
        group = None
        if charger is not None and charger.group:
            grouped = await self.assignments.get(f"group:{charger.group}")
            group = in_force(grouped.history, at) if grouped is not None else None
        fallback = await self.assignments.get(DEFAULT_GROUP)
        default = in_force(fallback.history, at) if fallback is not None else None
        for tariff_id, via in candidates(charger, group, default):
            doc = await self.tariffs.get(tariff_id)
            version = in_force(doc.versions, at) if doc is not None else None
            if version is not None:
                return TariffChoice(version, via)
        return TariffChoice(None, None)
