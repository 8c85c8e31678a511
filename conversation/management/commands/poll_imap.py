"""python manage.py poll_imap: one poll of the IMAP mailbox by hand, what the task does every minute (e.g. to try
INBOUND_IMAP_URL out). Prints the counts; takes the same lock as the task, so it never runs beside it."""

from __future__ import annotations

from imaplib import IMAP4

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from imapclient.exceptions import LoginError

from conversation.imap import BATCH, imap_poll, imap_url_parse


def _said(exc: Exception) -> str:
    """The server's answer without the b'...' that imaplib's bytes leave in the message."""
    text = str(exc)
    return text[2:-1] if len(text) > 2 and text[0] == "b" and text[1] in "'\"" and text[-1] == text[1] else text


class Command(BaseCommand):
    help = "Holt neue E-Mails einmal aus dem IMAP-Postfach von INBOUND_IMAP_URL und legt sie ab."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--batch", type=int, default=BATCH, help=f"höchstens so viele Nachrichten (Vorgabe {BATCH})"
        )

    def handle(self, *args, batch: int, **options) -> None:
        if batch < 1:
            raise CommandError("--batch muss mindestens 1 sein.")
        url = settings.INBOUND_IMAP_URL
        if not url:
            raise CommandError("INBOUND_IMAP_URL ist nicht gesetzt (imaps://benutzer:passwort@host:993/INBOX).")
        try:
            mailbox = imap_url_parse(url)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        try:
            result = imap_poll(url=url, batch=batch)
        except OSError as exc:
            raise CommandError(f"{mailbox}: keine Verbindung: {exc}") from exc
        except LoginError as exc:
            raise CommandError(f"{mailbox}: Anmeldung abgelehnt: {_said(exc)}") from exc
        except IMAP4.error as exc:  # e.g. no such folder; the server's answer names it
            raise CommandError(f"{mailbox}: {_said(exc)}") from exc
        if result.skipped:
            self.stdout.write(self.style.WARNING(f"{mailbox}: ein anderer Abruf läuft gerade; nichts getan."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{mailbox}: {result.stored} gespeichert, {result.duplicates} schon vorhanden, "
                f"{result.refused} abgelehnt, {result.failed} fehlgeschlagen, {result.left} für den nächsten Abruf."
            )
        )
