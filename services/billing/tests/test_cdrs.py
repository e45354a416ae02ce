"""CDRs and their versions (chargebus.billing.cdrs): no store, no bus."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

from chargebus.billing.cdrs import build_cdr, cdr_document, issue_cdr, mark_written, token_of
from chargebus.billing.model import BillingSession
from chargebus.common.billing import Tariff
from chargebus.common.events import SessionEnded

T0 = 1_772_445_600.0  # Monday 2 March 2026, 10:00 UTC
#: 0.30/kWh, 19 % VAT.
TARIFF = Tariff(id="std", currency="EUR", energy_price=D("0.30"), vat_rate=D(19))


def ended(revision: int = 1, **fields: Any) -> SessionEnded:
    return SessionEnded(
        **{
            "event_id": f"S-1:e{revision}",
            "charger_id": "CP-1",
            "session_id": "S-1",
            "transaction_id": "tx-1",
            "evse_id": 2,
            "connector_id": 1,
            "occurred_at": T0 + 3600,
            "started_at": T0,
            "ended_at": T0 + 3600,
            "energy_wh": 10_000.0,
            "revision": revision,
            **fields,
        }
    )


def due(**fields: Any) -> BillingSession:
    return BillingSession(
        **{
            "id": "S-1",
            "charger_id": "CP-1",
            "transaction_id": "tx-1",
            "tariff": TARIFF,
            "ended": ended(),
            "cdr_pending": True,
            "cdr_due_at": T0 + 3605,
            "created_at": T0,
            "updated_at": T0,
            **fields,
        }
    )


def test_the_first_cdr_is_version_1_with_its_event() -> None:
    issue = issue_cdr(due(), T0 + 3605, "EUR")
    assert issue is not None and issue.created is not None
    session, created = issue
    assert session.cdr is not None
    assert (session.cdr.version, session.cdr.total_cost.excl_vat) == (1, D("3.00"))
    assert session.cdr.total_cost.incl_vat == D("3.57")  # 3.00 * 1.19
    assert (created.event_id, created.version, created.cdr) == ("S-1:cdr:1", 1, session.cdr)
    assert session.cdr_unstored and not session.cdr_pending and session.cdr_due_at is None


def test_nothing_is_made_when_not_due_or_the_last_version_is_unwritten() -> None:
    assert issue_cdr(None, T0, "EUR") is None
    assert issue_cdr(due(cdr_pending=False), T0, "EUR") is None
    assert issue_cdr(due(ended=None), T0, "EUR") is None
    assert issue_cdr(due(cdr_unstored=True), T0, "EUR") is None


def test_a_revision_makes_a_new_version_only_when_the_cdr_differs() -> None:
    first = issue_cdr(due(), T0 + 3605, "EUR")
    assert first is not None
    session = mark_written(first.session, 1)
    assert session is not None
    session.ended, session.cdr_pending = ended(revision=2), True
    same = issue_cdr(session, T0 + 4000, "EUR")  # a later time, the same facts
    assert same is not None and same.created is None
    assert same.session.cdr is not None and same.session.cdr.version == 1
    session = same.session
    session.ended, session.cdr_pending = ended(revision=3, energy_wh=12_000.0), True
    corrected = issue_cdr(session, T0 + 4100, "EUR")
    assert corrected is not None and corrected.created is not None
    assert corrected.created.event_id == "S-1:cdr:2"
    assert corrected.session.cdr is not None
    assert corrected.session.cdr.total_cost.excl_vat == D("3.60")


def test_a_session_that_cant_be_priced_keeps_why_and_makes_no_version() -> None:
    bad = ended(meter_start_wh=0.0, meter_stop_wh=1e300)
    issue = issue_cdr(due(ended=bad), T0 + 3605, "EUR")
    assert issue is not None and issue.created is None
    assert issue.session.cdr is None and not issue.session.cdr_pending
    assert issue.session.cdr_error is not None
    assert issue.session.cdr_error.startswith("can't be priced")


def test_without_a_tariff_the_cdr_costs_nothing_in_the_default_currency_and_says_why() -> None:
    cdr = build_cdr(due(tariff=None), T0 + 3605, "SEK")
    assert (cdr.currency, cdr.total_cost.incl_vat, cdr.tariffs) == ("SEK", D(0), [])
    assert cdr.remark == "no tariff was in force when the session started"


def test_a_session_whose_start_was_never_seen_is_priced_from_its_end() -> None:
    session = due(ended=ended(started_at=None, status="reconciliation"))
    cdr = build_cdr(session, T0 + 3605, "EUR")
    assert cdr.start_date_time == cdr.end_date_time
    assert cdr.remark is not None and "never seen" in cdr.remark


def test_the_token_type_follows_the_id_token_type_or_how_1_6_started() -> None:
    def kind(**fields: Any) -> str | None:
        token = token_of(ended(**fields))
        return token.type if token is not None else None

    assert kind() is None
    assert kind(id_token="A1", id_token_type="ISO14443") == "RFID"
    assert kind(id_token="A1", id_token_type="eMAID") == "APP_USER"
    assert kind(id_token="A1", id_token_type="Weird") == "OTHER"
    assert kind(id_token="A1") == "RFID"  # 1.6: a card
    assert kind(id_token="A1", remote_start_id=7) == "APP_USER"  # 1.6: an app


def test_a_version_is_marked_written_only_while_it_is_the_pending_one() -> None:
    issue = issue_cdr(due(), T0 + 3605, "EUR")
    assert issue is not None
    assert mark_written(issue.session, 2) is None  # not the pending version
    written = mark_written(issue.session, 1)
    assert written is not None and not written.cdr_unstored
    assert mark_written(written, 1) is None  # done already
    assert mark_written(None, 1) is None


def test_a_versions_document_is_keyed_by_session_and_version_and_ids_sort_by_time() -> None:
    issue = issue_cdr(due(), T0 + 3605, "EUR")
    assert issue is not None
    doc = cdr_document(issue.session, T0 + 3606)
    assert (doc.version_key, doc.version, doc.latest) == ("S-1:1", 1, True)
    later = cdr_document(issue.session, T0 + 3607)
    assert doc.id < later.id and doc.id.endswith("-S-1-1")
