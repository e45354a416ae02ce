"""The fleet's figures: nearest-rank percentiles, the JSON summary, the live
status and the text summary, from counters set by hand (no sockets)."""

from __future__ import annotations

from chargebus.cli.simulate.stats import Stats, quantile, quantiles_ms


def test_quantiles_are_nearest_rank_over_sorted_values() -> None:
    values = [0.001 * n for n in range(1, 101)]  # 1 ms .. 100 ms
    assert quantile(values, 0.5) == values[49]
    assert quantile(values, 0.99) == values[98]
    assert quantile(values, 1.0) == values[99]
    assert quantile(values, 0.0) == values[0]
    assert quantile([], 0.5) is None
    assert quantile([0.2], 0.99) == 0.2


def test_quantiles_in_ms_name_p50_p90_p99_and_the_maximum() -> None:
    ms = quantiles_ms([0.001, 0.002, 0.010])
    assert ms == {"p50_ms": 2.0, "p90_ms": 10.0, "p99_ms": 10.0, "max_ms": 10.0}
    assert quantiles_ms([]) == dict.fromkeys(("p50_ms", "p90_ms", "p99_ms", "max_ms"))


def seen() -> Stats:
    stats = Stats()
    stats.connections = stats.connected = stats.peak_connected = 2
    stats.booted = {"SIM-0000", "SIM-0001"}
    stats.boots = 2
    stats.sent.update({"BootNotification": 2, "Heartbeat": 3})
    stats.answered.update({"BootNotification": 2, "Heartbeat": 2})
    stats.latency["BootNotification"].extend([0.004, 0.002])
    stats.latency["Heartbeat"].extend([0.001, 0.003])
    stats.timeouts["Heartbeat"] = 1
    stats.errors["NotImplemented"] = 1
    stats.closes[1000] = 2
    return stats


def test_the_json_summary_has_each_action_and_the_overall_latency() -> None:
    summary = seen().as_dict(count=2, elapsed=1.23456)
    assert summary["elapsed_s"] == 1.235 and summary["chargers"] == 2
    assert summary["booted"] == 2 and summary["answered"] == 4
    heartbeat = summary["actions"]["Heartbeat"]
    assert heartbeat["sent"] == 3 and heartbeat["answered"] == 2 and heartbeat["timeouts"] == 1
    assert heartbeat["p50_ms"] == 1.0 and heartbeat["max_ms"] == 3.0
    assert summary["latency"]["max_ms"] == 4.0 and summary["latency"]["p50_ms"] == 2.0
    assert summary["errors"] == {"NotImplemented": 1}
    assert summary["closes"] == {"1000": 2}  # JSON keys are strings


def test_the_live_status_is_counters_only() -> None:
    status = seen().status(count=2, elapsed=0.5, phase="run")
    assert status["phase"] == "run" and status["booted"] == 2
    assert status["timeouts"] == 1 and status["answered"] == {"BootNotification": 2, "Heartbeat": 2}
    assert not any(key.endswith("_ms") for key in status)


def test_the_text_summary_shows_what_went_wrong_and_only_that() -> None:
    text = seen().summary(count=2, elapsed=1.0)
    lines = text.splitlines()
    assert lines[0].startswith("chargers: 2, connected at most 2, booted 2")
    heartbeat = next(line for line in lines if line.startswith("Heartbeat"))
    assert heartbeat.split() == ["Heartbeat", "3", "2", "1.0", "3.0"]
    assert "CALLERRORs: NotImplemented 1" in lines
    assert "time-outs: Heartbeat 1" in lines
    assert not any(line.startswith(("invalid answers", "refused", "stalled")) for line in lines)


def test_an_action_never_answered_has_no_latency() -> None:
    stats = Stats()
    stats.sent["Authorize"] = 1
    assert stats.percentile("Authorize", 0.5) is None
    assert stats.summary(count=1, elapsed=1.0).splitlines()[-1].split() == [
        "Authorize",
        "1",
        "0",
        "-",
        "-",
    ]
