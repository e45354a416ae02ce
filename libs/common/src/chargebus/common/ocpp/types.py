"""Base types shared by every generated OCPP message module.

``Message`` is strict about shape: unknown fields are refused, as the OCA
schemas' ``additionalProperties: false`` asks.  ``OpenMessage`` is the one
exception the schemas make, 2.x ``CustomDataType``, which may carry any
vendor property; those are accepted and not kept.
"""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Context, Decimal, localcontext
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


#: Enough digits for the remainder of any finite float by any divisor in the
#: schemas (a float's integer part has at most 309 digits); the default 28
#: raises DivisionImpossible for 1e27 % 0.1.
_EXACT = Context(prec=800)


def check_multiple_of(value: Any, multiple: float, name: str) -> None:
    """JSON Schema ``multipleOf`` for a float divisor.

    A value passes when it is a multiple as written in decimal (0.3 and 100.1
    are multiples of 0.1) or by the reference validator's rule (the binary
    quotient is whole, which admits 1.7000000000000002, what 17 * 0.1 gives).
    The reference alone would refuse a 0.3 A limit, since 0.3 / 0.1 is
    2.9999999999999996 in binary floats; a charger means the decimal.
    """
    if isinstance(value, msgspec.UnsetType):
        return
    if not math.isfinite(value):
        raise ValueError(f"Expected `{name}` to be a finite number")
    with localcontext(_EXACT):
        if Decimal(repr(float(value))) % Decimal(repr(multiple)) == 0:
            return
    quotient = value / multiple
    if math.isfinite(quotient) and int(quotient) == quotient:
        return
    raise ValueError(f"Expected `{name}` to be a multiple of {multiple}")
