"""``chargebus api-key new`` and ``chargebus bus-definitions``."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from chargebus.cli.main import main
from chargebus.common.apikeys import ApiKeys, read_entries
from chargebus.common.bus.permissions import PERMISSIONS


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    out, err = capsys.readouterr()
    return int(exit_.value.code or 0), out, err


def test_a_new_key_is_printed_once_with_the_line_to_configure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    keys = tmp_path / "api-keys"
    code, out, _ = run(
        ["api-key", "new", "--name", "app", "--scopes", "read,command", "--append-to", str(keys)],
        capsys,
    )
    assert code == 0
    lines = [line.strip() for line in out.splitlines()]
    key = next(line for line in lines if line.startswith("cb_"))
    entry = next(line for line in lines if line.startswith("app:"))
    assert entry.startswith("app:command:")  # the widest scope asked for
    assert key.split("_", 2)[2] not in entry
    assert read_entries(keys) == [entry]
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    found = ApiKeys.parse([entry]).check(key).key
    assert found is not None and found.scope == "command"


@pytest.mark.parametrize(
    "argv", [["--name", "x", "--scope", "root"], ["--name", "a:b", "--scope", "read"]]
)
def test_a_bad_scope_or_name_is_refused(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["api-key", "new", *argv], capsys)
    assert code == 2 and "cb_" not in out and err


def test_bus_definitions_need_every_password(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for service in PERMISSIONS:
        monkeypatch.delenv(f"RABBITMQ_{service.upper()}_PASSWORD", raising=False)
    code, _, err = run(["bus-definitions"], capsys)
    assert code == 2 and "RABBITMQ_GATEWAY_PASSWORD" in err
    for service in PERMISSIONS:
        monkeypatch.setenv(f"RABBITMQ_{service.upper()}_PASSWORD", f"pw-{service}")
    code, out, _ = run(["bus-definitions", "--vhost", "chargebus"], capsys)
    document = json.loads(out)
    assert code == 0
    assert {u["name"]: u["password"] for u in document["users"]} == {
        s: f"pw-{s}" for s in PERMISSIONS
    }
    assert {p["vhost"] for p in document["permissions"]} == {"chargebus"}
