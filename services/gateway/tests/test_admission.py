"""The rate limit and the flood policy, with the clock given by the test."""

from __future__ import annotations

import pytest

from chargebus.gateway.admission import (
    PENDING_POLL,
    THROTTLE_LOG_EVERY,
    FloodPolicy,
    LogBudget,
    TokenBucket,
    Verdict,
)

# -- the token bucket ---------------------------------------------------------------


def test_a_full_bucket_gives_its_burst_then_says_how_long_to_wait() -> None:
    bucket = TokenBucket(rate=4.0, burst=3, now=100.0)
    assert [bucket.take(100.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take(100.0) == 0.25
    assert bucket.take(100.125) == 0.125  # half a token came back
    assert bucket.take(100.25) == 0.0


def test_a_bucket_refills_no_further_than_its_burst() -> None:
    bucket = TokenBucket(rate=10.0, burst=2, now=0.0)
    bucket.take(0.0)
    bucket.take(0.0)
    assert [bucket.take(3600.0) for _ in range(3)] == [0.0, 0.0, pytest.approx(0.1)]


def test_no_rate_is_no_limit() -> None:
    bucket = TokenBucket(rate=0.0, burst=1, now=0.0)
    assert all(bucket.take(0.0) == 0.0 for _ in range(1000))


# -- the log budget -----------------------------------------------------------------


def test_the_log_budget_counts_the_lines_it_left_out() -> None:
    budget = LogBudget(per_second=1.0, burst=2)
    assert [budget.take(0.0) for _ in range(4)] == [0, 0, None, None]
    assert budget.take(1.0) == 2  # the line that passes says two were left out
    assert budget.take(1.0) is None
    assert budget.take(2.0) == 1


# -- the flood policy ---------------------------------------------------------------


def policy(rate: float = 10.0, burst: int = 2, close_after: float = 60.0) -> FloodPolicy:
    return FloodPolicy(rate, burst, close_after, now=0.0)


def test_a_charger_under_its_rate_is_admitted() -> None:
    flood = policy()
    assert flood.check(0.0, pending_full=False) is Verdict.ADMIT
    assert flood.check(0.1, pending_full=False) is Verdict.ADMIT
    assert flood.throttled_since is None


def test_over_its_rate_an_episode_begins_then_it_waits() -> None:
    flood = policy(rate=10.0, burst=1)
    assert flood.check(0.0, pending_full=False) is Verdict.ADMIT
    assert flood.check(0.0, pending_full=False) is Verdict.THROTTLE
    assert (flood.why, flood.wait) == ("rate", pytest.approx(0.1))
    assert flood.throttled_since == 0.0
    assert flood.check(0.05, pending_full=False) is Verdict.WAIT
    assert flood.wait == pytest.approx(0.05)


def test_too_many_pending_calls_throttle_whatever_the_rate() -> None:
    flood = policy(rate=0.0)
    assert flood.check(5.0, pending_full=True) is Verdict.THROTTLE
    assert (flood.why, flood.wait) == ("pending", PENDING_POLL)
    assert flood.check(5.02, pending_full=True) is Verdict.WAIT
    # No rate limit: the episode ends with the first message admitted.
    assert flood.check(5.04, pending_full=False) is Verdict.ADMIT
    assert flood.throttled_since is None


def test_throttled_for_close_after_seconds_is_a_flood() -> None:
    flood = policy(rate=1.0, burst=1, close_after=60.0)
    flood.check(0.0, pending_full=False)
    assert flood.check(0.0, pending_full=False) is Verdict.THROTTLE
    assert flood.check(59.9, pending_full=True) is Verdict.WAIT
    assert flood.check(60.0, pending_full=True) is Verdict.CLOSE
    assert flood.throttled_for(60.0) == 60.0
    assert flood.limit_text(max_pending=4) == "4 CALLs waiting for an answer"


def test_the_episode_ends_only_once_the_bucket_is_half_full_again() -> None:
    flood = policy(rate=1.0, burst=4)
    for _ in range(4):
        assert flood.check(0.0, pending_full=False) is Verdict.ADMIT
    assert flood.check(0.0, pending_full=False) is Verdict.THROTTLE
    assert flood.check(1.0, pending_full=False) is Verdict.ADMIT  # one token: still in it
    assert flood.throttled_since == 0.0
    assert flood.check(4.0, pending_full=False) is Verdict.ADMIT  # three came back, two left
    assert flood.throttled_since is None
    assert flood.limit_text(max_pending=4) == "over 1 messages/s (burst 4)"


def test_an_episode_is_worth_a_line_once_in_a_while() -> None:
    flood = policy()
    assert flood.worth_a_line(0.0)
    assert not flood.worth_a_line(THROTTLE_LOG_EVERY - 0.1)
    assert flood.worth_a_line(THROTTLE_LOG_EVERY)
