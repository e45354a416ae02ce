"""Test tiers: every test carries exactly one tier marker, chosen by where it lives.

- ``libs/*/tests``, ``services/*/tests``, the top-level ``tests/test_*.py`` and
  ``tests/cli/`` (the command line's own tests, mirroring ``src/chargebus/cli``):
  ``unit`` (no network servers; ``scripts/test --fast`` runs just these), unless
  the test asks for RabbitMQ or Redis through a fixture (``SERVER_FIXTURES``),
  which makes it ``integration``;
- ``tests/<tier>/``: that tier (contract, e2e, integration, chaos, deploy).

A test may also carry a tier marker of its own only if it is the one its place
gives it. A test in a folder no tier covers, or marked for a second tier, stops
the collection with the list of them: a new folder of tests must be given its
tier here first, so that no test escapes the fast lane or CI by accident.
Run one tier with ``pytest -m <tier>``.

The tests of a module that uses Hypothesis also get Hypothesis' own
``hypothesis`` marker (its plugin gives it only to ``@given`` test functions,
and these modules draw inside the test): they draw hundreds of payloads from
the OCPP schemas and take most of the unit tier's time, so the fast lane
(``scripts/test --fast``: ``-m "unit and not hypothesis"``) leaves them to CI.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent

#: The tiers, in pyproject's ``markers`` too (``--strict-markers``).
TIERS = ("unit", "contract", "e2e", "integration", "chaos", "deploy")

#: The fixtures (of tests/conftest.py) that need the RabbitMQ and Redis
#: servers ``scripts/test`` starts.
SERVER_FIXTURES = frozenset({"amqp_url", "redis_url", "clean_rabbitmq", "clean_redis"})

#: The folders under tests/ that are a tier each.
TIER_FOLDERS = {tier: tier for tier in TIERS if tier != "unit"}


def tier_by_place(path: Path, fixtures: set[str]) -> str | None:
    """The tier of a test in ``path`` (relative to the root) using ``fixtures``,
    or None when its place has no tier."""
    parts = path.parts
    needs_servers = bool(fixtures & SERVER_FIXTURES)
    beside_code = parts[0] in ("libs", "services") and len(parts) > 3 and parts[2] == "tests"
    top_level = parts[0] == "tests" and (len(parts) == 2 or parts[1] == "cli")
    if beside_code or top_level:
        return "integration" if needs_servers else "unit"
    if parts[0] == "tests" and len(parts) > 2:
        return TIER_FOLDERS.get(parts[1])
    return None


def uses_hypothesis(module: ModuleType | None) -> bool:
    """Whether a test module imported Hypothesis (or something of it)."""
    return module is not None and any(
        (getattr(value, "__module__", None) or getattr(value, "__name__", "") or "").startswith(
            "hypothesis"
        )
        for value in vars(module).values()
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    problems = []
    for item in items:
        try:
            where = item.path.resolve().relative_to(ROOT)
        except ValueError:
            problems.append(f"{item.nodeid}: outside the repository, no tier")
            continue
        tier = tier_by_place(where, set(getattr(item, "fixturenames", ())))
        own = sorted({mark.name for mark in item.iter_markers() if mark.name in TIERS})
        if tier is None:
            problems.append(f"{item.nodeid}: {where.parent} is no tier's folder (conftest.py)")
        elif own and own != [tier]:
            problems.append(f"{item.nodeid}: marked {', '.join(own)}, but its place is {tier}")
        else:
            item.add_marker(tier)
        if uses_hypothesis(getattr(item, "module", None)):
            item.add_marker("hypothesis")
    if problems:
        tiers = ", ".join(TIERS)
        listed = "\n  ".join(problems)
        raise pytest.UsageError(f"every test must be in exactly one tier ({tiers}):\n  {listed}")
