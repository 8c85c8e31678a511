"""Workspace notifications (cases.inbox): written after commit for the right people and never for the user who
acted; counted, listed, marked read; the e-mails of the same events link to the case page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.inbox import (
    notifications_for,
    notifications_mark_read,
    notifications_mark_seen,
    notifications_unread_count,
)
from cases.links import staff_url
from cases.models import FollowUp, Notification
from cases.reminders import followup_remind
from matching.introductions import introduction_answer, introduction_start
from matching.models import Match
from outbox.models import OutboxMessage
from tests import builders as b
from tests import factories as f

pytestmark = pytest.mark.django_db

BASE = "https://kts.example.org"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.KTS_BASE_URL = BASE


@pytest.fixture
def topic(db):
    return f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Radverkehr"])


@pytest.fixture
def municipality(db):
    return f.MunicipalityFactory(ags="09461000", name="Bamberg, Stadt", short_name="Bamberg", bundesland="BY")


@pytest.fixture
def colleague(partner):
    """A second member of DIFU."""
    return f.UserFactory(username="difu-kollege", role="partner", partner=partner)


@pytest.fixture
def second_coordinator(db):
    return f.UserFactory(username="koordination-2", role="coordinator")


@pytest.fixture
def case(municipality, topic, coordinator, partner, partner_user):
    """case(state, assign_user=None) -> an enquiry of DIFU brought there through the services, effects run."""

    def make(state: str, *, assign_user=None):
        enquiry = b.enquiry_submitted(municipality=municipality, topics=[topic.slug], effects=True)
        return b.enquiry_brought_to(
            enquiry,
            state,
            coordinator=coordinator,
            staff=partner_user,
            partner=partner,
            assign_user=assign_user,
            effects=True,
        )

    return make


def recipients(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def mails(template: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(template=template).order_by("id"))


# --- who is told of what ----------------------------------------------------------------------------------


def test_a_reply_tells_the_assigned_user_only(case, partner_user, colleague, coordinator):
    """GIVEN a case assigned to DIFU and its member partner_user, awaiting the municipality
    WHEN the municipality replies THEN partner_user is notified, not the colleague nor the coordinator; the
    text names the case and the e-mail links to the case page."""
    enquiry = case("awaiting_reply", assign_user=partner_user)
    b.enquiry_moved(enquiry, "receive_reply", by=None, actor="municipality", message="Gern!", effects=True)

    assert recipients("reply_received") == {partner_user.username}
    note = Notification.objects.get(kind="reply_received")
    assert note.enquiry_id == enquiry.pk and enquiry.reference in note.text and "Bamberg" in note.text
    assert note.read_at is None
    assert f"{BASE}/intern/faelle/{enquiry.pk}/" in mails("reply_received")[-1].text


def test_a_reply_without_an_assigned_user_tells_the_partners_staff(case, partner, colleague, coordinator):
    """GIVEN a case of DIFU whose assigned user's account was deleted meanwhile
    WHEN the municipality replies THEN every DIFU member hears."""
    leaving = f.UserFactory(username="difu-geht", role="partner", partner=partner)
    enquiry = case("awaiting_reply", assign_user=leaving)
    leaving.delete()
    enquiry.refresh_from_db()
    assert enquiry.assigned_user_id is None
    b.enquiry_moved(enquiry, "receive_reply", by=None, actor="municipality", message="Ja", effects=True)

    assert recipients("reply_received") == {"difu-mitarbeiterin", colleague.username}


def test_a_reply_to_a_case_without_partner_tells_the_coordinators_but_not_the_one_who_recorded_it(
    municipality, topic, coordinator, second_coordinator
):
    """GIVEN a triaged case the coordinator asked the municipality about WHEN he records the phoned answer
    himself THEN the other coordinator is told, he is not."""
    enquiry = b.enquiry_submitted(municipality=municipality, topics=[topic.slug])
    enquiry = b.enquiry_moved(enquiry, "triage", by=coordinator)
    enquiry = b.enquiry_moved(enquiry, "request_info", by=coordinator, message="Wie viele?")
    b.enquiry_moved(enquiry, "receive_reply", by=coordinator, message="3000", effects=True)

    assert recipients("reply_received") == {second_coordinator.username}


def test_an_assignment_tells_the_partners_staff_not_the_coordinator(case, partner_user, colleague, coordinator):
    case("assigned")

    assert recipients("assigned") == {partner_user.username, colleague.username}
    assert f"{BASE}/intern/faelle/" in mails("assigned")[-1].text


def test_a_decline_tells_the_coordinators_with_the_reason(case, partner_user, coordinator, second_coordinator):
    enquiry = case("assigned")
    b.enquiry_moved(enquiry, "decline", by=partner_user, reason="Keine Kapazität", effects=True)

    assert recipients("declined") == {coordinator.username, second_coordinator.username}
    text = Notification.objects.filter(kind="declined").first().text
    assert text == f"DIFU hat die Anfrage {enquiry.reference} (Bamberg) abgelehnt: Keine Kapazität"


def test_a_reopen_tells_the_last_handler_and_the_coordinators_by_notification_and_e_mail(
    case, partner_user, coordinator, manager
):
    """GIVEN a case DIFU's partner_user resolved WHEN the manager reopens it THEN partner_user and the
    coordinator are notified and e-mailed (with the case page link), the manager is neither."""
    enquiry = case("resolved")
    b.enquiry_moved(enquiry, "reopen", by=manager, effects=True)

    assert recipients("reopened") == {partner_user.username, coordinator.username}
    [mail] = mails("reopened")
    assert set(mail.recipients) == {partner_user.email, coordinator.email}
    assert manager.email not in mail.recipients
    assert f"{BASE}/intern/faelle/{enquiry.pk}/" in mail.text
    assert f'href="{BASE}/intern/faelle/{enquiry.pk}/"' in mail.html
    assert enquiry.reference in mail.subject


def test_a_coordinator_who_reopens_is_not_told_of_it_himself(case, partner_user, coordinator, second_coordinator):
    enquiry = case("resolved")
    b.enquiry_moved(enquiry, "reopen", by=coordinator, effects=True)

    assert recipients("reopened") == {partner_user.username, second_coordinator.username}
    assert coordinator.email not in mails("reopened")[0].recipients


def test_a_due_follow_up_tells_its_assignee(
    case, partner_user, colleague, coordinator, django_capture_on_commit_callbacks
):
    """GIVEN a follow-up of the colleague that fell due WHEN the reminder job runs twice THEN the colleague is
    notified once and e-mailed a link to the case page."""
    enquiry = case("in_progress", assign_user=partner_user)
    now = timezone.now()
    follow_up = FollowUp.objects.create(
        enquiry=enquiry, assignee=colleague, due_at=now - timedelta(hours=1), note="Rückruf Bauamt", created_at=now
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert followup_remind(follow_up_id=follow_up.pk) is True
    with django_capture_on_commit_callbacks(execute=True):
        assert followup_remind(follow_up_id=follow_up.pk) is False

    assert recipients("followup_due") == {colleague.username}
    assert "Rückruf Bauamt" in Notification.objects.get(kind="followup_due").text
    assert f"{BASE}/intern/faelle/{enquiry.pk}/" in mails("followup_due")[0].text


def test_an_introduction_answer_tells_the_handler_by_notification_and_e_mail(
    case, partner_user, django_capture_on_commit_callbacks
):
    """GIVEN a case in progress of partner_user with an introduction requested from a model project
    WHEN the project's contact accepts through the token link THEN partner_user is notified and e-mailed."""
    enquiry = case("in_progress", assign_user=partner_user)
    project = f.ModelProjectFactory(name="Zwönitz")
    match = Match.objects.create(
        enquiry=enquiry,
        kind="model_project",
        model_project=project,
        score=0.5,
        rank=1,
        computed_at=enquiry.created_at,
        decision="accepted",
    )
    with django_capture_on_commit_callbacks(execute=True):
        introduction = introduction_start(match=match, by=partner_user)
    with django_capture_on_commit_callbacks(execute=True):
        introduction_answer(token=introduction.token, accept=True, note="Gern, ruft an.")

    assert recipients("introduction_answered") == {partner_user.username}
    assert "Zwönitz" in Notification.objects.get(kind="introduction_answered").text
    [mail] = mails("introduction_answered")
    assert mail.recipients == [partner_user.email]
    assert "Gern, ruft an." in mail.text and f"{BASE}/intern/faelle/{enquiry.pk}/" in mail.text


def test_nothing_is_written_before_the_change_commits(case, partner_user):
    """GIVEN a reply whose transaction never commits (its after-commit callbacks dropped) THEN no notification."""
    enquiry = case("awaiting_reply", assign_user=partner_user)
    b.enquiry_moved(enquiry, "receive_reply", by=None, actor="municipality", message="Ja", effects=False)

    assert not Notification.objects.filter(kind="reply_received").exists()


def test_every_staff_e_mail_links_to_the_case_page_never_the_admin(case, partner_user, manager):
    enquiry = case("awaiting_reply", assign_user=partner_user)
    enquiry = b.enquiry_moved(enquiry, "receive_reply", by=None, actor="municipality", message="Ja", effects=True)
    enquiry = b.enquiry_moved(enquiry, "resolve", by=partner_user, category="information_provided", notes="x")
    b.enquiry_moved(enquiry, "reopen", by=manager, effects=True)

    staff_mails = OutboxMessage.objects.filter(template__in=["assigned", "reply_received", "reopened"])
    assert staff_mails.count() == 3
    for mail in staff_mails:
        assert staff_url(enquiry) in mail.text and "/admin/" not in mail.text + mail.html


# --- reading and marking ----------------------------------------------------------------------------------


def _notes(user, enquiry, *kinds):
    """Notifications of ``kinds`` for ``user``, a minute apart, the first now."""
    now = timezone.now()
    return [
        Notification.objects.create(
            recipient=user, enquiry=enquiry, kind=kind, text=f"{kind} {i}", created_at=now + timedelta(minutes=i)
        )
        for i, kind in enumerate(kinds)
    ]


def test_count_list_mark_read_and_mark_seen(case, partner_user, colleague):
    first = case("in_progress")
    second = case("in_progress")
    Notification.objects.all().delete()  # those of the assignments
    a, b_, c = _notes(partner_user, first, "reply_received", "reopened", "followup_due")
    (d,) = _notes(partner_user, second, "assigned")
    _notes(colleague, first, "reply_received")

    assert notifications_unread_count(partner_user) == 4
    assert [n.pk for n in notifications_for(partner_user)] == [c.pk, b_.pk, d.pk, a.pk], "newest first"

    assert notifications_mark_read(partner_user, ids=[a.pk, d.pk]) == 2
    assert notifications_unread_count(partner_user) == 2
    assert notifications_mark_seen(user=partner_user, enquiry=first) == 2
    assert notifications_unread_count(partner_user) == 0
    assert notifications_unread_count(colleague) == 1, "another user's notifications stay unread"


def test_the_unread_count_is_one_query(case, partner_user):
    enquiry = case("in_progress")
    Notification.objects.all().delete()  # those of the assignment
    _notes(partner_user, enquiry, "reply_received", "reopened")
    with CaptureQueriesContext(connection) as queries:
        assert notifications_unread_count(partner_user) == 2
    assert len(queries) == 1


# --- the page ---------------------------------------------------------------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_shows_newest_first_marks_unread_once_and_links_to_the_case(case, partner_user):
    enquiry = case("in_progress")
    Notification.objects.all().delete()  # those of the assignment
    old, new = _notes(partner_user, enquiry, "reply_received", "reopened")
    old.read_at = timezone.now()
    old.save()
    client = _client(partner_user)

    page = client.get("/intern/benachrichtigungen/")
    html = page.content.decode()
    assert page.status_code == 200
    assert page.context["notifications_unread"] == 1
    assert [n.pk for n in page.context["notifications"]] == [new.pk, old.pk]
    assert html.count('class="notification unread"') == 1
    assert html.index("reopened 1") < html.index("reply_received 0")
    assert f'href="/intern/faelle/{enquiry.pk}/"' in html
    assert notifications_unread_count(partner_user) == 0, "viewing marks them read"

    again = client.get("/intern/benachrichtigungen/").content.decode()
    assert 'class="notification unread"' not in again


def test_the_button_marks_all_read_and_needs_the_csrf_token(case, partner_user):
    enquiry = case("in_progress")
    Notification.objects.all().delete()  # those of the assignment
    _notes(partner_user, enquiry, "reply_received", "reopened")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(partner_user)

    assert strict.post("/intern/benachrichtigungen/").status_code == 403
    assert notifications_unread_count(partner_user) == 2

    page = strict.get("/intern/benachrichtigungen/")
    assert "Alle als gelesen markieren" in page.content.decode()
    _notes(partner_user, enquiry, "followup_due")
    token = page.cookies["csrftoken"].value
    answer = strict.post("/intern/benachrichtigungen/", {"csrfmiddlewaretoken": token}, follow=True)
    assert answer.status_code == 200
    assert notifications_unread_count(partner_user) == 0
    assert "1 Benachrichtigung als gelesen markiert." in answer.content.decode()


def test_the_page_is_staff_only(db):
    stranger = f.UserFactory(username="niemand")
    assert _client(stranger).get("/intern/benachrichtigungen/").status_code == 403
    assert Client().get("/intern/benachrichtigungen/").status_code == 302
