"""Kontaktvermittlung: accepting a model project on a case in progress asks the project by e-mail; the token
page takes its answer; accepted introductions share contact details with both sides."""

from __future__ import annotations

import pytest

from cases.models import Activity
from matching.models import Introduction, Match
from outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _accept_first_project(enquiry, client):
    match = Match.objects.get(enquiry=enquiry, kind="model_project", rank=1)
    return match, client.post(f"/api/v1/enquiries/{enquiry.pk}/matches/{match.pk}/accept/")


def test_accepting_a_project_on_a_case_in_progress_requests_an_introduction(in_progress, catalogue, partner_client):
    """GIVEN a case in progress WHEN its partner accepts the best model project
    THEN an introduction is requested and the project's contact gets a token link."""
    enquiry = in_progress()
    match, response = _accept_first_project(enquiry, partner_client)
    assert response.status_code == 200
    introduction = Introduction.objects.get(enquiry=enquiry)
    assert introduction.model_project == catalogue.dorf
    assert introduction.state == Introduction.State.REQUESTED
    assert introduction.match == match
    mail = OutboxMessage.objects.get(template="introduction_request")
    assert mail.recipients == [catalogue.dorf.contact_email]
    assert f"/vermittlung/{introduction.token}/" in mail.text
    assert "Kleindorf" in mail.subject
    texts = list(Activity.objects.filter(enquiry=enquiry, kind="system").values_list("text", flat=True))
    assert any("vorgeschlagen" in t for t in texts) and any("um Kontakt gebeten" in t for t in texts)


def test_accepting_before_the_case_is_in_progress_says_why_and_keeps_the_proposal(submit, coordinator_client):
    """GIVEN a new enquiry WHEN a coordinator accepts its best model project
    THEN the answer is 400 with the reason, the proposal stays "proposed" and nobody is asked."""
    enquiry = submit()
    match, response = _accept_first_project(enquiry, coordinator_client)
    assert response.status_code == 400
    assert response.json()["field"] == "state"
    assert "erst möglich, wenn ein Partner die Anfrage übernommen hat" in response.json()["detail"]
    match.refresh_from_db()
    assert match.decision == "proposed" and match.decided_by is None
    assert not Introduction.objects.exists()
    assert not OutboxMessage.objects.filter(template="introduction_request").exists()


def test_a_project_without_contact_email_is_a_clear_400_and_nothing_is_stored(in_progress, catalogue, partner_client):
    catalogue.dorf.contact_email = ""
    catalogue.dorf.save()
    enquiry = in_progress()
    match, response = _accept_first_project(enquiry, partner_client)
    assert response.status_code == 400
    assert response.json()["field"] == "model_project"
    assert "keine Kontakt-E-Mail" in response.json()["detail"]
    match.refresh_from_db()
    assert match.decision == "proposed"
    assert not Introduction.objects.exists()


def test_the_project_accepts_on_the_token_page_and_both_sides_get_contact_details(
    in_progress, catalogue, partner_client, client
):
    """GIVEN a requested introduction WHEN the project's contact says yes on the token page
    THEN it is accepted and the municipality and the project each get the other's contact details."""
    enquiry = in_progress()
    _accept_first_project(enquiry, partner_client)
    introduction = Introduction.objects.get(enquiry=enquiry)
    page = client.get(f"/vermittlung/{introduction.token}/")
    assert page.status_code == 200
    assert "Kleindorf" in page.content.decode()
    assert "maria@kleindorf.example" not in page.content.decode()  # no contact details before the yes
    response = client.post(f"/vermittlung/{introduction.token}/", {"answer": "accept", "note": "Gern!"})
    assert response.status_code == 200
    assert "Sie haben zugesagt" in response.content.decode()
    introduction.refresh_from_db()
    assert introduction.state == Introduction.State.ACCEPTED
    assert introduction.answer_note == "Gern!"
    mails = {tuple(m.recipients): m for m in OutboxMessage.objects.filter(template="introduction_accepted")}
    to_municipality = mails[("maria@kleindorf.example",)]
    to_project = mails[(catalogue.dorf.contact_email,)]
    assert catalogue.dorf.contact_email in to_municipality.text
    assert "maria@kleindorf.example" in to_project.text and "04641 123" in to_project.text


def test_a_used_token_shows_a_clear_page_and_stores_nothing(in_progress, partner_client, client):
    enquiry = in_progress()
    _accept_first_project(enquiry, partner_client)
    introduction = Introduction.objects.get(enquiry=enquiry)
    client.post(f"/vermittlung/{introduction.token}/", {"answer": "decline"})
    introduction.refresh_from_db()
    assert introduction.state == Introduction.State.DECLINED
    answered_at = introduction.answered_at
    again = client.post(f"/vermittlung/{introduction.token}/", {"answer": "accept", "note": "doch"})
    assert again.status_code == 410
    assert "bereits verwendet" in again.content.decode()
    introduction.refresh_from_db()
    assert introduction.state == Introduction.State.DECLINED
    assert introduction.answered_at == answered_at and introduction.answer_note == ""
    assert client.get(f"/vermittlung/{introduction.token}/").status_code == 410


def test_an_unknown_token_shows_a_clear_page(client, db):
    response = client.get("/vermittlung/das-ist-kein-gueltiger-token-123/")
    assert response.status_code == 404
    assert "Link ungültig" in response.content.decode()
    assert client.post("/vermittlung/x/", {"answer": "accept"}).status_code == 404


def test_a_bad_answer_is_a_400_with_the_form_again(in_progress, partner_client, client):
    enquiry = in_progress()
    _accept_first_project(enquiry, partner_client)
    introduction = Introduction.objects.get(enquiry=enquiry)
    response = client.post(f"/vermittlung/{introduction.token}/", {"answer": "vielleicht"})
    assert response.status_code == 400
    assert "Zusagen" in response.content.decode()
    response = client.post(f"/vermittlung/{introduction.token}/", {"answer": "accept", "note": "x" * 5000})
    assert response.status_code == 400
    introduction.refresh_from_db()
    assert introduction.state == Introduction.State.REQUESTED


def test_staff_complete_an_accepted_introduction(in_progress, partner_client, client):
    enquiry = in_progress()
    _accept_first_project(enquiry, partner_client)
    introduction = Introduction.objects.get(enquiry=enquiry)
    base = f"/api/v1/enquiries/{enquiry.pk}/introductions/"
    too_early = partner_client.post(f"{base}{introduction.pk}/complete/")
    assert too_early.status_code == 400
    client.post(f"/vermittlung/{introduction.token}/", {"answer": "accept"})
    listed = partner_client.get(base).json()["results"]
    assert listed[0]["state"] == "accepted"
    done = partner_client.post(f"{base}{introduction.pk}/complete/")
    assert done.status_code == 200
    assert done.json()["state"] == "completed"
    assert Activity.objects.filter(enquiry=enquiry, text__contains="Vermittlung abgeschlossen").exists()


def test_a_proposal_accepted_before_the_rule_can_be_introduced_once_in_progress(in_progress, catalogue, partner_client):
    """GIVEN a model project accepted without an introduction (as decisions were stored before accepting
    started one) on a case now in progress
    WHEN its partner starts the introduction through the introductions endpoint
    THEN it is requested; a second request for the same project is a 409."""
    enquiry = in_progress()
    match = Match.objects.get(enquiry=enquiry, model_project=catalogue.dorf)
    Match.objects.filter(pk=match.pk).update(decision="accepted")
    base = f"/api/v1/enquiries/{enquiry.pk}/introductions/"
    assert partner_client.post(base, {"match": "abc"}, format="json").status_code == 400
    response = partner_client.post(base, {"match": match.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["state"] == "requested"
    assert partner_client.post(base, {"match": match.pk}, format="json").status_code == 409


def test_the_introduction_e_mail_links_to_the_answer_page_under_the_base_url(in_progress, partner_client, settings):
    """GIVEN KTS_BASE_URL WHEN an introduction is requested THEN its e-mail carries the answer page's
    absolute link, built by cases.links."""
    settings.KTS_BASE_URL = "https://kts.example.org"
    _accept_first_project(in_progress(), partner_client)
    introduction = Introduction.objects.get()
    mail = OutboxMessage.objects.get(template="introduction_request")
    link = f"https://kts.example.org/vermittlung/{introduction.token}/"
    assert link in mail.text and f'href="{link}"' in mail.html


def _accepted_introduction(enquiry, partner_client, client) -> Introduction:
    _accept_first_project(enquiry, partner_client)
    introduction = Introduction.objects.get(enquiry=enquiry)
    client.post(f"/vermittlung/{introduction.token}/", {"answer": "accept"})
    introduction.refresh_from_db()
    assert introduction.state == Introduction.State.ACCEPTED
    return introduction


@pytest.mark.parametrize("ending", ["withdraw", "close", "anonymise"])
def test_an_introduction_of_an_ended_case_cannot_be_completed(
    in_progress, partner_client, partner_user, coordinator, client, ending
):
    """Issue 13, item 14: GIVEN an accepted introduction WHEN its case is withdrawn, closed or anonymised THEN
    completing it is a 400 naming "state" and it stays accepted, with no timeline entry."""
    from cases.services import enquiry_transition
    from privacy.services import contact_data_erase

    enquiry = in_progress()
    introduction = _accepted_introduction(enquiry, partner_client, client)
    if ending == "withdraw":
        enquiry_transition(enquiry=enquiry, name="withdraw", by=None, actor="municipality")
    elif ending == "close":
        from cases.rules import close_reasons_from

        enquiry = enquiry_transition(
            enquiry=enquiry,
            name="resolve",
            by=partner_user,
            payload={"category": "not_pursued", "notes": "kein Bedarf"},
        )
        reason = sorted(close_reasons_from(enquiry.state))[0]
        enquiry_transition(enquiry=enquiry, name="close", by=coordinator, payload={"reason": reason})
    else:
        contact_data_erase(email=enquiry.contact_email, by=coordinator)

    response = partner_client.post(f"/api/v1/enquiries/{enquiry.pk}/introductions/{introduction.pk}/complete/")

    if ending == "anonymise":  # the partner no longer sees a case that was withdrawn and anonymised
        assert response.status_code in (400, 404)
    else:
        assert response.status_code == 400 and response.json()["field"] == "state"
    introduction.refresh_from_db()
    assert introduction.state == Introduction.State.ACCEPTED
    assert not Activity.objects.filter(enquiry=enquiry, text__contains="Vermittlung abgeschlossen").exists()
