"""The links in e-mails come from cases.links: KTS_BASE_URL plus the reversed path of a named route."""

from __future__ import annotations

import re

import pytest
from django.urls import resolve

from cases import links
from cases.models import SurveyResponse
from cases.surveys import survey_send
from outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

BASE = "https://kts.example.org"
URL = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture
def base_url(settings):
    settings.KTS_BASE_URL = BASE
    return BASE


def test_each_link_is_the_base_url_and_the_path_of_its_route(base_url, submit):
    """GIVEN an enquiry, its survey and an introduction token WHEN their links are built
    THEN each is KTS_BASE_URL plus the path of the page that answers it."""
    enquiry = submit()
    survey = SurveyResponse(enquiry=enquiry, kind="satisfaction", token="t0ken")
    assert links.status_url(enquiry) == f"{BASE}/status/{enquiry.public_token}/"
    assert links.staff_url(enquiry) == f"{BASE}/intern/faelle/{enquiry.pk}/"
    assert links.survey_url(survey) == f"{BASE}/umfrage/{survey.token}/"
    assert links.introduction_answer_url(token="abc") == f"{BASE}/vermittlung/abc/"
    assert resolve(f"/status/{enquiry.public_token}/").url_name == "public-status"
    assert resolve("/umfrage/t0ken/").url_name == "survey"


def test_every_link_in_the_e_mails_of_a_case_points_at_a_page_of_this_site(
    base_url, in_progress, move, partner_user, run_commits
):
    """GIVEN KTS_BASE_URL WHEN a case goes through request_info, reply, resolve and its surveys
    THEN every link in every e-mail starts with KTS_BASE_URL and its path is a route of the site; the status,
    staff and survey links are the ones cases.links builds."""
    enquiry = in_progress()
    enquiry = move(enquiry, "request_info", partner_user, message="Wie groß ist das Netz?")
    enquiry = move(enquiry, "receive_reply", partner_user, message="40 km")
    enquiry = move(enquiry, "resolve", partner_user, category="information_provided", notes="Leitfaden")
    survey = run_commits(survey_send, enquiry_id=enquiry.pk, kind="satisfaction")

    messages = list(OutboxMessage.objects.order_by("id"))
    assert {m.template for m in messages} >= {"confirmation", "assigned", "request_info", "reply_received"}
    for message in messages:
        for url in URL.findall(message.text) + URL.findall(message.html):
            assert url.startswith(BASE), (message.template, url)
            resolve(url.removeprefix(BASE) or "/")  # raises Resolver404 for a path that is no page
    by_template = {m.template: m.text for m in messages}
    assert links.status_url(enquiry) in by_template["confirmation"]
    assert links.status_url(enquiry) in by_template["request_info"]
    assert links.staff_url(enquiry) in by_template["assigned"]
    assert links.staff_url(enquiry) in by_template["reply_received"]
    assert links.survey_url(survey) in by_template["survey_satisfaction"]
