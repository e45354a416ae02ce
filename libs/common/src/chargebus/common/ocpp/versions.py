"""The OCPP versions chargebus speaks, named by their WebSocket subprotocol."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

from chargebus.common.ocpp.actions import Action

__all__ = ["SHORT_NAMES", "OcppVersion", "actions_for"]


class OcppVersion(enum.Enum):
    """Values are the subprotocol names (J16 §3.1.2, J201 §3.2, J21 §3.3)."""

    V16 = "ocpp1.6"
    V201 = "ocpp2.0.1"
    V21 = "ocpp2.1"

    @property
    def short(self) -> str:
        """``v16``, ``v201``, ``v21``: module names and bus routing keys."""
        return SHORT_NAMES[self.value]

    @classmethod
    def from_short(cls, short: str) -> OcppVersion:
        """The version named ``v16``, ``v201`` or ``v21`` (KeyError otherwise)."""
        return _FROM_SHORT[short]

    @property
    def is_2x(self) -> bool:
        return self is not OcppVersion.V16


#: subprotocol name -> short name (``ocpp1.6`` -> ``v16``): the one map of them.
SHORT_NAMES: Mapping[str, str] = MappingProxyType(
    {"ocpp1.6": "v16", "ocpp2.0.1": "v201", "ocpp2.1": "v21"}
)
_FROM_SHORT: dict[str, OcppVersion] = {}
_TABLES: dict[OcppVersion, Mapping[str, Action]] = {}


def actions_for(version: OcppVersion) -> Mapping[str, Action]:
    """The version's action table (imported on first use: 2.1 is large)."""
    table = _TABLES.get(version)
    if table is None:
        if version is OcppVersion.V16:
            from chargebus.common.ocpp.v16.actions import ACTIONS
        elif version is OcppVersion.V201:
            from chargebus.common.ocpp.v201.actions import ACTIONS
        else:
            from chargebus.common.ocpp.v21.actions import ACTIONS
        table = _TABLES[version] = MappingProxyType(ACTIONS)
    return table


_FROM_SHORT.update({SHORT_NAMES[version.value]: version for version in OcppVersion})
