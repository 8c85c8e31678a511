"""Forms of the public pages. The form parses and checks the input; the workflow services store it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.models import Municipality, SupportType, Topic
from crm.text import fold
from workflows.intake import LIMITS


class EnquiryForm(forms.Form):
    # filled by public.js from the search as you type; without JavaScript the search text is used
    municipality = forms.CharField(required=False, widget=forms.HiddenInput, max_length=8)
    municipality_search = forms.CharField(
        label=_("Ihre Kommune"),
        max_length=200,
        help_text=_("Name oder amtlicher Gemeindeschlüssel, z. B. „Bamberg“ oder „09461000“"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "role": "combobox", "aria-autocomplete": "list"}),
    )
    contact_name = forms.CharField(label=_("Ihr Name"), max_length=LIMITS["contact_name"])
    contact_email = forms.EmailField(label=_("E-Mail"), max_length=LIMITS["contact_email"])
    contact_phone = forms.CharField(label=_("Telefon (freiwillig)"), max_length=LIMITS["contact_phone"], required=False)
    contact_role = forms.CharField(label=_("Funktion (freiwillig)"), max_length=LIMITS["contact_role"], required=False)
    subject = forms.CharField(label=_("Betreff"), max_length=LIMITS["subject"])
    message = forms.CharField(label=_("Ihre Frage"), max_length=LIMITS["message"], widget=forms.Textarea)
    topics = forms.ModelMultipleChoiceField(
        label=_("Themen (freiwillig – ohne Auswahl ordnen wir Ihre Anfrage selbst zu)"),
        queryset=Topic.objects.none(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    support_type = forms.ChoiceField(label=_("Gewünschte Unterstützung"), choices=SupportType.choices)
    consent = forms.BooleanField(
        label=_("Einwilligung"),
        error_messages={"required": _("Bitte stimmen Sie der Verarbeitung Ihrer Daten zu.")},
    )
    # honeypot: hidden from people; bots that fill it are refused (see web.views.public)
    website = forms.CharField(required=False, label=_("Bitte leer lassen"), max_length=500)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.filter(parent__isnull=True).order_by("name_de")
        self.municipality_obj: Municipality | None = None

    def clean(self) -> dict:
        cleaned = super().clean()
        key = (cleaned.get("municipality") or "").strip()
        text = (cleaned.get("municipality_search") or "").strip()
        found = None
        if key.isdigit() and len(key) in (5, 8):
            found = Municipality.objects.filter(ags=key).first()
        if found is None and text.isdigit() and len(text) in (5, 8):
            found = Municipality.objects.filter(ags=text).first()
        if found is None and text and not text.isdigit():
            # without JavaScript: an unambiguous name is enough
            matches = list(Municipality.objects.filter(search_name=fold(text.split(" (")[0]))[:2])
            found = matches[0] if len(matches) == 1 else None
        if found is None and "municipality_search" not in self.errors:
            self.add_error(
                "municipality_search",
                _("Bitte wählen Sie Ihre Kommune aus der Liste (oder geben Sie den 8-stelligen Schlüssel ein)."),
            )
        self.municipality_obj = found
        return cleaned


class ReplyForm(forms.Form):
    message = forms.CharField(label=_("Ihre Antwort"), max_length=LIMITS["message"], widget=forms.Textarea)
