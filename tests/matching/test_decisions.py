"""Deciding a proposal does what it says: accepting a partner assigns the case, accepting a model project starts
the introduction, and when that is not possible the proposal stays "proposed" and the answer says why."""

from __future__ import annotations

import pytest

from cases.models import Activity, Enquiry, TransitionLog
from cases.services import enquiry_transition
from core.errors import Conflict, GuardFailed, NotAllowed
from matching.decisions import Effect, match_decide
from matching.models import Introduction, Match
from outbox.models import OutboxMessage
from tests import builders as b
from tests import factories as f

pytestmark = pytest.mark.django_db


def _url(enquiry, match, verb="accept"):
    return f"/api/v1/enquiries/{enquiry.pk}/matches/{match.pk}/{verb}/"


def _proposal(enquiry, *, partner=None, project=None) -> Match:
    """The stored proposal of this target (made when the engine ranked it elsewhere): the decision, not the
    ranking, is under test here."""
    kind = "partner" if partner is not None else "model_project"
    match, _ = Match.objects.get_or_create(
        enquiry=enquiry,
        kind=kind,
        partner=partner,
        model_project=project,
        defaults={"score": 0.5, "rank": 9, "computed_at": enquiry.created_at},
    )
    return Match.objects.select_related("enquiry", "partner", "model_project").get(pk=match.pk)


@pytest.fixture
def make_case(submit, coordinator, partner, partner_user):
    """make_case("assigned") -> an enquiry of the partner DIFU moved there through the services."""

    def make(state: str) -> Enquiry:
        return b.enquiry_brought_to(submit(), state, coordinator=coordinator, staff=partner_user, partner=partner)

    return make


@pytest.fixture
def triaged(make_case):
    return lambda: make_case("triaged")


# --- partner proposals ----------------------------------------------------------------------------------------


def test_accepting_a_partner_proposal_on_a_triaged_case_assigns_it(triaged, partner, coordinator, coordinator_client):
    """GIVEN a triaged case and a proposal of the partner DIFU
    WHEN a coordinator accepts the proposal through the API
    THEN the case is assigned to DIFU through the assign transition (log, timeline, partner notified), the
    decision is stored, and the answer says so in "effect"."""
    enquiry = triaged()
    match = _proposal(enquiry, partner=partner)
    response = coordinator_client.post(_url(enquiry, match), {"expected_state": "triaged"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["decision"] == "accepted" and body["kind"] == "partner"
    assert body["target"] == {"id": partner.pk, "name": "Deutsches Institut für Urbanistik"}
    assert body["effect"] == {
        "kind": "assigned",
        "text": "Vorschlag angenommen: Die Anfrage ist jetzt „Deutsches Institut für Urbanistik“ zugewiesen.",
        "enquiry_state": "assigned",
        "introduction": None,
    }
    enquiry.refresh_from_db()
    assert enquiry.state == "assigned" and enquiry.assigned_partner == partner
    log = TransitionLog.objects.get(enquiry=enquiry, transition="assign")
    assert (log.from_state, log.to_state, log.by_user) == ("triaged", "assigned", coordinator)
    assert Activity.objects.filter(enquiry=enquiry, transition="assign").exists()
    match.refresh_from_db()
    assert match.decision == "accepted" and match.decided_by == coordinator


def test_the_service_answers_what_accepting_a_partner_did(triaged, partner, coordinator):
    """GIVEN a triaged case WHEN the service accepts a partner proposal THEN it returns the assigned case and
    the effect "assigned"."""
    enquiry = triaged()
    outcome = match_decide(match=_proposal(enquiry, partner=partner), decision="accepted", by=coordinator)
    assert outcome.effect == Effect.ASSIGNED
    assert outcome.enquiry.state == "assigned" and outcome.enquiry.assigned_partner_id == partner.pk
    assert outcome.match.decision == "accepted" and outcome.introduction is None


def test_partner_staff_may_not_accept_a_partner_proposal(make_case, partner, other_partner, partner_client):
    """GIVEN a case assigned to DIFU with a proposal of another partner
    WHEN DIFU's staff accept that proposal
    THEN the answer is 403 (only coordinators assign) and the proposal stays "proposed"."""
    enquiry = make_case("assigned")
    match = _proposal(enquiry, partner=other_partner)
    response = partner_client.post(_url(enquiry, match))
    assert response.status_code == 403
    assert "Nur die Koordination" in response.json()["detail"]
    match.refresh_from_db()
    assert match.decision == "proposed"
    enquiry.refresh_from_db()
    assert enquiry.assigned_partner == partner


def test_partner_staff_may_still_reject_a_partner_proposal_of_their_case(make_case, other_partner, partner_client):
    """GIVEN a case assigned to DIFU WHEN DIFU's staff reject another partner's proposal
    THEN the rejection is stored and nothing else happens."""
    enquiry = make_case("assigned")
    match = _proposal(enquiry, partner=other_partner)
    response = partner_client.post(_url(enquiry, match, "reject"))
    assert response.status_code == 200
    assert response.json()["effect"]["kind"] == "none"
    assert response.json()["effect"]["enquiry_state"] == "assigned"


def test_accepting_a_partner_proposal_on_a_new_case_says_it_is_not_triaged(submit, partner, coordinator_client):
    """GIVEN a new (untriaged) case WHEN a coordinator accepts a partner proposal
    THEN the answer is 400 saying the case must be triaged first; nothing is stored."""
    enquiry = submit()
    match = _proposal(enquiry, partner=partner)
    response = coordinator_client.post(_url(enquiry, match))
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Die Anfrage ist noch nicht gesichtet: Sie kann erst nach der Sichtung einem Partner zugewiesen werden."
    )
    match.refresh_from_db()
    assert match.decision == "proposed" and match.decided_at is None
    assert not TransitionLog.objects.filter(enquiry=enquiry, transition="assign").exists()


def test_accepting_a_partner_proposal_on_a_case_in_progress_says_why_not(
    make_case, other_partner, coordinator, coordinator_client
):
    """GIVEN a case in progress at DIFU WHEN a coordinator accepts another partner's proposal
    THEN the answer is 400 naming the state, and the case stays with DIFU."""
    enquiry = make_case("in_progress")
    match = _proposal(enquiry, partner=other_partner)
    response = coordinator_client.post(_url(enquiry, match))
    assert response.status_code == 400
    assert "nicht im Status „gesichtet“ (jetzt: „in Bearbeitung“)" in response.json()["detail"]
    match.refresh_from_db()
    assert match.decision == "proposed"


def test_accepting_the_partner_the_case_already_has_says_so(make_case, partner, coordinator):
    """GIVEN a case already assigned to DIFU WHEN the service accepts DIFU's proposal
    THEN it refuses with "already assigned" and the proposal stays "proposed"."""
    enquiry = make_case("assigned")
    match = _proposal(enquiry, partner=partner)
    with pytest.raises(GuardFailed) as refused:
        match_decide(match=match, decision="accepted", by=coordinator)
    assert "bereits zugewiesen" in str(refused.value.message)
    match.refresh_from_db()
    assert match.decision == "proposed"


def test_accepting_an_inactive_partner_says_so(triaged, partner, coordinator_client):
    """GIVEN a triaged case and a proposal of a partner that has since been deactivated
    WHEN a coordinator accepts it THEN the answer is 400 naming the partner, and the case stays triaged."""
    enquiry = triaged()
    match = _proposal(enquiry, partner=partner)
    partner.active = False
    partner.save()
    response = coordinator_client.post(_url(enquiry, match))
    assert response.status_code == 400
    assert response.json()["field"] == "partner"
    assert "„Deutsches Institut für Urbanistik“ ist nicht aktiv" in response.json()["detail"]
    enquiry.refresh_from_db()
    assert enquiry.state == "triaged"


def test_when_the_assignment_fails_the_decision_is_not_taken(triaged, partner, coordinator, monkeypatch):
    """GIVEN a triaged case WHEN the assign service refuses while the decision is being taken
    THEN the decision is rolled back with it: the proposal stays "proposed"."""
    from matching import decisions

    def refusing(**kwargs):
        raise GuardFailed("nein", field="partner")

    monkeypatch.setattr(decisions, "enquiry_assign", refusing)
    enquiry = triaged()
    match = _proposal(enquiry, partner=partner)
    with pytest.raises(GuardFailed):
        match_decide(match=match, decision="accepted", by=coordinator)
    match.refresh_from_db()
    assert match.decision == "proposed" and match.decided_by is None


def test_a_state_change_since_the_case_was_read_is_a_conflict(triaged, partner, other_partner, coordinator):
    """GIVEN a coordinator who read a triaged case with DIFU proposed
    WHEN another coordinator assigns it to CCC before the first accepts DIFU
    THEN the first gets Conflict (409), the case stays with CCC and the proposal stays "proposed"."""
    enquiry = triaged()
    match = _proposal(enquiry, partner=partner)
    seen = match.enquiry  # read before the other change
    enquiry_transition(
        enquiry=Enquiry.objects.get(pk=enquiry.pk), name="assign", by=coordinator, payload={"partner": other_partner.pk}
    )
    assert seen.state == "triaged"
    with pytest.raises(Conflict):
        match_decide(match=match, decision="accepted", by=coordinator)
    match.refresh_from_db()
    assert match.decision == "proposed"
    assert Enquiry.objects.get(pk=enquiry.pk).assigned_partner == other_partner


def test_an_expected_state_the_case_has_left_is_a_409(make_case, other_partner, coordinator_client):
    """GIVEN a case the client saw triaged and that is assigned now
    WHEN the client accepts a partner proposal with expected_state "triaged"
    THEN the answer is 409 and nothing changes."""
    enquiry = make_case("assigned")
    match = _proposal(enquiry, partner=other_partner)
    response = coordinator_client.post(_url(enquiry, match), {"expected_state": "triaged"}, format="json")
    assert response.status_code == 409
    assert "jetzt: „zugewiesen“" in response.json()["detail"]
    match.refresh_from_db()
    assert match.decision == "proposed"


def test_a_bad_decision_body_is_a_400(triaged, partner, coordinator_client):
    enquiry = triaged()
    match = _proposal(enquiry, partner=partner)
    response = coordinator_client.post(_url(enquiry, match), {"expected_state": "irgendwas"}, format="json")
    assert response.status_code == 400
    assert "expected_state" in response.json()
    assert coordinator_client.post(_url(enquiry, match), [1, 2], format="json").status_code == 400
    match.refresh_from_db()
    assert match.decision == "proposed"


def test_accepting_an_assigned_partner_proposal_again_is_a_conflict(triaged, partner, coordinator_client):
    """GIVEN a partner proposal already accepted (the case is assigned) WHEN it is accepted again
    THEN the answer is 409 (already decided), not a 400 about the state."""
    enquiry = triaged()
    match = _proposal(enquiry, partner=partner)
    assert coordinator_client.post(_url(enquiry, match)).status_code == 200
    assert coordinator_client.post(_url(enquiry, match)).status_code == 409


# --- model-project proposals ----------------------------------------------------------------------------------


def test_accepting_a_model_project_on_a_case_in_progress_starts_the_introduction(
    in_progress, catalogue, partner_client
):
    """GIVEN a case in progress WHEN its partner accepts a model-project proposal
    THEN the project is asked by e-mail and the answer names the introduction."""
    enquiry = in_progress()
    match = _proposal(enquiry, project=catalogue.dorf)
    response = partner_client.post(_url(enquiry, match), {"expected_state": "in_progress"}, format="json")
    assert response.status_code == 200, response.json()
    introduction = Introduction.objects.get(enquiry=enquiry, model_project=catalogue.dorf)
    assert response.json()["effect"] == {
        "kind": "introduction_started",
        "text": "Vorschlag angenommen: „Amt Süderbrarup“ wird per E-Mail um eine Kontaktvermittlung gebeten.",
        "enquiry_state": "in_progress",
        "introduction": introduction.pk,
    }
    assert introduction.state == "requested"
    assert OutboxMessage.objects.filter(template="introduction_request", recipients=[catalogue.dorf.contact_email])


@pytest.mark.parametrize("state", ["triaged", "assigned"])
def test_accepting_a_model_project_before_a_partner_took_the_case_on_says_why(
    make_case, catalogue, coordinator_client, state
):
    """GIVEN a case triaged or assigned (no partner works on it yet)
    WHEN a coordinator accepts a model-project proposal
    THEN the answer is 400 naming the state, the proposal stays "proposed" and nobody is asked."""
    enquiry = make_case(state)
    match = _proposal(enquiry, project=catalogue.dorf)
    response = coordinator_client.post(_url(enquiry, match))
    assert response.status_code == 400
    label = {"triaged": "gesichtet", "assigned": "zugewiesen"}[state]
    assert response.json()["detail"] == (
        "Eine Kontaktvermittlung ist erst möglich, wenn ein Partner die Anfrage übernommen hat "
        f"(Status „in Bearbeitung“); die Anfrage ist „{label}“."
    )
    match.refresh_from_db()
    assert match.decision == "proposed"
    assert not Introduction.objects.exists() and not OutboxMessage.objects.filter(template="introduction_request")


def test_a_project_without_a_free_place_says_so(in_progress, catalogue, partner_user):
    """GIVEN a model project whose one place is taken by an open introduction of another case
    WHEN a case's partner accepts that project THEN the service refuses naming the capacity, and the
    proposal stays "proposed"."""
    catalogue.dorf.capacity = 1
    catalogue.dorf.save()
    other = f.EnquiryFactory(municipality=catalogue.enquirer)
    Introduction.objects.create(enquiry=other, model_project=catalogue.dorf, created_at=other.created_at)
    enquiry = in_progress()
    match = _proposal(enquiry, project=catalogue.dorf)
    with pytest.raises(GuardFailed) as refused:
        match_decide(match=match, decision="accepted", by=partner_user)
    assert str(refused.value.message) == "„Amt Süderbrarup“ hat keinen freien Vermittlungsplatz (1 von 1 belegt)."
    match.refresh_from_db()
    assert match.decision == "proposed"
    assert not Introduction.objects.filter(enquiry=enquiry).exists()


def test_a_project_already_introduced_on_this_case_says_so(in_progress, catalogue, partner_client):
    """GIVEN a case that already has an introduction to a project (declined)
    WHEN a proposal of the same project is accepted THEN the answer is 400 naming the introduction."""
    enquiry = in_progress()
    Introduction.objects.create(enquiry=enquiry, model_project=catalogue.dorf, created_at=enquiry.created_at)
    match = _proposal(enquiry, project=catalogue.dorf)
    response = partner_client.post(_url(enquiry, match))
    assert response.status_code == 400
    assert "bereits eine Kontaktvermittlung (Status „vorgeschlagen“)" in response.json()["detail"]
    match.refresh_from_db()
    assert match.decision == "proposed"


def test_a_case_that_moved_on_while_accepting_a_project_is_a_conflict(in_progress, catalogue, partner_user):
    """GIVEN a partner who read a case in progress
    WHEN the case waits for the municipality before they accept a model project
    THEN the service answers Conflict and neither the decision nor an introduction is stored."""
    enquiry = in_progress()
    match = _proposal(enquiry, project=catalogue.dorf)
    enquiry_transition(
        enquiry=Enquiry.objects.get(pk=enquiry.pk),
        name="request_info",
        by=partner_user,
        payload={"message": "Wie viele Ortsteile?"},
    )
    with pytest.raises(Conflict):
        match_decide(match=match, decision="accepted", by=partner_user)
    match.refresh_from_db()
    assert match.decision == "proposed"
    assert not Introduction.objects.exists()


# --- rejecting and rights -------------------------------------------------------------------------------------


def test_rejecting_only_records_the_decision_whatever_the_state(submit, catalogue, partner, coordinator):
    """GIVEN a new case WHEN a coordinator rejects a partner and a model-project proposal
    THEN both are stored as rejected, the case stays new and nobody is asked."""
    enquiry = submit()
    for match in (_proposal(enquiry, partner=partner), _proposal(enquiry, project=catalogue.dorf)):
        outcome = match_decide(match=match, decision="rejected", by=coordinator)
        assert outcome.effect == Effect.NONE and outcome.match.decision == "rejected"
        assert "abgelehnt" in outcome.text
    assert Enquiry.objects.get(pk=enquiry.pk).state == "new"
    assert not Introduction.objects.exists()


def test_an_unknown_decision_and_a_manager_are_refused(submit, partner, coordinator, manager):
    enquiry = submit()
    match = _proposal(enquiry, partner=partner)
    with pytest.raises(GuardFailed):
        match_decide(match=match, decision="maybe", by=coordinator)
    with pytest.raises(NotAllowed):
        match_decide(match=match, decision="rejected", by=manager)
    match.refresh_from_db()
    assert match.decision == "proposed"
