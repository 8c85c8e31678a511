"""The addresses of the e-mail conversation, built in one place: the case's plus-addressed Reply-To
(``<local>+<mail_key>@<domain>`` of ``INBOUND_EMAIL_ADDRESS``) and the domain our Message-IDs carry. The inbound
side (conversation.receiving) parses the same format, so it lives here, below both."""

from __future__ import annotations

from email.utils import formataddr, parseaddr

from django.conf import settings

# the display name when INBOUND_EMAIL_ADDRESS carries none
DEFAULT_DISPLAY_NAME = "Transferstelle Smart Cities"
PLUS = "+"


def inbound_address() -> tuple[str, str, str]:
    """(display name, local part, domain) of INBOUND_EMAIL_ADDRESS, which may be "Name <a@b>" or bare "a@b"."""
    name, address = parseaddr(settings.INBOUND_EMAIL_ADDRESS)
    local, _, domain = address.rpartition("@")
    return name, local, domain.lower()


def inbound_domain() -> str:
    """The domain of the inbound address: our Message-IDs carry it, so that a reply's References are ours."""
    return inbound_address()[2]


def case_reply_address(mail_key: str) -> str:
    """The case's Reply-To with display name: ``Transferstelle Smart Cities <transferstelle+<key>@kts.invalid>``."""
    name, local, domain = inbound_address()
    return formataddr((name or DEFAULT_DISPLAY_NAME, f"{local}{PLUS}{mail_key}@{domain}"))


def case_key_of(address: str) -> str | None:
    """The case key in a recipient address of ours (``transferstelle+<key>@kts.invalid``), else None. Local
    part and domain are compared without regard to case; the key is given back in lower case."""
    _, parsed = parseaddr(address)
    local_key, _, domain = parsed.rpartition("@")
    _, our_local, our_domain = inbound_address()
    local, plus, key = local_key.partition(PLUS)
    if not plus or not key or domain.lower() != our_domain or local.lower() != our_local.lower():
        return None
    return key.lower()
