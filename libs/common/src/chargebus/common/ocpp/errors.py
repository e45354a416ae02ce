"""OCPP-J error codes and the exceptions of the core.

Error codes (J16 Table 7, J201 Table 8, J21 Table 9) are one enum whose wire
spelling depends on the version: 1.6 keeps ``FormationViolation`` and
``OccurenceConstraintViolation`` (J16E §5), 2.x spells ``FormatViolation`` and
``OccurrenceConstraintViolation`` and adds ``MessageTypeNotSupported`` and
``RpcFrameworkError``.  We send the negotiated version's spelling and accept
either when receiving.

Exceptions say whose fault a problem is, after h11::

    OcppError
    └── LocalProtocolError    we misused the core (a bug on our side)

The peer's faults are never exceptions: the session turns bad input into the
CALLERROR frame to answer with, or an event whose type names the fault
(``ResultInvalid``, ``UnmatchedResult``, ``FrameIgnored``, in events.py).
"""

from __future__ import annotations

import enum

from chargebus.common.ocpp.versions import OcppVersion

__all__ = [
    "ErrorCode",
    "LocalProtocolError",
    "OcppError",
]

#: errorDescription is at most 255 characters (J201 §4.2.3).
MAX_DESCRIPTION = 255


class ErrorCode(enum.Enum):
    NOT_IMPLEMENTED = "NotImplemented"
    NOT_SUPPORTED = "NotSupported"
    INTERNAL_ERROR = "InternalError"
    PROTOCOL_ERROR = "ProtocolError"
    SECURITY_ERROR = "SecurityError"
    FORMAT_VIOLATION = "FormatViolation"
    PROPERTY_CONSTRAINT_VIOLATION = "PropertyConstraintViolation"
    OCCURRENCE_CONSTRAINT_VIOLATION = "OccurrenceConstraintViolation"
    TYPE_CONSTRAINT_VIOLATION = "TypeConstraintViolation"
    GENERIC_ERROR = "GenericError"
    MESSAGE_TYPE_NOT_SUPPORTED = "MessageTypeNotSupported"
    RPC_FRAMEWORK_ERROR = "RpcFrameworkError"

    def wire(self, version: OcppVersion) -> str:
        """The spelling to send on a connection of ``version``."""
        if version is OcppVersion.V16:
            return _V16_SPELLING.get(self, self.value)
        return self.value

    @classmethod
    def parse(cls, text: str) -> ErrorCode | None:
        """Read a received code in either spelling; None when unknown."""
        return _RECEIVED.get(text)


_V16_SPELLING = {
    ErrorCode.FORMAT_VIOLATION: "FormationViolation",
    ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION: "OccurenceConstraintViolation",
    # 1.6 has neither; the nearest 1.6 codes (J16 Table 7).
    ErrorCode.MESSAGE_TYPE_NOT_SUPPORTED: "FormationViolation",
    ErrorCode.RPC_FRAMEWORK_ERROR: "FormationViolation",
}
_RECEIVED: dict[str, ErrorCode] = {code.value: code for code in ErrorCode}
_RECEIVED["FormationViolation"] = ErrorCode.FORMAT_VIOLATION
_RECEIVED["OccurenceConstraintViolation"] = ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION


class OcppError(Exception):
    """Base of the core's exceptions."""


class LocalProtocolError(OcppError):
    """We misused the protocol core: a bug on our side, never the peer's."""
