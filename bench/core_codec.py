"""Decode, validate and re-encode OCPP frames: chargebus's core vs jsonschema.

For each message the same work is done both ways: read the whole frame text,
validate the payload against its schema, and write the frame back out.

* chargebus: ``decode_frame`` + ``decode_payload`` into the generated Structs
  (strict mode, date-times checked) + ``encode_payload`` + ``encode_frame``.
* jsonschema (ocpp pkg): what the ``ocpp`` package does: ``json.loads`` with
  Decimal floats, a cached ``Draft4Validator`` without format checks,
  ``json.dumps``.
* jsonschema + formats: the same validator with the RFC 3339 format checker,
  which is the check chargebus makes.

Usage: uv run python bench/core_codec.py [--seconds 1.0] [--repeats 5]
Prints microseconds per message (median of the repeats) and the ratios.
"""

from __future__ import annotations

import argparse
import decimal
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from importlib.metadata import version as package_version
from pathlib import Path

import jsonschema
import msgspec
import ocpp

from chargebus.common.ocpp.frames import Call, decode_frame, encode_frame
from chargebus.common.ocpp.validation import decode_payload, encode_payload
from chargebus.common.ocpp.versions import OcppVersion, actions_for

from messages import MESSAGES

SCHEMAS = Path(ocpp.__file__).resolve().parent

_SCHEMA_FILES = {
    "1.6 Heartbeat": "v16/schemas/Heartbeat.json",
    "1.6 MeterValues (4 samples)": "v16/schemas/MeterValues.json",
    "2.0.1 TransactionEvent (4 samples)": "v201/schemas/TransactionEventRequest.json",
}
#: name -> (version, action, schema file, payload): the saturation benchmark's messages.
CASES = {
    name: (OcppVersion(protocol), action, _SCHEMA_FILES[name], payload)
    for name, (protocol, action, payload) in MESSAGES.items()
}


def chargebus_codec(version: OcppVersion, action: str) -> Callable[[bytes], bytes]:
    request_type = actions_for(version)[action].request

    def run(text: bytes) -> bytes:
        frame = decode_frame(text)
        assert isinstance(frame, Call)
        decoded = decode_payload(frame.payload, request_type)
        assert isinstance(decoded, tuple)
        payload = encode_payload(decoded[0])
        return encode_frame(Call(frame.message_id, frame.action, msgspec.Raw(payload)))

    return run


def jsonschema_codec(schema_file: str, formats: bool) -> Callable[[bytes], bytes]:
    schema = json.loads((SCHEMAS / schema_file).read_text())
    cls = jsonschema.validators.validator_for(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER if formats else None)

    def run(text: bytes) -> bytes:
        message_type, message_id, action, payload = json.loads(text, parse_float=decimal.Decimal)
        validator.validate(payload)
        return json.dumps(
            [message_type, message_id, action, payload], separators=(",", ":"), default=str
        ).encode()

    return run


def measure(run: Callable[[bytes], bytes], text: bytes, seconds: float) -> float:
    """Microseconds per message over a run of about ``seconds``."""
    n = 64
    while True:
        start = time.perf_counter()
        for _ in range(n):
            run(text)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return elapsed / n * 1e6
        n = max(n * 2, int(n * seconds / max(elapsed, 1e-6)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.5)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    print(
        f"# {platform.python_implementation()} {platform.python_version()}, "
        f"msgspec {package_version('msgspec')}, jsonschema {package_version('jsonschema')}, "
        f"{platform.machine()}, {os.cpu_count()} cores, median of {args.repeats} x {args.seconds}s"
    )
    header = (
        f"{'message':36} {'chargebus':>10} {'jsonschema':>11} {'+formats':>10}"
        f" {'ratio':>7} {'ratio':>9}"
    )
    print(header)
    print(f"{'':36} {'us/msg':>10} {'(ocpp pkg)':>11} {'us/msg':>10} {'vs pkg':>7} {'vs +fmt':>9}")
    for name, (version, action, schema_file, payload) in CASES.items():
        text = json.dumps([2, "7f3c9a2e-1b6d-4f0a-9c2e-5d8b7a6f4e31", action, payload]).encode()
        ours = chargebus_codec(version, action)
        theirs = jsonschema_codec(schema_file, formats=False)
        theirs_fmt = jsonschema_codec(schema_file, formats=True)
        # Both sides must accept the same frame before we time them.
        ours(text), theirs(text), theirs_fmt(text)
        results = {"ours": [], "theirs": [], "fmt": []}
        for _ in range(args.repeats):
            results["ours"].append(measure(ours, text, args.seconds))
            results["theirs"].append(measure(theirs, text, args.seconds))
            results["fmt"].append(measure(theirs_fmt, text, args.seconds))
        a, b, c = (statistics.median(results[k]) for k in ("ours", "theirs", "fmt"))
        print(f"{name:36} {a:10.2f} {b:11.2f} {c:10.2f} {b / a:6.1f}x {c / a:8.1f}x")


if __name__ == "__main__":
    main()
