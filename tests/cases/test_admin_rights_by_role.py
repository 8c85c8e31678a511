"""The enquiry and case-work admin for real role accounts (QA finding 1): staff made by create_staff have
is_staff and their group but no Django model permissions, and the admin answered them 403."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from cases.intake import enquiry_submit
from cases.models import Enquiry, FollowUp, SurveyResponse, TransitionLog
from cases.services import enquiry_transition
from tests import factories as f

pytestmark = pytest.mark.django_db


def staff(username: str, role: str, partner=None):
    """An account as create_staff makes it: staff flag, group, membership, no permissions, no superuser."""
    user = f.UserFactory(username=username, role=role, partner=partner, is_staff=True)
    assert not user.is_superuser and not user.user_permissions.exists()
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def cases(partner, other_partner):
    """One case assigned to DIFU ("mine"), one to CCC ("theirs"), each resolved with a follow-up and a survey."""
    f.TopicFactory(slug="mobilitaet")
    f.MunicipalityFactory(ags="09461000")
    boss = staff("koordination-setup", "coordinator")
    made = {}
    for key, owner, subject in (("mine", partner, "Radverkehr DIFU"), ("theirs", other_partner, "Fremdfall CCC")):
        enquiry = enquiry_submit(
            municipality_ags="09461000",
            contact_name="A",
            contact_email=f"{key}@b.example",
            subject=subject,
            message="M",
            topic_slugs=["mobilitaet"],
            support_type="information",
            consent=True,
        )
        enquiry = enquiry_transition(enquiry=enquiry, name="triage", by=boss)
        enquiry = enquiry_transition(
            enquiry=enquiry, name="assign", by=boss, payload={"partner": owner.pk, "comment": f"an {key}"}
        )
        now = timezone.now()
        FollowUp.objects.create(enquiry=enquiry, due_at=now, created_at=now, note=f"Rückruf {key}")
        SurveyResponse.objects.create(enquiry=enquiry, kind="satisfaction", sent_at=now, comment=f"Umfrage {key}")
        made[key] = enquiry
    return made


CASEWORK = ["transitionlog", "activity", "followup", "surveyresponse"]


def test_a_coordinator_without_model_permissions_sees_every_case_and_its_change_page(cases):
    """GIVEN a coordinator as create_staff makes one
    WHEN they open the case list, a case and the case-work lists
    THEN every page opens (200) and lists both partners' cases, with the state read-only."""
    client = logged_in(staff("koordination-echt", "coordinator"))

    listing = client.get("/admin/cases/enquiry/")
    page = client.get(f"/admin/cases/enquiry/{cases['theirs'].pk}/change/")

    assert listing.status_code == 200
    assert "Radverkehr DIFU" in listing.content.decode() and "Fremdfall CCC" in listing.content.decode()
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="state"' not in html and 'name="subject"' not in html, "cases are changed in the workspace only"
    assert "an theirs" in html, "the transition log inline with its comment"
    for model in CASEWORK:
        assert client.get(f"/admin/cases/{model}/").status_code == 200, model


def test_a_coordinator_posting_a_former_transition_action_changes_nothing(cases):
    """GIVEN an assigned case WHEN a coordinator posts the former admin action "Zurückziehen"
    THEN it stays assigned: the workspace is the door for case work."""
    client = logged_in(staff("koordination-echt", "coordinator"))

    client.post("/admin/cases/enquiry/", {"action": "transition_withdraw", "_selected_action": [cases["mine"].pk]})

    assert Enquiry.objects.get(pk=cases["mine"].pk).state == "assigned"
    assert not TransitionLog.objects.filter(enquiry=cases["mine"], transition="withdraw").exists()


def test_a_manager_reads_every_case_but_changes_none(cases):
    """GIVEN a manager WHEN they open a case and post a change THEN they read it (200) but the change is 403."""
    client = logged_in(staff("leitung-echt", "manager"))
    url = f"/admin/cases/enquiry/{cases['mine'].pk}/change/"

    assert client.get("/admin/cases/enquiry/").status_code == 200
    page = client.get(url)
    refused = client.post(url, {"subject": "Umbenannt"})

    assert page.status_code == 200 and 'name="subject"' not in page.content.decode()
    assert refused.status_code == 403
    assert Enquiry.objects.get(pk=cases["mine"].pk).subject == "Radverkehr DIFU"
    for model in CASEWORK:
        assert client.get(f"/admin/cases/{model}/").status_code == 200, model


def test_partner_staff_see_their_partners_case_and_not_a_foreign_one(cases, partner):
    """GIVEN DIFU staff WHEN they open the case list, their case and CCC's case
    THEN the list holds only their case, their case opens read-only, CCC's case is 404 like a missing one."""
    client = logged_in(staff("difu-echt", "partner", partner))

    listing = client.get("/admin/cases/enquiry/").content.decode()
    own = client.get(f"/admin/cases/enquiry/{cases['mine'].pk}/change/")
    foreign = client.get(f"/admin/cases/enquiry/{cases['theirs'].pk}/change/")
    missing = client.get("/admin/cases/enquiry/999999/change/")

    assert "Radverkehr DIFU" in listing and "Fremdfall CCC" not in listing
    assert own.status_code == 200 and 'name="subject"' not in own.content.decode()
    assert foreign.status_code == missing.status_code == 404
    assert "Fremdfall" not in foreign.content.decode()
    assert client.post(f"/admin/cases/enquiry/{cases['mine'].pk}/change/", {"subject": "x"}).status_code == 403


def test_an_admin_action_on_a_foreign_case_does_nothing(cases, partner):
    client = logged_in(staff("difu-echt", "partner", partner))

    client.post("/admin/cases/enquiry/", {"action": "transition_accept", "_selected_action": [cases["theirs"].pk]})

    assert Enquiry.objects.get(pk=cases["theirs"].pk).state == "assigned"


@pytest.mark.parametrize("model", CASEWORK)
def test_partner_staff_read_the_case_work_of_their_cases_only(cases, partner, model):
    """GIVEN DIFU staff WHEN they open a case-work list THEN rows of CCC's case are not in it."""
    client = logged_in(staff("difu-echt", "partner", partner))

    listing = client.get(f"/admin/cases/{model}/")

    assert listing.status_code == 200
    html = listing.content.decode()
    assert cases["mine"].reference in html
    assert cases["theirs"].reference not in html


def test_partner_staff_cannot_open_or_change_a_foreign_follow_up(cases, partner):
    client = logged_in(staff("difu-echt", "partner", partner))
    theirs = FollowUp.objects.get(enquiry=cases["theirs"])
    mine = FollowUp.objects.get(enquiry=cases["mine"])

    assert client.get(f"/admin/cases/followup/{theirs.pk}/change/").status_code == 404
    assert client.get(f"/admin/cases/followup/{mine.pk}/change/").status_code == 200
    assert client.post(f"/admin/cases/followup/{mine.pk}/change/", {"note": "x"}).status_code == 403


def test_a_coordinator_reads_a_follow_up_but_changes_adds_and_deletes_nothing(cases):
    """GIVEN a follow-up WHEN a coordinator opens it and posts a change THEN it is read-only (403): marking it
    done belongs to the case page, which writes the timeline entry."""
    client = logged_in(staff("koordination-echt", "coordinator"))
    follow_up = FollowUp.objects.get(enquiry=cases["mine"])
    url = f"/admin/cases/followup/{follow_up.pk}/change/"
    form = {"kind": "call_back", "due_at_0": "2026-12-01", "due_at_1": "10:00:00", "note": "Neu", "assignee": ""}

    assert client.get(url).status_code == 200
    assert client.post(url, form).status_code == 403
    follow_up.refresh_from_db()
    assert follow_up.note == "Rückruf mine"
    assert client.get("/admin/cases/followup/add/").status_code == 403
    assert client.get("/admin/cases/enquiry/add/").status_code == 403
    assert client.get(f"/admin/cases/followup/{follow_up.pk}/delete/").status_code == 403
    assert client.get(f"/admin/cases/enquiry/{cases['mine'].pk}/delete/").status_code == 403


@pytest.mark.parametrize("model", ["transitionlog", "activity", "outcome", "surveyresponse"])
def test_the_audit_rows_are_read_only_even_for_coordinators(cases, model):
    client = logged_in(staff("koordination-echt", "coordinator"))

    assert client.get(f"/admin/cases/{model}/add/").status_code == 403


def test_a_user_without_a_role_gets_no_case_in_the_admin(cases):
    client = logged_in(f.UserFactory(username="nur-staff", is_staff=True))

    assert client.get("/admin/cases/enquiry/").status_code == 403
    assert client.get(f"/admin/cases/enquiry/{cases['mine'].pk}/change/").status_code in (403, 404)


def test_a_coordinator_cannot_change_a_case_in_the_admin(cases):
    """GIVEN a real coordinator on a case's change page WHEN they post a new subject, topics and priority
    THEN it is refused (403) and nothing changes: topics and priority change through triage in the workspace."""
    client = logged_in(staff("koordination-echt", "coordinator"))
    enquiry = cases["mine"]
    url = f"/admin/cases/enquiry/{enquiry.pk}/change/"
    form = {"subject": "Radverkehr (korrigiert)", "topics": [], "priority": 1, "state": "closed"}

    answer = client.post(url, form)

    assert answer.status_code == 403
    enquiry.refresh_from_db()
    assert enquiry.subject == "Radverkehr DIFU" and enquiry.state == "assigned" and enquiry.topics.exists()
