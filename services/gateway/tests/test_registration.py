"""The registration gate: what a charger may send before it is accepted."""

from __future__ import annotations

from chargebus.common.routes import Registration
from chargebus.gateway.registration import RegistrationGate

TRIGGERED = {"StatusNotification"}


class Triggered:
    def triggered(self, action: str, now: float) -> bool:
        return action in TRIGGERED and now < 100.0


def gate(required: bool = True, answer_accepted_boots: bool = True) -> RegistrationGate:
    return RegistrationGate(required, answer_accepted_boots, Triggered())


def test_not_required_everything_passes() -> None:
    open_gate = gate(required=False)
    assert open_gate.open
    assert not open_gate.refuses("MeterValues", 0.0)
    open_gate.answered(b'{"status":"Rejected","currentTime":"x","interval":1}')
    assert open_gate.open


def test_before_it_is_accepted_only_a_boot_and_what_was_triggered_pass() -> None:
    pending = gate()
    pending.loaded(Registration(state="Pending"))
    assert not pending.open
    assert not pending.refuses("BootNotification", 0.0)
    assert not pending.refuses("StatusNotification", 50.0)
    assert pending.refuses("StatusNotification", 150.0)  # the window closed
    assert pending.refuses("MeterValues", 0.0)
    assert pending.refusal() == "BootNotification first: this charger is not accepted (Pending)"
    assert gate().refusal() == "BootNotification first: this charger is not accepted"


def test_an_accepted_boot_answer_opens_it_and_a_rejected_one_closes_it() -> None:
    unknown = gate()
    unknown.answered(b'{"status":"Accepted","currentTime":"x","interval":300}')
    assert unknown.open and unknown.state == "Accepted"
    unknown.answered(b'{"status":"Rejected","currentTime":"x","interval":300}')
    assert not unknown.open
    unknown.answered(b"not json")  # refused by the session anyway: nothing changes
    assert unknown.state == "Rejected"


def test_a_charger_known_accepted_has_its_boot_answered_by_the_gateway() -> None:
    known = gate()
    known.loaded(Registration(state="Accepted", heartbeat_interval=600))
    assert known.open and known.boot_interval == 600
    not_answering = gate(answer_accepted_boots=False)
    not_answering.loaded(Registration(state="Accepted", heartbeat_interval=600))
    assert not_answering.open and not_answering.boot_interval is None


def test_a_route_table_that_cant_say_fails_open() -> None:
    away = gate()
    away.unknown()
    assert away.open and away.state == "Accepted"
