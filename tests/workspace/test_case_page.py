"""The case page /intern/faelle/<id>/: what it shows, to whom, in how many queries; internal notes and
follow-ups (SPEC section 9)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.followups import followup_create
from cases.models import Activity, FollowUp
from cases.notes import note_add
from core.errors import GuardFailed, NotAllowed
from tests import builders as b
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(db):
    return f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Radverkehr"])


@pytest.fixture
def municipality(db):
    return f.MunicipalityFactory(
        ags="09461000",
        name="Bamberg, Stadt",
        short_name="Bamberg",
        bundesland="BY",
        kind="kreisfreie_stadt",
        population=77_000,
    )


@pytest.fixture
def make_case(topic, municipality, coordinator, partner, partner_user):
    """make_case("in_progress") -> a case of ``partner`` moved there through the services (the partner's
    staff member ``partner_user`` accepts, asks and resolves)."""

    def make(state: str = "new", **fields):
        enquiry = b.enquiry_submitted(
            municipality=municipality,
            topics=[topic.slug],
            contact_name="Erika Muster",
            contact_role="Smart-City-Beauftragte",
            contact_phone="0951 123",
            subject="Radverkehr in der Innenstadt",
            message="Wie habt ihr das Radnetz geplant?",
            **fields,
        )
        return b.enquiry_brought_to(enquiry, state, coordinator=coordinator, staff=partner_user, partner=partner)

    return make


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_url(enquiry) -> str:
    return f"/intern/faelle/{enquiry.pk}/"


def test_the_case_page_shows_the_case_in_german(make_case, coordinator):
    enquiry = make_case("awaiting_reply")
    response = client_of(coordinator).get(page_url(enquiry))
    assert response.status_code == 200
    html = response.content.decode()
    assert enquiry.reference in html and "Radverkehr in der Innenstadt" in html
    assert "wartet auf Rückmeldung" in html
    assert "kreisfreie Stadt" in html and "77.000" in html
    assert "Smart-City-Beauftragte" in html and "0951 123" in html
    assert "Wie habt ihr das Radnetz geplant?" in html
    # the deadlines are paused while the municipality is asked
    assert "angehalten" in html
    # transitions by their label and German state names, oldest first
    triage = html.index("Sichten: Neu → Gesichtet")
    assign = html.index("Partner zuweisen: Gesichtet → Zugewiesen")
    ask = html.index("Rückfrage stellen: In Bearbeitung → Wartet auf Rückmeldung")
    assert triage < assign < ask
    assert "Wie viele Einwohner?" in html
    assert "triaged" not in html.replace('value="triaged"', "")


def test_the_timeline_names_actors_in_german_and_shows_local_times(make_case, coordinator):
    enquiry = make_case("new")
    b.enquiry_moved(enquiry, "withdraw", by=None, actor="municipality")
    response = client_of(coordinator).get(page_url(enquiry))
    timeline = response.context["timeline"]
    withdrawn = next(e for e in timeline if e.title.startswith("Zurückziehen"))
    assert withdrawn.actor == "Kommune" and withdrawn.title == "Zurückziehen: Neu → Abgeschlossen"
    assert timeline[0].title == "Anfrage eingegangen"
    local = timezone.localtime(timeline[0].at).strftime("%d.%m.%Y %H:%M")
    assert local in response.content.decode()


def test_a_partner_of_another_case_gets_404(make_case, other_partner_user):
    enquiry = make_case("in_progress")
    assert client_of(other_partner_user).get(page_url(enquiry)).status_code == 404
    assert client_of(other_partner_user).get(f"{page_url(enquiry)}schritte/accept/").status_code == 404
    response = client_of(other_partner_user).post(f"{page_url(enquiry)}notizen/", {"text": "x"})
    assert response.status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login(make_case):
    enquiry = make_case("new")
    response = Client().get(page_url(enquiry))
    assert response.status_code == 302 and "/anmelden/" in response["Location"]


def test_the_page_reads_a_fixed_number_of_queries(make_case, coordinator, partner_user):
    small = make_case("in_progress")
    big = make_case("in_progress")
    for i in range(8):
        note_add(enquiry=big, by=partner_user, text=f"Notiz {i}")
        followup_create(enquiry=big, by=partner_user, due_at=timezone.now() + timedelta(days=i + 1), note=f"n{i}")
    client = client_of(coordinator)
    client.get(page_url(small))  # warm the session and the group cache

    def count(enquiry) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url(enquiry)).status_code == 200
        return len(queries)

    assert count(small) == count(big)
    # 16 today; the frame's notification count may add one or two
    assert count(big) <= 20


# --- internal notes ------------------------------------------------------------------------------------------


def test_a_partner_writes_an_internal_note_that_the_municipality_never_sees(make_case, partner_user):
    enquiry = make_case("in_progress")
    client = client_of(partner_user)
    response = client.post(f"{page_url(enquiry)}notizen/", {"text": "  Rückruf am Montag vereinbart.  "})
    assert response.status_code == 303 and response["Location"] == page_url(enquiry)
    note = Activity.objects.get(enquiry=enquiry, kind="note", text="Rückruf am Montag vereinbart.")
    assert note.public is False and note.author == partner_user
    page = client.get(page_url(enquiry)).content.decode()
    assert "Notiz gespeichert." in page and "Rückruf am Montag vereinbart." in page and "intern" in page
    status = Client().get(reverse("web:public-status", kwargs={"token": enquiry.public_token}))
    assert status.status_code == 200
    assert "Ihre Anfrage wird jetzt bearbeitet." in status.content.decode()
    assert "Rückruf am Montag" not in status.content.decode()


def test_an_empty_note_gets_a_message_next_to_the_field_and_nothing_is_written(make_case, partner_user):
    enquiry = make_case("in_progress")
    before = Activity.objects.filter(enquiry=enquiry).count()
    response = client_of(partner_user).post(f"{page_url(enquiry)}notizen/", {"text": "   "})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="note-text-error"' in html and "Bitte eine Notiz eingeben." in html
    assert 'aria-describedby="note-text-error"' in html
    assert Activity.objects.filter(enquiry=enquiry).count() == before


def test_a_manager_may_read_but_not_write_a_note(make_case, manager):
    enquiry = make_case("in_progress")
    client = client_of(manager)
    page = client.get(page_url(enquiry))
    assert page.status_code == 200 and "Notiz speichern" not in page.content.decode()
    assert client.post(f"{page_url(enquiry)}notizen/", {"text": "Hallo"}).status_code == 403
    assert not Activity.objects.filter(enquiry=enquiry, text="Hallo").exists()


def test_note_add_refuses_nul_and_managers(make_case, partner_user, manager):
    enquiry = make_case("in_progress")
    with pytest.raises(GuardFailed) as refused:
        note_add(enquiry=enquiry, by=partner_user, text="a\x00b")
    assert refused.value.field == "text"
    with pytest.raises(NotAllowed):
        note_add(enquiry=enquiry, by=manager, text="Hallo")
    with pytest.raises(GuardFailed):
        note_add(enquiry=enquiry, by=partner_user, text="x" * 10_001)


def test_every_form_needs_its_csrf_token(make_case, partner_user):
    enquiry = make_case("in_progress")
    client = Client(enforce_csrf_checks=True)
    client.force_login(partner_user)
    for path, body in [
        ("notizen/", {"text": "Hallo"}),
        ("wiedervorlagen/", {"due": timezone.localdate().isoformat(), "assignee": partner_user.pk}),
        ("schritte/resolve/", {"category": "information_provided", "notes": "x", "expected_state": "in_progress"}),
    ]:
        assert client.post(page_url(enquiry) + path, body).status_code == 403
    enquiry.refresh_from_db()
    assert enquiry.state == "in_progress"
    assert not Activity.objects.filter(enquiry=enquiry, text="Hallo").exists()
    assert not FollowUp.objects.filter(enquiry=enquiry).exists()


# --- follow-ups ----------------------------------------------------------------------------------------------


def test_a_partner_creates_a_follow_up_and_marks_it_done(make_case, partner_user):
    enquiry = make_case("in_progress")
    client = client_of(partner_user)
    due = timezone.localdate() + timedelta(days=3)
    response = client.post(
        f"{page_url(enquiry)}wiedervorlagen/",
        {"due": due.isoformat(), "assignee": partner_user.pk, "note": "Nachfassen"},
    )
    assert response.status_code == 303
    follow_up = FollowUp.objects.get(enquiry=enquiry)
    assert timezone.localtime(follow_up.due_at).date() == due and follow_up.note == "Nachfassen"
    page = client.get(page_url(enquiry)).content.decode()
    assert f"Erledigt: Wiedervorlage am {due:%d.%m.%Y} Nachfassen" in page
    done = client.post(f"{page_url(enquiry)}wiedervorlagen/{follow_up.pk}/erledigt/")
    assert done.status_code == 303
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None
    again = client.post(f"{page_url(enquiry)}wiedervorlagen/{follow_up.pk}/erledigt/", follow=True)
    assert "bereits erledigt" in again.content.decode()


def test_a_due_date_in_the_past_gets_a_message_next_to_the_field(make_case, partner_user):
    enquiry = make_case("in_progress")
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client_of(partner_user).post(
        f"{page_url(enquiry)}wiedervorlagen/", {"due": yesterday.isoformat(), "assignee": partner_user.pk}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="followup-due-error"' in html and "Das Datum liegt in der Vergangenheit" in html
    assert not FollowUp.objects.filter(enquiry=enquiry).exists()


def test_a_follow_up_for_someone_who_does_not_work_on_the_case_is_refused(make_case, partner_user, other_partner_user):
    enquiry = make_case("in_progress")
    response = client_of(partner_user).post(
        f"{page_url(enquiry)}wiedervorlagen/",
        {"due": timezone.localdate().isoformat(), "assignee": other_partner_user.pk},
    )
    assert response.status_code == 400
    assert 'id="followup-assignee-error"' in response.content.decode()
    assert not FollowUp.objects.filter(enquiry=enquiry).exists()


def test_an_overdue_follow_up_is_red(make_case, partner_user):
    enquiry = make_case("in_progress")
    followup_create(enquiry=enquiry, by=partner_user, due_at=timezone.now() - timedelta(days=2), note="alt")
    html = client_of(partner_user).get(page_url(enquiry)).content.decode()
    assert 'class="overdue"' in html and "überfällig" in html


def test_a_manager_cannot_create_or_close_follow_ups(make_case, manager, partner_user):
    enquiry = make_case("in_progress")
    follow_up = followup_create(enquiry=enquiry, by=partner_user, due_at=timezone.now() + timedelta(days=1))
    client = client_of(manager)
    body = {"due": timezone.localdate().isoformat(), "assignee": manager.pk}
    assert client.post(f"{page_url(enquiry)}wiedervorlagen/", body).status_code == 403
    assert client.post(f"{page_url(enquiry)}wiedervorlagen/{follow_up.pk}/erledigt/").status_code == 403
    follow_up.refresh_from_db()
    assert follow_up.done_at is None and FollowUp.objects.filter(enquiry=enquiry).count() == 1


def test_a_passed_deadline_is_red_and_the_measure_asked_about_is_named(topic, municipality, coordinator):
    project = f.ModelProjectFactory(name="Zwönitz", topics=[topic])
    measure = f.MeasureFactory(model_project=project, title="Erzmobil", topics=[topic])
    enquiry = b.enquiry_submitted(
        municipality=municipality, topics=[topic.slug], at=timezone.now() - timedelta(days=10), measure_id=measure.pk
    )
    enquiry.refresh_from_db()
    assert enquiry.first_response_due is not None and enquiry.first_response_due < timezone.now()
    html = client_of(coordinator).get(page_url(enquiry)).content.decode()
    assert '<li class="overdue">Erste Reaktion:' in html and "(überschritten)" in html
    assert "Erzmobil (Zwönitz)" in html


def test_the_timeline_shows_e_mails_with_their_delivery_state_and_survey_answers(make_case, coordinator):
    from cases.surveys import survey_answer, survey_send

    enquiry = make_case("resolved")
    survey = survey_send(enquiry_id=enquiry.pk, kind="satisfaction")
    survey_answer(token=survey.token, score=4, useful=True, comment="Sehr hilfreich")
    timeline = client_of(coordinator).get(page_url(enquiry)).context["timeline"]
    emails = [e for e in timeline if e.kind == "email"]
    assert emails and all(e.status in {"wartet", "versandt"} for e in emails)
    assert any(e.title.startswith(f"E-Mail an {enquiry.contact_email}: ") for e in emails)
    answered = next(e for e in timeline if e.kind == "survey")
    assert answered.title == "Befragung beantwortet (Zufriedenheit)" and answered.actor == "Kommune"
    assert answered.text == "Bewertung 4 von 5; hilfreich: ja" and answered.comment == "Sehr hilfreich"
    assert [e.at for e in timeline] == sorted(e.at for e in timeline)
