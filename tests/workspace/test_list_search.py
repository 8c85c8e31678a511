"""``?q=`` of the case list (cases.search): German full text on PostgreSQL, folded prefix words on SQLite; the
same cases for the same words on both, ranked by the same weights, kept current after every change."""

from __future__ import annotations

import pytest
from django.db import connection

from cases.models import Activity, Enquiry
from cases.search import enquiries_search, search_rebuild_all, search_refresh
from cases.selectors import enquiries_visible_to
from tests import builders as b
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(db):
    f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Radverkehr"])
    return f.MunicipalityFactory(ags="09461000", name="Bamberg, Stadt", short_name="Bamberg", bundesland="BY")


@pytest.fixture
def submit(town):
    def make(subject: str = "Anfrage", message: str = "Bitte um Rat.", **fields):
        return b.enquiry_submitted(municipality=town, subject=subject, message=message, effects=True, **fields)

    return make


def _found(q: str, user=None) -> list[int]:
    enquiries = Enquiry.objects.all() if user is None else enquiries_visible_to(user=user)
    return list(enquiries_search(enquiries=enquiries, q=q).order_by("-search_rank", "id").values_list("pk", flat=True))


def test_a_word_of_the_message_finds_its_case_whatever_its_case_and_umlauts(submit):
    bins = submit(message="Wir möchten smarte Papierkörbe mit Füllstandssensor aufstellen.")
    submit(message="Wie plant man ein Radnetz?")
    assert _found("papierkörbe") == [bins.pk]
    assert _found("PAPIERKÖRBE") == [bins.pk]
    assert _found("Füllstandssensor") == [bins.pk]


def test_another_ending_of_a_word_finds_it(submit):
    """PostgreSQL stems (german); SQLite matches the word's beginning after cutting a common ending."""
    bins = submit(message="Wir möchten smarte Papierkörbe aufstellen.")
    single = submit(subject="Ein Papierkorb", message="Nur einer.")
    assert set(_found("Papierkorb")) == {bins.pk, single.pk}
    assert set(_found("Papierkörbe")) == {bins.pk, single.pk}


def test_every_word_is_required(submit):
    both = submit(subject="Radverkehr", message="Fahrradstraßen und Parkhäuser")
    submit(subject="Radverkehr", message="Nur Ampeln")
    assert _found("Radverkehr Parkhäuser") == [both.pk]
    assert _found("Radverkehr Zeppelin") == []


def test_reference_contact_and_municipality_are_searched(submit):
    enquiry = submit(contact_name="Erika Mustermann", contact_email="erika@bamberg.example")
    submit(contact_name="Hans Anders", contact_email="hans@anders.example")
    assert _found(enquiry.reference) == [enquiry.pk]
    assert _found("Mustermann") == [enquiry.pk]
    assert _found("erika@bamberg.example") == [enquiry.pk]
    assert set(_found("Bamberg")) == set(Enquiry.objects.values_list("pk", flat=True))


def test_the_subject_ranks_above_the_message_and_the_message_above_the_timeline(
    submit, coordinator, partner, partner_user
):
    """A (subject) > B (message) > C (timeline), on both databases."""
    in_timeline = submit(subject="Anfrage eins", message="Bitte um Rat.")
    b.enquiry_moved(in_timeline, "triage", by=coordinator, comment="Thema Zisterne geklärt", effects=True)
    in_message = submit(subject="Anfrage zwei", message="Wir planen eine Zisterne am Rathaus.")
    in_subject = submit(subject="Zisterne für den Stadtpark", message="Bitte um Rat.")
    assert _found("Zisterne") == [in_subject.pk, in_message.pk, in_timeline.pk]


def test_the_timeline_is_found_after_a_note_or_a_transition_comment(submit, coordinator, move):
    enquiry = submit()
    assert _found("Zeppelinhangar") == []
    Activity.objects.create(
        enquiry=enquiry,
        kind=Activity.Kind.NOTE,
        author=coordinator,
        text="Rückruf wegen Zeppelinhangar",
        at=enquiry.created_at,
    )
    search_refresh([enquiry.pk])  # the receiver does it after the commit, which a test transaction never reaches
    assert _found("Zeppelinhangar") == [enquiry.pk]
    move(enquiry, "triage", coordinator, comment="Luftschiffwerft prüfen")
    assert _found("Luftschiffwerft") == [enquiry.pk]


def test_a_change_is_searchable_after_its_commit(submit, coordinator, django_capture_on_commit_callbacks):
    """GIVEN a case WHEN a note is written and the transaction commits THEN the refresh ran (the receiver on
    the timeline entry), with no explicit call."""
    enquiry = submit()
    with django_capture_on_commit_callbacks(execute=True):
        Activity.objects.create(
            enquiry=enquiry,
            kind=Activity.Kind.NOTE,
            author=coordinator,
            text="Stichwort Solarbank",
            at=enquiry.created_at,
        )
    assert _found("Solarbank") == [enquiry.pk]


def test_partner_staff_find_only_their_partners_cases(submit, coordinator, partner, partner_user, other_partner):
    ours = b.enquiry_brought_to(
        submit(message="Schwammstadt"),
        "assigned",
        coordinator=coordinator,
        staff=partner_user,
        partner=partner,
        effects=True,
    )
    theirs = b.enquiry_brought_to(
        submit(message="Schwammstadt"),
        "assigned",
        coordinator=coordinator,
        staff=None,
        partner=other_partner,
        effects=True,
    )
    assert _found("Schwammstadt") == sorted([ours.pk, theirs.pk])
    assert _found("Schwammstadt", user=partner_user) == [ours.pk]


def test_a_query_without_words_filters_nothing(submit):
    enquiry = submit()
    assert _found("  !?  ") == [enquiry.pk]


def test_the_rebuild_restores_what_a_bulk_write_left_out(submit):
    enquiry = submit(message="Wärmepumpe")
    Enquiry.objects.filter(pk=enquiry.pk).update(search_vector=None, search_a="", search_b="", search_c="")
    assert _found("Wärmepumpe") == []
    assert search_rebuild_all() == 1
    assert _found("Wärmepumpe") == [enquiry.pk]


def test_the_next_deadline_is_kept_for_sorting(submit, coordinator, partner, partner_user):
    enquiry = submit()
    stored = Enquiry.objects.get(pk=enquiry.pk)
    assert stored.next_due == min(stored.first_response_due, stored.assignment_due, stored.resolution_due)
    waiting = b.enquiry_brought_to(
        submit(), "awaiting_reply", coordinator=coordinator, staff=partner_user, partner=partner, effects=True
    )
    assert Enquiry.objects.get(pk=waiting.pk).next_due is None  # paused
    assert connection.vendor in {"sqlite", "postgresql"}


def test_stop_words_of_the_query_are_not_required(submit):
    both = submit(subject="Radverkehr", message="Fahrradstraßen, Parkhäuser")
    assert _found("Radverkehr und Parkhäuser") == [both.pk]


def test_of_more_matches_than_are_ranked_the_newest_are_listed(submit, monkeypatch):
    """GIVEN three cases about Radverkehr and a ranking limit of two WHEN searched THEN the two newest are found,
    ranked, and a case outside the user's scope is not among them."""
    import cases.search

    monkeypatch.setattr(cases.search, "RANKED_AT_MOST", 2)
    _oldest, middle, newest = (submit(subject="Radverkehr", message=f"Fall {n}") for n in range(3))
    assert set(_found("Radverkehr")) == {middle.pk, newest.pk}
    assert _found("Radverkehr", user=f.UserFactory(username="ohne-rolle")) == []


def test_a_transition_with_several_timeline_entries_refreshes_its_case_once(submit, django_capture_on_commit_callbacks):
    """GIVEN a new case WHEN a coordinator assigns it (a log, a public entry and an internal note, then the event)
    THEN one refresh is asked for (one deferred job written), and it runs once after the commit."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import cases.search
    from cases.services import enquiry_transition

    enquiry = submit(message="Radverkehr im Quartier")
    coordinator = f.UserFactory(username="koordination-eins", role="coordinator")
    partner = f.PartnerFactory(short_name="DIFU")
    enquiry = enquiry_transition(enquiry=enquiry, name="triage", by=coordinator, payload={"topics": ["mobilitaet"]})
    refreshed: list[list[int]] = []
    original = cases.search.search_refresh

    def counting(ids):
        ids = list(ids)
        refreshed.append(ids)
        original(ids)

    cases.search.search_refresh = counting
    try:
        with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as queries:
            enquiry_transition(enquiry=enquiry, name="assign", by=coordinator, payload={"partner": partner.pk})
    finally:
        cases.search.search_refresh = original
    writes = [q["sql"] for q in queries if "ops_deferredjob" in q["sql"] and "cases.search" in q["sql"]]
    assert len(writes) == 1
    assert refreshed == [[enquiry.pk]]
