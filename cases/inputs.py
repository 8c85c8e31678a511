"""The input of each transition: one DRF serializer per body of SPEC section 5, named in the table of
``cases.transitions``. Every door (API, workspace page, task) parses a body with it before it calls the
service; the OpenAPI schema shows it as the request body.

The fields parse the shape (a text, an id, a list of slugs) with the checks every door shares
(``core.validation``) and keep their messages; whether the value is right for the case (a known topic, an
active partner, a close reason possible from this state) is the service's decision. A required key that is
missing is parsed as ``missing`` so that its error is the one the service or the check gives today.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField, empty

from cases.states import CloseReason, State
from core.errors import GuardFailed
from core.validation import id_clean, text_clean

MAX_TEXT = 10_000
MAX_COMMENT = 2_000

REQUIRED_FOR_STEP = _("Dieses Feld ist für diesen Schritt erforderlich.")


class _Input(serializers.Field):
    """A body field whose missing key stands for ``missing`` (when required) and whose null is a value."""

    def __init__(self, *, missing: Any = None, **kwargs: Any) -> None:
        self.missing = missing
        super().__init__(**kwargs)

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data is empty:
            if not self.required:
                raise SkipField()
            data = self.missing
        return False, data

    def to_representation(self, value: Any) -> Any:
        return value


@extend_schema_field(OpenApiTypes.STR)
class TextInput(_Input):
    """Free text: a string without NUL, trimmed, bounded; required ones may not be blank."""

    def __init__(self, *, max_length: int = MAX_TEXT, **kwargs: Any) -> None:
        self.max_length = max_length
        super().__init__(missing="", **kwargs)

    def to_internal_value(self, data: Any) -> str:
        try:
            return text_clean(
                data,
                field=self.field_name,
                required=self.required,
                max_length=self.max_length,
                required_message=REQUIRED_FOR_STEP,
            )
        except GuardFailed as exc:
            raise serializers.ValidationError(str(exc.message)) from exc


@extend_schema_field(OpenApiTypes.INT)
class IdInput(_Input):
    """A database id (a number or a string of digits); ``blank`` is the message for none given."""

    def __init__(self, *, message: Any, blank: Any = None, **kwargs: Any) -> None:
        self.message = message
        self.blank = blank
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int | None:
        if data in (None, ""):
            if self.blank is not None:
                raise serializers.ValidationError(str(self.blank))
            return None
        try:
            return id_clean(data, field=self.field_name, message=self.message)
        except GuardFailed as exc:
            raise serializers.ValidationError(str(exc.message)) from exc


@extend_schema_field(OpenApiTypes.STR)
class CodeInput(_Input):
    """One of a list of code words, which the service checks against the case; anything but a string counts as
    none given."""

    def __init__(self, *, choices: list[tuple[str, Any]] | None = None, **kwargs: Any) -> None:
        # the words a person may pick (the admin offers one action per choice)
        self.choices = choices or []
        super().__init__(missing="", **kwargs)

    def to_internal_value(self, data: Any) -> str:
        return data if isinstance(data, str) else ""


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class SlugsInput(_Input):
    """A list of slugs; null is the same as no list."""

    def to_internal_value(self, data: Any) -> list[str] | None:
        if data is None:
            return None
        if not isinstance(data, list) or not all(isinstance(t, str) for t in data):
            raise serializers.ValidationError(str(_("Bitte eine Liste von Themen-Kürzeln angeben.")))
        return data


class TransitionInput(serializers.Serializer):
    """What every body may carry: a comment for the TransitionLog, and the state the client saw (409 when the
    case is no longer in it)."""

    comment = TextInput(required=False, max_length=MAX_COMMENT, help_text="any transition; goes into the TransitionLog")
    expected_state = serializers.ChoiceField(
        choices=State.choices,
        required=False,
        help_text="the state the client saw; 409 when the case is no longer in it",
    )


class EmptyInput(TransitionInput):
    """accept, withdraw, reopen: nothing but the common fields."""


class TriageInput(TransitionInput):
    topics = SlugsInput(required=False, help_text="topic slugs; optional when the enquiry has topics")


class AssignInput(TransitionInput):
    partner = IdInput(
        required=True, message=_("Unbekannter oder nicht aktiver Partner."), blank=_("Bitte einen Partner angeben.")
    )
    user = IdInput(required=False, message=_("Diese Person gehört nicht zum gewählten Partner."))


class ReasonInput(TransitionInput):
    reason = TextInput(required=True, max_length=MAX_COMMENT)


class MessageInput(TransitionInput):
    message = TextInput(required=True)


class ResolveInput(TransitionInput):
    category = CodeInput(required=True, help_text="information_provided, contact_established, ...")
    notes = TextInput(required=True)


class CloseInput(TransitionInput):
    reason = CodeInput(
        required=True,
        choices=[(c.value, c.label) for c in CloseReason if c != CloseReason.WITHDRAWN],
        help_text="completed, duplicate, out_of_scope, spam, no_reply",
    )
