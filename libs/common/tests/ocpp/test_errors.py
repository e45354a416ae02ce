from __future__ import annotations

import pytest

from chargebus.common.ocpp.errors import ErrorCode
from chargebus.common.ocpp.versions import OcppVersion


@pytest.mark.parametrize(
    ("code", "v16", "v2x"),
    [
        (ErrorCode.FORMAT_VIOLATION, "FormationViolation", "FormatViolation"),
        (
            ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION,
            "OccurenceConstraintViolation",
            "OccurrenceConstraintViolation",
        ),
        (ErrorCode.NOT_IMPLEMENTED, "NotImplemented", "NotImplemented"),
        (ErrorCode.NOT_SUPPORTED, "NotSupported", "NotSupported"),
        (ErrorCode.TYPE_CONSTRAINT_VIOLATION, "TypeConstraintViolation", "TypeConstraintViolation"),
        (ErrorCode.RPC_FRAMEWORK_ERROR, "FormationViolation", "RpcFrameworkError"),
        (ErrorCode.MESSAGE_TYPE_NOT_SUPPORTED, "FormationViolation", "MessageTypeNotSupported"),
    ],
)
def test_each_version_gets_its_own_spelling(code: ErrorCode, v16: str, v2x: str) -> None:
    assert code.wire(OcppVersion.V16) == v16
    assert code.wire(OcppVersion.V201) == v2x
    assert code.wire(OcppVersion.V21) == v2x


def test_both_spellings_are_understood_when_received() -> None:
    assert ErrorCode.parse("FormationViolation") is ErrorCode.FORMAT_VIOLATION
    assert ErrorCode.parse("FormatViolation") is ErrorCode.FORMAT_VIOLATION
    occurrence = ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION
    assert ErrorCode.parse("OccurenceConstraintViolation") is occurrence
    assert ErrorCode.parse("OccurrenceConstraintViolation") is occurrence
    assert ErrorCode.parse("SomethingElse") is None


def test_1_6_never_sends_a_code_it_does_not_define() -> None:
    defined_in_16 = {
        "NotImplemented",
        "NotSupported",
        "InternalError",
        "ProtocolError",
        "SecurityError",
        "FormationViolation",
        "PropertyConstraintViolation",
        "OccurenceConstraintViolation",
        "TypeConstraintViolation",
        "GenericError",
    }  # J16 Table 7
    assert {code.wire(OcppVersion.V16) for code in ErrorCode} == defined_in_16
