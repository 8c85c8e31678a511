"""German first, English second: the English catalogue is complete, and pages and API answers follow the
language the visitor asks for (Accept-Language or the django_language cookie), German by default."""

from __future__ import annotations

import ast
import gettext
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
EN_MO = LOCALE / "en" / "LC_MESSAGES" / "django.mo"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|%%|\{[a-z_]*\}|</?[a-z]+[^>]*>")


# --- a small .po reader: polib is not a requirement of the project ---------------------------------------


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def _unquote(text: str) -> str:
    # a .po string is a C string; Python's literal syntax reads the escapes the same way
    return ast.literal_eval(text)


def read_po(path: Path) -> list[Entry]:
    """Every entry of a .po file; the header (empty msgid) included."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int | None] | None = None

    def flush() -> None:
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            line = line[2:].strip()
            if not line or line.startswith("#"):
                continue
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        elif line.startswith("#"):
            continue
        if line.startswith('"'):
            key, index = target
            if key == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, key, (getattr(entry, key) or "") + _unquote(line))
            continue
        keyword, _, value = line.partition(" ")
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            entry.msgstr[index] = _unquote(value)
            target = ("msgstr", index)
        else:
            if keyword == "msgctxt" and target is not None and target[0] == "msgstr":
                flush()
            setattr(entry, keyword, _unquote(value))
            target = (keyword, None)
    flush()
    return entries


def english_entries() -> list[Entry]:
    return [e for e in read_po(EN_PO) if e.msgid and not e.obsolete]


# --- the catalogue ----------------------------------------------------------------------------------------


def test_the_english_catalogue_has_no_untranslated_entry():
    entries = english_entries()
    untranslated = [e.msgid for e in entries if not all(e.msgstr.values()) or not e.msgstr]
    assert len(entries) > 500
    assert untranslated == []


def test_the_english_catalogue_has_no_fuzzy_entry_and_no_fuzzy_header():
    fuzzy = [e.msgid for e in read_po(EN_PO) if "fuzzy" in e.flags]
    assert fuzzy == []


def test_every_translation_keeps_the_placeholders_and_markup_of_its_msgid():
    mismatched = []
    for e in english_entries():
        sources = [e.msgid] if e.msgid_plural is None else [e.msgid, e.msgid_plural]
        for index, source in enumerate(sources):
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(e.msgstr[index])):
                mismatched.append((source, e.msgstr[index]))
    assert mismatched == []


def test_the_compiled_english_catalogue_matches_the_po_file():
    """A fresh machine has no gettext: the committed .mo must hold exactly what the .po says."""
    with EN_MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for e in english_entries():
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            if compiled._catalog.get(key) != e.msgstr[0]:
                stale.append(e.msgid)
        elif [compiled._catalog.get((key, n)) for n in sorted(e.msgstr)] != [e.msgstr[n] for n in sorted(e.msgstr)]:
            stale.append(e.msgid)
    assert stale == []


def test_a_german_catalogue_exists_with_the_same_msgids():
    german = {e.msgid for e in read_po(LOCALE / "de" / "LC_MESSAGES" / "django.po") if e.msgid and not e.obsolete}
    assert german == {e.msgid for e in english_entries()}
    assert (LOCALE / "de" / "LC_MESSAGES" / "django.mo").exists()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs GNU gettext (xgettext)")
def test_the_english_catalogue_holds_every_msgid_of_the_code(tmp_path):
    """GIVEN a copy of the code (makemessages writes into the locale folder next to the code)
    WHEN makemessages collects the msgids of the copy
    THEN the committed English catalogue already holds every one of them: nobody added a text untranslated."""
    root = Path(settings.BASE_DIR)
    for name in (
        "core",
        "catalogue",
        "outbox",
        "ops",
        "cases",
        "matching",
        "conversation",
        "events",
        "stats",
        "privacy",
        "devtools",
        "backoffice",
        "api",
        "web",
        "settings",
        "benchmarks",
    ):
        if (root / name).is_dir():
            shutil.copytree(root / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "static"))
    shutil.copy(root / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "settings.test", "PYTHONPATH": str(tmp_path)},
    )
    in_code = {e.msgid for e in read_po(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po") if e.msgid}
    missing = in_code - {e.msgid for e in english_entries()}
    assert missing == set(), "run makemessages -l en and translate these"


# --- pages and API answers follow the language asked for -------------------------------------------------


def test_the_form_page_is_german_by_default(client):
    page = client.get(reverse("web:public-form")).content.decode()

    assert "<title>Anfrage stellen</title>" in page
    assert "Ihre Anfrage an die Transferstelle" in page
    assert '<html lang="de">' in page


def test_the_form_page_is_english_when_the_browser_asks_for_english(client):
    page = client.get(reverse("web:public-form"), headers={"accept-language": "en-GB,en;q=0.9"}).content.decode()

    assert "<title>Make an enquiry</title>" in page
    assert "Your enquiry to the Transfer Office" in page
    assert '<html lang="en">' in page
    assert "Anfrage stellen" not in page


def test_the_language_cookie_wins_over_the_browser_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(reverse("web:public-form"), headers={"accept-language": "de"}).content.decode()

    assert "<title>Make an enquiry</title>" in page


def test_the_language_switch_of_the_page_sets_english_for_the_next_pages(client):
    answer = client.post(reverse("set_language"), {"language": "en", "next": reverse("web:public-form")})
    assert answer.status_code == 302

    page = client.get(reverse("web:public-form")).content.decode()

    assert "<title>Make an enquiry</title>" in page


def _kind_labels(page: str) -> dict[str, str]:
    found = re.search(r'<script id="kind-labels" type="application/json">(.*?)</script>', page, re.S)
    assert found, "the form page hands the kind labels to public.js"
    return json.loads(found.group(1))


def test_the_municipality_search_gets_its_kind_labels_in_the_language_of_the_page(client):
    german = _kind_labels(client.get(reverse("web:public-form")).content.decode())
    english = _kind_labels(client.get(reverse("web:public-form"), headers={"accept-language": "en"}).content.decode())

    assert german["kreisfreie_stadt"] == "kreisfreie Stadt"
    assert german["_district_level"] == "Kreisebene"
    assert english["kreisfreie_stadt"] == "independent city"
    assert english["landkreis"] == "Rural district"
    assert english["_district_level"] == "district level"
    assert german.keys() == english.keys()


def test_the_public_status_api_names_the_state_in_german_by_default(client):
    enquiry = f.EnquiryFactory()

    answer = client.get(reverse("public-enquiry", kwargs={"token": enquiry.public_token}))

    assert answer.status_code == 200
    assert answer.json()["state"] == "new"
    assert answer.json()["state_label"] == "neu"
    assert answer.json()["status_text"] == "Ihre Anfrage ist eingegangen und wird in Kürze gesichtet."


def test_the_public_status_api_answers_in_english_when_asked(client):
    enquiry = f.EnquiryFactory()

    answer = client.get(
        reverse("public-enquiry", kwargs={"token": enquiry.public_token}), headers={"accept-language": "en"}
    )

    assert answer.status_code == 200
    assert answer.json()["state"] == "new"  # the contract's value stays the same in every language
    assert answer.json()["state_label"] == "new"
    assert answer.json()["status_text"] == "Your enquiry has been received and will be triaged shortly."
    assert answer.headers["Content-Language"] == "en"


def test_an_api_error_is_explained_in_the_language_asked_for(client):
    url = reverse("public-enquiry", kwargs={"token": "x" * 32})

    german = client.get(url)
    english = client.get(url, headers={"accept-language": "en"})

    assert german.status_code == english.status_code == 404
    assert "Anfrage nicht gefunden." in json.dumps(german.json(), ensure_ascii=False)
    assert "Enquiry not found." in json.dumps(english.json())


def test_an_e_mail_is_written_in_the_language_it_is_sent_in():
    """GIVEN an enquiry
    WHEN its confirmation is put into the outbox once in German (the default) and once in English
    THEN subject and body are in that language, with the same reference and link."""
    from outbox.services import outbox_enqueue

    enquiry = f.EnquiryFactory(contact_name="Erika Muster")
    context = {"enquiry": enquiry, "status_url": "http://testserver/status/abc/"}

    german = outbox_enqueue(to="erika@example.org", template="confirmation", context=context, enquiry=enquiry)
    english = outbox_enqueue(
        to="erika@example.org", template="confirmation", context=context, enquiry=enquiry, language="en"
    )

    # not to the case's contact address: no "[reference] " before the subject (outbox.services)
    assert german.subject == "Ihre Anfrage ist eingegangen"
    assert "Guten Tag Erika Muster," in german.text
    assert english.subject == "Your enquiry has been received"
    assert "Dear Erika Muster," in english.text
    assert "We will get back to you within two working days." in english.text
    assert "http://testserver/status/abc/" in english.text
    assert "Dear Erika Muster," in english.html


@pytest.mark.django_db
def test_an_enquiry_made_in_english_gets_its_e_mails_in_english_and_the_staff_theirs_in_german(client):
    """GIVEN a municipality whose browser asks for English
    WHEN it submits an enquiry through the API and a coordinator later asks it a question
    THEN the enquiry remembers English, the confirmation and the question reach the enquirer in English,
    and e-mails to staff stay German."""
    from cases.models import Enquiry
    from cases.services import enquiry_transition
    from outbox.models import OutboxMessage

    municipality = f.MunicipalityFactory(ags="09471140", name="Hallstadt, St")
    answer = client.post(
        "/api/v1/enquiries/",
        {
            "municipality": municipality.ags,
            "contact_name": "Jane Doe",
            "contact_email": "jane@hallstadt.example",
            "subject": "Village shuttle",
            "message": "Who runs an on-demand bus?",
            "support_type": "information",
            "consent": True,
        },
        content_type="application/json",
        headers={"accept-language": "en"},
    )
    assert answer.status_code == 201
    enquiry = Enquiry.objects.get(pk=answer.json()["id"])
    assert enquiry.language == "en"
    confirmation = OutboxMessage.objects.get(enquiry=enquiry, template="confirmation")
    assert confirmation.language == "en"
    assert confirmation.subject == f"[{enquiry.reference}] Your enquiry has been received"

    coordinator = f.UserFactory(username="koordination-i18n", role="coordinator")
    topic = f.TopicFactory(slug="mobility-i18n")
    enquiry = enquiry_transition(enquiry=enquiry, name="triage", by=coordinator, payload={"topics": [topic.slug]})
    partner = f.PartnerFactory(short_name="I18N", email="partner@example.org")
    enquiry = enquiry_transition(enquiry=enquiry, name="assign", by=coordinator, payload={"partner": partner.pk})
    assigned = OutboxMessage.objects.get(enquiry=enquiry, template="assigned")
    assert assigned.language == "de"
    enquiry_transition(enquiry=enquiry, name="withdraw", by=coordinator)
    withdrawn = OutboxMessage.objects.get(enquiry=enquiry, template="withdrawn")
    assert withdrawn.language == "en"
    assert withdrawn.subject == f"[{enquiry.reference}] Your enquiry has been withdrawn"
