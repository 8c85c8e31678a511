"""The transition services: state, rights, guards, log and timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cases.models import Activity, CloseReason, Enquiry, Outcome, State, TransitionLog
from cases.selectors import enquiries_visible_to, enquiry_get_visible, enquiry_transitions_available
from cases.services import enquiry_transition
from core.errors import Conflict, GuardFailed, NotAllowed, NotVisible
from tests import builders as b
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic():
    return f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Mobilität", "Radverkehr", "ÖPNV"])


@pytest.fixture
def municipality():
    return f.MunicipalityFactory(ags="09162000", name="München, Landeshauptstadt")


def submit(municipality, **overrides):
    place = overrides.pop("municipality_ags", municipality)
    return b.enquiry_submitted(municipality=place, topics=overrides.pop("topic_slugs", []), **overrides)


def test_submission_stores_a_new_enquiry_with_reference_log_and_public_entry(municipality, topic):
    """GIVEN a valid submission WHEN it is stored THEN it is new, has a reference, a submit log and entry."""
    enquiry = submit(municipality)
    assert enquiry.state == State.NEW
    assert enquiry.reference.startswith(f"KTS-{timezone.localtime().year}-")
    assert len(enquiry.reference) == len("KTS-2026-000001")
    assert len(enquiry.public_token) >= 22
    log = TransitionLog.objects.get(enquiry=enquiry)
    assert (log.transition, log.from_state, log.to_state, log.by) == ("submit", "", "new", "municipality")
    assert Activity.objects.filter(enquiry=enquiry, transition="submit", public=True).exists()


def test_references_count_up_per_year(municipality, topic):
    first = submit(municipality, subject="Eins")
    second = submit(municipality, subject="Zwei völlig anders")
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1


@pytest.mark.parametrize("last", [5, 999_999])
def test_a_reference_taken_already_is_skipped_also_past_six_digits(municipality, topic, last):
    """GIVEN the year's counter at ``last`` and the next reference taken by a hand-made case WHEN an enquiry is
    submitted THEN it gets the number after (PostgreSQL asks in the counter's UPDATE, SQLite apart)."""
    from cases.models import ReferenceCounter
    from cases.references import reference_format

    year = timezone.localtime().year
    ReferenceCounter.objects.update_or_create(year=year, defaults={"last": last})
    f.EnquiryFactory(reference=reference_format(year=year, number=last + 1), municipality=municipality)
    enquiry = submit(municipality, subject="Nach der Lücke")
    assert enquiry.reference == reference_format(year=year, number=last + 2)


def test_empty_topics_are_tagged_from_keywords_with_umlaut_variants(municipality, topic):
    """GIVEN no topics and a message writing "Oepnv" WHEN submitted THEN the mobility topic is tagged."""
    enquiry = submit(municipality, subject="Frage zum OEPNV", message="Wie organisiert ihr den Oepnv auf dem Land?")
    assert enquiry.topics_auto is True
    assert list(enquiry.topics.values_list("slug", flat=True)) == ["mobilitaet"]


def test_a_similar_enquiry_within_30_days_is_flagged_as_duplicate_not_refused(municipality, topic):
    first = submit(municipality)
    second = submit(municipality, subject="Radverkehr in der Innenstadt!", contact_email="ERIKA@gemeinde.example")
    assert second.duplicate_of_id == first.pk
    assert Activity.objects.filter(enquiry=second, text__contains=first.reference).exists()


def test_a_similar_enquiry_after_30_days_is_not_a_duplicate(municipality, topic):
    submit(municipality, now=timezone.now() - timedelta(days=31))
    assert submit(municipality).duplicate_of_id is None


def test_funded_municipality_is_accepted_and_marked(topic):
    funded = f.MunicipalityFactory(ags="05315000", funded=True)
    assert submit(funded).funded is True


def test_a_district_key_of_five_digits_is_accepted(topic):
    kreis = f.MunicipalityFactory(ags="09162", level="kreis", kind="landkreis")
    assert submit(kreis).municipality == kreis


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consent": False}, "consent"),
        ({"municipality_ags": "99999999"}, "municipality"),
        ({"municipality_ags": "abc"}, "municipality"),
        ({"contact_email": "kein-mail"}, "contact_email"),
        ({"subject": "   "}, "subject"),
        ({"message": "x" * 10_001}, "message"),
        ({"message": "a\x00b"}, "message"),
        ({"topic_slugs": ["gibt-es-nicht"]}, "topics"),
        ({"support_type": "zauberei"}, "support_type"),
    ],
)
def test_invalid_submissions_store_nothing(municipality, topic, overrides, field):
    with pytest.raises(GuardFailed) as err:
        submit(municipality, **overrides)
    assert err.value.field == field
    assert not Enquiry.objects.exists()
    assert not TransitionLog.objects.exists()


def test_partner_staff_see_only_their_partners_cases(municipality, topic, partner_user, coordinator, partner):
    own = submit(municipality)
    other = submit(municipality, subject="Etwas ganz anderes")
    own = enquiry_transition(enquiry=own, name="triage", by=coordinator)
    enquiry_transition(enquiry=own, name="assign", by=coordinator, payload={"partner": partner.pk})
    assert list(enquiries_visible_to(user=partner_user)) == [own]
    with pytest.raises(NotVisible):
        enquiry_get_visible(user=partner_user, pk=other.pk)
    assert enquiry_get_visible(user=coordinator, pk=other.pk) == other


def test_the_whole_path_writes_log_and_timestamps(municipality, topic, coordinator, partner, partner_user, manager):
    """GIVEN a new enquiry WHEN it goes through triage, assign, accept, request_info, reply, resolve, close
    THEN each step is logged with its actor and the timestamps are set."""
    e = submit(municipality)
    e = enquiry_transition(enquiry=e, name="triage", by=coordinator)
    e = enquiry_transition(enquiry=e, name="assign", by=coordinator, payload={"partner": partner.pk})
    assert e.assigned_at is not None
    e = enquiry_transition(enquiry=e, name="accept", by=partner_user, payload={"comment": "machen wir"})
    assert e.first_response_at is not None and e.assigned_user == partner_user
    e = enquiry_transition(enquiry=e, name="request_info", by=partner_user, payload={"message": "Wie groß?"})
    e = enquiry_transition(enquiry=e, name="receive_reply", by=None, actor="municipality", payload={"message": "Groß"})
    assert e.state == State.IN_PROGRESS
    e = enquiry_transition(
        enquiry=e, name="resolve", by=partner_user, payload={"category": "contact_established", "notes": "ok"}
    )
    assert Outcome.objects.get(enquiry=e).category == "contact_established"
    e = enquiry_transition(enquiry=e, name="close", by=None, actor="system", payload={"reason": "completed"})
    assert (e.state, e.close_reason) == (State.CLOSED, CloseReason.COMPLETED)
    e = enquiry_transition(enquiry=e, name="reopen", by=manager)
    assert e.state == State.TRIAGED and e.closed_at is None
    logs = list(TransitionLog.objects.filter(enquiry=e).values_list("transition", "by"))
    assert logs == [
        ("submit", "municipality"),
        ("triage", "koordination"),
        ("assign", "koordination"),
        ("accept", "difu-mitarbeiterin"),
        ("request_info", "difu-mitarbeiterin"),
        ("receive_reply", "municipality"),
        ("resolve", "difu-mitarbeiterin"),
        ("close", "system"),
        ("reopen", "leitung"),
    ]
    assert TransitionLog.objects.get(enquiry=e, transition="accept").comment == "machen wir"


def test_receive_reply_without_partner_returns_to_triaged(municipality, topic, coordinator):
    e = enquiry_transition(enquiry=submit(municipality), name="triage", by=coordinator)
    e = enquiry_transition(enquiry=e, name="request_info", by=coordinator, payload={"message": "Welche Stadt?"})
    e = enquiry_transition(enquiry=e, name="receive_reply", by=coordinator, payload={"message": "per Telefon"})
    assert e.state == State.TRIAGED


def test_a_transition_from_the_wrong_state_is_a_guard_failure(municipality, topic, coordinator):
    with pytest.raises(GuardFailed):
        enquiry_transition(enquiry=submit(municipality), name="assign", by=coordinator, payload={"partner": 1})


def test_it_refuses_triage_by_partner_staff(municipality, topic, partner_user):
    with pytest.raises(NotAllowed):
        enquiry_transition(enquiry=submit(municipality), name="triage", by=partner_user)


def test_it_refuses_resolve_without_an_outcome(municipality, topic, coordinator, partner, partner_user):
    e = enquiry_transition(enquiry=submit(municipality), name="triage", by=coordinator)
    e = enquiry_transition(enquiry=e, name="assign", by=coordinator, payload={"partner": partner.pk})
    e = enquiry_transition(enquiry=e, name="accept", by=partner_user)
    with pytest.raises(GuardFailed) as err:
        enquiry_transition(enquiry=e, name="resolve", by=partner_user, payload={"notes": "fertig"})
    assert err.value.field == "category"
    e.refresh_from_db(fields=["resolved_at"])
    assert Enquiry.objects.get(pk=e.pk).state == State.IN_PROGRESS


def test_close_reason_completed_only_from_resolved(municipality, topic, coordinator):
    with pytest.raises(GuardFailed) as err:
        enquiry_transition(enquiry=submit(municipality), name="close", by=coordinator, payload={"reason": "completed"})
    assert err.value.field == "reason"


def test_reopen_is_refused_after_90_days(municipality, topic, coordinator):
    e = enquiry_transition(enquiry=submit(municipality), name="withdraw", by=coordinator)
    with time_machine.travel(timezone.now() + timedelta(days=91)), pytest.raises(GuardFailed):
        enquiry_transition(enquiry=e, name="reopen", by=coordinator)
    with time_machine.travel(timezone.now() + timedelta(days=89)):
        assert enquiry_transition(enquiry=e, name="reopen", by=coordinator).state == State.TRIAGED


def test_reopen_is_not_offered_after_90_days(municipality, topic, coordinator):
    """GIVEN a case withdrawn 91 days ago WHEN the coordinator asks what is possible THEN reopen is not listed."""
    e = enquiry_transition(enquiry=submit(municipality), name="withdraw", by=coordinator)
    assert "reopen" in [t["name"] for t in enquiry_transitions_available(enquiry=e, user=coordinator)]
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        assert "reopen" not in [t["name"] for t in enquiry_transitions_available(enquiry=e, user=coordinator)]


def test_an_anonymised_case_cannot_be_reopened(municipality, topic, coordinator):
    """GIVEN a closed case whose contact data were erased WHEN reopened THEN 400 and it stays closed."""
    e = enquiry_transition(enquiry=submit(municipality), name="withdraw", by=coordinator)
    Enquiry.objects.filter(pk=e.pk).update(anonymised_at=timezone.now())
    e.refresh_from_db()
    assert "reopen" not in [t["name"] for t in enquiry_transitions_available(enquiry=e, user=coordinator)]
    with pytest.raises(GuardFailed) as err:
        enquiry_transition(enquiry=e, name="reopen", by=coordinator)
    assert err.value.field == "state"
    assert Enquiry.objects.get(pk=e.pk).state == State.CLOSED


def test_a_stale_copy_loses_with_conflict_and_writes_nothing(municipality, topic, coordinator):
    """GIVEN two copies of the same new enquiry WHEN both are triaged THEN the second gets Conflict."""
    e = submit(municipality)
    stale = Enquiry.objects.get(pk=e.pk)
    enquiry_transition(enquiry=e, name="triage", by=coordinator)
    with pytest.raises(Conflict):
        enquiry_transition(enquiry=stale, name="withdraw", by=coordinator)
    assert TransitionLog.objects.filter(enquiry=e).count() == 2


def test_available_transitions_depend_on_role_and_state(municipality, topic, coordinator, partner_user, manager):
    e = submit(municipality)
    names = [t["name"] for t in enquiry_transitions_available(enquiry=e, user=coordinator)]
    assert names == ["triage", "close", "withdraw"]
    assert enquiry_transitions_available(enquiry=e, user=manager) == []
    assert enquiry_transitions_available(enquiry=e, user=None, actor="municipality") == [
        {"name": "withdraw", "label": "Zurückziehen", "target": "closed"}
    ]
