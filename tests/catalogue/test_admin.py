"""The catalogue admin: German, searchable, filterable; coordinators edit, partner staff read."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories as f

pytestmark = pytest.mark.django_db

PAGES = [
    "/admin/catalogue/topic/",
    "/admin/catalogue/municipality/?q=bamberg&bundesland=BY&funded__exact=1&level=gemeinde",
    "/admin/catalogue/modelproject/?q=Bamberg&cohort__exact=2020",
    "/admin/catalogue/measure/?q=Licht",
    "/admin/catalogue/consortiumpartner/?active__exact=1",
    "/admin/catalogue/partnermembership/",
]


def logged_in(user) -> Client:
    """Staff accounts made by create_staff have is_staff set; the shared fixtures do not."""
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def catalogue(partner_user):
    topic = f.TopicFactory(slug="mobility", name_de="Mobilität und Verkehr")
    bamberg = f.MunicipalityFactory(ags="09461000", name="Bamberg", short_name="Bamberg", funded=True)
    project = f.ModelProjectFactory(name="Bamberg", lead_municipality=bamberg, topics=[topic])
    measure = f.MeasureFactory(model_project=project, title="Lichtmanagement", topics=[topic])
    return {"project": project, "measure": measure, "municipality": bamberg, "topic": topic}


@pytest.mark.parametrize("url", PAGES)
def test_every_catalogue_list_opens_for_a_coordinator_with_search_and_filters(coordinator, catalogue, url):
    response = logged_in(coordinator).get(url)

    assert response.status_code == 200


def test_the_admin_speaks_german(coordinator):
    response = logged_in(coordinator).get("/admin/")

    assert "Transferstelle Smart Cities – Verwaltung" in response.content.decode()


def test_a_coordinator_opens_a_model_project_with_its_measures(coordinator, catalogue):
    response = logged_in(coordinator).get(f"/admin/catalogue/modelproject/{catalogue['project'].pk}/change/")

    assert response.status_code == 200
    assert "Lichtmanagement" in response.content.decode()


def test_partner_staff_read_the_catalogue_but_cannot_change_it(partner_user, catalogue):
    client = logged_in(partner_user)

    assert client.get("/admin/catalogue/modelproject/").status_code == 200
    response = client.post(f"/admin/catalogue/modelproject/{catalogue['project'].pk}/change/", {"name": "Umbenannt"})
    assert response.status_code == 403
    catalogue["project"].refresh_from_db()
    assert catalogue["project"].name == "Bamberg"


def test_the_directory_is_read_only_in_the_admin(coordinator, catalogue):
    client = logged_in(coordinator)

    assert client.get("/admin/catalogue/municipality/add/").status_code == 403


def test_a_coordinator_adds_a_partner_membership_in_the_admin(coordinator, partner):
    from catalogue.models import PartnerMembership

    newcomer = f.UserFactory(username="neu", role="partner")
    client = logged_in(coordinator)

    page = client.get("/admin/catalogue/partnermembership/add/")
    response = client.post("/admin/catalogue/partnermembership/add/", {"user": newcomer.pk, "partner": partner.pk})

    assert page.status_code == 200
    assert response.status_code == 302
    assert PartnerMembership.objects.get(user=newcomer).partner == partner


def test_partner_staff_do_not_read_the_staff_lists_of_all_partners(partner_user, other_partner_user, other_partner):
    """GIVEN DIFU staff and a CCC colleague WHEN DIFU staff open the memberships or CCC's partner page
    THEN the membership list is 403 and the partner page shows no user names (QA finding 1)."""
    client = logged_in(partner_user)

    memberships = client.get("/admin/catalogue/partnermembership/")
    partner_page = client.get(f"/admin/catalogue/consortiumpartner/{other_partner.pk}/change/")

    assert memberships.status_code == 403
    assert partner_page.status_code == 200
    assert "ccc-mitarbeiter" not in partner_page.content.decode()


def test_coordinators_and_managers_read_the_memberships(coordinator, manager, other_partner_user, other_partner):
    for user in (coordinator, manager):
        client = logged_in(user)
        assert client.get("/admin/catalogue/partnermembership/").status_code == 200
        assert (
            "ccc-mitarbeiter"
            in client.get(f"/admin/catalogue/consortiumpartner/{other_partner.pk}/change/").content.decode()
        )


def test_a_measure_page_shows_description_status_source_word_and_its_sources_as_links(coordinator, catalogue):
    measure = catalogue["measure"]
    measure.description = "Intelligente Steuerung der Straßenbeleuchtung."
    measure.source_url = "https://example.org/a; https://example.org/b?x=1&y=2; javascript:alert(1)"
    measure.source_topic = "Infrastruktur"
    measure.save()

    page = logged_in(coordinator).get(f"/admin/catalogue/measure/{measure.pk}/change/").content.decode()

    assert "Intelligente Steuerung der Straßenbeleuchtung." in page and "Infrastruktur" in page
    assert 'href="https://example.org/a"' in page and 'href="https://example.org/b?x=1&amp;y=2"' in page
    assert 'href="javascript:' not in page
    assert "in Betrieb" in page


def test_a_model_project_page_links_the_sources_of_its_description(coordinator, catalogue):
    project = catalogue["project"]
    project.description = "Bamberg erprobt digitale Angebote."
    project.description_source = "https://example.org/profil; https://example.org/presse"
    project.save()

    page = logged_in(coordinator).get(f"/admin/catalogue/modelproject/{project.pk}/change/").content.decode()

    assert "Bamberg erprobt digitale Angebote." in page
    assert 'href="https://example.org/profil"' in page and 'href="https://example.org/presse"' in page
