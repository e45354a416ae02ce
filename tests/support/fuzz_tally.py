"""How many inputs each fuzz test tried: printed as it ends (visible with
``-s``) and listed again in pytest's terminal summary.

A fuzz test calls :func:`record` once it is done; :func:`fuzz_settings`
gives the hypothesis settings every fuzz test uses: an example budget, no
deadline (the machine is shared), and the same examples every run under CI
(the ``ci`` profile of libs/common/tests/conftest.py, applied here too so the
service suites, which don't load that profile, are derandomized as well).
"""

from __future__ import annotations

import os
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

__all__ = ["from_type_info", "fuzz_settings", "install", "record"]

_COUNTS: dict[str, int] = {}
_INSTALLED: set[int] = set()


class _Summary:
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not _COUNTS:
            return
        terminalreporter.section("fuzzing: inputs tried")
        for target, count in sorted(_COUNTS.items()):
            terminalreporter.write_line(f"{target}: {count}")
        terminalreporter.write_line(f"total: {sum(_COUNTS.values())}")


def install(config: pytest.Config) -> None:
    """Have the counts listed in the terminal summary (idempotent)."""
    if id(config) in _INSTALLED:
        return
    _INSTALLED.add(id(config))
    config.pluginmanager.register(_Summary(), "chargebus-fuzz-tally")


def record(target: str, count: int) -> None:
    _COUNTS[target] = _COUNTS.get(target, 0) + count
    print(f"\nfuzz: {target}: {count} inputs tried")


def fuzz_settings(max_examples: int) -> settings:
    ci: dict[str, Any] = {"derandomize": True, "database": None} if os.environ.get("CI") else {}
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.function_scoped_fixture,
            HealthCheck.large_base_example,
        ],
        **ci,
    )


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def from_type_info(info: Any) -> st.SearchStrategy[Any]:
    """JSON that decodes as the msgspec type ``info`` describes (its
    constraints kept), built from ``msgspec.inspect``."""
    mi = msgspec.inspect
    if isinstance(info, mi.StructType):
        required = {f.encode_name: from_type_info(f.type) for f in info.fields if f.required}
        optional = {f.encode_name: from_type_info(f.type) for f in info.fields if not f.required}
        if info.tag_field is not None:
            required[info.tag_field] = st.just(info.tag)
        return st.fixed_dictionaries(required, optional=optional)
    if isinstance(info, mi.UnionType):
        return st.one_of([from_type_info(t) for t in info.types])
    if isinstance(info, mi.LiteralType):
        return st.sampled_from(list(info.values))
    if isinstance(info, mi.BoolType):
        return st.booleans()
    if isinstance(info, mi.IntType):
        low = info.ge if info.ge is not None else (info.gt + 1 if info.gt is not None else -(2**31))
        high = info.le if info.le is not None else (info.lt - 1 if info.lt is not None else 2**31)
        return st.integers(low, high)
    if isinstance(info, mi.FloatType):
        return st.floats(
            min_value=info.ge if info.ge is not None else -1e9,
            max_value=info.le if info.le is not None else 1e9,
            allow_nan=False,
        )
    if isinstance(info, mi.StrType):
        return st.text(min_size=info.min_length or 0, max_size=min(info.max_length or 40, 40))
    if isinstance(info, mi.NoneType):
        return st.none()
    if isinstance(info, mi.ListType | mi.SetType | mi.FrozenSetType | mi.VarTupleType):
        return st.lists(
            from_type_info(info.item_type),
            min_size=info.min_length or 0,
            max_size=min(info.max_length or 3, 3),
        )
    if isinstance(info, mi.DictType):
        return st.dictionaries(st.text(max_size=8), from_type_info(info.value_type), max_size=3)
    if isinstance(info, mi.DateTimeType):
        return st.sampled_from(["2026-01-01T00:00:00Z", "2026-12-02T15:00:00.123+01:00"])
    return _JSON  # Any, and whatever else
