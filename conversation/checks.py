"""System checks of the conversation's settings: a wrong INBOUND_IMAP_URL or a missing INBOUND_IMAP_CAFILE is
reported by `manage.py check --deploy` instead of once a minute in the worker's log. A deploy check only: an
error here must not stop every other management command (``receive_email``, the MTA's door, above all)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.core.exceptions import ImproperlyConfigured


@register(deploy=True)
def check_inbound_imap(app_configs, **kwargs) -> list:
    url = settings.INBOUND_IMAP_URL
    cafile = settings.INBOUND_IMAP_CAFILE
    problems: list = []
    if cafile and not Path(cafile).is_file():
        problems.append(Error(f"INBOUND_IMAP_CAFILE: no such file: {cafile}", id="conversation.E002"))
    if not url:
        return problems
    from conversation.imap import imap_url_parse

    try:
        mailbox = imap_url_parse(url)
    except ImproperlyConfigured as exc:
        return [*problems, Error(str(exc), id="conversation.E001")]
    if not mailbox.tls and not mailbox.is_local:
        problems.append(
            Warning(
                "INBOUND_IMAP_URL: plain imap:// to another machine sends the password unencrypted",
                hint="Use imaps://user:password@host:993/INBOX.",
                id="conversation.W001",
            )
        )
    return problems
