"""Proposals stored at submission, recomputed at triage, decided by staff; the matches endpoint."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.services import enquiry_transition
from matching.models import Match
from tests import factories as f
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _url(enquiry, tail=""):
    return f"/api/v1/enquiries/{enquiry.pk}/matches/{tail}"


def test_proposals_exist_from_submission_on(submit, catalogue, partner):
    """GIVEN a catalogue WHEN a municipality submits an enquiry THEN model projects and partners are proposed."""
    enquiry = submit()
    matches = list(Match.objects.filter(enquiry=enquiry).order_by("kind", "rank"))
    projects = [m for m in matches if m.kind == Match.Kind.MODEL_PROJECT]
    partners = [m for m in matches if m.kind == Match.Kind.PARTNER]
    assert projects[0].model_project == catalogue.dorf
    assert [m.rank for m in projects] == [1, 2, 3]
    assert partners[0].partner == partner
    assert all(m.explanation and m.decision == "proposed" for m in matches)


def test_triage_recomputes_and_keeps_decisions_taken(submit, catalogue, coordinator, coordinator_client):
    """GIVEN an enquiry whose second proposal was rejected
    WHEN a coordinator triages it with other topics
    THEN the proposals are recomputed and the rejection of that project is kept."""
    enquiry = submit()
    second = Match.objects.get(enquiry=enquiry, kind="model_project", rank=2)
    assert coordinator_client.post(_url(enquiry, f"{second.pk}/reject/")).status_code == 200
    enquiry_transition(enquiry=enquiry, name="triage", by=coordinator, payload={"topics": ["energy"]})
    kept = Match.objects.get(enquiry=enquiry, model_project=second.model_project)
    assert kept.pk == second.pk
    assert kept.decision == "rejected"
    assert kept.decided_by == coordinator
    cottbus = Match.objects.get(enquiry=enquiry, model_project=catalogue.energie)
    assert cottbus.explanation[0]["text"] == "Handlungsfeld Energie"
    assert cottbus.computed_at > second.computed_at


def test_the_matches_endpoint_serves_the_spec_shape_best_first(submit, catalogue, partner, coordinator_client):
    enquiry = submit()
    response = coordinator_client.get(_url(enquiry))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    first = body["results"][0]
    assert {"rank", "score", "kind", "target", "measures", "explanation", "decision"} <= set(first)
    assert first["rank"] == 1 and first["kind"] == "model_project"
    assert first["target"] == {"id": catalogue.dorf.pk, "name": "Amt Süderbrarup"}
    assert first["measures"] == [{"id": catalogue.shuttle.pk, "title": "Smartes Dorfshuttle"}]
    assert set(first["explanation"][0]) == {"signal", "label", "weight", "value", "text"}
    scores = [r["score"] for r in body["results"] if r["kind"] == "model_project"]
    assert scores == sorted(scores, reverse=True)
    assert body["results"][-1]["kind"] == "partner"


def test_the_matches_list_runs_a_fixed_number_of_queries(submit, catalogue, coordinator_client):
    enquiry = submit()
    coordinator_client.get(_url(enquiry))  # warm the token and group lookups of the first request
    with CaptureQueriesContext(connection) as few:
        coordinator_client.get(_url(enquiry))
    for n in range(8):
        m = f.MeasureFactory(model_project=catalogue.city, title=f"Datenplattform Modul {n}", description="Daten")
        Match.objects.get(enquiry=enquiry, model_project=catalogue.dorf).measures.add(m)
        f.ModelProjectFactory()
    from matching.proposals import proposals_compute

    proposals_compute(enquiry=enquiry)
    with CaptureQueriesContext(connection) as more:
        coordinator_client.get(_url(enquiry))
    assert len(more) == len(few)


def test_staff_reject_a_proposal_and_the_decision_is_stored(submit, coordinator, coordinator_client):
    """GIVEN a new enquiry WHEN a coordinator rejects its best model project
    THEN the rejection is stored with who and when, and the answer says nothing else happened."""
    enquiry = submit()
    match = Match.objects.get(enquiry=enquiry, kind="model_project", rank=1)
    response = coordinator_client.post(_url(enquiry, f"{match.pk}/reject/"))
    assert response.status_code == 200
    assert response.json()["decision"] == "rejected"
    assert response.json()["effect"]["kind"] == "none"
    match.refresh_from_db()
    assert match.decided_by == coordinator and match.decided_at is not None


def test_a_second_decision_is_a_conflict(submit, coordinator_client):
    """GIVEN a rejected proposal WHEN somebody accepts it THEN the answer is 409 and the rejection stays."""
    enquiry = submit()
    match = Match.objects.get(enquiry=enquiry, kind="model_project", rank=1)
    coordinator_client.post(_url(enquiry, f"{match.pk}/reject/"))
    response = coordinator_client.post(_url(enquiry, f"{match.pk}/accept/"))
    assert response.status_code == 409
    match.refresh_from_db()
    assert match.decision == "rejected"


def test_partner_staff_see_nothing_of_a_case_not_theirs(submit, other_partner_client, partner_client):
    enquiry = submit()
    match = Match.objects.filter(enquiry=enquiry).first()
    assert other_partner_client.get(_url(enquiry)).status_code == 404
    assert other_partner_client.post(_url(enquiry, f"{match.pk}/accept/")).status_code == 404
    assert partner_client.get(_url(enquiry)).status_code == 404


def test_managers_read_but_do_not_decide(submit, manager_client):
    enquiry = submit()
    match = Match.objects.filter(enquiry=enquiry).first()
    assert manager_client.get(_url(enquiry)).status_code == 200
    assert manager_client.post(_url(enquiry, f"{match.pk}/accept/")).status_code == 403


def test_bad_input_gets_a_clear_answer(submit, coordinator_client, anon_client):
    enquiry = submit()
    other = submit(subject="Noch eine Frage zum Shuttle")
    foreign = Match.objects.filter(enquiry=other).first()
    assert coordinator_client.post(_url(enquiry, f"{foreign.pk}/accept/")).status_code == 404
    assert coordinator_client.post(_url(enquiry, "999999/accept/")).status_code == 404
    assert coordinator_client.get("/api/v1/enquiries/999999/matches/").status_code == 404
    assert coordinator_client.get(_url(enquiry, "?page=abc")).status_code == 404
    assert anon_client.get(_url(enquiry)).status_code in (401, 403)


def test_a_municipality_from_a_model_project_is_matched_but_not_to_itself(submit, catalogue):
    enquiry = submit(ags=catalogue.dorf.lead_municipality.ags)
    assert not Match.objects.filter(enquiry=enquiry, model_project=catalogue.dorf).exists()
    assert Match.objects.filter(enquiry=enquiry, kind="model_project").exists()


def test_a_user_without_a_role_gets_403(submit):
    enquiry = submit()
    client = client_for(f.UserFactory(username="niemand"))
    assert client.get(_url(enquiry)).status_code == 403


def test_a_failing_engine_does_not_lose_the_submission(submit, monkeypatch, caplog):
    """GIVEN the engine breaks WHEN a municipality submits THEN the enquiry is stored (without proposals) and
    the failure is logged."""
    from matching import proposals

    def broken(**kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(proposals, "proposals_compute", broken)
    enquiry = submit()
    assert enquiry.pk is not None
    assert not Match.objects.filter(enquiry=enquiry).exists()
    assert "matching.proposals failed" in caplog.text
    # the job stays for the next run (ops.jobs), with the error for the admin
    from ops.models import DeferredJob

    job = DeferredJob.objects.get(name="matching.proposals", key=str(enquiry.pk))
    assert "kaputt" in job.last_error


def test_a_coordinator_recomputes_proposals_after_a_catalogue_change(
    submit, catalogue, coordinator_client, partner_client
):
    """GIVEN an enquiry with proposals WHEN a new fitting measure enters the catalogue and a coordinator
    asks for a recomputation THEN the measure is listed; partner staff may not ask."""
    enquiry = submit(subject="Energiemonitoring", message="Verbrauch messen", topics=["energy"])
    f.MeasureFactory(model_project=catalogue.energie, title="Smart Meter in Schulen", description="Energieverbrauch")
    response = coordinator_client.post(_url(enquiry, "recompute/"))
    assert response.status_code == 200
    titles = {m["title"] for r in response.json() for m in r["measures"]}
    assert "Smart Meter in Schulen" in titles
    assert partner_client.post(_url(enquiry, "recompute/")).status_code == 404


def test_the_submission_answers_before_the_ranking_and_the_first_reader_sees_the_proposals(
    catalogue, partner, coordinator_client, anon_client
):
    """GIVEN no worker has run (the after-commit kick is not executed here) WHEN a municipality submits through
    the API THEN the 201 comes without any proposal computed, the job waits in the same transaction's row, and
    the coordinator's first GET .../matches/ right after shows them (computed by that read, once)."""
    from ops.models import DeferredJob

    answer = anon_client.post(
        "/api/v1/enquiries/",
        {
            "municipality": catalogue.enquirer.ags,
            "contact_name": "Maria Muster",
            "contact_email": "maria@kleindorf.example",
            "subject": "Rufbus für unsere Dörfer",
            "message": "Ein Bus, den man per App bestellt.",
            "topics": ["mobility"],
            "support_type": "contact",
            "consent": True,
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    enquiry_id = answer.json()["id"]
    assert not Match.objects.filter(enquiry_id=enquiry_id).exists()
    assert DeferredJob.objects.filter(name="matching.proposals", key=str(enquiry_id)).exists()

    listed = coordinator_client.get(f"/api/v1/enquiries/{enquiry_id}/matches/")
    assert listed.status_code == 200
    results = listed.json()["results"] if isinstance(listed.json(), dict) else listed.json()
    projects = [m for m in results if m["kind"] == "model_project"]
    assert projects and projects[0]["target"]["id"] == catalogue.dorf.pk
    assert not DeferredJob.objects.filter(name="matching.proposals", key=str(enquiry_id)).exists()
    again = coordinator_client.get(f"/api/v1/enquiries/{enquiry_id}/matches/")
    assert again.json() == listed.json()
