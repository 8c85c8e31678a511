"""``python manage.py receive_email < message.eml``: one RFC 5322 message from standard input, for an MTA's pipe
(Postfix ``transferstelle: "|/srv/kts/.venv/bin/python /srv/kts/manage.py receive_email"``).

Exit status (sysexits.h, what an MTA understands): 0 stored (also when it was stored before), 65 (EX_DATAERR)
for input that is no mail or too large (the MTA bounces it), 75 (EX_TEMPFAIL) when the database cannot be
reached (the MTA keeps the mail and tries again). At most INBOUND_MAX_BYTES + 1 bytes are read."""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.utils.translation import gettext as _

from conversation.receiving import InboundRefused, inbound_receive

logger = logging.getLogger("conversation")

EX_DATAERR = 65
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Eine E-Mail (RFC 5322) von der Standardeingabe annehmen, einem Fall zuordnen und speichern."

    def handle(self, *args, **options):
        stream = getattr(self.stdin_stream(), "buffer", None) or self.stdin_stream()
        raw = stream.read(settings.INBOUND_MAX_BYTES + 1)
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        if len(raw) > settings.INBOUND_MAX_BYTES:
            logger.warning("inbound mail (pipe) refused: more than %s bytes", settings.INBOUND_MAX_BYTES)
            raise CommandError(
                f"refused: the message is larger than {settings.INBOUND_MAX_BYTES} bytes", returncode=EX_DATAERR
            )
        try:
            received = inbound_receive(raw, source="pipe")
        except InboundRefused as refused:
            raise CommandError(f"refused: {refused.reason}", returncode=EX_DATAERR) from refused
        except (OperationalError, InterfaceError) as error:
            logger.error("inbound mail (pipe) not stored, database unreachable: %s", error)
            raise CommandError(f"database unreachable, try again later: {error}", returncode=EX_TEMPFAIL) from error
        except DatabaseError as error:
            logger.exception("inbound mail (pipe) not stored: database error")
            raise CommandError(f"database error, try again later: {error}", returncode=EX_TEMPFAIL) from error
        email = received.email
        case = email.enquiry.reference if email.enquiry_id else _("ohne Fall")
        before = "" if received.created else " " + _("(schon früher gespeichert)")
        self.stdout.write(f"#{email.pk} {case} {email.kind}{before}")

    def stdin_stream(self):
        return sys.stdin
