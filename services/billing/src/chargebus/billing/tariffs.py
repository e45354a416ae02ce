"""Tariff versions and assignments: pure, clock given.

Rules:

* A tariff version takes effect at its ``valid_from`` (now when not given),
  never in the past beyond a minute's clock skew: sessions already priced
  keep their tariff.  The same tariff again adds no version; a version at
  the same time as one stored replaces it (:func:`add_version`).
* An assignment (a charger's tariff and group, a group's tariff) holds from
  now on; the same one again changes nothing (:func:`add_assignment`).
* A session gets the charger's own tariff, else its group's, else the
  default group's, each as in force at the session's start
  (:func:`candidates`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

import msgspec

from chargebus.billing.model import (
    Assignment,
    AssignmentDoc,
    Invalid,
    TariffDoc,
    check_tariff,
    in_force,
)
from chargebus.common.billing import Tariff

__all__ = [
    "DEFAULT_GROUP",
    "TariffChoice",
    "add_assignment",
    "add_version",
    "candidates",
    "tariff_version",
]

#: The assignment every charger falls back on.
DEFAULT_GROUP = "group:default"
#: A tariff change can't reach back further than this (clock skew).
_PAST_TOLERANCE_S = 60.0


class TariffChoice(NamedTuple):
    """The tariff version in force at a session's start (None: none), and
    how it was found: charger, group:<name> or default."""

    tariff: Tariff | None
    via: str | None


def _time(at: float) -> datetime:
    return datetime.fromtimestamp(at, UTC)


def _body(tariff: Tariff) -> Tariff:
    return msgspec.structs.replace(tariff, valid_from=None)


def tariff_version(tariff_id: str, tariff: Tariff, now: float) -> Tariff:
    """The version a PUT of ``tariff`` makes, with its id and the time it
    takes effect; raises :class:`Invalid` naming the field."""
    if tariff.id and tariff.id != tariff_id:
        raise Invalid(f"id: {tariff.id!r} in the body, {tariff_id!r} in the path")
    check_tariff(tariff)
    valid_from = tariff.valid_from or _time(now)
    if valid_from.tzinfo is None:
        raise Invalid("valid_from: give a time zone (2026-12-01T00:00:00Z)")
    if valid_from.timestamp() < now - _PAST_TOLERANCE_S:
        raise Invalid(
            "valid_from: in the past; a tariff change applies to sessions that start "
            "after it (sessions already priced keep their tariff)"
        )
    valid_from = max(valid_from, _time(now))  # (a minute's skew: from now)
    return msgspec.structs.replace(tariff, id=tariff_id, valid_from=valid_from)


def add_version(doc: TariffDoc | None, version: Tariff, now: float) -> TariffDoc | None:
    """The tariff's document with the version added; None when nothing changes."""
    valid_from = version.valid_from
    assert valid_from is not None
    if doc is None:
        return TariffDoc(id=version.id, versions=[version], updated_at=now)
    same_time = [v for v in doc.versions if v.valid_from == valid_from]
    current = in_force(doc.versions, valid_from.timestamp())
    if current is not None and _body(current) == _body(version) and not same_time:
        return None
    versions = [v for v in doc.versions if v.valid_from != valid_from] + [version]
    doc.versions = sorted(versions, key=lambda v: v.valid_from or _time(0))
    doc.updated_at = now
    return doc


def add_assignment(
    doc: AssignmentDoc | None, key: str, entry: Assignment, now: float
) -> AssignmentDoc | None:
    """The assignment's document with the entry added; None when it is the
    assignment in force already."""
    if doc is None:
        return AssignmentDoc(id=key, history=[entry], updated_at=now)
    last = doc.history[-1]
    if (last.tariff_id, last.group) == (entry.tariff_id, entry.group):
        return None
    doc.history = sorted([*doc.history, entry], key=lambda e: e.valid_from)
    doc.updated_at = now
    return doc


def candidates(
    charger: Assignment | None, group: Assignment | None, default: Assignment | None
) -> list[tuple[str, str]]:
    """The tariffs to try, best first, with how each was found, from the
    assignments in force: the charger's, its group's and the default's."""
    found: list[tuple[str, str]] = []
    if charger is not None and charger.tariff_id:
        found.append((charger.tariff_id, "charger"))
    if charger is not None and charger.group and group is not None and group.tariff_id:
        found.append((group.tariff_id, f"group:{charger.group}"))
    if default is not None and default.tariff_id:
        found.append((default.tariff_id, "default"))
    return found
