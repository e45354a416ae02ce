"""Hostile chargers over real sockets, against the gateway in both modes
(embedded, and RabbitMQ + Redis): damaged frames of every kind, binary and
invalid UTF-8 frames, frames over the size limit, half a frame then a
dropped socket, and floods.  Each bad frame gets the spec's CALLERROR (or
nothing, or a clean close with the right code), nothing escapes into the
logs as a traceback, memory stays bounded, and a well-behaved charger on
the same gateway keeps getting its Heartbeats answered throughout.

No timing is a pass/fail threshold: only generous "eventually" deadlines.
Everything talks to 127.0.0.1; every loop is bounded in count and time.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import random
from typing import Any

import pytest
import websockets
from hostile_support import (
    GoodCharger,
    booted,
    check,
    hostile_frames,
    masked_frame,
    raw_upgrade,
    rss_bytes,
)
from websockets.asyncio.client import connect

from chargebus.common.envelope import Reply

#: Frames per subprotocol per mode in the socket fuzzer.
FRAMES = 150
#: Growth of the process's memory over the fuzzer that counts as a leak.
MEMORY_BOUND = 200 * 1024 * 1024


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    # One call: each set_level also sets the capturing handler's level.
    # websockets and asyncio stay at the root's WARNING.
    caplog.set_level(logging.INFO, logger="chargebus")
    return caplog


def assert_nothing_escaped(caplog: pytest.LogCaptureFixture) -> None:
    """No traceback, no unhandled error, nothing at ERROR in the logs."""
    bad = [
        f"{r.name} {r.levelname}: {r.getMessage()}"
        for r in caplog.records
        if r.exc_info
        or r.levelno >= logging.ERROR
        or "Unhandled" in r.getMessage()
        or "Traceback" in r.getMessage()
    ]
    assert not bad, bad


async def answers_until(ws: Any, sentinel: str, limit: int = 10) -> list[list[Any]]:
    """What the gateway sent until the answer to ``sentinel`` (excluded)."""
    seen: list[list[Any]] = []
    for _ in range(limit):
        answer = json.loads(await asyncio.wait_for(ws.recv(), 15))
        if answer[:2] == [3, sentinel]:
            return seen
        seen.append(answer)
    raise AssertionError(f"no answer to {sentinel} among {seen}")


def sample(gateway: Any, name: str, **labels: str) -> float:
    value = gateway.metrics.registry.get_sample_value(name, labels)
    return 0.0 if value is None else float(value)


# -- the socket fuzzer ---------------------------------------------------------------


async def test_damaged_frames_get_the_spec_answer_and_nothing_else_suffers(
    deployment, url, logs
) -> None:
    gateway = await deployment.gateway(
        max_message_bytes=256 * 1024, max_calls_per_second=1000.0, call_burst=1000
    )
    good = GoodCharger(url(gateway, "CP-GOOD"))
    await good.start()
    rng = random.Random(9)
    tried = 0
    gc.collect()
    before = rss_bytes()
    try:
        for protocol in ("ocpp1.6", "ocpp2.0.1", "ocpp2.1"):
            frames = hostile_frames(rng, protocol, FRAMES)
            async with connect(
                url(gateway, f"CP-FUZZ-{protocol}"), subprotocols=[protocol], max_size=None
            ) as ws:
                for n, (frame, expect) in enumerate(frames):
                    await ws.send(frame)
                    await ws.send(json.dumps([2, f"s{n}", "Heartbeat", {}]))
                    check(protocol, frame, expect, await answers_until(ws, f"s{n}"))
                    tried += 1
        gc.collect()
        grown = rss_bytes() - before
    finally:
        await good.stop()
    print(f"\nsocket fuzzer ({deployment.mode}): {tried} frames tried; RSS grew {grown >> 20} MiB")
    assert not good.failures, good.failures
    assert good.answered > 0
    assert grown < MEMORY_BOUND, grown
    assert not gateway.connections or set(gateway.connections) <= {"CP-GOOD"}
    assert_nothing_escaped(logs)


async def test_the_whole_csms_shrugs_off_damaged_frames(csms, logs) -> None:
    """The same against the gateway with the sessions, commands and billing
    services behind it and registration required: chargers boot first."""
    await csms.start()
    good = GoodCharger(csms.url("CP-GOOD"), "ocpp2.0.1", boot=True)
    await good.start()
    rng = random.Random(16)
    tried = 0
    try:
        for protocol in ("ocpp1.6", "ocpp2.0.1", "ocpp2.1"):
            async with connect(
                csms.url(f"CP-FUZZ-{protocol}"), subprotocols=[protocol], max_size=None
            ) as ws:
                await booted(ws, protocol)
                for n, (frame, expect) in enumerate(hostile_frames(rng, protocol, FRAMES // 3)):
                    await ws.send(frame)
                    await ws.send(json.dumps([2, f"s{n}", "Heartbeat", {}]))
                    check(protocol, frame, expect, await answers_until(ws, f"s{n}"))
                    tried += 1
    finally:
        await good.stop()
    print(f"\nsocket fuzzer, whole CSMS ({csms.deployment.mode}): {tried} frames tried")
    assert not good.failures, good.failures
    assert good.answered > 0
    assert_nothing_escaped(logs)


async def test_frames_the_websocket_layer_refuses_close_cleanly_with_their_code(
    deployment, url, logs, wait_until
) -> None:
    gateway = await deployment.gateway(max_message_bytes=64 * 1024)
    good = GoodCharger(url(gateway, "CP-GOOD"))
    await good.start()
    closes: dict[str, int | None] = {}
    tried = 0
    try:
        cases: list[tuple[str, Any, dict[str, Any]]] = [
            ("binary", b'[2,"b","Heartbeat",{}]', {}),
            ("binary-garbage", bytes(range(256)) * 4, {}),
            ("invalid-utf8", b'[2,"u","Heartbeat",{"x":"\xff\xfe"}]', {"text": True}),
            ("surrogate", b'[2,"u","Heartbeat",{"x":"\xed\xa0\x80"}]', {"text": True}),
            ("too-big", '[2,"t","Heartbeat",{"x":"' + "x" * 70_000 + '"}]', {}),
            ("too-big-garbage", "[" * 200_000, {}),
        ]
        for name, frame, options in cases:
            async with connect(
                url(gateway, f"CP-{name}"), subprotocols=["ocpp1.6"], max_size=None
            ) as ws:
                await ws.send(frame, **options)
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    await asyncio.wait_for(ws.recv(), 10)
                closes[name] = closed.value.rcvd.code if closed.value.rcvd else None
                tried += 1
        # Half a frame, then the socket goes; half a handshake, likewise.
        for n, cut in enumerate([1, 2, 6, 20]):
            reader, writer = await raw_upgrade(gateway.ocpp_port, f"CP-HALF-{n}")
            writer.write(masked_frame(b'[2,"h","Heartbeat",{"a":"' + b"b" * 100 + b'"}]')[:cut])
            await writer.drain()
            writer.close()
            tried += 1
        reader, writer = await asyncio.open_connection("127.0.0.1", gateway.ocpp_port)
        writer.write(b"GET /ocpp/CP-HALF-HS HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgr")
        await writer.drain()
        writer.close()
        tried += 1
        await wait_until(lambda: set(gateway.connections) <= {"CP-GOOD"}, 30)
        await asyncio.sleep(0.3)  # a few more of the good charger's Heartbeats
    finally:
        await good.stop()
    print(f"\nrefused frames ({deployment.mode}): {tried} tried: {closes}")
    assert closes == {
        "binary": 1003,
        "binary-garbage": 1003,
        "invalid-utf8": 1007,
        "surrogate": 1007,
        "too-big": 1009,
        "too-big-garbage": 1009,
    }
    assert sample(gateway, "chargebus_gateway_limit_closes_total", reason="binary_frame") == 2
    assert sample(gateway, "chargebus_gateway_limit_closes_total", reason="message_too_big") == 2
    assert any("(1009)" in r.getMessage() and "CP-too-big" in r.getMessage() for r in logs.records)
    assert not good.failures, good.failures
    assert good.answered > 0
    assert_nothing_escaped(logs)


# -- per-connection limits ------------------------------------------------------------


async def test_a_flood_is_throttled_then_closed_with_1008_and_others_are_untouched(
    deployment, url, logs
) -> None:
    gateway = await deployment.gateway(
        max_calls_per_second=20.0, call_burst=10, call_flood_disconnect_after=1.0
    )
    good = GoodCharger(url(gateway, "CP-GOOD"))  # ~20 a second at most, one at a time
    await good.start()
    sent = 0
    answered = 0
    code: int | None = None
    reason: str | None = None

    async def read(ws: Any) -> None:
        # A flooder that reads its answers (else its own receive buffer
        # fills, it stops reading, and never sees the close frame).
        nonlocal answered
        with contextlib.suppress(websockets.ConnectionClosed):
            for _ in range(200_001):
                await ws.recv()
                answered += 1

    try:
        async with connect(url(gateway, "CP-FLOOD"), subprotocols=["ocpp1.6"]) as ws:
            reader = asyncio.create_task(read(ws))
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 60
            with contextlib.suppress(websockets.ConnectionClosed):
                # Without waiting for answers: TCP back-pressure stalls this
                # send once the gateway stops reading, until it closes.
                while sent < 200_000 and loop.time() < deadline:
                    await asyncio.wait_for(
                        ws.send(json.dumps([2, f"f{sent}", "Heartbeat", {}])),
                        deadline - loop.time(),
                    )
                    sent += 1
            await asyncio.wait_for(reader, 30)
            code = ws.close_code
            reason = ws.close_reason
    finally:
        await good.stop()
    print(
        f"\nflood ({deployment.mode}): {sent} CALLs sent, {answered} answered, "
        f"then closed ({code}: {reason})"
    )
    assert code == 1008, (code, reason)
    assert reason and "policy violation" in reason
    messages = [r.getMessage() for r in logs.records]
    assert sum("throttling CP-FLOOD" in m for m in messages) == 1, messages
    assert sum("closing CP-FLOOD (1008)" in m for m in messages) == 1, messages
    assert sample(gateway, "chargebus_gateway_limit_closes_total", reason="flood") == 1
    assert sample(gateway, "chargebus_gateway_throttled_total", reason="rate") >= 1
    assert not any("throttling CP-GOOD" in m for m in messages)
    assert not good.failures, good.failures
    assert good.answered > 0
    assert_nothing_escaped(logs)


async def test_a_charger_under_the_limit_is_never_throttled(deployment, url, logs) -> None:
    gateway = await deployment.gateway(
        max_calls_per_second=20.0, call_burst=60, call_flood_disconnect_after=1.0
    )
    async with connect(url(gateway, "CP-CALM"), subprotocols=["ocpp2.0.1"]) as ws:
        # An offline queue replayed within the burst, all at once...
        for n in range(50):
            await ws.send(json.dumps([2, f"q{n}", "Heartbeat", {}]))
        answers = [json.loads(await asyncio.wait_for(ws.recv(), 15)) for _ in range(50)]
        assert [a[:2] for a in answers] == [[3, f"q{n}"] for n in range(50)]
        # ...then a few a second (sleeping only makes more tokens).
        for n in range(20):
            await ws.send(json.dumps([2, f"h{n}", "Heartbeat", {}]))
            assert json.loads(await asyncio.wait_for(ws.recv(), 15))[:2] == [3, f"h{n}"]
            await asyncio.sleep(0.1)
    assert sample(gateway, "chargebus_gateway_throttled_total", reason="rate") == 0
    assert sample(gateway, "chargebus_gateway_limit_closes_total", reason="flood") == 0
    assert not any("throttling" in r.getMessage() for r in logs.records)
    assert_nothing_escaped(logs)


@pytest.mark.parametrize("max_pending", [2, 0])
async def test_calls_past_max_pending_wait_on_the_socket_and_are_all_answered(
    deployment, url, logs, max_pending: int
) -> None:
    """A charger that doesn't wait for answers (1.6 only SHOULD) while a
    decision is slow: past max_pending_calls the gateway stops reading its
    socket instead of refusing, and answers everything in order."""
    owner = await deployment.owner()

    def slow(_message: Any) -> Reply | None:
        return None  # never answers: the decision times out

    owner.answer("Authorize", slow)
    gateway = await deployment.gateway(max_pending_calls=max_pending, decision_timeout=1.0)
    async with connect(url(gateway, "CP-PIPE"), subprotocols=["ocpp1.6"]) as ws:
        await ws.send('[2,"a","Authorize",{"idTag":"T"}]')
        for n in range(10):
            await ws.send(json.dumps([2, f"p{n}", "Heartbeat", {}]))
        answers = [json.loads(await asyncio.wait_for(ws.recv(), 30)) for _ in range(11)]
    assert [a[:2] for a in answers] == [[4, "a"]] + [[3, f"p{n}"] for n in range(10)]
    assert answers[0][2] == "InternalError"  # the decision timed out: retry
    assert sample(gateway, "chargebus_gateway_throttled_total", reason="pending") >= 1
    assert any("throttling CP-PIPE" in r.getMessage() for r in logs.records)
    assert sample(gateway, "chargebus_gateway_limit_closes_total", reason="flood") == 0
    assert_nothing_escaped(logs)


async def test_junk_does_not_flood_the_log(deployment, url, logs) -> None:
    """Answers nobody asked for, and frames the spec says to ignore, are
    logged within a process-wide budget that says how many it left out (the
    rate limit is off here: 0)."""
    gateway = await deployment.gateway(max_calls_per_second=0.0)
    frames = 2000
    async with connect(url(gateway, "CP-JUNK"), subprotocols=["ocpp2.1"]) as ws:
        for n in range(frames):
            await ws.send(json.dumps([3, f"j{n}", {}]) if n % 2 else json.dumps([6, f"j{n}", 7]))
        await ws.send('[2,"last","Heartbeat",{}]')
        assert await answers_until(ws, "last", limit=1) == []
        # The budget refills with time: the next such line says what it left out.
        await asyncio.sleep(0.5)
        await ws.send('[3,"one-more",{}]')
        await ws.send('[2,"really-last","Heartbeat",{}]')
        assert await answers_until(ws, "really-last", limit=1) == []
    lines = [
        r.getMessage()
        for r in logs.records
        if "matched no call in flight" in r.getMessage() or "ignored from" in r.getMessage()
    ]
    print(f"\njunk ({deployment.mode}): {frames} frames, {len(lines)} log lines")
    assert len(lines) < frames
    assert any("left out" in line for line in lines)
    assert_nothing_escaped(logs)
