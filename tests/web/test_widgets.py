"""web.widgets: the markup of Django's Select, TextInput, NumberInput and CheckboxInput (escaped values and labels,
the chosen option, the field's id and error attributes), built without a template per widget and option. Each is
compared with what Django's own widget renders for the same field and value."""

from __future__ import annotations

import re

import pytest
from django import forms

from web.widgets import QuickCheckboxInput, QuickNumberInput, QuickSelect, QuickTextInput

CHOICES = [("", "alle"), ("a&b", "<Energie & Wärme>"), ("7", "Sieben")]


def _filters(select: type, text: type, number: type, checkbox: type) -> type[forms.Form]:
    class Filters(forms.Form):
        topic = forms.ChoiceField(widget=select, label="Handlungsfeld", required=False, choices=CHOICES)
        q = forms.CharField(widget=text, label="Suche", required=False, max_length=200)
        page_size = forms.IntegerField(widget=number, label="Pro Seite", required=False, min_value=10, max_value=200)
        overdue = forms.BooleanField(widget=checkbox, label="nur überfällige", required=False)

    return Filters


Quick = _filters(QuickSelect, QuickTextInput, QuickNumberInput, QuickCheckboxInput)
Django = _filters(forms.Select, forms.TextInput, forms.NumberInput, forms.CheckboxInput)


def _between_tags(html: str) -> str:
    # Django's select template puts each option on a line of its own; the browser reads the same
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"topic": "a&b", "q": 'Rad "&" <Weg>', "page_size": "20", "overdue": "on"},
        {"topic": "unbekannt", "q": "x" * 201, "page_size": "5"},
        {"topic": "7", "page_size": "zwanzig", "overdue": ""},
    ],
)
def test_each_widget_writes_what_djangos_own_writes(data):
    quick, django = Quick(data), Django(data)
    if data:
        quick.is_valid(), django.is_valid()
    for name in ("topic", "q", "page_size", "overdue"):
        attrs = {"aria-invalid": "true", "aria-describedby": f"id_{name}-error"} if name in django.errors else None
        assert quick[name].as_widget(attrs=attrs) == _between_tags(django[name].as_widget(attrs=attrs)), name


def test_it_escapes_marks_the_chosen_option_and_keeps_the_id():
    html = str(Quick({"topic": "a&b"})["topic"])
    assert html.startswith('<select name="topic" id="id_topic">')
    assert '<option value="a&amp;b" selected>&lt;Energie &amp; Wärme&gt;</option>' in html
    assert '<option value="">alle</option>' in html


def test_without_a_value_the_empty_choice_is_chosen_and_an_error_is_announced():
    assert '<option value="" selected>alle</option>' in str(Quick({})["topic"])
    form = Quick({"topic": "unbekannt"})
    assert not form.is_valid()
    invalid = str(form["topic"])
    assert 'aria-invalid="true"' in invalid and " selected" not in invalid


def test_inputs_keep_the_value_typed_escaped_and_the_checkbox_its_state():
    form = Quick({"q": '"<b>"', "overdue": "on", "page_size": "30"})
    assert str(form["q"]) == '<input type="text" name="q" value="&quot;&lt;b&gt;&quot;" maxlength="200" id="id_q">'
    assert str(form["overdue"]) == '<input type="checkbox" name="overdue" id="id_overdue" checked>'
    assert 'value="30"' in str(form["page_size"]) and 'min="10"' in str(form["page_size"])
    assert "value=" not in str(Quick({})["q"])
