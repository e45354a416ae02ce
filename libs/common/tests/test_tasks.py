"""The task set, the per-work backoff and the one map of version names."""

from __future__ import annotations

import asyncio

import pytest

from chargebus.common.backoff import Backoff
from chargebus.common.ocpp.versions import SHORT_NAMES, OcppVersion
from chargebus.common.tasks import TaskSet, every


async def test_a_task_set_keeps_its_tasks_until_they_end_and_cancels_the_rest() -> None:
    tasks = TaskSet("test")
    done = asyncio.Event()
    tasks.spawn(done.wait())
    forever = tasks.spawn(asyncio.sleep(3600))
    assert len(tasks) == 2
    done.set()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert len(tasks) == 1
    await tasks.cancel()
    assert forever.cancelled()
    assert len(tasks) == 0


async def test_a_failing_task_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    async def fail() -> None:
        raise RuntimeError("boom")

    tasks = TaskSet("outcome")
    tasks.spawn(fail())
    await tasks.wait()
    assert "outcome failed" in caplog.text
    assert "boom" in caplog.text


async def test_every_goes_on_after_an_expected_failure(caplog: pytest.LogCaptureFixture) -> None:
    runs = 0
    third_run = asyncio.Event()

    async def job() -> None:
        nonlocal runs
        runs += 1
        if runs == 3:
            third_run.set()
        if runs == 1:
            raise ConnectionError("away")

    loop = asyncio.create_task(every(0.001, job, (ConnectionError,)))
    await asyncio.wait_for(third_run.wait(), timeout=5)
    loop.cancel()
    assert "failed, tried again later: away" in caplog.text


def test_backoff_doubles_to_its_cap_and_each_piece_of_work_has_its_own() -> None:
    first, second = Backoff(0.1, 0.5), Backoff(0.1, 0.5)
    assert [first.next_delay() for _ in range(5)] == [0.1, 0.2, 0.4, 0.5, 0.5]
    assert second.next_delay() == 0.1  # the other's waits don't move this one
    first.reset()
    assert first.next_delay() == 0.1
    with pytest.raises(ValueError, match="first"):
        Backoff(0, 1)


def test_short_names_go_both_ways() -> None:
    for version in OcppVersion:
        assert OcppVersion.from_short(version.short) is version
        assert SHORT_NAMES[version.value] == version.short
    with pytest.raises(KeyError):
        OcppVersion.from_short("v15")
