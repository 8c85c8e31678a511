"""The staff page of a case's proposals (/intern/faelle/<id>/vorschlaege/): deciding there does what it says
and the page says what happened, or why nothing did."""

from __future__ import annotations

import pytest

from cases.models import Enquiry
from cases.services import enquiry_transition
from matching.models import Match

pytestmark = pytest.mark.django_db


def _page(enquiry) -> str:
    return f"/intern/faelle/{enquiry.pk}/vorschlaege/"


def _decide(enquiry, match) -> str:
    return f"/intern/faelle/{enquiry.pk}/vorschlaege/{match.pk}/entscheiden/"


def _partner_proposal(enquiry, partner) -> Match:
    match, _ = Match.objects.get_or_create(
        enquiry=enquiry,
        kind="partner",
        partner=partner,
        defaults={"score": 0.5, "rank": 1, "computed_at": enquiry.created_at},
    )
    return match


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_coordinator_sees_the_proposals_with_their_explanation(submit, catalogue, client, coordinator):
    enquiry = submit()
    client.force_login(coordinator)
    response = client.get(_page(enquiry))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Amt Süderbrarup" in html and "Smartes Dorfshuttle" in html
    assert "Annehmen: Amt Süderbrarup" in html


def test_accepting_a_partner_proposal_on_the_page_assigns_the_case_and_says_so(submit, partner, client, coordinator):
    """GIVEN a triaged case with a partner proposal
    WHEN a coordinator clicks "Annehmen" on the page
    THEN the case is assigned and the page says so above the list."""
    enquiry = enquiry_transition(enquiry=submit(), name="triage", by=coordinator)
    match = _partner_proposal(enquiry, partner)
    client.force_login(coordinator)
    response = client.post(_decide(enquiry, match), {"decision": "accepted", "expected_state": "triaged"}, follow=True)
    assert response.redirect_chain[-1][0] == _page(enquiry)
    assert _messages(response) == [
        "Vorschlag angenommen: Die Anfrage ist jetzt „Deutsches Institut für Urbanistik“ zugewiesen."
    ]
    enquiry.refresh_from_db()
    assert enquiry.state == "assigned" and enquiry.assigned_partner == partner


def test_a_refused_acceptance_is_shown_and_the_proposal_stays_open(submit, catalogue, client, coordinator):
    """GIVEN a new case WHEN a coordinator accepts a model project on the page
    THEN the page says why not and the proposal is still open, with its buttons."""
    enquiry = submit()
    match = Match.objects.get(enquiry=enquiry, model_project=catalogue.dorf)
    client.force_login(coordinator)
    response = client.post(_decide(enquiry, match), {"decision": "accepted", "expected_state": "new"}, follow=True)
    [message] = _messages(response)
    assert message.startswith("Eine Kontaktvermittlung ist erst möglich")
    match.refresh_from_db()
    assert match.decision == "proposed"
    assert "Annehmen: Amt Süderbrarup" in response.content.decode()


def test_a_page_that_showed_an_older_state_gets_a_conflict_message(submit, partner, other_partner, client, coordinator):
    enquiry = enquiry_transition(enquiry=submit(), name="triage", by=coordinator)
    match = _partner_proposal(enquiry, partner)
    enquiry_transition(enquiry=enquiry, name="assign", by=coordinator, payload={"partner": other_partner.pk})
    client.force_login(coordinator)
    response = client.post(_decide(enquiry, match), {"decision": "accepted", "expected_state": "triaged"}, follow=True)
    assert "Bitte neu laden" in _messages(response)[0]
    assert Enquiry.objects.get(pk=enquiry.pk).assigned_partner == other_partner


def test_partner_staff_see_no_accept_button_for_partners_and_managers_none_at_all(
    submit, partner, other_partner, client, coordinator, partner_user, manager
):
    enquiry = enquiry_transition(enquiry=submit(), name="triage", by=coordinator)
    enquiry = enquiry_transition(enquiry=enquiry, name="assign", by=coordinator, payload={"partner": partner.pk})
    _partner_proposal(enquiry, other_partner)
    client.force_login(partner_user)
    html = client.get(_page(enquiry)).content.decode()
    assert "Ablehnen: Creative Climate Cities" in html
    assert "Annehmen: Creative Climate Cities" not in html
    client.force_login(manager)
    html = client.get(_page(enquiry)).content.decode()
    assert "Ablehnen:" not in html and "Annehmen:" not in html


def test_the_page_is_404_for_a_case_not_visible_and_asks_strangers_to_log_in(
    submit, client, other_partner_user, catalogue
):
    enquiry = submit()
    match = Match.objects.filter(enquiry=enquiry).first()
    response = client.get(_page(enquiry))
    assert response.status_code == 302 and response["Location"].startswith("/anmelden/")
    client.force_login(other_partner_user)
    assert client.get(_page(enquiry)).status_code == 404
    assert client.post(_decide(enquiry, match), {"decision": "rejected"}).status_code == 404
    match.refresh_from_db()
    assert match.decision == "proposed"


def test_bad_input_on_the_page_changes_nothing(submit, client, coordinator, catalogue):
    enquiry = submit()
    match = Match.objects.filter(enquiry=enquiry).first()
    client.force_login(coordinator)
    response = client.post(_decide(enquiry, match), {"decision": "vielleicht"}, follow=True)
    assert _messages(response) == ["Bitte „Annehmen“ oder „Ablehnen“ wählen."]
    assert client.post(f"/intern/faelle/{enquiry.pk}/vorschlaege/999999/entscheiden/", {}).status_code == 404
    assert client.get(_decide(enquiry, match)).status_code == 405
    match.refresh_from_db()
    assert match.decision == "proposed"
