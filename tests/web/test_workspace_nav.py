"""The workspace navigation (web.templatetags.workspace_nav): the links each role sees, the badges, and the link
of the page shown marked as current (for a section, on every page in it)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from cases.models import Notification
from tests import factories as f
from tests.mail_builders import inbound_email

pytestmark = pytest.mark.django_db


def nav_of(user, path: str) -> str:
    client = Client()
    client.force_login(user)
    html = client.get(path).content.decode()
    return re.search(r'<nav class="workspace-nav"[^>]*>(.*?)</nav>', html, re.S).group(1)


def links(nav: str) -> list[str]:
    return re.findall(r"<a [^>]*>([^<]+)", nav)


def current(nav: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page">', nav)


def test_each_role_sees_its_links(coordinator, manager, partner_user):
    every = ["Übersicht", "Fälle", "Benachrichtigungen"]
    assert links(nav_of(coordinator, "/intern/")) == [
        *every,
        "Posteingang",
        "Bedarfsradar",
        "Veranstaltungen",
        "Textbausteine",
        "Statistik",
        "Backoffice",
    ]
    assert links(nav_of(manager, "/intern/")) == [
        *every,
        "Posteingang",
        "Bedarfsradar",
        "Veranstaltungen",
        "Textbausteine",
        "Statistik",
    ]
    assert links(nav_of(partner_user, "/intern/")) == [*every, "Veranstaltungen", "Textbausteine"]


@pytest.mark.parametrize(
    ("path", "marked"),
    [
        ("/intern/", "/intern/"),
        ("/intern/faelle/", "/intern/faelle/"),
        ("/intern/faelle/?state=new", "/intern/faelle/"),
        ("/intern/textbausteine/", "/intern/textbausteine/"),
        ("/intern/posteingang/", "/intern/posteingang/"),
        ("/intern/veranstaltungen/", "/intern/veranstaltungen/"),
        ("/intern/benachrichtigungen/", "/intern/benachrichtigungen/"),
    ],
)
def test_the_link_of_the_page_shown_is_current(coordinator, path, marked):
    assert current(nav_of(coordinator, path)) == [marked]


def test_the_badges_count_unread_notifications_and_stray_mail_and_a_partner_sees_no_mail_badge(
    coordinator, partner_user
):
    """The partner is not shown the mail."""
    case = f.EnquiryFactory()
    for recipient in (coordinator, coordinator, partner_user):
        Notification.objects.create(
            recipient=recipient,
            enquiry=case,
            kind=Notification.Kind.DECLINED,
            text="abgelehnt",
            created_at=timezone.now(),
        )
    inbound_email(subject="Parkraum")
    nav = nav_of(coordinator, "/intern/")
    assert '>Benachrichtigungen <span class="badge">2<span class="visually-hidden"> neu</span></span></a>' in nav
    assert '>Posteingang <span class="badge">1<span class="visually-hidden"> nicht zugeordnet</span></span></a>' in nav
    nav = nav_of(partner_user, "/intern/")
    assert '>Benachrichtigungen <span class="badge">1<' in nav and "Posteingang" not in nav
