"""Forms of the public pages. The form parses and checks the input; the workflow services store it."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.intake import LIMITS, enquiry_text_problem
from cases.models import SupportType
from catalogue.models import Measure, Municipality, Topic
from core.geo import BUNDESLAENDER
from core.text import fold
from core.validation import ascii_digits
from matching.search import MEASURE_STATUSES
from stats.filters import size_class_labels


def _sie(**specific) -> dict:
    """Django's German form messages speak in the infinitive ("Bitte eine gültige E-Mail-Adresse eingeben.");
    the public forms address people as "Sie", like the API's answers (api.serializers.enquiries._sie)."""
    return {
        "required": _("Bitte füllen Sie dieses Feld aus."),
        "max_length": _("Bitte geben Sie höchstens %(limit_value)d Zeichen ein (jetzt: %(show_value)d)."),
        "invalid": _("Bitte geben Sie einen gültigen Wert an."),
        "invalid_choice": _("Bitte wählen Sie einen der angebotenen Werte."),
        "invalid_list": _("Bitte wählen Sie aus den angebotenen Werten."),
        "invalid_pk_value": _("Bitte wählen Sie aus den angebotenen Werten."),
        **specific,
    }


class EnquiryForm(forms.Form):
    # filled by public.js from the search as you type; without JavaScript the search text is used
    municipality = forms.CharField(required=False, widget=forms.HiddenInput, max_length=8)
    municipality_search = forms.CharField(
        label=_("Ihre Kommune"),
        max_length=200,
        help_text=_("Name oder amtlicher Gemeindeschlüssel, z. B. „Bamberg“ oder „09461000“"),
        error_messages=_sie(),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "role": "combobox",
                "aria-autocomplete": "list",
                # a combobox says whether its list is open (public.js keeps it current) and which list it is
                "aria-expanded": "false",
                "aria-controls": "municipality-results",
            }
        ),
    )
    contact_name = forms.CharField(label=_("Ihr Name"), max_length=LIMITS["contact_name"], error_messages=_sie())
    contact_email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=LIMITS["contact_email"],
        error_messages=_sie(invalid=_("Bitte geben Sie eine gültige E-Mail-Adresse an.")),
    )
    contact_phone = forms.CharField(
        label=_("Telefon (freiwillig)"), max_length=LIMITS["contact_phone"], required=False, error_messages=_sie()
    )
    contact_role = forms.CharField(
        label=_("Funktion (freiwillig)"), max_length=LIMITS["contact_role"], required=False, error_messages=_sie()
    )
    subject = forms.CharField(label=_("Betreff"), max_length=LIMITS["subject"], error_messages=_sie())
    message = forms.CharField(
        label=_("Ihre Frage"), max_length=LIMITS["message"], widget=forms.Textarea, error_messages=_sie()
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Themen (freiwillig – ohne Auswahl ordnen wir Ihre Anfrage selbst zu)"),
        queryset=Topic.objects.none(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_sie(),
    )
    support_type = forms.ChoiceField(
        label=_("Gewünschte Unterstützung"), choices=SupportType.choices, error_messages=_sie()
    )
    consent = forms.BooleanField(
        label=_("Einwilligung"),
        error_messages={"required": _("Bitte stimmen Sie der Verarbeitung Ihrer Daten zu.")},
    )
    # the measure named when the form was opened from its catalogue page ("Zu dieser Maßnahme anfragen")
    measure = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)
    # honeypot: hidden from people; bots that fill it are refused (see web.views.public)
    website = forms.CharField(required=False, label=_("Bitte leer lassen"), max_length=500)
    # made when the form is drawn: sending the form twice (a double click, a reload) stores one enquiry
    # (cases.idempotency)
    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=255)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["idempotency_key"].initial = uuid.uuid4().hex
        self.fields["topics"].queryset = Topic.objects.filter(parent__isnull=True).order_by("name_de")
        self.municipality_obj: Municipality | None = None

    def _words(self, field: str) -> str:
        """The subject or the question, at least a few words (the one rule of cases.intake)."""
        value = self.cleaned_data.get(field, "")
        problem = enquiry_text_problem(field=field, value=value)
        if problem is not None:
            raise forms.ValidationError(problem)
        return value

    def clean_subject(self) -> str:
        return self._words("subject")

    def clean_message(self) -> str:
        return self._words("message")

    def clean(self) -> dict:
        cleaned = super().clean()
        key = (cleaned.get("municipality") or "").strip()
        text = (cleaned.get("municipality_search") or "").strip()
        found = None
        if ascii_digits(key) and len(key) in (5, 8):
            found = Municipality.objects.filter(ags=key).first()
        if found is None and ascii_digits(text) and len(text) in (5, 8):
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

    def clean_measure(self) -> Measure | None:
        """The measure, or None: one that has gone from the catalogue since the page was opened (or a value
        that is no measure number at all) is dropped rather than refusing the enquiry."""
        measure, _not_found = measure_from_query(self.cleaned_data.get("measure"))
        return measure


def measure_from_query(value: str | None) -> tuple[Measure | None, bool]:
    """The measure named by ``?massnahme=`` of the enquiry form, and whether a given value was not found.

    Anything that is not a plain number of a measure in the catalogue ("abc", "²", "-1", an id since removed)
    is ignored; the page says so and the enquiry can still be made.
    """
    if value is None or value == "":
        return None, False
    text = value.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        return None, True
    measure = Measure.objects.select_related("model_project").filter(pk=int(text)).first()
    return measure, measure is None


def _status_labels() -> list[tuple[str, str]]:
    labels = dict(Measure.Status.choices)
    return [(s, labels.get("" if s == "unknown" else s, s)) for s in MEASURE_STATUSES]


class AtlasFilterForm(forms.Form):
    """The search and filters of the Projektatlas (GET). A bad value is reported and that filter ignored."""

    q = forms.CharField(label=_("Suche"), required=False, max_length=200)
    topic = forms.ModelChoiceField(
        label=_("Handlungsfeld"),
        queryset=Topic.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("alle Handlungsfelder"),
    )
    land = forms.ChoiceField(label=_("Land"), required=False)
    size = forms.ChoiceField(
        label=_("Größe"),
        required=False,
        help_text=_("Einwohner der federführenden Kommune"),
        widget=forms.Select(attrs={"aria-describedby": "size-help"}),
    )
    cohort = forms.TypedChoiceField(label=_("Staffel"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Stand der Maßnahme"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(parent__isnull=True).order_by("name_de")
        lands = sorted(BUNDESLAENDER.items(), key=lambda item: item[1])
        self.fields["land"].choices = [("", _("alle Länder")), *lands]
        self.fields["size"].choices = [("", _("alle Größen")), *size_class_labels().items()]
        self.fields["cohort"].choices = [("", _("alle Staffeln")), *((str(y), str(y)) for y in (2019, 2020, 2021))]
        self.fields["status"].choices = [("", _("jeder Stand")), *_status_labels()]

    def filters(self) -> dict:
        """The valid filters as ``catalogue_search`` takes them; invalid ones are left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "topic": data.get("topic"),
            "bundesland": data.get("land") or "",
            "size_class": data.get("size") or "",
            "cohort": data.get("cohort"),
            "status": data.get("status") or "",
        }


class ReplyForm(forms.Form):
    message = forms.CharField(
        label=_("Ihre Antwort"), max_length=LIMITS["message"], widget=forms.Textarea, error_messages=_sie()
    )
