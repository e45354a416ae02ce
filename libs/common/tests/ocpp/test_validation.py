from __future__ import annotations

from datetime import UTC, datetime

import msgspec
import pytest

from chargebus.common.ocpp import v16, v201  # noqa: F401 - packages exist
from chargebus.common.ocpp.errors import ErrorCode
from chargebus.common.ocpp.v16.messages import MeterValuesRequest, StartTransactionRequest
from chargebus.common.ocpp.v201.messages import StatusNotificationRequest, TransactionEventRequest
from chargebus.common.ocpp.validation import PayloadInvalid, decode_payload

METER_VALUES = (
    b'{"connectorId": 1, "transactionId": 7, "meterValue": [{"timestamp": '
    b'"2024-05-01T10:00:00Z", "sampledValue": [{"value": "1520", "unit": "Wh", '
    b'"measurand": "Energy.Active.Import.Register"}]}]}'
)


def test_a_valid_payload_decodes_to_typed_values() -> None:
    decoded = decode_payload(METER_VALUES, MeterValuesRequest)
    assert not isinstance(decoded, PayloadInvalid)
    value, forgiven = decoded
    assert forgiven == ()
    assert value.transaction_id == 7
    sample = value.meter_value[0]
    assert sample.timestamp == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert sample.sampled_value[0].unit == "Wh"


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (b"[]", ErrorCode.FORMAT_VIOLATION),
        (b'"text"', ErrorCode.FORMAT_VIOLATION),
        (
            b'{"connectorId": 1, "meterValue": [{"timestamp": "2024-05-01T10:00:00Z", '
            b'"sampledValue": [{"value": "1"}]}], "extra": 1}',
            ErrorCode.FORMAT_VIOLATION,
        ),
        (
            b'{"meterValue": [{"timestamp": "2024-05-01T10:00:00Z", "sampledValue": [{"value": "1"}]}]}',
            ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION,
        ),
        (b'{"connectorId": 1, "meterValue": []}', ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION),
        (
            b'{"connectorId": "1", "meterValue": [{"timestamp": "2024-05-01T10:00:00Z", '
            b'"sampledValue": [{"value": "1"}]}]}',
            ErrorCode.TYPE_CONSTRAINT_VIOLATION,
        ),
        (
            b'{"connectorId": 1, "meterValue": [{"timestamp": "yesterday", '
            b'"sampledValue": [{"value": "1"}]}]}',
            ErrorCode.TYPE_CONSTRAINT_VIOLATION,
        ),
        (
            b'{"connectorId": 1, "meterValue": [{"timestamp": "2024-05-01T10:00:00", '
            b'"sampledValue": [{"value": "1"}]}]}',
            ErrorCode.TYPE_CONSTRAINT_VIOLATION,
        ),
        (
            b'{"connectorId": 1, "meterValue": [{"timestamp": "2024-05-01T10:00:00Z", '
            b'"sampledValue": [{"value": "1", "unit": "Joule"}]}]}',
            ErrorCode.PROPERTY_CONSTRAINT_VIOLATION,
        ),
    ],
)
def test_each_failure_gets_its_error_code(payload: bytes, code: ErrorCode) -> None:
    decoded = decode_payload(payload, MeterValuesRequest)
    assert isinstance(decoded, PayloadInvalid)
    assert decoded.code is code
    assert decoded.description


def test_an_id_tag_over_20_characters_is_a_property_violation() -> None:
    payload = (
        b'{"connectorId": 1, "idTag": "123456789012345678901", "meterStart": 0, '
        b'"timestamp": "2024-05-01T10:00:00Z"}'
    )
    decoded = decode_payload(payload, StartTransactionRequest)
    assert isinstance(decoded, PayloadInvalid)
    assert decoded.code is ErrorCode.PROPERTY_CONSTRAINT_VIOLATION
    assert "$.idTag" in decoded.description


def test_malformed_json_is_a_format_violation() -> None:
    decoded = decode_payload(b'{"connectorId": ', MeterValuesRequest)
    assert isinstance(decoded, PayloadInvalid)
    assert decoded.code is ErrorCode.FORMAT_VIOLATION


QUIRKY = (
    b'{"connectorId": "1", "transactionId": 7.0, "vendorField": true, "meterValue": '
    b'{"timestamp": "2024-05-01T10:00:00", "sampledValue": [{"value": 1520.5, '
    b'"unit": "wh", "measurand": "Energy.Active.Import.Register", "phase": "L9"}]}}'
)


def test_strict_mode_refuses_vendor_quirks() -> None:
    assert isinstance(decode_payload(QUIRKY, MeterValuesRequest, strict=True), PayloadInvalid)


def test_lenient_mode_repairs_vendor_quirks_and_says_what_it_forgave() -> None:
    decoded = decode_payload(QUIRKY, MeterValuesRequest, strict=False)
    assert not isinstance(decoded, PayloadInvalid)
    value, forgiven = decoded
    assert value.connector_id == 1
    assert value.transaction_id == 7
    sample = value.meter_value[0]
    assert sample.timestamp == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert sample.sampled_value[0].value == "1520.5"
    assert sample.sampled_value[0].unit == "Wh"
    assert sample.sampled_value[0].phase is not None  # dropped: UNSET
    notes = "\n".join(forgiven)
    for expected in (
        "$.connectorId: string '1' read as a number",
        "$.transactionId: 7.0 read as an integer",
        "$.vendorField: unknown property ignored",
        "$.meterValue: single object read as a one-item array",
        "$.meterValue[0].timestamp: timestamp without a zone read as UTC",
        "$.meterValue[0].sampledValue[0].value: number 1520.5 read as a string",
        "$.meterValue[0].sampledValue[0].unit: 'wh' read as 'Wh'",
        "$.meterValue[0].sampledValue[0].phase: unknown value 'L9' dropped",
    ):
        assert expected in notes


def test_the_1_6_celcius_misspelling_is_valid_as_the_errata_say() -> None:
    payload = (
        b'{"connectorId": 1, "meterValue": [{"timestamp": "2024-05-01T10:00:00Z", '
        b'"sampledValue": [{"value": "21", "unit": "Celcius", "measurand": "Temperature"}]}]}'
    )
    assert not isinstance(decode_payload(payload, MeterValuesRequest), PayloadInvalid)


def test_lenient_mode_still_refuses_what_it_cannot_repair() -> None:
    missing = (
        b'{"meterValue": [{"timestamp": "2024-05-01T10:00:00Z", "sampledValue": [{"value": "1"}]}]}'
    )
    decoded = decode_payload(missing, MeterValuesRequest, strict=False)
    assert isinstance(decoded, PayloadInvalid)
    assert decoded.code is ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION
    required_enum = (
        b'{"timestamp": "2024-05-01T10:00:00Z", "connectorStatus": "Exploded", '
        b'"evseId": 1, "connectorId": 1}'
    )
    decoded = decode_payload(required_enum, StatusNotificationRequest, strict=False)
    assert isinstance(decoded, PayloadInvalid)
    assert decoded.code is ErrorCode.PROPERTY_CONSTRAINT_VIOLATION


def test_2x_custom_data_may_carry_vendor_properties() -> None:
    payload = (
        b'{"eventType": "Started", "timestamp": "2024-05-01T10:00:00Z", '
        b'"triggerReason": "CablePluggedIn", "seqNo": 0, '
        b'"transactionInfo": {"transactionId": "tx-1"}, '
        b'"customData": {"vendorId": "ACME", "anything": [1, 2, 3]}}'
    )
    decoded = decode_payload(payload, TransactionEventRequest)
    assert not isinstance(decoded, PayloadInvalid)
    # vendorId is still required in CustomData
    no_vendor = payload.replace(b'"vendorId": "ACME", ', b"")
    assert isinstance(decode_payload(no_vendor, TransactionEventRequest), PayloadInvalid)


def test_known_differences_from_the_reference_validator() -> None:
    """Pinned, so a change is a decision (see the validation module's docs)."""
    whole_float = (
        b'{"timestamp": "2024-05-01T10:00:00Z", "connectorStatus": "Available", '
        b'"evseId": 1.0, "connectorId": 1}'
    )
    # JSON Schema draft-06 counts 1.0 as an integer; strict mode doesn't, lenient does.
    assert isinstance(decode_payload(whole_float, StatusNotificationRequest), PayloadInvalid)
    assert not isinstance(
        decode_payload(whole_float, StatusNotificationRequest, strict=False), PayloadInvalid
    )
    # multipleOf in decimal: a 0.3 A limit is a multiple of 0.1 (the reference refuses it).
    from chargebus.common.ocpp.v16.messages import ChargingSchedulePeriod

    period = msgspec.json.decode(b'{"startPeriod": 0, "limit": 0.3}', type=ChargingSchedulePeriod)
    assert period.limit == 0.3
    # RFC 3339 §5.6 note variants that msgspec reads and the reference refuses.
    for stamp in (b"2024-05-01t10:00:00z", b"2024-05-01 10:00:00Z", b"2024-05-01T10:00:00+0100"):
        payload = (
            b'{"timestamp": "' + stamp + b'", "connectorStatus": "Available", '
            b'"evseId": 1, "connectorId": 1}'
        )
        assert not isinstance(decode_payload(payload, StatusNotificationRequest), PayloadInvalid)


def test_lenient_mode_does_not_turn_huge_numbers_into_integers() -> None:
    for value in (b'"1e300"', b"1e300"):
        payload = (
            b'{"connectorId": ' + value + b', "meterValue": [{"timestamp": '
            b'"2024-05-01T10:00:00Z", "sampledValue": [{"value": "1"}]}]}'
        )
        assert isinstance(decode_payload(payload, MeterValuesRequest, strict=False), PayloadInvalid)
