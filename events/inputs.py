"""The input of the event commands, one DRF serializer each, shared by every door (API, workspace pages): the
door parses with it and hands the service typed values (``EventData``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from rest_framework import serializers

from cases.models import Enquiry
from catalogue.models import ModelProject, Topic
from events.models import Event
from events.services import EventData

MAX_CAPACITY = 10_000


class EventInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, label=_("Titel"))
    kind = serializers.ChoiceField(choices=Event.Kind.choices, default=Event.Kind.WORKSHOP, label=_("Art"))
    description = serializers.CharField(
        max_length=10_000, required=False, allow_blank=True, default="", label=_("Beschreibung")
    )
    topics = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), many=True, label=_("Handlungsfelder")
    )
    format = serializers.ChoiceField(choices=Event.Format.choices, default=Event.Format.ONLINE, label=_("Format"))
    place = serializers.CharField(max_length=300, required=False, allow_blank=True, default="", label=_("Ort"))
    online_url = serializers.URLField(
        max_length=500, required=False, allow_blank=True, default="", label=_("Zugangslink")
    )
    starts_at = serializers.DateTimeField(label=_("Beginn"))
    ends_at = serializers.DateTimeField(label=_("Ende"))
    registration_deadline = serializers.DateTimeField(
        required=False, allow_null=True, default=None, label=_("Anmeldeschluss")
    )
    capacity = serializers.IntegerField(min_value=1, max_value=MAX_CAPACITY, label=_("Plätze"))
    enquiries = serializers.PrimaryKeyRelatedField(
        queryset=Enquiry.objects.all(), many=True, required=False, default=list, label=_("Anfragen")
    )
    model_projects = serializers.PrimaryKeyRelatedField(
        queryset=ModelProject.objects.all(),
        many=True,
        required=False,
        default=list,
        label=_("Mitwirkende Modellprojekte"),
    )
    radar_key = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate_topics(self, value: list[Topic]) -> list[Topic]:
        if not value:
            raise serializers.ValidationError(_("Bitte mindestens ein Handlungsfeld wählen."))
        return value

    def event_data(self) -> EventData:
        return EventData.parsed(self.validated_data)


class EventUpdateInput(EventInput):
    """The same fields, each optional (a partial change); enquiries and projects are not changed here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)

    def changes(self) -> dict[str, Any]:
        skip = {"enquiries", "model_projects", "radar_key"}
        return {k: v for k, v in self.validated_data.items() if k not in skip and k in self.initial_data}


class CancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2_000, label=_("Grund"))


class InviteInput(serializers.Serializer):
    enquiries = serializers.PrimaryKeyRelatedField(queryset=Enquiry.objects.all(), many=True, label=_("Anfragen"))


class AttendanceInput(serializers.Serializer):
    attended = serializers.ListField(
        child=serializers.IntegerField(min_value=1), allow_empty=True, max_length=10_000, label=_("teilgenommen")
    )


class RegistrationInput(serializers.Serializer):
    register = serializers.BooleanField(label=pgettext_lazy("event", "Anmelden"))
    note = serializers.CharField(max_length=2_000, required=False, allow_blank=True, default="", label=_("Anmerkung"))
