"""GET /api/v1/enquiries/ page by page: page numbers as SPEC section 5 says (every page the same rows as a slice
of the whole list, also deep ones read by id and the ones past the middle read from the end), and cursor pages
(``?cursor=``): the same order, no row twice or missing, the way back, a bounded count, a bad cursor a 400."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from api.pagination import EnquiryPagination
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/enquiries/"


@pytest.fixture
def many(municipality, topic, partner):
    """13 cases: four share one moment (ties broken by the id), some assigned (assigned_at set) and some not."""
    now = timezone.now().replace(microsecond=0)
    cases = []
    for n in range(13):
        moment = now - timedelta(hours=n if n >= 4 else 0)
        cases.append(
            f.EnquiryFactory(
                municipality=municipality,
                created_at=moment,
                subject=f"Frage {n:02d}",
                assigned_at=moment - timedelta(minutes=n) if n % 3 else None,
                topics=[topic],
            )
        )
    return cases


def whole(client, query=""):
    answer = client.get(f"{URL}?page_size=200{query}")
    assert answer.status_code == 200, answer.content
    return [row["id"] for row in answer.json()["results"]]


def walk_by_cursor(client, query="", size=3):
    """Every page from the first through the next links; returns the ids and the pages' answers."""
    pages = [client.get(f"{URL}?cursor=&page_size={size}{query}").json()]
    while pages[-1]["next"]:
        answer = client.get(pages[-1]["next"])
        assert answer.status_code == 200, answer.content
        pages.append(answer.json())
    return [row["id"] for page in pages for row in page["results"]], pages


@pytest.mark.parametrize("ordering", ["", "&ordering=reference", "&ordering=assigned_at", "&ordering=-assigned_at"])
def test_every_numbered_page_is_the_slice_of_the_whole_list(coordinator_client, many, ordering):
    everything = whole(coordinator_client, ordering)
    assert len(everything) == 13
    for number in range(1, 6):  # 3 per page: the last one (5) holds one row
        answer = coordinator_client.get(f"{URL}?page={number}&page_size=3{ordering}").json()
        assert answer["count"] == 13
        assert [row["id"] for row in answer["results"]] == everything[(number - 1) * 3 : number * 3]
        assert bool(answer["next"]) == (number < 5)
        assert bool(answer["previous"]) == (number > 1)
        assert "count_exact" not in answer and "cursor=" not in (answer["next"] or "")


@pytest.mark.parametrize(
    "ordering", ["", "&ordering=reference", "&ordering=assigned_at", "&ordering=-assigned_at,-created_at"]
)
def test_cursor_pages_list_every_case_once_in_the_same_order(coordinator_client, many, ordering):
    everything = whole(coordinator_client, ordering)
    walked, pages = walk_by_cursor(coordinator_client, ordering)
    if "assigned_at" in ordering:
        # NULL sorts after every date with cursors on both databases (SQLite would put it first by itself)
        assigned = [pk for pk in everything if pk in {c.pk for c in many if c.assigned_at}]
        unassigned = [pk for pk in everything if pk not in assigned]
        everything = assigned + unassigned if not ordering.startswith("&ordering=-") else unassigned + assigned
    assert walked == everything
    assert len(pages) == 5 and pages[0]["previous"] is None and pages[-1]["next"] is None
    assert all(page["count"] == 13 and page["count_exact"] is True for page in pages)
    assert all("cursor=" in page["next"] for page in pages[:-1])
    # and back from the last page to the first through the previous links
    back = [pages[-1]]
    while back[-1]["previous"]:
        back.append(coordinator_client.get(back[-1]["previous"]).json())
    assert [row["id"] for page in reversed(back) for row in page["results"]] == walked
    assert back[-1]["previous"] is None


def test_a_cursor_keeps_the_filters(coordinator_client, many, municipality):
    other = f.MunicipalityFactory(ags="05315000", name="Köln, Stadt", short_name="Köln", bundesland="NW")
    f.EnquiryFactory(municipality=other)
    walked, _pages = walk_by_cursor(coordinator_client, "&bundesland=BY")
    assert sorted(walked) == sorted(c.pk for c in many)
    walked, pages = walk_by_cursor(coordinator_client, "&bundesland=NW")
    assert len(walked) == 1 and pages[0]["next"] is None


def test_partner_staff_page_only_through_their_partners_cases(partner_client, make_case, other_partner):
    mine = [make_case("in_progress", subject=f"Meins {n}") for n in range(3)]
    make_case("assigned", subject="Fremd", for_partner=other_partner)
    make_case("new", subject="Neu")
    walked, pages = walk_by_cursor(partner_client, size=2)
    assert sorted(walked) == sorted(c.pk for c in mine)
    assert pages[0]["count"] == 3


@pytest.mark.parametrize(
    "cursor",
    [
        "abc",
        "!!!",
        base64.urlsafe_b64encode(b"not json").decode(),
        base64.urlsafe_b64encode(b"[1, 2]").decode(),
        base64.urlsafe_b64encode(json.dumps({"o": ["-created_at", "-id"], "v": ["gestern", 1], "d": "n"}).encode())
        .decode()
        .rstrip("="),
        base64.urlsafe_b64encode(json.dumps({"o": ["-created_at", "-id"], "v": [None, 1], "d": "n"}).encode()).decode(),
        base64.urlsafe_b64encode(
            json.dumps({"o": ["-created_at", "-id"], "v": ["2026-01-01T00:00:00+00:00", "1"], "d": "n"}).encode()
        ).decode(),
        base64.urlsafe_b64encode(
            json.dumps({"o": ["-created_at", "-id"], "v": ["2026-01-01T00:00:00+00:00", 1], "d": "x"}).encode()
        ).decode(),
        base64.urlsafe_b64encode(
            json.dumps({"o": ["-created_at", "-id"], "v": ["2026-01-01T00:00:00+00:00", 10**30], "d": "n"}).encode()
        ).decode(),
    ],
)
def test_a_bad_cursor_is_a_400_naming_the_cursor(coordinator_client, many, cursor):
    answer = coordinator_client.get(URL, {"cursor": cursor})
    assert answer.status_code == 400
    assert "cursor" in answer.json()


def test_a_cursor_of_another_order_is_a_400(coordinator_client, many):
    first = coordinator_client.get(f"{URL}?cursor=&page_size=2&ordering=reference").json()
    token = first["next"].split("cursor=")[1].split("&")[0]
    answer = coordinator_client.get(URL, {"cursor": token, "ordering": "-created_at"})
    assert answer.status_code == 400 and "cursor" in answer.json()


def test_past_the_end_the_page_is_empty_and_leads_back(coordinator_client, many):
    everything = whole(coordinator_client)
    _walked, pages = walk_by_cursor(coordinator_client, size=13)
    assert pages[0]["next"] is None
    oldest = next(c for c in many if c.pk == everything[-1])
    token = base64.urlsafe_b64encode(
        json.dumps({"o": ["-created_at", "-id"], "v": [oldest.created_at.isoformat(), oldest.pk], "d": "n"}).encode()
    ).decode()
    answer = coordinator_client.get(URL, {"cursor": token}).json()
    assert answer["results"] == [] and answer["next"] is None
    back = coordinator_client.get(answer["previous"]).json()
    assert [row["id"] for row in back["results"]] == everything[-13:]


def test_the_cursor_count_is_exact_up_to_the_bound(coordinator_client, many, monkeypatch):
    from django.db import connection

    monkeypatch.setattr(EnquiryPagination, "COUNT_EXACT_UP_TO", 5)
    answer = coordinator_client.get(f"{URL}?cursor=&page_size=2").json()
    if connection.vendor == "postgresql":
        assert answer["count_exact"] is False and answer["count"] >= 6  # the planner's estimate, never below
    else:
        assert answer["count_exact"] is True and answer["count"] == 13
    answer = coordinator_client.get(f"{URL}?cursor=&page_size=2&ordering=reference&state=closed").json()
    assert answer == {"count": 0, "count_exact": True, "next": None, "previous": None, "results": []}


def test_cursor_pages_run_a_fixed_number_of_queries(coordinator_client, many, django_assert_num_queries):
    first = coordinator_client.get(f"{URL}?cursor=&page_size=2").json()
    # token + user groups, the page (with its topics' slugs), the bounded count
    with django_assert_num_queries(4):
        answer = coordinator_client.get(first["next"])
    assert len(answer.json()["results"]) == 2
    with django_assert_num_queries(4):
        coordinator_client.get(f"{URL}?cursor=&page_size=10")


def test_deep_numbered_pages_run_the_same_number_of_queries(coordinator_client, many, django_assert_num_queries):
    coordinator_client.get(URL)
    for number in (1, 2, 5):  # first, before the middle (by id), past it (from the end)
        with django_assert_num_queries(4):
            assert coordinator_client.get(f"{URL}?page={number}&page_size=3").status_code == 200


def test_a_case_with_two_topics_is_listed_once(coordinator_client, municipality, topic):
    second = f.TopicFactory(slug="energie", name_de="Energie")
    both = f.EnquiryFactory(municipality=municipality, topics=[topic, second])
    only = f.EnquiryFactory(municipality=municipality, topics=[second])
    f.EnquiryFactory(municipality=municipality, topics=[])
    answer = coordinator_client.get(f"{URL}?topic=energie").json()
    assert answer["count"] == 2 and sorted(row["id"] for row in answer["results"]) == sorted([both.pk, only.pk])
    walked, _pages = walk_by_cursor(coordinator_client, "&topic=mobilitaet", size=1)
    assert walked == [both.pk]


def test_q_filters_by_the_full_text_and_keeps_the_order(coordinator_client, municipality):
    from cases.models import Enquiry
    from cases.search import search_refresh

    hits = [f.EnquiryFactory(municipality=municipality, subject=f"Papierkörbe im Park {n}") for n in range(3)]
    f.EnquiryFactory(municipality=municipality, subject="Radverkehr")
    search_refresh(Enquiry.objects.values_list("pk", flat=True))
    answer = coordinator_client.get(f"{URL}?q=Papierkorb").json()
    assert answer["count"] == 3
    assert [row["id"] for row in answer["results"]] == whole(coordinator_client, "&q=Papierkorb")
    assert sorted(row["id"] for row in answer["results"]) == sorted(e.pk for e in hits)
    walked, _pages = walk_by_cursor(coordinator_client, "&q=Papierkorb", size=2)
    assert sorted(walked) == sorted(e.pk for e in hits)
    assert coordinator_client.get(f"{URL}?q=" + "x" * 201).status_code == 400
    assert coordinator_client.get(f"{URL}?q=").json()["count"] == 4


def test_the_schema_names_the_cursor(coordinator_client):
    schema = coordinator_client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/enquiries/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"cursor", "page", "page_size", "q", "topic"} <= names
    page = schema["components"]["schemas"]["PaginatedEnquiryList"]["properties"]
    assert {"count", "next", "previous", "results", "count_exact"} <= set(page)


def test_the_topic_count_is_exact_alone_and_with_the_scope(coordinator_client, partner_client, make_case, topic):
    mine = make_case("in_progress", subject="Meins")
    make_case("new", subject="Neu")
    untagged = f.EnquiryFactory(municipality=mine.municipality, topics=[])
    assert coordinator_client.get(f"{URL}?topic={topic.slug}").json()["count"] == 2
    assert coordinator_client.get(URL).json()["count"] == 3
    answer = partner_client.get(f"{URL}?topic={topic.slug}").json()
    assert answer["count"] == 1 and [row["id"] for row in answer["results"]] == [mine.pk]
    assert untagged.pk not in whole(coordinator_client, f"&topic={topic.slug}")
