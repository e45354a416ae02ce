"""The import rules of the code base, read from the source with ``ast``.

1. The OCPP core (``chargebus.common.ocpp``) imports no I/O library, not
   even through another chargebus module: it is sans-I/O.
2. A service imports no other service, only ``chargebus.common``; and
   ``chargebus.common`` imports no service and not the CLI.
3. Each adapter library is imported by its adapter module alone (aio-pika
   by ``bus/amqp.py``, redis by ``routes/redis.py``, pymongo by
   ``store/mongo.py``), and an adapter module only by the code that chooses
   it: the wiring and the command client inside a function (so importing
   them loads nothing), a service's entry point, the CLI.

Every import counts, wherever it is written (in a function, under
TYPE_CHECKING): an import inside a function still ties the modules
together.  Each test lists every violation it finds, as
``module:line imports target``.  Tests and benchmarks are not checked.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

#: Libraries that do I/O: none of them in the OCPP core.
IO_LIBRARIES = (
    "asyncio",
    "websockets",
    "aio_pika",
    "aiormq",
    "redis",
    "pymongo",
    "bson",
    "sqlite3",
    "socket",
    "uvloop",
)
#: Each adapter library and the one module allowed to import it.
ADAPTER_LIBRARIES = {
    "aio_pika": "chargebus.common.bus.amqp",
    "aiormq": "chargebus.common.bus.amqp",
    "pamqp": "chargebus.common.bus.amqp",
    "redis": "chargebus.common.routes.redis",
    "pymongo": "chargebus.common.store.mongo",
    "bson": "chargebus.common.store.mongo",
    "mongomock": None,  # tests only (tests/support/mongo_standin.py)
}
ADAPTERS = frozenset(name for name in ADAPTER_LIBRARIES.values() if name)
#: Modules of chargebus.common that choose an adapter, inside a function.
COMMON_CHOOSERS = {
    "chargebus.common.wiring",  # make_bus, make_routes, make_store
    "chargebus.common.commands",  # CommandClient given an AMQP URL
}
#: A service's entry points, which wire its adapters in.
ENTRY_POINTS = {"main", "__main__"}


@dataclass(frozen=True)
class Import:
    module: str
    line: int
    target: str
    #: Written inside a function (runs when called, not when loaded).
    deferred: bool

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.target}"


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    package: str

    @property
    def area(self) -> str:
        """``common``, ``cli`` or the service's package (``sessions``...)."""
        return self.name.split(".")[1]


def _modules_under(source: Path) -> Iterator[Module]:
    for path in sorted(source.rglob("*.py")):
        parts = list(path.relative_to(source).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
            package = ".".join(parts)
        else:
            package = ".".join(parts[:-1])
        yield Module(".".join(parts), path, package)


@functools.cache
def modules(root: Path) -> dict[str, Module]:
    sources = [root / "libs/common/src", *sorted(root.glob("services/*/src")), root / "src"]
    found = {m.name: m for source in sources for m in _modules_under(source)}
    return {name: m for name, m in found.items() if name.startswith("chargebus.")}


class _Collector(ast.NodeVisitor):
    def __init__(self, module: Module, known: set[str]) -> None:
        self.module = module
        self.known = known
        self.depth = 0
        self.found: list[Import] = []

    def _add(self, node: ast.stmt, target: str) -> None:
        self.found.append(Import(self.module.name, node.lineno, target, self.depth > 0))

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(node, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            parts = self.module.package.split(".")
            parts = parts[: len(parts) - node.level + 1]
            base = ".".join([*parts, base] if base else parts)
        # ``from package import module`` imports the module; names, the package.
        named = {f"{base}.{alias.name}" for alias in node.names}
        targets = named & self.known
        if named - self.known:
            targets.add(base)
        for target in sorted(targets):
            self._add(node, target)


@functools.cache
def imports(root: Path) -> list[Import]:
    found = modules(root)
    known = set(found)
    collected: list[Import] = []
    for module in found.values():
        collector = _Collector(module, known)
        collector.visit(ast.parse(module.path.read_text(encoding="utf-8")))
        collected.extend(collector.found)
    return collected


def _top(target: str) -> str:
    return target.split(".", 1)[0]


def _is_within(target: str, package: str) -> bool:
    return target == package or target.startswith(package + ".")


def _first_party(target: str, known: set[str]) -> str | None:
    """The chargebus module ``target`` names (or lies in), if any."""
    while target:
        if target in known:
            return target
        target = target.rpartition(".")[0]
    return None


AREAS = ("common", "cli", "services")


def _in_area(module: str, area: str) -> bool:
    kind = module.split(".")[1]
    if area == "services":
        return kind not in ("common", "cli")
    return kind == area


def core_io_violations(root: Path) -> list[str]:
    """Rule 1, through chargebus modules too: each chain that reaches an
    I/O library from the OCPP core."""
    everything = imports(root)
    known = set(modules(root))
    by_module: dict[str, list[Import]] = {}
    for found in everything:
        by_module.setdefault(found.module, []).append(found)
    violations: list[str] = []
    for start in sorted(m for m in known if _is_within(m, "chargebus.common.ocpp")):
        seen = {start}
        stack: list[tuple[str, tuple[Import, ...]]] = [(start, ())]
        while stack:
            module, chain = stack.pop()
            for found in by_module.get(module, []):
                if _top(found.target) in IO_LIBRARIES:
                    violations.append(" <- ".join(str(link) for link in (found, *chain[::-1])))
                inner = _first_party(found.target, known)
                if inner is not None and inner not in seen:
                    seen.add(inner)
                    stack.append((inner, (*chain, found)))
    return sorted(set(violations))


def layering_violations(root: Path, area: str) -> list[str]:
    """Rule 2."""
    violations = []
    for found in imports(root):
        if not _in_area(found.module, area) or _top(found.target) != "chargebus":
            continue
        source = found.module.split(".")[1]
        target = found.target.split(".")[1] if "." in found.target else ""
        if source == "cli" or target in ("common", source):
            continue
        violations.append(str(found))
    return violations


def _may_import_adapter(found: Import) -> bool:
    module = found.module
    if module in ADAPTERS or module.split(".")[1] == "cli":
        return True
    if module in COMMON_CHOOSERS:
        return found.deferred
    return module.rsplit(".", 1)[-1] in ENTRY_POINTS and module.split(".")[1] != "common"


def adapter_violations(root: Path, area: str) -> list[str]:
    """Rule 3."""
    violations = []
    for found in imports(root):
        if not _in_area(found.module, area):
            continue
        library = _top(found.target)
        if library in ADAPTER_LIBRARIES and found.module != ADAPTER_LIBRARIES[library]:
            violations.append(f"{found} (only {ADAPTER_LIBRARIES[library]} may)")
        adapter = next((a for a in ADAPTERS if _is_within(found.target, a)), None)
        if adapter is not None and not _may_import_adapter(found):
            violations.append(f"{found} (an adapter: only the code choosing it may)")
    return violations


def test_the_ocpp_core_imports_no_io_library() -> None:
    assert core_io_violations(ROOT) == []


@pytest.mark.parametrize("area", AREAS)
def test_services_import_only_common_and_common_imports_no_service(area: str) -> None:
    assert layering_violations(ROOT, area) == []


@pytest.mark.parametrize("area", AREAS)
def test_adapters_are_imported_only_by_what_chooses_them(area: str) -> None:
    assert adapter_violations(ROOT, area) == []


# The check checks itself: each rule on a source that breaks it.


def _rules_over(tmp_path: Path, files: dict[str, str]) -> tuple[list[str], list[str], list[str]]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    layers = layering_violations(tmp_path, "services")
    adapters = adapter_violations(tmp_path, "services") + adapter_violations(tmp_path, "common")
    return core_io_violations(tmp_path), layers, adapters


def test_each_rule_reports_what_breaks_it(tmp_path: Path) -> None:
    common = "libs/common/src/chargebus/common"
    core, layers, adapters = _rules_over(
        tmp_path,
        {
            f"{common}/__init__.py": "",
            f"{common}/ocpp/__init__.py": "",
            f"{common}/ocpp/session.py": "from chargebus.common import clock\n",
            f"{common}/clock.py": "def now():\n    import asyncio\n",
            f"{common}/routes/__init__.py": "",
            f"{common}/routes/redis.py": "import redis.asyncio\n",
            f"{common}/wiring.py": "from chargebus.common.routes.redis import RedisRouteTable\n",
            "services/a/src/chargebus/a/__init__.py": "",
            "services/a/src/chargebus/a/handlers.py": (
                "from chargebus.b import model\nfrom ..a import other\nimport pymongo\n"
            ),
            "services/a/src/chargebus/a/main.py": "from chargebus.common.routes import redis\n",
            "services/b/src/chargebus/b/__init__.py": "",
            "services/b/src/chargebus/b/model.py": "",
        },
    )
    assert core == [
        "chargebus.common.clock:2 imports asyncio"
        " <- chargebus.common.ocpp.session:1 imports chargebus.common.clock"
    ]
    assert layers == ["chargebus.a.handlers:1 imports chargebus.b.model"]
    assert adapters == [
        "chargebus.a.handlers:3 imports pymongo (only chargebus.common.store.mongo may)",
        "chargebus.common.wiring:1 imports chargebus.common.routes.redis"
        " (an adapter: only the code choosing it may)",
    ]
