"""export_contact_data, erase_contact_data and anonymise_expired on the command line."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cases.models import Enquiry
from tests.privacy.conftest import CONTACT

pytestmark = pytest.mark.django_db


def run(*args, **kwargs) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO(), **kwargs)
    return out.getvalue()


def test_export_prints_json_or_writes_a_file(submit, tmp_path):
    enquiry = submit()
    printed = json.loads(run("export_contact_data", CONTACT))
    assert [e["reference"] for e in printed["enquiries"]] == [enquiry.reference]
    target = tmp_path / "auskunft.json"
    run("export_contact_data", CONTACT, "--output", str(target))
    written = json.loads(target.read_text(encoding="utf-8"))
    assert written["enquiries"] == printed["enquiries"]
    assert "München" in target.read_text(encoding="utf-8")


def test_export_refuses_a_bad_address_and_an_unwritable_file(db, tmp_path):
    with pytest.raises(CommandError):
        run("export_contact_data", "kein-at-zeichen")
    with pytest.raises(CommandError):
        run("export_contact_data", CONTACT, "--output", str(tmp_path / "fehlt" / "x.json"))


def test_erase_asks_and_does_nothing_without_a_yes(submit, coordinator, monkeypatch):
    """GIVEN an open case WHEN erase is answered with "nein" THEN nothing changes; with "ja" it is erased."""
    enquiry = submit()
    monkeypatch.setattr("builtins.input", lambda question: "nein")
    with pytest.raises(CommandError):
        run("erase_contact_data", CONTACT, "--by", coordinator.username)
    assert Enquiry.objects.get(pk=enquiry.pk).anonymised_at is None
    monkeypatch.setattr("builtins.input", lambda question: "ja")
    assert "1 Anfragen anonymisiert" in run("erase_contact_data", CONTACT, "--by", coordinator.username)
    assert Enquiry.objects.get(pk=enquiry.pk).anonymised_at is not None


def test_erase_with_yes_needs_a_coordinator(submit, coordinator, manager):
    enquiry = submit()
    with pytest.raises(CommandError):
        run("erase_contact_data", CONTACT, "--by", "unbekannt", "--yes")
    with pytest.raises(CommandError):
        run("erase_contact_data", CONTACT, "--by", manager.username, "--yes")
    assert Enquiry.objects.get(pk=enquiry.pk).anonymised_at is None
    run("erase_contact_data", CONTACT, "--by", coordinator.username, "--yes")
    assert Enquiry.objects.get(pk=enquiry.pk).state == "closed"


def test_anonymise_expired_reports_its_count(closed_case):
    closed_case(731)
    assert run("anonymise_expired").startswith("1 Anfragen anonymisiert")
    assert run("anonymise_expired").startswith("0 Anfragen anonymisiert")
