"""``{% reply_templates_for use as templates %}``: the active reply templates for the picker partial
(web/workspace/_template_picker.html), read once per request however often the partial is included."""

from __future__ import annotations

from typing import Any

from django import template

from cases.replies import reply_templates_usable

register = template.Library()


@register.simple_tag(takes_context=True)
def reply_templates_for(context: template.Context, use: str | None = None) -> list[Any]:
    request = context.get("request")
    cache: dict[Any, list[Any]] = getattr(request, "_kts_reply_templates", None) or {}
    if use not in cache:
        cache[use] = list(reply_templates_usable(use=use or None))
        if request is not None:
            request._kts_reply_templates = cache
    return cache[use]
