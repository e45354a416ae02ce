"""The AMQP connection's coalescing writer: what is written in one turn of
the event loop leaves in one socket write, in order, and nothing is held
back past a drain or a close."""

from __future__ import annotations

import asyncio
from typing import Any

from chargebus.common.bus.amqp import _CoalescingWriter


class Recorder:
    """A StreamWriter's surface, recording each write."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.drains = 0
        self.closed = False
        self.transport: Any = "the transport"

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    async def drain(self) -> None:
        self.drains += 1

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def write_eof(self) -> None:
        self.writes.append(b"<eof>")


async def test_writes_of_one_turn_leave_together_and_in_order() -> None:
    inner = Recorder()
    writer = _CoalescingWriter(inner)  # type: ignore[arg-type]
    for frame in (b"a", b"b", b"c"):
        writer.write(frame)
    assert inner.writes == []  # held until the turn ends
    await asyncio.sleep(0)
    assert inner.writes == [b"abc"]
    writer.write(b"d")
    await asyncio.sleep(0)
    assert inner.writes == [b"abc", b"d"]


async def test_a_drain_a_close_and_an_eof_send_what_waits_first() -> None:
    inner = Recorder()
    writer = _CoalescingWriter(inner)  # type: ignore[arg-type]
    writer.write(b"x")
    await writer.drain()
    assert inner.writes == [b"x"] and inner.drains == 1
    writer.write(b"y")
    writer.write_eof()
    assert inner.writes == [b"x", b"y", b"<eof>"]
    writer.write(b"z")
    writer.close()
    assert inner.writes[-1] == b"z" and inner.closed
    await asyncio.sleep(0)  # the scheduled flush finds nothing more to send
    assert inner.writes == [b"x", b"y", b"<eof>", b"z"]
    assert writer.transport == "the transport"  # the rest is the writer's own


async def test_nothing_is_written_to_a_closing_socket() -> None:
    inner = Recorder()
    writer = _CoalescingWriter(inner)  # type: ignore[arg-type]
    writer.write(b"late")
    inner.closed = True
    await asyncio.sleep(0)
    assert inner.writes == []
