"""How many inputs each fuzz test tried: printed as it ends (visible with
``-s``) and listed again in pytest's terminal summary.

A fuzz test calls :func:`record` once it is done; :func:`fuzz_settings`
gives the hypothesis settings every fuzz test uses: an example budget, no
deadline (the machine is shared), and the same examples every run under CI
(the ``ci`` profile of libs/common/tests/conftest.py, applied here too so the
service suites, which don't load that profile, are derandomized as well).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

__all__ = ["fuzz_settings", "install", "record"]

_COUNTS: dict[str, int] = {}
_INSTALLED: set[int] = set()


class _Summary:
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not _COUNTS:
            return
        terminalreporter.section("fuzzing: inputs tried")
        for target, count in sorted(_COUNTS.items()):
            terminalreporter.write_line(f"{target}: {count}")
        terminalreporter.write_line(f"total: {sum(_COUNTS.values())}")


def install(config: pytest.Config) -> None:
    """Have the counts listed in the terminal summary (idempotent)."""
    if id(config) in _INSTALLED:
        return
    _INSTALLED.add(id(config))
    config.pluginmanager.register(_Summary(), "chargebus-fuzz-tally")


def record(target: str, count: int) -> None:
    _COUNTS[target] = _COUNTS.get(target, 0) + count
    print(f"\nfuzz: {target}: {count} inputs tried")


def fuzz_settings(max_examples: int) -> settings:
    ci: dict[str, Any] = {"derandomize": True, "database": None} if os.environ.get("CI") else {}
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.function_scoped_fixture,
            HealthCheck.large_base_example,
        ],
        **ci,
    )
