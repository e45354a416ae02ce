"""Records' decisions: upload progress, the answers not offered yet."""

from __future__ import annotations

from typing import Any

import msgspec

from chargebus.common.ocpp.versions import OcppVersion, actions_for
from chargebus.sessions.model import Charger, UploadState
from chargebus.sessions.reports import apply_upload_state, not_supported_answer


def request(action: str, payload: dict[str, Any], version: str) -> Any:
    table = actions_for(OcppVersion.from_short(version))
    return msgspec.json.decode(msgspec.json.encode(payload), type=table[action].request)


def test_the_latest_upload_state_wins() -> None:
    charger = Charger(id="CP-1", registration="Accepted", created_at=0.0, updated_at=0.0)
    newer = apply_upload_state(charger, "firmware", UploadState(status="Installing", at=20.0))
    assert newer is not None and newer.firmware is not None and newer.updated_at == 20.0
    assert apply_upload_state(newer, "firmware", UploadState(status="Downloaded", at=10.0)) is None
    logs = apply_upload_state(newer, "logs", UploadState(status="Uploading", at=15.0))
    assert logs is not None and logs.logs is not None and logs.updated_at == 20.0


def test_conservative_answers() -> None:
    assert not_supported_answer("SignCertificate", None, 0.0) == {"status": "Rejected"}
    vat = request("VatNumberValidation", {"vatNumber": "NL1", "evseId": 1}, "v21")
    assert not_supported_answer("VatNumberValidation", vat, 0.0) == {
        "vatNumber": "NL1",
        "status": "Rejected",
    }
    assert not_supported_answer("NotifyReport", None, 0.0) is None
