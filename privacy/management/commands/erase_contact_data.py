"""python manage.py erase_contact_data EMAIL --by USERNAME [--yes]: withdraw the address's open cases and
anonymise all of them now. The coordinator named by --by is who the TransitionLog and the timeline name."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cases.models import OPEN_STATES, Enquiry
from core.errors import DomainError
from privacy.services import contact_data_erase, contact_email_clean


class Command(BaseCommand):
    help = "Löscht die Kontaktdaten einer E-Mail-Adresse: offene Anfragen werden zurückgezogen, alle anonymisiert."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")
        parser.add_argument("--by", required=True, help="Benutzername der Koordinatorin / des Koordinators")
        parser.add_argument("--yes", action="store_true", help="ohne Rückfrage löschen")

    def handle(self, *args, email, by, yes, **options) -> None:
        try:
            email = contact_email_clean(email=email)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        user = get_user_model().objects.filter(username=by, is_active=True).first()
        if user is None:
            raise CommandError(f"Unbekanntes oder inaktives Konto: {by}")
        cases = Enquiry.objects.filter(contact_email__iexact=email, anonymised_at=None)
        total = cases.count()
        open_count = cases.filter(state__in=OPEN_STATES).count()
        if not total:
            self.stdout.write("Zu dieser Adresse sind keine (nicht anonymisierten) Anfragen gespeichert.")
        if not yes:
            question = (
                f"{total} Anfragen von {email} werden anonymisiert, {open_count} offene davor zurückgezogen. "
                "Das lässt sich nicht rückgängig machen. Fortfahren? [ja/nein] "
            )
            try:
                answer = input(question)
            except EOFError:
                answer = ""
            if answer.strip().lower() not in {"ja", "j", "yes", "y"}:
                raise CommandError("Abgebrochen; nichts wurde geändert.")
        try:
            count = contact_data_erase(email=email, by=user)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(self.style.SUCCESS(f"{count} Anfragen anonymisiert."))
