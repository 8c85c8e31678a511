"""A contact's request: export of everything stored about the address, and erasure of it."""

from __future__ import annotations

import json

import pytest
from django.core import mail

from cases.models import Activity, Enquiry, TransitionLog
from core.errors import GuardFailed, NotAllowed
from outbox.models import OutboxMessage
from outbox.services import outbox_enqueue
from privacy.services import contact_data_erase, contact_data_export
from tests.privacy.conftest import CONTACT, SECRET_NOTE

pytestmark = pytest.mark.django_db


def test_export_contains_the_data_of_that_address_only(closed_case, submit):
    """GIVEN two cases of one address (any spelling of it) and one of another WHEN the address's data is
    exported THEN both of its cases are in it with their public timeline, survey and introduction, the
    other case is not, and the whole is JSON."""
    first = closed_case(10)
    second = submit(email=CONTACT.upper())
    other = submit(email="jemand.anderes@gemeinde.example")

    data = contact_data_export(email=f"  {CONTACT.lower()} ")

    assert json.loads(json.dumps(data)) == data
    assert data["email"] == CONTACT.lower()
    assert [e["reference"] for e in data["enquiries"]] == [first.reference, second.reference]
    assert other.reference not in json.dumps(data)
    exported = data["enquiries"][0]
    assert exported["contact"] == {
        "name": "Erika Muster",
        "email": CONTACT,
        "phone": "089 1234567",
        "role": "Amtsleiterin Digitales",
    }
    assert exported["municipality"] == {"ags": "09162000", "name": "München, Landeshauptstadt"}
    assert exported["consent_at"] is not None and exported["topics"] == ["mobilitaet"]
    assert exported["outcome"]["category"] == "exchange_held"
    timeline = [(t["transition"], t["text"]) for t in exported["timeline"]]
    assert ("receive_reply", SECRET_NOTE) in timeline
    assert timeline[0] == ("submit", "Ihre Anfrage ist eingegangen.")
    assert exported["surveys"][0] | {"sent_at": None, "answered_at": None} == {
        "kind": "satisfaction",
        "sent_at": None,
        "answered_at": None,
        "score": 4,
        "useful": True,
        "adopted": "",
        "comment": "Danke, Erika Muster",
    }
    assert exported["introductions"][0]["model_project"] == "Smarte Region Musterland"
    assert {m["subject"] for m in data["emails"]} >= {m.subject for m in mail.outbox if CONTACT in m.to}
    assert data["emails"] and all("jemand.anderes" not in m["text"] for m in data["emails"])


def test_export_keeps_internal_notes_out(closed_case):
    """GIVEN a case with internal staff notes WHEN exported THEN only the entries public to the contact are in it."""
    enquiry = closed_case(10)
    internal = Activity.objects.filter(enquiry=enquiry, public=False).exclude(text="").first()
    assert internal is not None
    data = contact_data_export(email=CONTACT)
    assert internal.text not in [t["text"] for t in data["enquiries"][0]["timeline"]]


def test_export_of_an_unknown_address_is_empty_and_a_bad_address_is_refused(db):
    assert contact_data_export(email="niemand@example.org")["enquiries"] == []
    for bad in ["", "kein-at-zeichen", None, 42, "a@b", "x" * 250 + "@example.org", "a\x00@example.org"]:
        with pytest.raises(GuardFailed) as exc:
            contact_data_export(email=bad)
        assert exc.value.field == "email"


def test_erase_withdraws_an_open_case_through_the_service_and_anonymises_it(
    submit, move, coordinator, partner, closed_case
):
    """GIVEN an open case (in progress) and a closed case of one address WHEN a coordinator erases the
    address THEN the open case is withdrawn with a TransitionLog row by the coordinator, both cases are
    anonymised, and nothing of the contact is left."""
    old = closed_case(30)
    enquiry = submit()
    enquiry = move(enquiry, "triage", coordinator)
    enquiry = move(enquiry, "assign", coordinator, partner=partner.pk)

    assert contact_data_erase(email=CONTACT, by=coordinator) == 2

    enquiry.refresh_from_db()
    assert (enquiry.state, enquiry.close_reason) == ("closed", "withdrawn")
    log = TransitionLog.objects.filter(enquiry=enquiry).last()
    assert (log.transition, log.from_state, log.to_state, log.by_user, log.by) == (
        "withdraw",
        "assigned",
        "closed",
        coordinator,
        "koordination",
    )
    for case in (enquiry, old):
        case.refresh_from_db()
        assert case.anonymised_at is not None
        assert (case.contact_name, case.contact_email, case.contact_phone) == ("[anonymisiert]", "", "")
        note = Activity.objects.filter(enquiry=case).last()
        assert (note.author, note.actor) == (coordinator, "koordination")
        assert "auf Antrag" in note.text
    assert not Enquiry.objects.filter(contact_email__iexact=CONTACT).exists()
    assert contact_data_export(email=CONTACT)["enquiries"] == []
    assert not TransitionLog.objects.filter(comment__icontains="gemeinde.example").exists()


def test_erase_sends_nothing_more_to_the_address(submit, coordinator, django_capture_on_commit_callbacks):
    """GIVEN an open case and a pending e-mail to the address WHEN it is erased THEN the withdrawal notice
    and the pending e-mail are cancelled and blanked, and no e-mail leaves."""
    enquiry = submit()
    loose = outbox_enqueue(to=CONTACT, template="withdrawn", context={"enquiry": enquiry})
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        contact_data_erase(email=CONTACT, by=coordinator)

    assert mail.outbox == []
    assert not OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).exists()
    loose.refresh_from_db()
    assert (loose.status, loose.recipients, loose.text) == ("failed", [], "[anonymisiert]")
    assert "storniert" in loose.last_error
    for message in OutboxMessage.objects.all():
        assert message.recipients == [] or CONTACT.lower() not in [r.lower() for r in message.recipients]
        assert "Erika" not in message.text + message.html


def test_erase_leaves_other_addresses_alone(submit, coordinator):
    mine = submit()
    other = submit(email="jemand.anderes@gemeinde.example")
    contact_data_erase(email=CONTACT, by=coordinator)
    other.refresh_from_db()
    mine.refresh_from_db()
    assert (other.state, other.contact_name, other.anonymised_at) == ("new", "Erika Muster", None)
    assert mine.anonymised_at is not None


def test_only_a_coordinator_may_erase_and_then_nothing_changes(submit, manager, partner_user):
    """GIVEN an open case WHEN a manager or a partner tries to erase THEN it is refused and nothing changes."""
    enquiry = submit()
    for user in (manager, partner_user, None):
        with pytest.raises(NotAllowed):
            contact_data_erase(email=CONTACT, by=user)
    enquiry.refresh_from_db()
    assert (enquiry.state, enquiry.anonymised_at, enquiry.contact_name) == ("new", None, "Erika Muster")


def test_erasing_twice_finds_nothing_the_second_time(submit, coordinator):
    submit()
    assert contact_data_erase(email=CONTACT, by=coordinator) == 1
    assert contact_data_erase(email=CONTACT, by=coordinator) == 0


def test_erase_blanks_the_subject_copied_into_the_admin_history(submit, coordinator):
    """GIVEN a case that was changed in the admin (its history copies str(enquiry), the subject) WHEN the
    address is erased THEN the history entry names the reference only."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    enquiry = submit()
    entry = LogEntry.objects.create(
        user=coordinator,
        content_type=ContentType.objects.get_for_model(Enquiry),
        object_id=str(enquiry.pk),
        object_repr=str(enquiry),
        action_flag=CHANGE,
        change_message="[]",
    )
    assert "Erika" in entry.object_repr
    contact_data_erase(email=CONTACT, by=coordinator)
    entry.refresh_from_db()
    assert entry.object_repr == f"{enquiry.reference}: [anonymisiert]"


def test_erase_anonymises_a_resolved_case_without_moving_it(submit, move, coordinator, partner, partner_user):
    """GIVEN a resolved case (not open: nothing to withdraw) WHEN its address is erased THEN it stays
    resolved with its outcome category, no transition is logged, and its contact data is gone."""
    enquiry = submit()
    enquiry = move(enquiry, "triage", coordinator)
    enquiry = move(enquiry, "assign", coordinator, partner=partner.pk)
    enquiry = move(enquiry, "accept", partner_user)
    enquiry = move(enquiry, "resolve", partner_user, category="solution_adopted", notes=SECRET_NOTE)
    logs = TransitionLog.objects.filter(enquiry=enquiry).count()

    assert contact_data_erase(email=CONTACT, by=coordinator) == 1

    enquiry.refresh_from_db()
    assert (enquiry.state, enquiry.outcome.category, enquiry.outcome.notes) == (
        "resolved",
        "solution_adopted",
        "[anonymisiert]",
    )
    assert TransitionLog.objects.filter(enquiry=enquiry).count() == logs
    assert enquiry.contact_email == "" and enquiry.anonymised_at is not None


def test_the_export_reads_a_fixed_number_of_queries_however_many_cases(closed_case, django_assert_num_queries):
    closed_case(10)
    # the cases with their related rows, the e-mails to the address, its event invitations and the e-mails
    # from it (inbound)
    with django_assert_num_queries(9) as one:
        contact_data_export(email=CONTACT)
    closed_case(20)
    closed_case(30)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(contact_data_export(email=CONTACT)["enquiries"]) == 3


@pytest.mark.django_db(transaction=True)
def test_an_erase_that_loses_a_race_answers_conflict_and_erases_nothing(submit, coordinator, topic):
    """GIVEN a coordinator triaging a case (row locked, not yet committed) WHEN the contact's address is
    erased at that moment THEN the erasure waits, finds the state changed, raises Conflict and rolls back
    completely: the case is triaged, not withdrawn, and its contact data is intact."""
    import threading
    import time

    from django.db import connection, transaction

    from cases.services import enquiry_transition
    from core.errors import Conflict

    if connection.vendor == "sqlite":
        pytest.skip("row locks need PostgreSQL")
    enquiry = submit()
    locked = threading.Event()

    def triage_slowly() -> None:
        from django.db import connection as thread_connection

        try:
            with transaction.atomic():
                row = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
                locked.set()
                time.sleep(1.0)
                enquiry_transition(enquiry=row, name="triage", by=coordinator)
        finally:
            thread_connection.close()

    thread = threading.Thread(target=triage_slowly)
    thread.start()
    locked.wait(5)
    with pytest.raises(Conflict):
        contact_data_erase(email=CONTACT, by=coordinator)
    thread.join()

    enquiry.refresh_from_db()
    assert (enquiry.state, enquiry.anonymised_at, enquiry.contact_name) == ("triaged", None, "Erika Muster")
    assert not TransitionLog.objects.filter(enquiry=enquiry, transition="withdraw").exists()
