"""Reply templates (Textbausteine): keep them (coordinators) and render one for a case (everybody who works on
cases). A template's body holds German placeholders in braces, e.g. ``Guten Tag {kontakt}``; a body with an
unknown placeholder or a brace without its partner is refused, naming the problem, so that a rendered text never
shows a raw ``{...}`` to a municipality."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Enquiry, ReplyTemplate
from core.errors import GuardFailed, NotAllowed, NotVisible
from core.roles import is_coordinator

MAX_TITLE = 200
MAX_BODY = 10_000


def _handler_name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name().strip() or user.get_username()


# name -> (what it stands for, its value for a case and the user who renders it)
PLACEHOLDERS: dict[str, tuple[Any, Callable[[Enquiry, Any], str]]] = {
    "kontakt": (gettext_lazy("Name der Kontaktperson"), lambda e, u: e.contact_name),
    "kommune": (gettext_lazy("Kommune"), lambda e, u: e.municipality.short_name if e.municipality_id else ""),
    "aktenzeichen": (gettext_lazy("Aktenzeichen der Anfrage"), lambda e, u: e.reference),
    "betreff": (gettext_lazy("Betreff der Anfrage"), lambda e, u: e.subject),
    "bearbeiter": (gettext_lazy("Ihr Name (Bearbeiter/in)"), lambda e, u: _handler_name(u)),
}

# a placeholder, or a single brace that is part of none (the scanner's fallback)
_TOKEN = re.compile(r"\{([^{}\n]*)\}|[{}]")


def _allowed() -> str:
    return ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)


def reply_template_body_problem(body: str) -> str | None:
    """Why ``body`` is no valid template (a German sentence), or None."""
    for token in _TOKEN.finditer(body):
        name = token.group(1)
        if name is None:
            return _(
                "Die geschweiften Klammern sind nicht ausgeglichen: Ein Platzhalter steht in {…}, z. B. {kontakt}. "
                "Erlaubt sind: %(allowed)s."
            ) % {"allowed": _allowed()}
        if name.strip() not in PLACEHOLDERS:
            return _("Unbekannter Platzhalter {%(name)s}. Erlaubt sind: %(allowed)s.") % {
                "name": name,
                "allowed": _allowed(),
            }
    return None


def reply_templates_usable(*, use: str | None = None) -> QuerySet[ReplyTemplate]:
    """The active templates, for ``use`` (request_info or note; None: all), by title."""
    templates = ReplyTemplate.objects.filter(active=True)
    if use in (ReplyTemplate.Use.REQUEST_INFO, ReplyTemplate.Use.NOTE):
        templates = templates.filter(Q(use=use) | Q(use=ReplyTemplate.Use.BOTH))
    return templates.order_by("title", "id")


def reply_template_get_usable(*, template_id: Any) -> ReplyTemplate:
    """An active template by id; NotVisible for anything else."""
    try:
        template_id = int(template_id)
    except (TypeError, ValueError) as exc:
        raise NotVisible(_("Textbaustein nicht gefunden.")) from exc
    template = ReplyTemplate.objects.filter(pk=template_id, active=True).first()
    if template is None:
        raise NotVisible(_("Textbaustein nicht gefunden."))
    return template


def reply_template_save(
    *,
    by: Any,
    title: str,
    body: str,
    use: str = ReplyTemplate.Use.BOTH,
    active: bool = True,
    template: ReplyTemplate | None = None,
) -> ReplyTemplate:
    """Create (``template`` None) or change a template. Coordinators only (NotAllowed); a bad title, use or body
    is a GuardFailed naming its field, and nothing is stored."""
    if not is_coordinator(by):
        raise NotAllowed(_("Nur die Koordination darf Textbausteine anlegen und ändern."))
    title = (title or "").replace("\x00", "").strip()
    body = (body or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if not title:
        raise GuardFailed(_("Bitte einen Titel angeben."), field="title")
    if len(title) > MAX_TITLE:
        raise GuardFailed(_("Höchstens %(n)d Zeichen.") % {"n": MAX_TITLE}, field="title")
    if use not in ReplyTemplate.Use.values:
        raise GuardFailed(_("Bitte eine Verwendung wählen."), field="use")
    if not body:
        raise GuardFailed(_("Bitte einen Text angeben."), field="body")
    if len(body) > MAX_BODY:
        raise GuardFailed(_("Höchstens %(n)d Zeichen.") % {"n": MAX_BODY}, field="body")
    problem = reply_template_body_problem(body)
    if problem is not None:
        raise GuardFailed(problem, field="body")
    if template is None:
        template = ReplyTemplate(created_by=by)
    template.title = title
    template.body = body
    template.use = use
    template.active = bool(active)
    template.save()
    return template


def reply_template_render(*, template: ReplyTemplate, enquiry: Enquiry, user: Any) -> str:
    """The template's text for this case and this user (the handler). A stored body was checked on saving;
    should one be broken anyway (written past the service), its unknown tokens stay as they are."""

    def value(token: re.Match[str]) -> str:
        name = token.group(1)
        if name is None or name.strip() not in PLACEHOLDERS:
            return token.group(0)
        return str(PLACEHOLDERS[name.strip()][1](enquiry, user) or "")

    return _TOKEN.sub(value, template.body)
