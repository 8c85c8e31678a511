"""The forms speak one voice (issue 13, item 19): every message in the polite "Sie" form, "E-Mail-Adresse"
with its hyphen, a subject and a question of a few words (in the form; the API keeps the contract of SPEC section 5), and the
language menu names each language in itself."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from cases.intake import enquiry_text_problem
from cases.models import Enquiry
from tests import factories as f
from tests.conftest import client_for
from web.forms import ReplyForm

pytestmark = pytest.mark.django_db

# "du" and its forms, the imperatives of the du-form, and DRF's German "Stelle sicher"
DU = re.compile(r"\b(du|dein\w*|dir|dich|gib|wähle|prüfe|stelle sicher)\b", re.IGNORECASE)


def speaks_sie(message: str) -> bool:
    """No du-form, and every request ("Bitte ...") addresses the reader as "Sie" (not "Bitte ... angeben.")."""
    if DU.search(message):
        return False
    return all(re.search(r"\bSie\b", sentence) for sentence in re.findall(r"Bitte[^.!?]*[.!?]?", message))


@pytest.fixture
def catalogue():
    f.MunicipalityFactory(ags="09461000", name="Bamberg, Stadt", short_name="Bamberg", bundesland="BY")
    f.TopicFactory(slug="mobilitaet", name_de="Mobilität", keywords=["Radverkehr"])


@pytest.fixture
def form_data(catalogue):
    return {
        "municipality": "09461000",
        "municipality_search": "Bamberg (09461000)",
        "contact_name": "Erika Muster",
        "contact_email": "erika@bamberg.example",
        "subject": "Radverkehr in der Altstadt",
        "message": "Wie habt ihr das Radnetz geplant?",
        "support_type": "contact",
        "consent": "on",
    }


@pytest.fixture
def api_data(catalogue):
    return {
        "municipality": "09461000",
        "contact_name": "Erika Muster",
        "contact_email": "erika@bamberg.example",
        "subject": "Radverkehr in der Altstadt",
        "message": "Wie habt ihr das Radnetz geplant?",
        "support_type": "contact",
        "consent": True,
    }


def _form_errors(answer) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in answer.context["form"].errors.items()}


def _flat(errors) -> list[str]:
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in _flat(value)]
    if isinstance(errors, list):
        return [m for value in errors for m in _flat(value)]
    return [str(errors)]


# --- "Sie" ---------------------------------------------------------------------------------------------------


def test_the_helper_tells_the_voices_apart():
    assert speaks_sie("Bitte geben Sie eine gültige E-Mail-Adresse an.")
    assert not speaks_sie("Bitte eine gültige E-Mail-Adresse eingeben.")
    assert not speaks_sie("Gib eine gültige E-Mail Adresse an.")
    assert not speaks_sie("Stelle sicher, dass dieses Feld nicht mehr als 200 Zeichen lang ist.")


@pytest.mark.parametrize(
    "changes",
    [
        {key: "" for key in ("municipality", "municipality_search", "contact_name", "subject", "message")},
        {"contact_email": "keine-adresse"},
        {"contact_email": ""},
        {"support_type": "zaubern"},
        {"topics": ["gibt-es-nicht"]},
        {"contact_name": "x" * 201, "subject": "Rad " * 60, "contact_phone": "1" * 41},
        {"consent": ""},
        {"municipality": "", "municipality_search": "Atlantis"},
        {"subject": "Frage", "message": "Hilfe"},
    ],
)
def test_every_message_of_the_form_speaks_sie(form_data, changes):
    answer = Client().post("/anfrage/", {**form_data, **changes})
    assert answer.status_code == 400
    messages = _flat(_form_errors(answer))
    assert messages
    assert [m for m in messages if not speaks_sie(m)] == []
    assert not Enquiry.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"contact_email": "keine-adresse"},
        {"municipality": "0946"},
        {"municipality": "00000000"},
        {"support_type": "zaubern"},
        {"contact_name": "x" * 201},
        {"subject": ""},
        {"topics": "mobilitaet"},
        {"measure": "abc"},
        {"consent": False},
    ],
)
def test_every_message_of_the_api_speaks_sie(api_data, changes):
    answer = Client().post("/api/v1/enquiries/", {**api_data, **changes}, content_type="application/json")
    assert answer.status_code == 400
    messages = _flat(answer.json())
    assert messages
    assert [m for m in messages if not speaks_sie(m)] == []


def test_the_status_page_reply_speaks_sie():
    form = ReplyForm({"message": ""})
    assert not form.is_valid()
    assert [m for m in form.errors["message"] if not speaks_sie(m)] == []


# --- E-Mail-Adresse ------------------------------------------------------------------------------------------


def test_the_form_says_e_mail_adresse_with_its_hyphen(form_data):
    html = Client().get("/anfrage/").content.decode()
    assert '<label for="id_contact_email">E-Mail-Adresse</label>' in html
    answer = Client().post("/anfrage/", {**form_data, "contact_email": "keine-adresse"})
    assert _form_errors(answer)["contact_email"] == ["Bitte geben Sie eine gültige E-Mail-Adresse an."]
    for wrong in ("E-Mail Adresse", "Emailadresse", "E-Mailadresse"):
        assert wrong not in answer.content.decode()


def test_the_api_says_e_mail_adresse_with_its_hyphen(api_data):
    answer = Client().post("/api/v1/enquiries/", {**api_data, "contact_email": "nix"}, content_type="application/json")
    assert answer.json()["contact_email"] == ["Bitte geben Sie eine gültige E-Mail-Adresse an."]


# --- a few words ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "ok"),
    [
        ("subject", "Frage", False),
        ("subject", "Radverkehr", False),
        ("subject", "A B", False),  # two words, two letters
        ("subject", "?? !!", False),
        ("subject", "Radverkehr Altstadt", True),
        ("subject", "E-Scooter", True),  # "E" and "Scooter": two words, eight letters
        ("message", "Hilfe", False),
        ("message", "Bitte helfen", False),
        ("message", "Wie geht das?", True),
    ],
)
def test_the_rule_counts_words_and_letters(field, value, ok):
    assert (enquiry_text_problem(field=field, value=value) is None) is ok


def test_the_form_refuses_a_one_word_subject_and_a_short_question(form_data):
    answer = Client().post("/anfrage/", {**form_data, "subject": "Frage", "message": "Hilfe bitte"})
    assert answer.status_code == 400
    errors = _form_errors(answer)
    assert errors["subject"] == [
        "Bitte beschreiben Sie Ihr Anliegen im Betreff in mindestens 2 Wörtern, z. B. „Radverkehr in der Altstadt“."
    ]
    assert errors["message"][0].startswith("Bitte beschreiben Sie Ihre Frage in mindestens 3 Wörtern")
    assert not Enquiry.objects.exists()


@pytest.mark.parametrize(("field", "value"), [("subject", "Radverkehr"), ("message", "Hilfe bitte")])
def test_the_api_keeps_its_contract_and_takes_short_texts(api_data, field, value):
    """The few-words rule is for the form people fill in; SPEC section 5's submission takes any non-empty text
    (clients outside rely on it), so a short one is stored."""
    answer = Client().post("/api/v1/enquiries/", {**api_data, field: value}, content_type="application/json")
    assert answer.status_code == 201


def test_a_few_words_are_enough(api_data):
    answer = Client().post(
        "/api/v1/enquiries/",
        {**api_data, "subject": "Radverkehr Altstadt", "message": "Wie geht das?"},
        content_type="application/json",
    )
    assert answer.status_code == 201


def test_staff_recording_a_call_take_the_subject_as_it_came(api_data, coordinator):
    answer = client_for(coordinator).post(
        "/api/v1/enquiries/",
        {**api_data, "subject": "Rückruf", "message": "Bitte zurückrufen", "channel": "phone"},
        format="json",
    )
    assert answer.status_code == 201, answer.content


# --- the language menu ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_language_menu_names_each_language_in_itself(language):
    client = Client()
    client.cookies["django_language"] = language
    html = client.get("/anfrage/").content.decode()
    options = re.findall(r'<option value="(de|en)"[^>]*>([^<]+)</option>', html)
    assert options == [("de", "Deutsch"), ("en", "English")]
    assert "Englisch" not in html
