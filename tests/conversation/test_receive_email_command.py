"""``manage.py receive_email``: in this process through call_command (standard input replaced by the mail's
bytes), and as a real subprocess for the exit statuses an MTA reads (65 refused, 75 try again, 0 stored)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cases.models import State
from conversation.models import InboundEmail
from tests.conversation.conftest import sample

ROOT = Path(__file__).resolve().parents[2]


def run_in_process(raw: bytes, monkeypatch) -> str:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    out = io.StringIO()
    call_command("receive_email", stdout=out)
    return out.getvalue().strip()


def run_subprocess(raw: bytes, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "settings.test", **env}
    return subprocess.run(
        [sys.executable, "manage.py", "receive_email"],
        input=raw,
        capture_output=True,
        cwd=ROOT,
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.mark.django_db
def test_the_command_stores_a_reply_on_its_case_and_prints_one_line(case, monkeypatch):
    enquiry = case("awaiting_reply")
    line = run_in_process(sample("outlook_de.eml", enquiry=enquiry), monkeypatch)
    email = InboundEmail.objects.get()
    assert line == f"#{email.pk} {enquiry.reference} reply"
    enquiry.refresh_from_db()
    assert enquiry.state == State.IN_PROGRESS
    assert [a.name for a in email.attachments.all()] == ["Ausschreibung Rufbus.pdf"]

    again = run_in_process(sample("outlook_de.eml", enquiry=enquiry), monkeypatch)
    assert again == f"#{email.pk} {enquiry.reference} reply (schon früher gespeichert)"
    assert InboundEmail.objects.count() == 1


@pytest.mark.django_db
def test_the_command_keeps_a_stray_mail_without_a_case(monkeypatch):
    line = run_in_process(sample("no_from.eml"), monkeypatch)
    assert line.endswith(" ohne Fall new")


@pytest.mark.django_db
def test_the_command_refuses_input_that_is_no_mail_with_status_65(monkeypatch):
    with pytest.raises(CommandError) as refused:
        run_in_process(b"das ist keine E-Mail\n", monkeypatch)
    assert refused.value.returncode == 65
    assert "not an RFC 5322 message" in str(refused.value)


@pytest.mark.django_db
def test_the_command_reads_no_more_than_the_limit(settings, monkeypatch):
    settings.INBOUND_MAX_BYTES = 2048
    stream = io.BytesIO(b"From: a@b.example\r\n\r\n" + b"x" * 10_000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stream, encoding="utf-8"))
    with pytest.raises(CommandError) as refused:
        call_command("receive_email", stdout=io.StringIO())
    assert refused.value.returncode == 65
    assert stream.tell() <= 2048 + 1 + 8192  # one read of the limit (+ the wrapper's buffer), not everything


@pytest.mark.slow
@pytest.mark.parametrize(
    ("raw", "env", "message"),
    [
        (b"", {}, "empty input"),
        (b"Guten Tag, das ist nur Text.\n", {}, "not an RFC 5322 message"),
        (b"From: a@b.example\r\nSubject: x\r\n\r\n" + b"x" * 5000, {"INBOUND_MAX_BYTES": "2048"}, "larger than 2048"),
    ],
)
def test_unreadable_input_exits_65_with_a_message_on_stderr(raw, env, message):
    result = run_subprocess(raw, **env)
    assert result.returncode == 65, result.stderr
    assert message in result.stderr.decode()
    assert result.stdout == b""


@pytest.mark.slow
def test_an_unreachable_database_exits_75_so_that_the_mta_tries_again():
    result = run_subprocess(
        sample("apple_de.eml"), DATABASE_URL="postgres://kts@127.0.0.1:1/kts_unreachable?connect_timeout=2"
    )
    assert result.returncode == 75, result.stderr
    assert "database unreachable" in result.stderr.decode()


@pytest.mark.slow
def test_a_mail_piped_into_the_command_is_stored_and_a_second_time_reported_as_stored(tmp_path):
    """The pipe door for real: a file database the subprocess migrates and then writes."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'pipe.sqlite3'}"}
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "settings.test", **env},
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr
    raw = sample("gmail_en.eml")

    first = run_subprocess(raw, **env)
    second = run_subprocess(raw, **env)

    assert first.returncode == 0, first.stderr
    assert first.stdout.decode().strip() == "#1 ohne Fall new"
    assert second.returncode == 0, second.stderr
    assert second.stdout.decode().strip() == "#1 ohne Fall new (schon früher gespeichert)"


@pytest.mark.slow
def test_a_50_mb_mail_on_standard_input_exits_65_without_reading_it_all():
    raw = b"From: a@b.example\r\nSubject: gross\r\n\r\n" + b"x" * (50 * 1024 * 1024)
    result = run_subprocess(raw)
    assert result.returncode == 65, result.stderr[-500:]
    assert b"larger than" in result.stderr
