"""Form widgets of the staff pages."""

from __future__ import annotations

from html import escape as _escape
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


class QuickSelect(forms.Select):
    """The markup of Django's Select, built in Python: Django renders every option through a template (tens of
    microseconds each), and the case list's filters, with about a hundred options, spent a quarter of the page's
    time there. Flat choices only (no option groups), one value."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = set(self.format_value(value)) or {""}
        # the standard library's escape: the five characters Django's escape replaces, with the same entities,
        # without its per-call check for lazy text (a hundred options, two texts each)
        options = "".join(
            f'<option value="{_escape(str(key))}"{" selected" if str(key) in chosen else ""}>'
            f"{_escape(str(label))}</option>"
            for key, label in self.choices
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe(options))  # noqa: S308
