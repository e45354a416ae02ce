"""docs/configuration.md lists every setting of every service, with its default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest

from chargebus.billing.settings import BillingSettings
from chargebus.commands.settings import CommandsSettings
from chargebus.common.settings import env_name
from chargebus.gateway.settings import GatewaySettings
from chargebus.sessions.settings import SessionsSettings

DOC = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def shown(value: Any) -> str:
    if isinstance(value, tuple):
        return ",".join(value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@pytest.mark.parametrize(
    "settings", [GatewaySettings, SessionsSettings, CommandsSettings, BillingSettings]
)
def test_every_setting_is_documented(settings: type[msgspec.Struct]) -> None:
    text = DOC.read_text(encoding="utf-8")
    defaults = settings()
    for field in msgspec.structs.fields(settings):
        row = next(
            (line for line in text.splitlines() if line.startswith(f"| `{env_name(field.name)}`")),
            None,
        )
        assert row is not None, f"{env_name(field.name)} is not in docs/configuration.md"
        value = getattr(defaults, field.name)
        if field.name == "instance_id" or value in (None, ()):
            continue
        assert f"`{shown(value)}`" in row, f"{env_name(field.name)}: {shown(value)} not in {row!r}"


def test_the_environment_is_read_only_where_settings_are_loaded() -> None:
    """Settings come from one typed object per service, loaded once: no code
    reads os.environ but the entry points that hand it to load_settings."""
    root = DOC.parents[1]
    allowed = {
        "src/chargebus/cli/main.py",
        "libs/common/src/chargebus/common/wiring.py",
    }
    readers = set()
    for path in [
        *root.glob("src/**/*.py"),
        *root.glob("libs/*/src/**/*.py"),
        *root.glob("services/*/src/**/*.py"),
    ]:
        for line in path.read_text(encoding="utf-8").splitlines():
            code = line.split("#", 1)[0]
            if ("os.environ" in code or "getenv(" in code) and ">>>" not in code:
                if "CommandClient(os.environ" in code:  # a docstring's example
                    continue
                readers.add(str(path.relative_to(root)))
    assert readers <= allowed, readers - allowed
    for path in allowed:
        text = (root / path).read_text(encoding="utf-8")
        assert "load_settings(" in text, path
