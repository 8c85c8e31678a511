"""python manage.py create_staff USERNAME --role ROLE [--partner SHORT_NAME] [--email E] [--password P]"""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from core.roles import is_coordinator, is_manager, is_partner_staff, partner_of
from tests import factories as f

pytestmark = pytest.mark.django_db


def run(*args: str, **kwargs) -> str:
    out = io.StringIO()
    call_command("create_staff", *args, stdout=out, **kwargs)
    return out.getvalue()


def test_it_creates_a_coordinator_who_can_log_in(client):
    output = run("anna", "--role", "coordinator", "--email", "anna@kts.example", "--password", "Sehr-geheim-42")

    user = get_user_model().objects.get(username="anna")
    assert "angelegt" in output
    assert is_coordinator(user) and user.is_staff and user.email == "anna@kts.example"
    assert client.login(username="anna", password="Sehr-geheim-42")


def test_it_creates_partner_staff_belonging_to_their_partner():
    f.PartnerFactory(short_name="DIFU")

    run("bert", "--role", "partner", "--partner", "difu", "--password", "Sehr-geheim-42")

    user = get_user_model().objects.get(username="bert")
    assert is_partner_staff(user) and partner_of(user).short_name == "DIFU"


def test_running_it_again_changes_the_role_instead_of_adding_one():
    run("carla", "--role", "coordinator", "--password", "Sehr-geheim-42")

    output = run("carla", "--role", "manager", "--password", "Sehr-geheim-42")

    user = get_user_model().objects.get(username="carla")
    assert "aktualisiert" in output
    assert is_manager(user) and list(user.groups.values_list("name", flat=True)) == ["manager"]


def test_it_asks_for_the_password_when_none_is_given(monkeypatch):
    answers = iter(["Sehr-geheim-42", "Sehr-geheim-42"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))

    run("dora", "--role", "manager")

    assert get_user_model().objects.get(username="dora").check_password("Sehr-geheim-42")


def test_two_different_passwords_at_the_prompt_are_refused(monkeypatch):
    answers = iter(["Sehr-geheim-42", "anders-42-xyz"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))

    with pytest.raises(CommandError, match="stimmen nicht"):
        run("emil", "--role", "manager")
    assert not get_user_model().objects.filter(username="emil").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "--role", "admin", "--password", "Sehr-geheim-42"], "Unbekannte Rolle 'admin'"),
        (["x", "--role", "partner", "--password", "Sehr-geheim-42"], "--partner"),
        (["x", "--role", "partner", "--partner", "NOPE", "--password", "Sehr-geheim-42"], "Unbekannter Partner NOPE"),
        (["x", "--role", "manager", "--partner", "DIFU", "--password", "Sehr-geheim-42"], "Nur die Rolle partner"),
        (["x", "--role", "manager", "--password", "123"], "Passwort"),
    ],
)
def test_bad_input_is_a_clear_error_and_creates_nothing(args, message):
    f.PartnerFactory(short_name="DIFU")

    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not get_user_model().objects.filter(username="x").exists()


def test_an_unknown_role_exits_non_zero_from_the_shell():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "create_staff", "x", "--role", "admin", "--password", "p"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "settings.test"},
        check=False,
    )
    assert result.returncode != 0
    assert "Unbekannte Rolle" in result.stderr
