"""docs/configuration.md lists every gateway setting, with its default."""

from __future__ import annotations

from pathlib import Path

import msgspec

from chargebus.common.settings import env_name
from chargebus.gateway.settings import GatewaySettings

DOC = Path(__file__).resolve().parents[3] / "docs" / "configuration.md"


def test_every_setting_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    defaults = GatewaySettings()
    for field in msgspec.structs.fields(GatewaySettings):
        row = next(
            (line for line in text.splitlines() if line.startswith(f"| `{env_name(field.name)}`")),
            None,
        )
        assert row is not None, f"{env_name(field.name)} is not in docs/configuration.md"
        value = getattr(defaults, field.name)
        if field.name == "instance_id" or value in (None, ()):
            continue
        if isinstance(value, tuple):
            shown = ",".join(value)
        elif isinstance(value, bool):
            shown = str(value).lower()
        elif isinstance(value, float) and value.is_integer():
            shown = str(int(value))
        else:
            shown = str(value)
        assert f"`{shown}`" in row, f"{env_name(field.name)}: default {shown} not in {row!r}"
