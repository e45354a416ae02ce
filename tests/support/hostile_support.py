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


@dataclass(frozen=True)
class _Making:
    """What one damaged frame is made from: the random source, the
    subprotocol it is sent on and the message id it carries."""

    rng: random.Random
    protocol: str
    message_id: str

    @property
    def wire_id(self) -> str:
        """The id as the CSMS reads it back from the JSON."""
        return str(json.loads(json.dumps(self.message_id)))

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(CODES[self.protocol])

    @property
    def unreadable(self) -> Expect:
        return Expect("error", "-1", frozenset({UNREADABLE[self.protocol]}))

    def error(self, codes: frozenset[str] | None = None) -> Expect:
        """A CALLERROR for this frame's id, with one of ``codes`` (the
        subprotocol's when None)."""
        return Expect("error", self.wire_id, self.codes if codes is None else codes)

    def type_not_supported(self) -> Expect:
        """What a message type the subprotocol lacks gets: 2.0.1 says so,
        1.6 and 2.1 ignore it."""
        if self.protocol == "ocpp2.0.1":
            return self.error(frozenset({"MessageTypeNotSupported"}))
        return Expect("none")


def _not_json(m: _Making) -> tuple[str, Expect]:
    text = "".join(m.rng.choice('abc{}[]",:\\ 0é✓') for _ in range(m.rng.randrange(1, 60)))
    try:
        json.loads(text)
    except ValueError:
        return (text if text.strip() else "?" + text, m.unreadable)
    return ("not json at all", m.unreadable)


def _json_not_a_frame(m: _Making) -> tuple[str, Expect]:
    value = m.rng.choice([{}, {"a": 1}, "text", 12, None, [], [None], [[2]], ["2", "x"]])
    return (json.dumps(value), m.unreadable)


def _nested_deep(m: _Making) -> tuple[str, Expect]:
    depth = m.rng.choice([10, 1_000, 100_000])
    return ("[" * depth + "]" * depth, m.unreadable)


def _payload_of_the_wrong_type(m: _Making) -> tuple[str, Expect]:
    return (json.dumps([2, m.message_id, "Heartbeat", _weird(m.rng)]), m.error())


def _huge_string(m: _Making) -> tuple[str, Expect]:
    """A huge string where none is due."""
    payload = {"x": "y" * m.rng.choice([100, 50_000])}
    return (json.dumps([2, m.message_id, "Heartbeat", payload]), m.error())


def _unknown_action(m: _Making) -> tuple[str, Expect]:
    """An action no version has."""
    action = m.rng.choice(["FlyToTheMoon", "", "x" * 3000])
    return (json.dumps([2, m.message_id, action, {}]), m.error(frozenset({"NotImplemented"})))


def _call_of_the_wrong_shape(m: _Making) -> tuple[str, Expect]:
    """Its id is still read."""
    frame = m.rng.choice(
        [
            [2, m.message_id],
            [2, m.message_id, "Heartbeat"],
            [2, m.message_id, 17, {}],
            [2, m.message_id, "Heartbeat", {}, "extra"],
        ]
    )
    return (json.dumps(frame), m.error(frozenset({UNREADABLE[m.protocol]})))


def _id_that_is_not_an_id(m: _Making) -> tuple[str, Expect]:
    bad_id = m.rng.choice([17, None, "", "x" * 37, [], {"id": 1}])
    return (json.dumps([2, bad_id, "Heartbeat", {}]), m.unreadable)


def _unasked_answer(m: _Making) -> tuple[str, Expect]:
    """Answers nobody asked for: never answered."""
    frame = m.rng.choice(
        [
            [3, m.message_id, {}],
            [3, m.message_id, _weird(m.rng)],
            [4, m.message_id, "GenericError", "no", {}],
            [4, m.message_id, 17],
            [3],
        ]
    )
    return (json.dumps(frame), Expect("none"))


def _unknown_message_type(m: _Making) -> tuple[str, Expect]:
    message_type = m.rng.choice([0, 1, 7, 99, 2**64, -1])
    return (json.dumps([message_type, m.message_id, "Heartbeat", {}]), m.type_not_supported())


def _ocpp21_types(m: _Making) -> tuple[str, Expect]:
    """2.1's types 5 and 6, well formed or not."""
    frame = m.rng.choice(
        [
            [5, m.message_id, "GenericError", "no", {}],
            [6, m.message_id, "FlyToTheMoon", {}],
            [6, m.message_id, 17],
        ]
    )
    return (json.dumps(frame), m.type_not_supported())


def _type_not_an_integer(m: _Making) -> tuple[str, Expect]:
    message_type = m.rng.choice([2.0, True, "2", None, [2]])
    return (json.dumps([message_type, m.message_id, "Heartbeat", {}]), m.unreadable)


def _number_out_of_range(m: _Making) -> tuple[str, Expect]:
    """Numbers out of range in a payload."""
    number = m.rng.choice(["1e400", str(2**70), "-0", "1.0e-400", "123456789012345678901234567890"])
    frame = (
        f'[2, {json.dumps(m.message_id)}, "StatusNotification", '
        f'{{"connectorId": {number}, "errorCode": "NoError", "status": "Available"}}]'
    )
    return (frame, Expect("error_or_result", m.wire_id, m.codes))


def _truncated(m: _Making) -> tuple[str, Expect]:
    whole = json.dumps([2, m.message_id, "Heartbeat", {}])
    cut = m.rng.randrange(1, len(whole) - 1)
    return (whole[:cut], Expect("error_or_unreadable", m.wire_id, m.codes))


def _fine(m: _Making) -> tuple[str, Expect]:
    """A Heartbeat, with odd but valid ids."""
    frame = json.dumps([2, m.message_id, "Heartbeat", {}], ensure_ascii=m.rng.random() < 0.5)
    return (frame, Expect("result", m.wire_id))


#: Every kind of damage, drawn evenly; the draws past the end are fine frames.
_DAMAGE = [
    _not_json,
    _json_not_a_frame,
    _nested_deep,
    _payload_of_the_wrong_type,
    _huge_string,
    _unknown_action,
    _call_of_the_wrong_shape,
    _id_that_is_not_an_id,
    _unasked_answer,
    _unknown_message_type,
    _ocpp21_types,
    _type_not_an_integer,
    _number_out_of_range,
    _truncated,
]
_DRAWS = 16  # two in 16 frames are fine


def hostile_frames(rng: random.Random, protocol: str, count: int) -> list[tuple[str, Expect]]:
    """``count`` frames of every kind of damage, each with what it must get."""
    frames: list[tuple[str, Expect]] = []
    for _ in range(count):
        making = _Making(rng, protocol, _ids(rng))
        kind = rng.randrange(_DRAWS)
        frames.append(_DAMAGE[kind](making) if kind < len(_DAMAGE) else _fine(making))
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
