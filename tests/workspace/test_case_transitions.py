"""The transition forms of the case page: each opens by its button, is sent with `Bestätigen` through
cases.services.enquiry_transition, and answers bad input next to the field, a lost race plainly (409), a
missing right with 403 (SPEC section 9)."""

from __future__ import annotations

import pytest
from django.test import Client

from cases.models import Activity, Outcome, TransitionLog
from tests.workspace import test_case_page as case_page
from tests.workspace.test_case_page import client_of, page_url

# the case page's fixtures, shared
topic = case_page.topic
municipality = case_page.municipality
make_case = case_page.make_case

pytestmark = pytest.mark.django_db


def step_url(enquiry, name: str) -> str:
    return f"{page_url(enquiry)}schritte/{name}/"


def post_step(who, enquiry, name: str, **body):
    body.setdefault("expected_state", enquiry.state)
    return client_of(who).post(step_url(enquiry, name), body)


def logged(enquiry) -> list[str]:
    return list(TransitionLog.objects.filter(enquiry=enquiry).order_by("at", "id").values_list("transition", flat=True))


def test_the_page_offers_exactly_the_steps_this_user_may_take(make_case, coordinator, partner_user, manager):
    enquiry = make_case("triaged")
    html = client_of(coordinator).get(page_url(enquiry)).content.decode()
    for label in ("Partner zuweisen", "Rückfrage stellen", "Abschließen", "Zurückziehen"):
        assert f'hx-target="#step-region" hx-swap="innerHTML">{label}</button>' in html
    assert ">Sichten</button>" not in html
    resolved = make_case("resolved")
    manager_html = client_of(manager).get(page_url(resolved)).content.decode()
    assert ">Wieder öffnen</button>" in manager_html and ">Abschließen</button>" not in manager_html


def test_a_step_opens_as_a_fragment_for_htmx_and_as_the_whole_page_without(make_case, coordinator):
    enquiry = make_case("new")
    client = client_of(coordinator)
    fragment = client.get(step_url(enquiry, "triage"), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    text = fragment.content.decode()
    assert "<html" not in text and "<legend>Handlungsfelder</legend>" in text and ">Bestätigen</button>" in text
    assert 'name="expected_state" value="new"' in text and "csrfmiddlewaretoken" in text
    assert "checked" in text  # the current topic
    full = client.get(step_url(enquiry, "triage"))
    assert (
        full.status_code == 200
        and "<html" in full.content.decode()
        and "<legend>Handlungsfelder</legend>" in full.content.decode()
    )


def test_each_form_has_its_labelled_fields(make_case, coordinator, partner_user):
    expectations = {
        ("triaged", "assign", "coordinator"): [
            'for="step-partner">Partner',
            'for="step-user">Bearbeiter/in',
            "<optgroup",
        ],
        ("assigned", "decline", "partner"): ['for="step-reason">Grund'],
        ("in_progress", "request_info", "partner"): ['for="step-message">Nachricht'],
        ("in_progress", "resolve", "partner"): [
            'for="step-category">Ergebnis',
            'for="step-notes">Notizen',
            "Lösung übernommen",
        ],
        ("triaged", "close", "coordinator"): ['for="step-reason">Grund', "Dublette"],
    }
    for (state, name, who), needles in expectations.items():
        enquiry = make_case(state)
        user = coordinator if who == "coordinator" else partner_user
        html = client_of(user).get(step_url(enquiry, name)).content.decode()
        for needle in [*needles, 'for="step-comment">Kommentar']:
            assert needle in html, (name, needle)
        if name == "close":
            # withdrawn is the municipality's step; "completed" only closes a resolved case (cases.rules)
            assert 'value="withdrawn"' not in html and 'value="completed"' not in html


def test_a_coordinator_triages_and_assigns_through_the_forms(make_case, coordinator, partner, partner_user):
    enquiry = make_case("new")
    client = client_of(coordinator)
    body = {"topics": ["mobilitaet"], "comment": "passt", "expected_state": "new"}
    response = client.post(step_url(enquiry, "triage"), body)
    assert response.status_code == 303 and response["Location"] == page_url(enquiry)
    body = {"partner": partner.pk, "user": partner_user.pk, "expected_state": "triaged"}
    assert client.post(step_url(enquiry, "assign"), body).status_code == 303
    enquiry.refresh_from_db()
    assert enquiry.state == "assigned" and enquiry.assigned_user == partner_user
    assert logged(enquiry)[-2:] == ["triage", "assign"]
    assert TransitionLog.objects.get(enquiry=enquiry, transition="triage").comment == "passt"
    page = client.get(page_url(enquiry)).content.decode()
    assert "„Partner zuweisen“ ausgeführt. Status jetzt: zugewiesen." in page
    assert "Kommentar:</span> passt" in page


def test_the_partner_works_the_case_to_resolved(make_case, partner_user, coordinator):
    enquiry = make_case("assigned")
    assert post_step(partner_user, enquiry, "accept").status_code == 303
    enquiry.refresh_from_db()
    assert post_step(partner_user, enquiry, "request_info", message="Wie viele Einwohner?").status_code == 303
    enquiry.refresh_from_db()
    assert post_step(partner_user, enquiry, "receive_reply", message="77.000").status_code == 303
    enquiry.refresh_from_db()
    response = post_step(partner_user, enquiry, "resolve", category="exchange_held", notes="Austausch mit Zwönitz")
    assert response.status_code == 303
    enquiry.refresh_from_db()
    assert enquiry.state == "resolved"
    assert Outcome.objects.get(enquiry=enquiry).category == "exchange_held"
    assert logged(enquiry)[-4:] == ["accept", "request_info", "receive_reply", "resolve"]
    assert post_step(coordinator, enquiry, "close", reason="completed").status_code == 303
    enquiry.refresh_from_db()
    assert enquiry.state == "closed" and enquiry.close_reason == "completed"


def test_a_partners_decline_leads_back_to_the_list(make_case, partner_user):
    enquiry = make_case("assigned")
    response = post_step(partner_user, enquiry, "decline", reason="Keine Kapazität")
    assert response.status_code == 303 and response["Location"] == "/intern/faelle/"
    enquiry.refresh_from_db()
    assert enquiry.state == "triaged"


def test_a_required_field_left_empty_is_named_next_to_it_and_nothing_changes(make_case, partner_user):
    enquiry = make_case("in_progress")
    response = post_step(partner_user, enquiry, "request_info", message="   ", comment="bleibt")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="step-message-error"' in html and "Dieses Feld ist für diesen Schritt erforderlich." in html
    assert 'aria-invalid="true"' in html and "bleibt</textarea>" in html
    response = post_step(partner_user, enquiry, "resolve", category="", notes="Notizen")
    assert response.status_code == 400 and 'id="step-category-error"' in response.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.state == "in_progress" and logged(enquiry)[-1] == "accept"


def test_triage_without_a_topic_is_refused_on_the_field(make_case, coordinator):
    enquiry = make_case("new")
    response = post_step(coordinator, enquiry, "triage")
    assert response.status_code == 400
    assert "Zum Sichten braucht die Anfrage mindestens ein Thema." in response.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.state == "new"


def test_an_assignee_of_another_partner_is_refused_next_to_the_field(
    make_case, coordinator, partner, other_partner_user
):
    enquiry = make_case("triaged")
    response = post_step(coordinator, enquiry, "assign", partner=partner.pk, user=other_partner_user.pk)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="step-user-error"' in html and "Diese Person gehört nicht zum gewählten Partner." in html
    enquiry.refresh_from_db()
    assert enquiry.state == "triaged" and enquiry.assigned_partner is None


def test_a_step_that_is_no_longer_possible_says_so_and_changes_nothing(make_case, coordinator, partner):
    enquiry = make_case("new")
    # the page showed "new", but assigning is only possible once the case is triaged
    response = post_step(coordinator, enquiry, "assign", partner=partner.pk)
    assert response.status_code == 400
    assert "Der Schritt „Partner zuweisen“ ist im Status „neu“ nicht möglich." in response.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.state == "new" and logged(enquiry) == ["submit"]


def test_a_lost_race_is_said_plainly_with_the_fresh_state(make_case, coordinator, partner, partner_user):
    enquiry = make_case("triaged")
    seen = enquiry.state
    # somebody else assigns first
    assert post_step(coordinator, enquiry, "assign", partner=partner.pk).status_code == 303
    before = Activity.objects.filter(enquiry=enquiry).count()
    response = client_of(coordinator).post(step_url(enquiry, "close"), {"reason": "spam", "expected_state": seen})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Der Fall wurde inzwischen geändert" in html and "Aktueller Status: zugewiesen." in html
    assert ">Abschließen</button>" not in html and ">Zurückziehen</button>" in html
    enquiry.refresh_from_db()
    assert enquiry.state == "assigned" and Activity.objects.filter(enquiry=enquiry).count() == before


def test_a_step_without_the_right_is_403(make_case, partner_user, manager, partner):
    enquiry = make_case("triaged")
    waiting = make_case("awaiting_reply")
    response = post_step(partner_user, waiting, "close", reason="spam")
    assert response.status_code == 403 and "Sie dürfen den Schritt „Abschließen“" in response.content.decode()
    assert post_step(manager, enquiry, "close", reason="spam").status_code == 403
    assert client_of(manager).get(step_url(enquiry, "close")).status_code == 403
    enquiry.refresh_from_db()
    assert enquiry.state == "triaged"


def test_a_manager_may_reopen(make_case, manager):
    enquiry = make_case("resolved")
    response = post_step(manager, enquiry, "reopen", comment="Kommune meldet sich erneut")
    assert response.status_code == 303
    enquiry.refresh_from_db()
    assert enquiry.state == "triaged" and logged(enquiry)[-1] == "reopen"


def test_an_unknown_step_is_404(make_case, coordinator):
    enquiry = make_case("new")
    assert client_of(coordinator).get(step_url(enquiry, "explode")).status_code == 404
    assert client_of(coordinator).post(step_url(enquiry, "submit"), {}).status_code == 404


def test_a_foreign_case_is_404_for_every_step(make_case, other_partner_user):
    enquiry = make_case("assigned")
    assert post_step(other_partner_user, enquiry, "accept").status_code == 404
    assert client_of(other_partner_user).get(step_url(enquiry, "accept")).status_code == 404
    enquiry.refresh_from_db()
    assert enquiry.state == "assigned"


def test_the_step_form_needs_its_csrf_token(make_case, coordinator):
    enquiry = make_case("new")
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = client.post(step_url(enquiry, "triage"), {"topics": ["mobilitaet"], "expected_state": "new"})
    assert response.status_code == 403
    enquiry.refresh_from_db()
    assert enquiry.state == "new"


def test_proposal_decisions_on_the_case_page_come_back_to_it(make_case, coordinator, partner):
    from matching.models import Match

    enquiry = make_case("triaged")
    match, _created = Match.objects.get_or_create(
        enquiry=enquiry,
        kind="partner",
        partner=partner,
        defaults={"score": 0.5, "rank": 1, "computed_at": enquiry.created_at},
    )
    match.explanation = [
        {"signal": "topic", "label": "Handlungsfeld", "weight": 4.0, "value": 0.75, "text": "Handlungsfeld Mobilität"}
    ]
    match.save()
    client = client_of(coordinator)
    html = client.get(page_url(enquiry)).content.decode()
    assert "Handlungsfeld:</span> Handlungsfeld Mobilität" in html and "0,75" not in html
    decide = f"{page_url(enquiry)}vorschlaege/{match.pk}/entscheiden/"
    response = client.post(decide, {"decision": "rejected", "expected_state": "triaged", "next": page_url(enquiry)})
    assert response.status_code == 302 and response["Location"] == page_url(enquiry)
    response = client.post(decide, {"decision": "rejected", "next": "https://evil.example/"})
    assert response["Location"] == f"{page_url(enquiry)}vorschlaege/"
    match.refresh_from_db()
    assert match.decision == "rejected"


def test_a_step_opened_after_the_case_moved_on_says_so_in_the_region(make_case, coordinator, partner):
    enquiry = make_case("triaged")
    client = client_of(coordinator)
    assert post_step(coordinator, enquiry, "assign", partner=partner.pk).status_code == 303
    fragment = client.get(step_url(enquiry, "close"), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "Der Fall wurde inzwischen geändert" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    full = client.get(step_url(enquiry, "close"))
    assert full.status_code == 409 and "Aktueller Status: zugewiesen." in full.content.decode()
