"""Reply templates (Textbausteine): placeholders checked and rendered (cases.replies), the pages under
/intern/textbausteine/ (coordinators edit, the others read), the render view behind the picker, the picker
partial and the admin."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory

from cases.models import ReplyTemplate
from cases.replies import reply_template_body_problem, reply_template_render, reply_template_save
from core.errors import GuardFailed, NotAllowed
from tests import builders as b
from tests import factories as f

pytestmark = pytest.mark.django_db

BODY = "Guten Tag {kontakt},\nzu Ihrer Anfrage {aktenzeichen} aus {kommune}: ...\nViele Grüße\n{bearbeiter}"


@pytest.fixture
def topic(db):
    return f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Radverkehr"])


@pytest.fixture
def municipality(db):
    return f.MunicipalityFactory(ags="09461000", name="Bamberg, Stadt", short_name="Bamberg", bundesland="BY")


@pytest.fixture
def case(municipality, topic, coordinator, partner, partner_user):
    """A case of DIFU in progress, contact Erika Muster."""
    enquiry = b.enquiry_submitted(municipality=municipality, topics=[topic.slug], contact_name="Erika Muster")
    return b.enquiry_brought_to(enquiry, "in_progress", coordinator=coordinator, staff=partner_user, partner=partner)


@pytest.fixture
def greeting(coordinator):
    return reply_template_save(by=coordinator, title="Begrüßung", body=BODY, use="request_info")


def _client(user, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


# --- the service ------------------------------------------------------------------------------------------


def test_it_renders_every_placeholder_for_the_case_and_the_user(case, greeting, partner_user):
    partner_user.first_name, partner_user.last_name = "Dora", "Difu"
    partner_user.save()

    text = reply_template_render(template=greeting, enquiry=case, user=partner_user)

    assert (
        text == f"Guten Tag Erika Muster,\nzu Ihrer Anfrage {case.reference} aus Bamberg: ...\nViele Grüße\nDora Difu"
    )


def test_the_handler_without_a_full_name_is_the_username(case, coordinator):
    template = reply_template_save(by=coordinator, title="Kurz", body="{bearbeiter} zu {betreff}")
    assert reply_template_render(template=template, enquiry=case, user=coordinator) == f"koordination zu {case.subject}"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("Hallo {name}", "Unbekannter Platzhalter {name}"),
        ("Hallo {Kontakt}", "Unbekannter Platzhalter {Kontakt}"),
        ("Hallo {}", "Unbekannter Platzhalter {}"),
        ("Hallo {kontakt", "nicht ausgeglichen"),
        ("Hallo kontakt}", "nicht ausgeglichen"),
        ("Hallo {{kontakt}}", "nicht ausgeglichen"),
    ],
)
def test_it_refuses_an_unknown_placeholder_or_unbalanced_braces_and_stores_nothing(coordinator, body, says):
    with pytest.raises(GuardFailed) as refused:
        reply_template_save(by=coordinator, title="Falsch", body=body)

    assert refused.value.field == "body"
    assert says in str(refused.value.message)
    assert "{kontakt}, {kommune}, {aktenzeichen}" in str(refused.value.message)
    assert not ReplyTemplate.objects.exists()


def test_a_body_of_only_known_placeholders_has_no_problem():
    assert reply_template_body_problem("{kontakt} {kommune} {aktenzeichen} {bearbeiter} {betreff}") is None


@pytest.mark.parametrize("role", ["partner", "manager"])
def test_only_coordinators_save_templates(role, partner_user, manager):
    user = partner_user if role == "partner" else manager
    with pytest.raises(NotAllowed):
        reply_template_save(by=user, title="Begrüßung", body=BODY)
    assert not ReplyTemplate.objects.exists()


def test_an_empty_title_is_refused_at_the_title(coordinator):
    with pytest.raises(GuardFailed) as refused:
        reply_template_save(by=coordinator, title="  ", body=BODY)
    assert refused.value.field == "title"


# --- the pages --------------------------------------------------------------------------------------------


def test_a_coordinator_creates_and_edits_a_template_on_the_pages(coordinator):
    client = _client(coordinator)
    form = client.get("/intern/textbausteine/neu/")
    html = form.content.decode()
    assert form.status_code == 200
    for label, field in [("Titel", "id_title"), ("Text", "id_body"), ("Verwendung", "id_use")]:
        assert f'<label for="{field}">{label}</label>' in html

    created = client.post(
        "/intern/textbausteine/neu/", {"title": "Begrüßung", "body": BODY, "use": "both", "active": "on"}
    )
    assert created.status_code == 302 and created["Location"] == "/intern/textbausteine/"
    template = ReplyTemplate.objects.get()
    assert (template.title, template.use, template.active, template.created_by) == (
        "Begrüßung",
        "both",
        True,
        coordinator,
    )

    edited = client.post(
        f"/intern/textbausteine/{template.pk}/", {"title": "Gruß", "body": "Hallo {kontakt}", "use": "note"}
    )
    assert edited.status_code == 302
    template.refresh_from_db()
    assert (template.title, template.body, template.use, template.active) == ("Gruß", "Hallo {kontakt}", "note", False)
    listing = client.get("/intern/textbausteine/").content.decode()
    assert f'href="/intern/textbausteine/{template.pk}/"' in listing and "inaktiv" in listing


def test_an_unknown_placeholder_is_said_next_to_the_body_and_nothing_changes(coordinator, greeting):
    answer = _client(coordinator).post(
        f"/intern/textbausteine/{greeting.pk}/", {"title": "Neu", "body": "Hallo {anrede}", "use": "both"}
    )
    html = answer.content.decode()

    assert answer.status_code == 400
    error = re.search(r'<ul class="errorlist" id="body-error"><li>(.*?)</li>', html)
    assert error and error.group(1).startswith("Unbekannter Platzhalter {anrede}.")
    assert 'aria-invalid="true"' in html and "body-error" in html.split('id="id_body"')[0].rsplit("<textarea", 1)[1]
    greeting.refresh_from_db()
    assert (greeting.title, greeting.body) == ("Begrüßung", BODY)


@pytest.mark.parametrize("role", ["partner", "manager"])
def test_partners_and_managers_read_the_list_but_may_not_edit(role, partner_user, manager, greeting):
    client = _client(partner_user if role == "partner" else manager)

    listing = client.get("/intern/textbausteine/")
    assert listing.status_code == 200
    assert "Begrüßung" in listing.content.decode()
    assert "/intern/textbausteine/neu/" not in listing.content.decode()
    assert f'href="/intern/textbausteine/{greeting.pk}/"' not in listing.content.decode()
    assert client.get("/intern/textbausteine/neu/").status_code == 403
    assert client.get(f"/intern/textbausteine/{greeting.pk}/").status_code == 403
    assert client.post("/intern/textbausteine/neu/", {"title": "X", "body": "Y", "use": "both"}).status_code == 403
    assert (
        client.post(f"/intern/textbausteine/{greeting.pk}/", {"title": "X", "body": "Y", "use": "both"}).status_code
        == 403
    )
    assert list(ReplyTemplate.objects.values_list("title", flat=True)) == ["Begrüßung"]


def test_the_form_needs_the_csrf_token(coordinator):
    client = _client(coordinator, csrf=True)
    refused = client.post("/intern/textbausteine/neu/", {"title": "Begrüßung", "body": BODY, "use": "both"})
    assert refused.status_code == 403
    assert not ReplyTemplate.objects.exists()

    token = client.get("/intern/textbausteine/neu/").cookies["csrftoken"].value
    data = {"title": "Begrüßung", "body": BODY, "use": "both", "csrfmiddlewaretoken": token}
    assert client.post("/intern/textbausteine/neu/", data).status_code == 302
    assert ReplyTemplate.objects.count() == 1


def test_a_template_that_does_not_exist_is_404(coordinator):
    assert _client(coordinator).get("/intern/textbausteine/999/").status_code == 404


# --- the render view and the picker -----------------------------------------------------------------------


def test_the_render_view_answers_the_text_for_this_case(case, greeting, partner_user):
    answer = _client(partner_user).get(f"/intern/faelle/{case.pk}/textbaustein/", {"vorlage": greeting.pk})

    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/plain")
    assert answer.content.decode().startswith("Guten Tag Erika Muster,")


def test_the_render_view_is_404_for_a_foreign_case_or_a_template_not_usable(
    case, greeting, other_partner_user, coordinator, partner_user
):
    url = f"/intern/faelle/{case.pk}/textbaustein/"
    assert _client(other_partner_user).get(url, {"vorlage": greeting.pk}).status_code == 404
    assert _client(coordinator).get("/intern/faelle/999999/textbaustein/", {"vorlage": greeting.pk}).status_code == 404
    client = _client(partner_user)
    assert client.get(url, {"vorlage": "abc"}).status_code == 404
    assert client.get(url).status_code == 404
    reply_template_save(by=coordinator, template=greeting, title="Begrüßung", body=BODY, active=False)
    assert client.get(url, {"vorlage": greeting.pk}).status_code == 404
    assert Client().get(url, {"vorlage": greeting.pk}).status_code == 302, "to the login"


PICKERS = (
    '{% include "web/workspace/_template_picker.html" with target="id_message" enquiry=enquiry use="request_info" %}'
    '{% include "web/workspace/_template_picker.html" with target="id_note" enquiry=enquiry use="note" %}'
)


def _render_pickers(enquiry, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template(PICKERS).render(Context({"enquiry": enquiry, "request": request}))


def test_the_picker_renders_nothing_without_templates(case, partner_user):
    assert _render_pickers(case, partner_user).strip() == ""


def test_the_picker_works_when_included_twice_and_offers_the_templates_of_its_use(
    case, partner_user, coordinator, greeting
):
    note = reply_template_save(by=coordinator, title="Notiz Telefonat", body="Telefonat mit {kontakt}", use="note")
    both = reply_template_save(by=coordinator, title="Allgemein", body="{aktenzeichen}", use="both")
    reply_template_save(by=coordinator, title="Alt", body="alt", use="both", active=False)

    html = _render_pickers(case, partner_user)
    first, second = html.split('<div class="template-picker"')[1:]

    assert '<label for="tpl-id_message">Textbaustein</label>' in first
    assert '<label for="tpl-id_note">Textbaustein</label>' in second
    assert re.findall(r'<option value="(\d+)">', first) == [str(both.pk), str(greeting.pk)]
    assert re.findall(r'<option value="(\d+)">', second) == [str(both.pk), str(note.pk)]
    assert f'data-template-url="/intern/faelle/{case.pk}/textbaustein/"' in first
    assert 'data-template-target="id_note"' in second
    assert ">Einfügen</button>" in first and 'type="button"' in first
    assert "<form" not in html, "the picker sits inside the form of its textarea"


# --- the admin --------------------------------------------------------------------------------------------


def test_the_admin_refuses_an_unknown_placeholder_and_saves_a_good_template(coordinator):
    coordinator.is_staff = True
    coordinator.save()
    client = _client(coordinator)

    refused = client.post("/admin/cases/replytemplate/add/", {"title": "X", "body": "Hallo {anrede}", "use": "both"})
    assert refused.status_code == 200
    assert "Unbekannter Platzhalter {anrede}." in refused.content.decode()
    assert not ReplyTemplate.objects.exists()

    saved = client.post(
        "/admin/cases/replytemplate/add/", {"title": "Gruß", "body": "Hallo {kontakt}", "use": "both", "active": "on"}
    )
    assert saved.status_code == 302
    assert ReplyTemplate.objects.get().created_by == coordinator


def test_partner_staff_do_not_reach_the_templates_in_the_admin(partner_user):
    partner_user.is_staff = True
    partner_user.save()
    assert _client(partner_user).get("/admin/cases/replytemplate/").status_code == 403
