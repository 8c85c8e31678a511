"""web.widgets.QuickSelect: the markup of Django's Select (escaped labels, the chosen option, the field's id and
error attributes), built without a template per option."""

from __future__ import annotations

from django import forms

from web.widgets import QuickSelect


class Filters(forms.Form):
    topic = forms.ChoiceField(
        widget=QuickSelect, label="Handlungsfeld", required=False, choices=[("", "alle"), ("a&b", "<Energie & Wärme>")]
    )


def test_it_escapes_marks_the_chosen_option_and_keeps_the_id():
    html = str(Filters({"topic": "a&b"})["topic"])
    assert html.startswith('<select id="id_topic" name="topic">')
    assert '<option value="a&amp;b" selected>&lt;Energie &amp; Wärme&gt;</option>' in html
    assert '<option value="">alle</option>' in html


def test_without_a_value_the_empty_choice_is_chosen_and_an_error_is_announced():
    assert '<option value="" selected>alle</option>' in str(Filters({})["topic"])
    invalid = str(Filters({"topic": "unbekannt"})["topic"])
    assert 'aria-invalid="true"' in invalid and " selected" not in invalid
