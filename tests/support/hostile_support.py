"""Hostile input for tests/e2e/test_hostile.py: frames with the answer the
spec asks for, a well-behaved charger to run beside them, raw sockets, and
a look at the process's memory.  Everything on 127.0.0.1, every loop
bounded in count and time."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import random
import struct
from dataclasses import dataclass, field
from typing import Any

from chargers import SimulatedCharger

from chargebus.cli.simulate import CallFailed
from chargebus.common.ocpp.versions import OcppVersion

#: Error codes a CSMS may answer with, per subprotocol, in that version's
#: spelling only.
_COMMON = {
    "NotImplemented",
    "NotSupported",
    "PropertyConstraintViolation",
    "TypeConstraintViolation",
    "InternalError",
    "SecurityError",
}
CODES = {
    "ocpp1.6": _COMMON | {"FormationViolation", "OccurenceConstraintViolation"},
    "ocpp2.0.1": _COMMON
    | {
        "FormatViolation",
        "OccurrenceConstraintViolation",
        "RpcFrameworkError",
        "MessageTypeNotSupported",
    },
    "ocpp2.1": _COMMON | {"FormatViolation", "OccurrenceConstraintViolation", "RpcFrameworkError"},
}
#: The answer to a frame whose id can't be read (J201 §4.2.3; 1.6: the
#: recommendation).
UNREADABLE = {
    "ocpp1.6": "FormationViolation",
    "ocpp2.0.1": "RpcFrameworkError",
    "ocpp2.1": "RpcFrameworkError",
}


@dataclass(frozen=True)
class Expect:
    """What a frame must get: nothing (``kind`` none), a CALLRESULT, or a
    CALLERROR with this id and one of ``codes``."""

    kind: str  # "none", "result", "error"
    message_id: str = ""
    codes: frozenset[str] = field(default_factory=frozenset)


def _ids(rng: random.Random) -> str:
    return rng.choice(
        [
            f"h{rng.randrange(10**6)}",
            "-1",
            "x" * 36,
            "é✓\u00a0" + str(rng.randrange(1000)),
            "\\u0000-" + str(rng.randrange(1000)),
        ]
    )


def _weird(rng: random.Random) -> Any:
    return rng.choice(
        [
            None,
            True,
            17,
            -1,
            2**70,
            1e308,
            1.5,
            "",
            "x" * rng.choice([10, 5_000, 60_000]),
            [],
            [[[]]],
            {"a": {"b": [1, {"c": None}]}},
            "\u0000\ud7ff\ue000",
        ]
    )


def hostile_frames(rng: random.Random, protocol: str, count: int) -> list[tuple[str, Expect]]:
    """``count`` frames of every kind of damage, each with what it must get."""
    codes = frozenset(CODES[protocol])
    unreadable = Expect("error", "-1", frozenset({UNREADABLE[protocol]}))
    frames: list[tuple[str, Expect]] = []
    for _ in range(count):
        message_id = _ids(rng)
        wire_id = json.loads(json.dumps(message_id))
        kind = rng.randrange(16)
        if kind == 0:  # text that is not JSON
            text = "".join(rng.choice('abc{}[]",:\\ 0é✓') for _ in range(rng.randrange(1, 60)))
            try:
                json.loads(text)
            except ValueError:
                frames.append((text if text.strip() else "?" + text, unreadable))
            else:
                frames.append(("not json at all", unreadable))
        elif kind == 1:  # JSON, not a frame
            value = rng.choice([{}, {"a": 1}, "text", 12, None, [], [None], [[2]], ["2", "x"]])
            frames.append((json.dumps(value), unreadable))
        elif kind == 2:  # nested deep
            depth = rng.choice([10, 1_000, 100_000])
            frames.append(("[" * depth + "]" * depth, unreadable))
        elif kind == 3:  # a CALL whose payload is the wrong type
            frame = json.dumps([2, message_id, "Heartbeat", _weird(rng)])
            frames.append((frame, Expect("error", wire_id, codes)))
        elif kind == 4:  # a huge string where none is due
            frame = json.dumps([2, message_id, "Heartbeat", {"x": "y" * rng.choice([100, 50_000])}])
            frames.append((frame, Expect("error", wire_id, codes)))
        elif kind == 5:  # an action no version has
            frame = json.dumps([2, message_id, rng.choice(["FlyToTheMoon", "", "x" * 3000]), {}])
            frames.append((frame, Expect("error", wire_id, frozenset({"NotImplemented"}))))
        elif kind == 6:  # a CALL of the wrong shape: its id is still read
            frame = json.dumps(
                rng.choice(
                    [
                        [2, message_id],
                        [2, message_id, "Heartbeat"],
                        [2, message_id, 17, {}],
                        [2, message_id, "Heartbeat", {}, "extra"],
                    ]
                )
            )
            frames.append((frame, Expect("error", wire_id, frozenset({UNREADABLE[protocol]}))))
        elif kind == 7:  # an id that is not an id
            bad_id = rng.choice([17, None, "", "x" * 37, [], {"id": 1}])
            frame = json.dumps([2, bad_id, "Heartbeat", {}])
            frames.append((frame, unreadable))
        elif kind == 8:  # answers nobody asked for: never answered
            frame = json.dumps(
                rng.choice(
                    [
                        [3, message_id, {}],
                        [3, message_id, _weird(rng)],
                        [4, message_id, "GenericError", "no", {}],
                        [4, message_id, 17],
                        [3],
                    ]
                )
            )
            frames.append((frame, Expect("none")))
        elif kind == 9:  # unknown message types
            message_type = rng.choice([0, 1, 7, 99, 2**64, -1])
            frame = json.dumps([message_type, message_id, "Heartbeat", {}])
            if protocol == "ocpp2.0.1":
                expect = Expect("error", wire_id, frozenset({"MessageTypeNotSupported"}))
            else:
                expect = Expect("none")
            frames.append((frame, expect))
        elif kind == 10:  # 2.1's types 5 and 6, well formed or not
            frame = json.dumps(
                rng.choice(
                    [
                        [5, message_id, "GenericError", "no", {}],
                        [6, message_id, "FlyToTheMoon", {}],
                        [6, message_id, 17],
                    ]
                )
            )
            if protocol == "ocpp2.0.1":
                expect = Expect("error", wire_id, frozenset({"MessageTypeNotSupported"}))
            else:
                expect = Expect("none")
            frames.append((frame, expect))
        elif kind == 11:  # a type that is not an integer
            frame = json.dumps(
                [rng.choice([2.0, True, "2", None, [2]]), message_id, "Heartbeat", {}]
            )
            frames.append((frame, unreadable))
        elif kind == 12:  # numbers out of range in a payload
            number = rng.choice(
                ["1e400", str(2**70), "-0", "1.0e-400", "123456789012345678901234567890"]
            )
            frame = (
                f'[2, {json.dumps(message_id)}, "StatusNotification", '
                f'{{"connectorId": {number}, "errorCode": "NoError", "status": "Available"}}]'
            )
            frames.append((frame, Expect("error_or_result", wire_id, codes)))
        elif kind == 13:  # truncated
            whole = json.dumps([2, message_id, "Heartbeat", {}])
            cut = rng.randrange(1, len(whole) - 1)
            frames.append((whole[:cut], Expect("error_or_unreadable", wire_id, codes)))
        else:  # fine: a Heartbeat, with odd but valid ids
            frame = json.dumps([2, message_id, "Heartbeat", {}], ensure_ascii=rng.random() < 0.5)
            frames.append((frame, Expect("result", wire_id)))
    return frames


def check(protocol: str, frame: str, expect: Expect, answers: list[list[Any]]) -> None:
    """Assert that ``answers`` (what came before the sentinel's answer) is
    what ``frame`` must get."""
    what = (protocol, frame[:120], answers)
    if expect.kind == "none":
        assert answers == [], what
        return
    assert len(answers) == 1, what
    answer = answers[0]
    assert isinstance(answer, list) and answer and answer[0] in (3, 4), what
    if answer[0] == 4:
        assert answer[2] in CODES[protocol], what
        assert isinstance(answer[3], str) and len(answer[3]) <= 255, what
        if len(frame) >= 12:
            assert frame not in answer[3], what  # never echoed back
    if expect.kind == "result":
        assert answer[:2] == [3, expect.message_id], what
    elif expect.kind == "error":
        assert answer[0] == 4 and answer[1] == expect.message_id, what
        assert answer[2] in expect.codes, what
    elif expect.kind == "error_or_result":
        assert answer[1] == expect.message_id, what
        if answer[0] == 4:
            assert answer[2] in expect.codes, what
    else:  # error_or_unreadable: cut before the id was whole, or after
        assert answer[0] == 4, what
        assert answer[1] in (expect.message_id, "-1"), what
        if answer[1] == "-1":
            assert answer[2] == UNREADABLE[protocol], what


class GoodCharger:
    """A well-behaved charger (the simulator's link): a Heartbeat, wait for
    its answer, a pause, again; counts answers and remembers any that failed
    to come (and stops there)."""

    def __init__(self, url: str, protocol: str = "ocpp1.6", *, boot: bool = False) -> None:
        self.link = SimulatedCharger(url, OcppVersion(protocol), call_timeout=15)
        self.protocol = protocol
        #: Send a BootNotification first (a CSMS that requires registration).
        self.boot = boot
        self.answered = 0
        self.failures: list[str] = []
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self, limit: int = 100_000) -> None:
        try:
            await self.link.start(timeout=15)
            if self.boot:
                answer = await self.link.call("BootNotification", BOOT[self.protocol])
                assert answer.status == "Accepted", answer
            for n in range(limit):
                if self._stop.is_set():
                    return
                try:
                    await self.link.call("Heartbeat", {})
                except CallFailed as exc:
                    self.failures.append(f"heartbeat {n}: {exc}")
                    return
                self.answered += 1
                await asyncio.sleep(0.05)
        except Exception as exc:  # the test asserts on it
            self.failures.append(f"{type(exc).__name__}: {exc}")

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await asyncio.wait_for(self._task, 30)
        await self.link.close()


BOOT = {
    "ocpp1.6": {"chargePointVendor": "ACME", "chargePointModel": "Hostile"},
    "ocpp2.0.1": {
        "reason": "PowerUp",
        "chargingStation": {"model": "Hostile", "vendorName": "ACME"},
    },
    "ocpp2.1": {"reason": "PowerUp", "chargingStation": {"model": "Hostile", "vendorName": "ACME"}},
}


async def booted(ws: Any, protocol: str) -> None:
    """Send a BootNotification and expect Accepted."""
    await ws.send(json.dumps([2, "boot", "BootNotification", BOOT[protocol]]))
    answer = json.loads(await asyncio.wait_for(ws.recv(), 15))
    assert answer[:2] == [3, "boot"] and answer[2]["status"] == "Accepted", answer


def rss_bytes() -> int:
    """The process's resident memory, from /proc (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def raw_upgrade(
    port: int, charger_id: str, protocol: str = "ocpp1.6"
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A WebSocket handshake by hand, for frames no client library sends."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        (
            f"GET /ocpp/{charger_id} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Protocol: {protocol}\r\n\r\n"
        ).encode()
    )
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    assert head.startswith(b"HTTP/1.1 101"), head
    return reader, writer


def masked_frame(payload: bytes, opcode: int = 0x1, fin: bool = True) -> bytes:
    """A client-to-server WebSocket frame (RFC 6455 §5.2), masked."""
    head = bytes([(0x80 if fin else 0) | opcode])
    length = len(payload)
    if length < 126:
        head += bytes([0x80 | length])
    elif length < 1 << 16:
        head += bytes([0x80 | 126]) + struct.pack("!H", length)
    else:
        head += bytes([0x80 | 127]) + struct.pack("!Q", length)
    mask = os.urandom(4)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
