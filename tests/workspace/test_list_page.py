"""/intern/faelle/ and /intern/: the pages as each role sees them; filters, bad input, pages, the deadline column."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from cases.models import Enquiry
from catalogue.models import Topic
from tests import builders as b
from tests import factories as f
from web import filter_choices as filter_choices_module
from web.filter_choices import filter_choices_forget

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(db):
    f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Radverkehr"])
    return f.MunicipalityFactory(ags="09461000", name="Bamberg, Stadt", short_name="Bamberg", bundesland="BY")


@pytest.fixture
def case_in(town, coordinator, partner, partner_user):
    def make(
        state: str = "new", *, owner=None, staff=None, subject: str = "Radverkehr", message: str = "Bitte um Rat."
    ):
        enquiry = b.enquiry_submitted(municipality=town, subject=subject, message=message, effects=True)
        return b.enquiry_brought_to(
            enquiry, state, coordinator=coordinator, staff=staff or partner_user, partner=owner or partner, effects=True
        )

    return make


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def row_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'class="case-row" data-id="(\d+)"', response.content.decode())]


def test_the_landing_shows_each_queue_with_its_count_and_link(case_in, coordinator):
    case_in("new")
    case_in("new")
    response = client_of(coordinator).get("/intern/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/intern/faelle/?queue=new"' in html
    assert re.search(r'<span class="queue-label">Neu</span> <span class="queue-count" data-queue="new">2</span>', html)
    assert "Zu verteilen" in html and "Meine fälligen Wiedervorlagen" in html


def test_a_queue_above_the_bound_says_more_than_and_counts_no_further(case_in, coordinator, monkeypatch):
    """GIVEN three new cases and a bound of 2 WHEN the coordinator lands THEN the queue says "mehr als 2" (the
    count read up to the bound + 1, not to its end) and a queue under the bound keeps its exact count."""
    from cases import queues
    from web.views import workspace_home

    monkeypatch.setattr(queues, "COUNT_EXACT_UP_TO", 2)
    monkeypatch.setattr(workspace_home, "COUNT_EXACT_UP_TO", 2)
    for _ in range(3):
        case_in("new")
    case_in("awaiting_reply")

    assert dict((q.slug, c) for q, c in queues.queue_counts(user=coordinator))["new"] == 3
    html = client_of(coordinator).get("/intern/").content.decode()

    assert '<span class="queue-count" data-queue="new">mehr als 2</span>' in html
    assert '<span class="queue-count" data-queue="awaiting">1</span>' in html


def test_partner_staff_land_on_their_own_queues(case_in, partner_user):
    case_in("assigned")
    html = client_of(partner_user).get("/intern/").content.decode()
    assert 'data-queue="assigned">1</span>' in html
    assert "Neu zugewiesen" in html and "Zu verteilen" not in html


def test_a_user_without_a_role_is_refused_and_a_visitor_sent_to_log_in(db):
    assert client_of(f.UserFactory(username="niemand")).get("/intern/faelle/").status_code == 403
    response = Client().get("/intern/")
    assert response.status_code == 302 and response["Location"].startswith("/anmelden/")


@pytest.mark.parametrize("role", ["coordinator", "manager", "partner_user"])
def test_login_lands_staff_on_the_workspace(role, request):
    user = request.getfixturevalue(role)
    client = Client()
    response = client.post("/anmelden/", {"username": user.username, "password": "geheim-123"})
    assert response.status_code == 302 and response["Location"] == "/intern/"
    assert client.get("/intern/").status_code == 200


def test_the_statistics_link_to_the_workspace(coordinator):
    html = client_of(coordinator).get("/statistik/").content.decode()
    assert 'href="/intern/"' in html


def test_a_queue_link_lists_its_cases_with_a_link_to_each(case_in, coordinator):
    new = case_in("new")
    case_in("triaged")
    response = client_of(coordinator).get("/intern/faelle/", {"queue": "new"})
    assert response.status_code == 200
    assert row_ids(response) == [new.pk]
    assert f'href="/intern/faelle/{new.pk}/"' in response.content.decode()


def test_partner_staff_see_only_their_partners_cases(case_in, partner_user, other_partner, other_partner_user):
    ours = case_in("in_progress")
    case_in("in_progress", owner=other_partner, staff=other_partner_user)
    case_in("new")
    assert row_ids(client_of(partner_user).get("/intern/faelle/")) == [ours.pk]


def test_the_search_finds_a_word_of_the_message(case_in, coordinator):
    bins = case_in(message="Wir möchten smarte Papierkörbe aufstellen.")
    case_in(message="Radnetz")
    response = client_of(coordinator).get("/intern/faelle/", {"q": "Papierkörbe"})
    assert row_ids(response) == [bins.pk]


def test_the_filters_combine(case_in, coordinator, partner, other_partner, other_partner_user):
    ours = case_in("in_progress")
    case_in("in_progress", owner=other_partner, staff=other_partner_user)
    case_in("new")
    client = client_of(coordinator)
    assert row_ids(client.get("/intern/faelle/", {"state": "in_progress", "partner": partner.pk})) == [ours.pk]
    assert len(row_ids(client.get("/intern/faelle/", {"topic": "mobilitaet", "bundesland": "BY"}))) == 3
    assert row_ids(client.get("/intern/faelle/", {"bundesland": "HH"})) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"state": "verloren"}, "state"),
        ({"topic": "gibtsnicht"}, "topic"),
        ({"partner": "abc"}, "partner"),
        ({"bundesland": "XX"}, "bundesland"),
        ({"queue": "alles"}, "queue"),
        ({"assignee": "999999"}, "assignee"),
        ({"sort": "zufall"}, "sort"),
        ({"page_size": "100000"}, "page_size"),
    ],
)
def test_a_bad_filter_value_is_explained_next_to_its_field(case_in, coordinator, params, field):
    case_in("new")
    response = client_of(coordinator).get("/intern/faelle/", params)
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(rf'id="id_{field}-error"><li>[^<]+</li>', html), html
    assert f'aria-describedby="id_{field}-error"' in html
    assert row_ids(response) == []


def test_the_partner_filter_offers_partner_staff_only_their_own(partner_user, other_partner):
    html = client_of(partner_user).get("/intern/faelle/").content.decode()
    assert "Creative Climate Cities" not in html


def options_of(html: str, field: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def test_the_filters_offer_topics_partners_and_partner_staff_by_name(
    town, coordinator, partner, other_partner, partner_user, other_partner_user
):
    """GIVEN topics, two partners and their staff, one named, one inactive, one without the partner role WHEN a
    coordinator and a partner's staff open the list THEN the coordinator is offered every topic and partner by
    name and the active partner staff by login (named by full name, else login); the partner's staff only their
    own partner and colleagues (the three lists are read in one query: web.views.workspace_list._filter_choices)."""
    f.TopicFactory(slug="energie", name_de="Energie")
    partner_user.first_name, partner_user.last_name = "Ada", "Lovelace"
    partner_user.save()
    colleague = f.UserFactory(username="difu-aaa", role="partner", partner=partner)
    gone = f.UserFactory(username="difu-bbb", role="partner", partner=partner, is_active=False)
    f.UserFactory(username="difu-ccc", partner=partner)  # a membership without the partner role

    html = client_of(coordinator).get("/intern/faelle/").content.decode()
    assert options_of(html, "topic") == [("", "alle"), ("energie", "Energie"), ("mobilitaet", "Mobilität")]
    assert options_of(html, "partner") == [
        ("", "alle"),
        (str(other_partner.pk), "Creative Climate Cities"),
        (str(partner.pk), "Deutsches Institut für Urbanistik"),
    ]
    assert options_of(html, "assignee") == [
        ("", "alle"),
        (str(other_partner_user.pk), "ccc-mitarbeiter"),
        (str(colleague.pk), "difu-aaa"),
        (str(partner_user.pk), "Ada Lovelace"),
    ]
    assert str(gone.pk) not in [value for value, _label in options_of(html, "assignee")]

    html = client_of(partner_user).get("/intern/faelle/").content.decode()
    assert options_of(html, "partner") == [("", "alle"), (str(partner.pk), "Deutsches Institut für Urbanistik")]
    assert options_of(html, "assignee") == [
        ("", "alle"),
        (str(colleague.pk), "difu-aaa"),
        (str(partner_user.pk), "Ada Lovelace"),
    ]
    assert len(options_of(html, "topic")) == 3


def test_the_list_reads_its_rows_in_one_query_and_the_choices_from_memory(
    case_in, coordinator, django_assert_num_queries
):
    """The list page after the session's first request: session, user, roles, the page's rows and the
    navigation's two counts; the filter choices come from memory (web.filter_choices), read on the first
    request in one query (a UNION of the three lists)."""
    case_in("new")
    client = client_of(coordinator)
    client.get("/intern/faelle/")
    with django_assert_num_queries(6):
        html = client.get("/intern/faelle/").content.decode()
    assert len(row_ids_in(html)) == 1
    filter_choices_forget()
    with django_assert_num_queries(7) as captured:
        client.get("/intern/faelle/")
    assert sum(" UNION " in query["sql"] for query in captured.captured_queries) == 1


def test_the_choices_in_memory_follow_a_change_here_at_once_and_elsewhere_within_their_ttl(
    town, coordinator, partner, monkeypatch
):
    """GIVEN the choices read once WHEN a topic, a partner and a partner's staff member are added here THEN the next
    page offers them; WHEN a topic is renamed behind the signals' back (QuerySet.update, as another process's
    change looks here) THEN the page offers the old name until CHOICES_TTL has passed."""
    client = client_of(coordinator)
    client.get("/intern/faelle/")
    f.TopicFactory(slug="energie", name_de="Energie")
    newcomer = f.PartnerFactory(short_name="IAO", name="Fraunhofer IAO")
    staff = f.UserFactory(username="iao-mitarbeiter", role="partner", partner=newcomer)
    html = client.get("/intern/faelle/").content.decode()
    assert ("energie", "Energie") in options_of(html, "topic")
    assert (str(newcomer.pk), "Fraunhofer IAO") in options_of(html, "partner")
    assert (str(staff.pk), "iao-mitarbeiter") in options_of(html, "assignee")

    Topic.objects.filter(slug="energie").update(name_de="Energiewende")
    assert ("energie", "Energie") in options_of(client.get("/intern/faelle/").content.decode(), "topic")
    monkeypatch.setattr(filter_choices_module, "CHOICES_TTL", 0.0)  # the time to live has passed
    assert ("energie", "Energiewende") in options_of(client.get("/intern/faelle/").content.decode(), "topic")


def test_the_time_left_says_how_long_and_is_red_when_passed_and_paused_while_waiting(case_in, coordinator):
    new = case_in("new")
    waiting = case_in("awaiting_reply")
    stored = Enquiry.objects.get(pk=new.pk)
    client = client_of(coordinator)

    with time_machine.travel(stored.first_response_due - timedelta(days=2, hours=1), tick=False):
        html = client.get("/intern/faelle/", {"state": "new"}).content.decode()
    assert '<span class="time-left ">noch 2 Tage</span>' in html

    with time_machine.travel(stored.first_response_due + timedelta(hours=3, minutes=5), tick=False):
        html = client.get("/intern/faelle/", {"state": "new"}).content.decode()
    assert '<span class="time-left overdue">seit 3 Std. überfällig</span>' in html

    html = client.get("/intern/faelle/", {"state": "awaiting_reply"}).content.decode()
    assert row_ids_in(html) == [waiting.pk]
    assert '<span class="time-left paused">angehalten</span>' in html


def test_a_row_shows_its_case_escaped_with_partner_assignee_escalation_and_deadline(
    case_in, coordinator, partner, partner_user
):
    """GIVEN a case in progress whose subject holds markup, assigned to a partner's named staff member and
    escalated WHEN the list is shown THEN its row links the case, escapes the subject, names partner and assignee,
    marks the escalation and names the next deadline (the rows are built in Python: web.case_rows)."""
    partner_user.first_name, partner_user.last_name = "Ada", "Lovelace"
    partner_user.save()
    case = case_in("in_progress", subject="<b>Radverkehr</b> & Parken")
    Enquiry.objects.filter(pk=case.pk).update(escalated_at=timezone.now())
    stored = Enquiry.objects.select_related("municipality").get(pk=case.pk)

    html = client_of(coordinator).get("/intern/faelle/").content.decode()

    row = re.search(rf'<tr class="case-row" data-id="{case.pk}">(.*?)</tr>', html, re.S).group(1)
    assert f'<a href="/intern/faelle/{case.pk}/">{stored.reference}</a>' in row
    assert "<td>&lt;b&gt;Radverkehr&lt;/b&gt; &amp; Parken</td>" in row
    assert "<td>Bamberg</td>" in row
    assert f"<td>{partner.short_name} / Ada Lovelace</td>" in row
    assert '<td>in Bearbeitung <span class="escalated">eskaliert</span></td>' in row
    assert '<span class="deadline-name">(Erledigung)</span>' in row


def row_ids_in(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'class="case-row" data-id="(\d+)"', html)]


def test_the_overdue_filter(case_in, coordinator):
    case_in("new")
    client = client_of(coordinator)
    assert row_ids(client.get("/intern/faelle/", {"overdue": "on"})) == []
    with time_machine.travel(timezone.now() + timedelta(days=60), tick=False):
        client = client_of(coordinator)  # a fresh session: the first one has expired by then
        assert len(row_ids(client.get("/intern/faelle/", {"overdue": "on"}))) == 1


@pytest.mark.parametrize("sort", ["deadline", "age", "priority"])
def test_the_pages_walk_forward_and_back_without_gaps(case_in, coordinator, sort):
    """GIVEN 23 cases WHEN the list is read 10 per page forward, then backward from the last page THEN every
    case appears once, in the same order both ways."""
    for number in range(23):
        case_in("new" if number % 3 else "triaged", subject=f"Fall {number}")
    Enquiry.objects.filter(pk__in=list(Enquiry.objects.values_list("pk", flat=True))[:5]).update(priority=4)
    client = client_of(coordinator)
    forward, url = [], f"/intern/faelle/?sort={sort}&page_size=10"
    while url:
        response = client.get(url)
        assert response.status_code == 200
        forward += row_ids(response)
        found = re.search(r'<a href="([^"]+)" rel="next">', response.content.decode())
        url = "/intern/faelle/" + found.group(1).replace("&amp;", "&") if found else ""
    assert len(forward) == 23 and len(set(forward)) == 23

    backward, url = [], f"/intern/faelle/?sort={sort}&page_size=10&last=1"
    while url:
        response = client.get(url)
        backward = row_ids(response) + backward
        found = re.search(r'<a href="([^"]+)" rel="prev">', response.content.decode())
        url = "/intern/faelle/" + found.group(1).replace("&amp;", "&") if found else ""
    assert backward == forward


def test_every_page_costs_the_same_queries_whatever_its_size(case_in, coordinator, django_assert_max_num_queries):
    for number in range(12):
        case_in("in_progress" if number % 2 else "new")
    client = client_of(coordinator)
    client.get("/intern/faelle/")  # session and role as on every later request
    counts = []
    for size in (10, 50):
        with django_assert_max_num_queries(12) as captured:
            assert client.get("/intern/faelle/", {"page_size": size}).status_code == 200
        counts.append(len(captured))
    with django_assert_max_num_queries(12) as captured:
        client.get("/intern/faelle/", {"page_size": 10, "q": "Radverkehr", "topic": "mobilitaet"})
    assert counts[0] == counts[1]


def test_the_landing_counts_in_a_fixed_number_of_queries(case_in, coordinator, django_assert_max_num_queries):
    for state in ("new", "triaged", "awaiting_reply", "in_progress"):
        case_in(state)
    client = client_of(coordinator)
    with django_assert_max_num_queries(6):
        assert client.get("/intern/").status_code == 200
