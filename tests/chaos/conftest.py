"""Fixtures of the chaos tests: every process a test starts is stopped at
its end, and when the test failed the tail of each one's log is printed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from chaos import Processes


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def processes(request: pytest.FixtureRequest) -> Iterator[Processes]:
    started = Processes()
    try:
        yield started
    finally:
        started.stop_all()
        report = getattr(request.node, "report_call", None)
        if report is None or report.failed:
            print("\n" + started.tails())
