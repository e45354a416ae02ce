"""Importing domain code loads no adapter library.

Each module below is imported alone in a fresh interpreter, which then says
which of aio-pika, redis and pymongo it loaded: none, for every module of
chargebus.common but the adapters themselves, and for every module of the
services but their entry points (``main``, ``__main__``), which wire the
adapters in.  (test_import_rules.py reads the same rule from the source;
this one catches what the source can't show, such as a dependency that
imports an adapter library itself.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
#: The libraries only an adapter may load (aio-pika brings aiormq and pamqp).
ADAPTER_LIBRARIES = ("aio_pika", "aiormq", "redis", "pymongo", "bson")
#: The modules that are adapters, and so load their library.
ADAPTERS = {
    "chargebus.common.bus.amqp",
    "chargebus.common.routes.redis",
    "chargebus.common.store.mongo",
}
#: A service's entry points: they choose the adapters.
ENTRY_POINTS = {"main", "__main__"}
_PROBE = """
import json, sys
import {module}
print(json.dumps(sorted(name for name in {libraries!r} if name in sys.modules)))
"""


def _modules(source: Path) -> Iterator[str]:
    for path in sorted(source.rglob("*.py")):
        parts = list(path.relative_to(source).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        yield ".".join(parts)


def domain_modules() -> list[object]:
    common: list[object] = [
        name for name in _modules(ROOT / "libs/common/src") if name not in ADAPTERS
    ]
    services: list[object] = [
        name
        for source in sorted(ROOT.glob("services/*/src"))
        for name in _modules(source)
        if name.rsplit(".", 1)[-1] not in ENTRY_POINTS
    ]
    return common + services


def adapter_libraries_loaded(module: str) -> list[str]:
    probe = _PROBE.format(module=module, libraries=ADAPTER_LIBRARIES)
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, f"importing {module} failed:\n{done.stderr}"
    loaded: list[str] = json.loads(done.stdout.splitlines()[-1])
    return loaded


@pytest.mark.parametrize("module", domain_modules())
def test_importing_domain_code_loads_no_adapter_library(module: str) -> None:
    assert adapter_libraries_loaded(module) == []


def test_the_embedded_adapters_load_no_adapter_library() -> None:
    """make_bus, make_routes and make_store without URLs build the
    in-process adapters and import nothing of the production ones."""
    probe = f"""
import json, sys, tempfile
from chargebus.common.wiring import make_bus, make_routes, make_store
make_bus(None, "test")
make_routes(None)
make_store(None, tempfile.mkdtemp(), "test", {{}})
print(json.dumps(sorted(name for name in {ADAPTER_LIBRARIES!r} if name in sys.modules)))
"""
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []


def test_the_production_adapters_are_loaded_when_chosen() -> None:
    assert "aio_pika" in adapter_libraries_loaded("chargebus.common.bus.amqp")
    assert "redis" in adapter_libraries_loaded("chargebus.common.routes.redis")
    assert "pymongo" in adapter_libraries_loaded("chargebus.common.store.mongo")
