"""The consumer's handler table names actions chargers send."""

from __future__ import annotations

from chargebus.common.ocpp.versions import OcppVersion, actions_for
from chargebus.sessions.consumer import HANDLERS


def test_every_handled_action_is_one_a_version_defines() -> None:
    known = {name for version in OcppVersion for name in actions_for(version)}
    assert set(HANDLERS) <= known
