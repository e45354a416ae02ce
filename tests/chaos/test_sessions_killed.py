"""Chaos 2: the sessions service killed with SIGKILL mid-stream, and
started again on the same store.

While it is away the gateway answers the chargers' decisions with
InternalError once its decision timeout passes, and they send them again;
what the dead process had taken and not acked is delivered again to the new
one. Every transaction message answered is stored exactly once, and a
StartTransaction sent again gets the transaction id it got (or would have
got) the first time."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from chaos import (
    Charger,
    Fleet,
    Processes,
    gateway,
    reconciled,
    sessions,
    sqlite_documents,
)

CHARGERS = 60
DECISION = 12


def timed_out_and_resent(fleet: Fleet) -> bool:
    """A StartTransaction answered InternalError (the decision timeout
    spoke) and one sent at least three times (copies queued for the new
    process)."""
    starts = [m for m in fleet.sent() if m.action == "StartTransaction"]
    return any("InternalError" in m.errors for m in starts) and any(
        m.attempts >= 3 and not m.answers for m in starts
    )


def start_answered(charger: Charger) -> bool:
    """The charger's latest transaction message is an answered
    StartTransaction (at the gate, it is the StopTransaction before)."""
    return bool(charger.sent) and (
        charger.sent[-1].action == "StartTransaction" and charger.sent[-1].answered
    )


async def test_sessions_killed_and_started_again_stores_everything_once(
    processes: Processes, clean_rabbitmq: Any, clean_redis: Any, tmp_path: Path
) -> None:
    amqp_url, redis_url = await clean_rabbitmq(), await clean_redis()
    # A decision timeout (and so a queued request's expiry) of 12 s: copies
    # of a StartTransaction sent about 1.6 s apart are still queued when the
    # new process starts, even when starting it takes several seconds (it
    # did on a loaded CI machine, and with 6 s only the last copy was left).
    gw = processes.add(
        gateway("gw", tmp_path, amqp_url, redis_url, CHARGEBUS_DECISION_TIMEOUT=str(DECISION))
    )
    store = processes.add(sessions(tmp_path, amqp_url, redis_url))
    gw.start()
    store.start()
    await asyncio.gather(gw.ready(), store.ready())
    # Short sessions: many StartTransactions in flight at any time.
    fleet = Fleet(
        CHARGERS,
        lambda: f"ws://127.0.0.1:{gw.ocpp_port}/ocpp",
        "KS-",
        meter_values=1,
        interval=0.3,
    )
    # Half of them wait for the gateway's InternalError; the other half give
    # up on an answer after 1.5 s, connect again and send the CALL again, so
    # copies of one StartTransaction wait in the queue for the new process.
    for charger in fleet.chargers[::2]:
        charger.answer_timeout = 1.5
    try:
        fleet.start()
        await fleet.until_sent(CHARGERS * 3, 60)
        # The chargers are lined up between Authorize and StartTransaction
        # and let go at once; the service is killed as soon as the first of
        # their 60 StartTransactions is answered: some answered, some taken
        # and not acked (delivered again to the new process), the rest
        # queued.  (Killed at a random moment, the chargers were mostly at
        # Authorize or StopTransaction: a StartTransaction is in flight for
        # a few milliseconds only.)  Should the service get through them all
        # before the kill, the fleet is lined up again, at most three times.
        killed = 0.0
        for _ in range(3):
            await fleet.lined_up(fleet.chargers, 30)
            fleet.gate.set()
            await fleet.until(lambda: any(map(start_answered, fleet.chargers)), 5, 0.001)
            store.kill()
            killed = killed or time.monotonic()
            await fleet.until(lambda: timed_out_and_resent(fleet), DECISION + 10, 0.2)
            ready = timed_out_and_resent(fleet)
            store.start()
            await store.ready()
            if ready:
                break
        else:
            raise AssertionError("no StartTransaction timed out in three kills")
        await fleet.all_answered_since(killed, 60)
        await asyncio.sleep(2)
        await fleet.finish()

        db = tmp_path / "sessions-data" / "sessions.db"
        result = await reconciled(
            fleet,
            lambda: (sqlite_documents(db, "sessions"), sqlite_documents(db, "samples")),
        )
        errors = fleet.errors()
        starts = [m for m in fleet.sent() if m.action == "StartTransaction"]
        resent = [m for m in starts if m.attempts > 1 and m.answered]
        # A StartTransaction the service worked on more than once (its first
        # attempt stored, answered too late or not at all, then sent again or
        # delivered again): the audit log has an entry per time.
        audit = sqlite_documents(db, "audit")
        worked: dict[tuple[str, str], int] = {}
        for entry in audit:
            if entry["action"] == "StartTransaction":
                key = (entry["charger_id"], entry["payload"]["timestamp"])
                worked[key] = worked.get(key, 0) + 1
        twice = sum(
            1
            for m in starts
            if m.answered and worked.get((m.charger_id, m.payload["timestamp"]), 0) > 1
        )
        print(
            result.line(
                "kill -9 the sessions service",
                f"; StartTransactions sent again {len(resent)}, worked on twice and "
                f"answered the same id {twice}; chargers saw {dict(errors)}",
            )
        )
        assert errors["InternalError"] >= 1, errors  # the decision timeout spoke
        assert resent, "no StartTransaction was sent again"
        assert twice >= 1, "no StartTransaction was worked on twice"
        assert all(len({a["transactionId"] for a in m.answers}) == 1 for m in resent)
        assert result.lost == 0 and result.duplicates == 0, result.problems[:10]
        assert not result.problems, result.problems[:10]
    finally:
        await fleet.halt()
