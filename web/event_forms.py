"""The forms of the workspace's event pages (web.views.workspace_events, web.views.workspace_event_detail).

They parse what the pages post into the values the event services take, the same values as the API's
``events.inputs`` serializers (``EventData``, the changes of ``event_update``, the invitation and attendance
ids); whether a value is right for the event (a start in the future, a place for an event on site) is the
service's decision, whose GuardFailed the view puts next to the field it names. The times are the browser's
``datetime-local`` inputs, read in the office's time zone (Europe/Berlin).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Enquiry
from catalogue.models import ModelProject, Topic
from events.inputs import MAX_CAPACITY
from events.models import Event
from events.records import MAX_NOTE
from events.services import EDITABLE, EventData
from web.case_forms import CaseForm

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=LOCAL_INPUT)


def _when_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[LOCAL_INPUT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=LocalDateTimeInput(),
    )


def projects_ordered(preferred: list[int]) -> QuerySet[ModelProject]:
    """All model projects, the preferred ones (the radar group's best) first, then by name."""
    rank = Case(
        *[When(pk=pk, then=Value(i)) for i, pk in enumerate(preferred)],
        default=Value(len(preferred)),
        output_field=IntegerField(),
    )
    return ModelProject.objects.annotate(rank=rank).order_by("rank", "name")


class EventForm(CaseForm):
    """The event's details: "Veranstaltung planen" (all fields) and "bearbeiten" (without the projects and
    enquiries, which ``event_update`` does not change)."""

    title = forms.CharField(label=_("Titel"), max_length=200)
    kind = forms.ChoiceField(label=_("Art"), choices=Event.Kind.choices, initial=Event.Kind.WORKSHOP)
    description = forms.CharField(
        label=_("Beschreibung"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Handlungsfelder"),
        queryset=Topic.objects.order_by("name_de"),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Bitte mindestens ein Handlungsfeld wählen.")},
    )
    format = forms.ChoiceField(label=_("Format"), choices=Event.Format.choices, initial=Event.Format.ONLINE)
    place = forms.CharField(
        label=_("Ort"), required=False, max_length=300, help_text=_("Nur für Veranstaltungen vor Ort.")
    )
    online_url = forms.URLField(
        label=_("Zugangslink"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Für Online-Veranstaltungen, z. B. der Link zur Videokonferenz."),
    )
    starts_at = _when_field(_("Beginn"))
    ends_at = _when_field(_("Ende"))
    registration_deadline = _when_field(
        _("Anmeldeschluss"), required=False, help_text=_("Leer lassen: Anmeldung bis zum Beginn.")
    )
    capacity = forms.IntegerField(label=_("Plätze"), min_value=1, max_value=MAX_CAPACITY)
    model_projects = forms.ModelMultipleChoiceField(
        label=_("Mitwirkende Modellprojekte"),
        queryset=ModelProject.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ihre Ansprechpersonen werden per E-Mail gefragt, ob sie mitwirken."),
    )
    enquiries = forms.ModelMultipleChoiceField(
        queryset=Enquiry.objects.all(), required=False, widget=forms.MultipleHiddenInput
    )
    radar_key = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, editing: bool = False, preferred_projects: Sequence[int] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            for name in ("model_projects", "enquiries", "radar_key"):
                del self.fields[name]
        else:
            self.fields["model_projects"].queryset = projects_ordered(list(preferred_projects))
        for name in ("starts_at", "ends_at", "registration_deadline"):
            self.fields[name].widget.attrs.setdefault("step", "60")

    def mark_errors(self) -> None:
        """Each field points at its hint and, with an error, at its message (``<id>-hint``, ``<id>-error``)."""
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.CheckboxSelectMultiple | forms.HiddenInput | forms.MultipleHiddenInput):
                continue  # the fieldset of the checkboxes carries them (_checks.html)
            bound = self[name]
            ids = [f"{bound.auto_id}-hint"] if field.help_text else []
            if name in self.errors:
                ids.append(f"{bound.auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def event_data(self) -> EventData:
        return EventData.parsed(self.cleaned_data)

    def changes(self) -> dict[str, Any]:
        """What the coordinator changed on the edit page (only those, so an event that has begun can still get
        a new title: ``event_update`` checks the start only when it is changed)."""
        changed = set(self.changed_data)
        out: dict[str, Any] = {}
        for name in changed:
            value = self.cleaned_data.get(name)
            if name == "topics":
                out["topics"] = list(value or [])
            elif name in EDITABLE:
                out[name] = value.strip() if isinstance(value, str) and name != "online_url" else value
        return out  # an emptied deadline stays None: "until the start" (event_update)


def event_initial(event: Event) -> dict[str, Any]:
    """The edit form's values, the times in the office's zone."""
    local = timezone.localtime
    return {
        "title": event.title,
        "kind": event.kind,
        "description": event.description,
        "topics": list(event.topics.all()),
        "format": event.format,
        "place": event.place,
        "online_url": event.online_url,
        "starts_at": local(event.starts_at).replace(second=0, microsecond=0),
        "ends_at": local(event.ends_at).replace(second=0, microsecond=0),
        "registration_deadline": local(event.registration_deadline).replace(second=0, microsecond=0),
        "capacity": event.capacity,
    }


class CancelForm(CaseForm):
    reason = forms.CharField(label=_("Grund"), max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "cancel-%s")
        super().__init__(*args, **kwargs)


def expected_state_posted(data: Any) -> str | None:
    """The state the page showed (a hidden field of every transition's form), if it is one."""
    seen = data.get("expected_state")
    return seen if seen in Event.State.values else None


def ids_posted(values: list[str]) -> list[int] | None:
    """The ids of the checked boxes, or None when one is not a number (a 400, nothing changed)."""
    ids: list[int] = []
    for value in values:
        if not value.isascii() or not value.isdigit() or len(value) > 12:
            return None
        ids.append(int(value))
    return ids
