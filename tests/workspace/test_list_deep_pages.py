"""/intern/faelle/ deep in the list: cursor links across the cases without a deadline (sorted last), ``?page=N``
(a bookmarked number) showing the N-th page with cursor links on, and partner staff paging through their own
cases only."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases.models import Enquiry
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/intern/faelle/"


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def row_ids(response) -> list[int]:
    assert response.status_code == 200
    return [int(pk) for pk in re.findall(r'class="case-row" data-id="(\d+)"', response.content.decode())]


def link(response, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', response.content.decode())
    return URL + found.group(1).replace("&amp;", "&") if found else None


@pytest.fixture
def listed(db, partner):
    """25 cases: 18 with a deadline (two share one), 7 without (paused or done: NULL, sorted last)."""
    town = f.MunicipalityFactory(ags="09461000", name="Bamberg, Stadt", short_name="Bamberg", bundesland="BY")
    soon = timezone.now().replace(microsecond=0) + timedelta(days=1)
    cases = [f.EnquiryFactory(municipality=town, subject=f"Fall {n}") for n in range(25)]
    for n, case in enumerate(cases):
        due = None if n >= 18 else soon + timedelta(hours=n if n != 5 else 4)
        Enquiry.objects.filter(pk=case.pk).update(next_due=due, assigned_partner=partner if n % 2 else None)
    return cases


def expected_order(cases) -> list[int]:
    rows = Enquiry.objects.filter(pk__in=[c.pk for c in cases]).values_list("pk", "next_due")
    dated = sorted((due, pk) for pk, due in rows if due is not None)
    return [pk for _due, pk in dated] + sorted(pk for pk, due in rows if due is None)


def test_cursor_pages_walk_past_the_cases_without_a_deadline_and_back(listed, coordinator):
    client = client_of(coordinator)
    order = expected_order(listed)
    forward, url = [], f"{URL}?page_size=10"
    while url:
        response = client.get(url)
        forward += row_ids(response)
        url = link(response, "next")
    assert forward == order
    backward, url = [], f"{URL}?page_size=10&last=1"
    while url:
        response = client.get(url)
        backward = row_ids(response) + backward
        url = link(response, "prev")
    assert backward == order


def test_a_cursor_written_before_the_sort_key_still_opens_its_page(listed, coordinator):
    """``~`` stands for "no deadline" in a cursor, as before."""
    order = expected_order(listed)
    undated = order[18]
    assert row_ids(client_of(coordinator).get(URL, {"page_size": 10, "after": f"~_{undated}"})) == order[19:]


def test_a_page_number_opens_that_page_and_its_links_lead_on(listed, coordinator):
    client = client_of(coordinator)
    order = expected_order(listed)
    second = client.get(URL, {"page_size": 10, "page": 2})
    assert row_ids(second) == order[10:20]
    assert row_ids(client.get(link(second, "next"))) == order[20:]
    assert row_ids(client.get(link(second, "prev"))) == order[0:10]
    assert row_ids(client.get(URL, {"page_size": 10, "page": 3})) == order[20:]
    past = client.get(URL, {"page_size": 10, "page": 9})
    assert row_ids(past) == [] and "Keine Fälle gefunden." in past.content.decode()
    assert row_ids(client.get(URL, {"page_size": 10, "page": "zwei"})) == order[0:10]


def test_partner_staff_page_through_their_own_cases_only(listed, partner_user):
    client = client_of(partner_user)
    theirs = [pk for pk in expected_order(listed) if Enquiry.objects.get(pk=pk).assigned_partner_id]
    assert len(theirs) == 12
    assert row_ids(client.get(URL, {"page_size": 10, "page": 2})) == theirs[10:]
    walked, url = [], f"{URL}?page_size=10"
    while url:
        response = client.get(url)
        walked += row_ids(response)
        url = link(response, "next")
    assert walked == theirs
