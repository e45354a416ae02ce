"""Base types shared by every generated OCPP message module.

``Message`` is strict about shape: unknown fields are refused, as the OCA
schemas' ``additionalProperties: false`` asks.  ``OpenMessage`` is the one
exception the schemas make, 2.x ``CustomDataType``, which may carry any
vendor property; those are accepted and not kept.
"""

from __future__ import annotations

import math
from datetime import datetime
from fractions import Fraction
from typing import Annotated, Any

import msgspec

__all__ = ["DateTime", "Message", "OpenMessage", "check_multiple_of"]

#: OCPP dateTime: RFC 3339 with a zone (J16 §3.1.3 by reference to ISO 8601,
#: J201 §4.1.5).  A timestamp without a zone is refused in strict mode and
#: read as UTC in lenient mode.
DateTime = Annotated[datetime, msgspec.Meta(tz=True)]


class Message(
    msgspec.Struct,
    kw_only=True,
    omit_defaults=True,
    forbid_unknown_fields=True,
    gc=False,
):
    """A request, a response, or an object nested in one."""


class OpenMessage(Message, forbid_unknown_fields=False):
    """An object whose schema allows extra properties (2.x CustomData)."""


def check_multiple_of(value: Any, multiple: float, name: str) -> None:
    """JSON Schema ``multipleOf`` for a float divisor, with the rule the
    reference validator uses (quotient is a whole number), so our verdict and
    the schema's agree even where binary floats make ``value % multiple``
    non-zero (``0.5 % 0.1`` is not 0)."""
    if isinstance(value, msgspec.UnsetType):
        return
    quotient = value / multiple
    if math.isinf(quotient):
        failed = (Fraction(value) / Fraction(multiple)).denominator != 1
    else:
        failed = int(quotient) != quotient
    if failed:
        raise ValueError(f"Expected `{name}` to be a multiple of {multiple}")
