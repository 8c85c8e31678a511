"""``{% workspace_nav %}``: the navigation of every workspace page (web/workspace/base.html), built in Python.

Nine links through the template language (a ``{% url %}``, a path comparison and a role check each) cost a page
about as much as its rows. The links a role sees: everyone the overview, cases, notifications, events and
templates; coordinators and managers also the Posteingang, the radar and the statistics; coordinators the back
office. The link of the page shown (for a section, of any page in it) carries ``aria-current="page"``.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

register = template.Library()

# name, URL name, the roles that see it (None: every user the workspace lets in), a section (any page under its URL
# is current) or one page
_LINKS: tuple[tuple[Any, str, tuple[str, ...] | None, bool], ...] = (
    (_("Übersicht"), "web:staff-home", None, False),
    (_("Fälle"), "web:case-list", None, True),
    (_("Benachrichtigungen"), "web:notification-list", None, False),
    (_("Posteingang"), "web:mail-inbox", ("coordinator", "manager"), True),
    (_("Bedarfsradar"), "web:radar", ("coordinator", "manager"), False),
    (_("Veranstaltungen"), "web:event-list", ("coordinator", "manager", "partner"), True),
    (_("Textbausteine"), "web:template-list", ("coordinator", "manager", "partner"), True),
    (_("Statistik"), "web:dashboard", ("coordinator", "manager"), False),
    (_("Backoffice"), "admin:index", ("coordinator",), False),
)
_CURRENT = mark_safe(' aria-current="page"')


def _badge(count: Any, hidden: str) -> SafeString | str:
    if not count:
        return ""
    return format_html(' <span class="badge">{}<span class="visually-hidden"> {}</span></span>', count, hidden)


@register.simple_tag(takes_context=True)
def workspace_nav(context: template.Context) -> SafeString:
    request = context.get("request")
    path = request.path if request is not None else ""
    role = context.get("workspace_role", "")
    links = []
    for name, url_name, roles, section in _LINKS:
        if roles is not None and role not in roles:
            continue
        url = reverse(url_name)
        current = path.startswith(url) if section else path == url
        if url_name == "web:notification-list":
            badge = _badge(context.get("notifications_unread"), gettext("neu"))
        elif url_name == "web:mail-inbox":
            badge = _badge(context.get("mail_unmatched"), gettext("nicht zugeordnet"))
        else:
            badge = ""
        links.append((url, _CURRENT if current else "", name, badge))
    return format_html_join("\n  ", '<a href="{}"{}>{}{}</a>', links)
