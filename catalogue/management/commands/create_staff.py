"""python manage.py create_staff USERNAME --role ROLE [--partner SHORT_NAME] [--email E] [--password P]"""

from __future__ import annotations

import getpass

from django.core.management.base import BaseCommand, CommandError

from catalogue.staff import staff_create
from core.errors import DomainError
from core.roles import ROLES


class Command(BaseCommand):
    help = "Legt ein Konto für Mitarbeitende an (Rolle coordinator, manager oder partner) oder ändert es."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help=f"eine von: {', '.join(ROLES)}")
        parser.add_argument("--partner", default=None, help="Kurzname des Konsortialpartners (Rolle partner)")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", default=None, help="ohne Angabe wird das Passwort abgefragt")

    def handle(self, *args, username, role, partner, email, password, **options) -> None:
        if role not in ROLES:
            raise CommandError(f"Unbekannte Rolle {role!r}; erlaubt: {', '.join(ROLES)}")
        if password is None:
            password = self._ask_password()
        try:
            user, created = staff_create(
                username=username, role=role, partner_short_name=partner, email=email, password=password
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        verb = "angelegt" if created else "aktualisiert"
        where = f" ({partner})" if partner else ""
        self.stdout.write(self.style.SUCCESS(f"Konto {user.username} mit Rolle {role}{where} {verb}."))

    def _ask_password(self) -> str:
        try:
            first = getpass.getpass("Passwort: ")
            second = getpass.getpass("Passwort (Wiederholung): ")
        except (EOFError, KeyboardInterrupt) as exc:
            raise CommandError("Kein Passwort eingegeben.") from exc
        if first != second:
            raise CommandError("Die Passwörter stimmen nicht überein.")
        return first
