"""Typed settings read once from ``CHARGEBUS_*`` environment variables.

Each service declares a frozen ``msgspec.Struct`` of its settings; a field
``ocpp_port`` is read from ``CHARGEBUS_OCPP_PORT``.  Values are converted to
the field's type (``"9000"`` -> 9000, ``"a,b"`` -> a tuple), and a bad value
stops the start-up with a message naming the variable.  Flags given on the
command line override the environment.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

import msgspec

__all__ = ["Port", "SettingsError", "env_name", "load_settings"]

S = TypeVar("S", bound=msgspec.Struct)

PREFIX = "CHARGEBUS_"

#: A TCP port (0: any free one).
Port = Annotated[int, msgspec.Meta(ge=0, le=65535)]


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


def env_name(field: str) -> str:
    return PREFIX + field.upper()


def load_settings(
    cls: type[S], environ: Mapping[str, str], overrides: Mapping[str, Any] | None = None
) -> S:
    raw: dict[str, Any] = {}
    for field in msgspec.structs.fields(cls):
        value = environ.get(env_name(field.name))
        if value is None:
            continue
        info = msgspec.inspect.type_info(field.type)
        if isinstance(info, msgspec.inspect.TupleType | msgspec.inspect.VarTupleType):
            raw[field.name] = [v.strip() for v in value.split(",") if v.strip()]
        else:
            raw[field.name] = value
    for key, value in (overrides or {}).items():
        if value is not None:
            raw[key] = value
    try:
        return msgspec.convert(raw, cls, strict=False)
    except msgspec.ValidationError as exc:
        message = str(exc)
        for field in msgspec.structs.fields(cls):
            if f"`$.{field.name}`" in message or f"`$.{field.name}[" in message:
                given = overrides is not None and overrides.get(field.name) is not None
                source = f"--{field.name.replace('_', '-')}" if given else env_name(field.name)
                raise SettingsError(f"{source}: {message.split(' - at ')[0]}") from None
        raise SettingsError(message) from None
