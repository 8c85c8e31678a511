"""Form widgets of the staff pages, their markup built in Python: Django renders every widget (and every option
of a select) through a template, tens to hundreds of microseconds each, and the case list's ten filters with
about a hundred options spent half of the page's time there. The markup is that of Django's templates
(``django/forms/widgets/input.html``, ``select.html``, ``attrs.html``)."""

from __future__ import annotations

from html import escape as _escape
from typing import Any

from django import forms
from django.utils.safestring import SafeString, mark_safe


def attrs_html(attrs: dict[str, Any]) -> str:
    """The attributes as Django's ``attrs.html`` writes them: in their order, ``True`` as the bare name, ``False``
    left out, any other value as text (escaped by the standard library's ``html.escape``: the five characters
    Django's escape replaces, with the same entities, without its per-call check for lazy text)."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """Django's Select, built in Python. Flat choices only (no option groups), one value."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        chosen = set(self.format_value(value)) or {""}
        options = "".join(
            f'<option value="{_escape(str(key))}"{" selected" if str(key) in chosen else ""}>'
            f"{_escape(str(label))}</option>"
            for key, label in self.choices
        )
        return mark_safe(f'<select name="{_escape(name)}"{attrs_html(final_attrs)}>{options}</select>')  # noqa: S308


class _QuickInput:
    """An ``<input>`` as ``input.html`` writes it, from the widget's own context (type, value, attributes)."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        shown = "" if widget["value"] is None else f' value="{_escape(str(widget["value"]))}"'
        return mark_safe(  # noqa: S308 - every value escaped
            f'<input type="{widget["type"]}" name="{_escape(name)}"{shown}{attrs_html(widget["attrs"])}>'
        )


class QuickTextInput(_QuickInput, forms.TextInput):
    pass


class QuickNumberInput(_QuickInput, forms.NumberInput):
    pass


class QuickCheckboxInput(_QuickInput, forms.CheckboxInput):
    pass
