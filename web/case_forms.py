"""The forms of the case page (SPEC section 9): one per transition, the internal note and the follow-up.

The forms parse the shape of what the page posts and hold the field labels of the contract (``Handlungsfelder``,
``Partner``, ``Bearbeiter/in``, ``Nachricht``, ``Grund``, ``Ergebnis``, ``Notizen``, ``Kommentar``); whether a
value is right for the case is the service's decision (``cases.services.enquiry_transition``), whose
GuardFailed the view puts next to the field it names. Field names are the keys of the transition bodies of
SPEC section 5, so a form's data is the body the API would get.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.inputs import CloseInput
from cases.models import Enquiry, OutcomeCategory, State
from cases.rules import close_reasons_from
from catalogue.models import ConsortiumPartner, PartnerMembership, Topic
from core.roles import COORDINATOR, PARTNER

# a follow-up falls due at this hour of its day (Europe/Berlin)
FOLLOWUP_HOUR = time(9, 0)


def person_name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


class CaseForm(forms.Form):
    """Fields with an error carry aria-invalid and point at their message (``<id>-error``)."""

    def mark_errors(self) -> None:
        for name in self.errors:
            if name in self.fields:
                field = self[name]
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{field.auto_id}-error"}
                )

    def error_on(self, field: str | None, message: Any) -> None:
        """A service's error on the field it names, or above the form when no field of the form has that name."""
        self.add_error(field if field in self.fields else None, str(message))


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class StepForm(CaseForm):
    """What every transition's form has: a comment for the log, and the state the page showed."""

    comment = forms.CharField(label=_("Kommentar"), required=False, widget=_textarea(2), strip=False)
    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, enquiry: Enquiry, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "step-%s")
        super().__init__(*args, **kwargs)
        self.enquiry = enquiry
        self.fields["expected_state"].initial = enquiry.state
        # the form's own fields first, the comment last
        self.order_fields([n for n in self.fields if n not in ("comment", "expected_state")])
        # the form appears where the user clicked its button: the keyboard goes on in its first field
        # (htmx focuses [autofocus] in what it swaps in)
        first = next(iter(self.fields.values()))
        first.widget.attrs["autofocus"] = True

    def payload(self) -> dict[str, Any]:
        """The transition's body, as the API would get it."""
        body = {k: v for k, v in self.cleaned_data.items() if k != "expected_state"}
        seen = self.cleaned_data.get("expected_state")
        if seen in State.values:
            body["expected_state"] = seen
        return body


class TriageForm(StepForm):
    topics = forms.MultipleChoiceField(label=_("Handlungsfelder"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = [(t.slug, t.name) for t in Topic.objects.order_by("name_de")]
        self.fields["topics"].initial = [t.slug for t in self.enquiry.topics.all()]


class AssignForm(StepForm):
    partner = forms.ChoiceField(label=_("Partner"), required=False)
    user = forms.ChoiceField(label=_("Bearbeiter/in"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partners = list(ConsortiumPartner.objects.filter(active=True).order_by("name"))
        self.fields["partner"].choices = [("", _("– bitte wählen –"))] + [(p.pk, p.name) for p in partners]
        groups: dict[str, list[tuple[int, str]]] = {}
        members = (
            PartnerMembership.objects.filter(partner__active=True, user__is_active=True, user__groups__name=PARTNER)
            .select_related("user", "partner")
            .order_by("partner__name", "user__last_name", "user__username")
        )
        for m in members:
            groups.setdefault(m.partner.name, []).append((m.user.pk, person_name(m.user)))
        self.fields["user"].choices = [("", _("– niemand bestimmtes –")), *groups.items()]

    def payload(self) -> dict[str, Any]:
        body = super().payload()
        if not body.get("user"):
            body.pop("user", None)
        return body


class ReasonForm(StepForm):
    reason = forms.CharField(label=_("Grund"), required=False, widget=_textarea(), strip=False)


class MessageForm(StepForm):
    message = forms.CharField(label=_("Nachricht"), required=False, widget=_textarea(6), strip=False)


class ResolveForm(StepForm):
    category = forms.ChoiceField(
        label=_("Ergebnis"), required=False, choices=[("", _("– bitte wählen –")), *OutcomeCategory.choices]
    )
    notes = forms.CharField(label=_("Notizen"), required=False, widget=_textarea(), strip=False)


class CloseForm(StepForm):
    reason = forms.ChoiceField(
        label=_("Grund"),
        required=False,
        # the close reasons a person may pick: withdrawn is the municipality's own step
        choices=[("", _("– bitte wählen –")), *CloseInput().fields["reason"].choices],
    )

    def __init__(self, *args: Any, enquiry: Enquiry, **kwargs: Any) -> None:
        super().__init__(*args, enquiry=enquiry, **kwargs)
        # only the reasons this state allows (cases.rules); the service still decides
        allowed = close_reasons_from(enquiry.state)
        field = self.fields["reason"]
        field.choices = [(value, label) for value, label in field.choices if value == "" or value in allowed]


STEP_FORMS: dict[str, type[StepForm]] = {
    "triage": TriageForm,
    "assign": AssignForm,
    "accept": StepForm,
    "decline": ReasonForm,
    "request_info": MessageForm,
    "receive_reply": MessageForm,
    "resolve": ResolveForm,
    "close": CloseForm,
    "withdraw": StepForm,
    "reopen": StepForm,
}


class NoteForm(CaseForm):
    # required is the service's check (cases.notes), with its message
    text = forms.CharField(label=_("Notiz"), required=False, widget=_textarea(4), strip=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "note-%s")
        super().__init__(*args, **kwargs)


def people_working_on(enquiry: Enquiry) -> list[Any]:
    """Who may work on the case (``cases.access.may_work_on``): the coordinators and the staff of its partner."""
    who = Q(groups__name=COORDINATOR)
    if enquiry.assigned_partner_id:
        who |= Q(groups__name=PARTNER, membership__partner_id=enquiry.assigned_partner_id)
    users = get_user_model().objects.filter(who, is_active=True).distinct()
    return sorted(users, key=lambda u: person_name(u).lower())


class FollowUpForm(CaseForm):
    due = forms.DateField(label=_("Fällig am"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    assignee = forms.ChoiceField(label=_("Zuständig"))
    note = forms.CharField(label=_("Notiz zur Wiedervorlage"), required=False, widget=_textarea(2))

    def __init__(self, *args: Any, enquiry: Enquiry, me: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "followup-%s")
        super().__init__(*args, **kwargs)
        people = people_working_on(enquiry)
        self.fields["assignee"].choices = [(u.pk, person_name(u)) for u in people]
        self.fields["assignee"].initial = me.pk

    def clean_due(self) -> date:
        due = self.cleaned_data["due"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("Das Datum liegt in der Vergangenheit. Bitte heute oder später wählen."))
        return due

    def due_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["due"], FOLLOWUP_HOUR))


class CaseMessageForm(CaseForm):
    """The free message to the municipality (``cases.messages``): subject and text. Named apart from
    ``MessageForm`` (the request_info and receive_reply step). Required, length and a one-line subject are the
    service's checks, with its messages, which the view puts next to the field."""

    subject = forms.CharField(label=_("Betreff"), required=False, strip=False)
    message = forms.CharField(label=_("Nachricht"), required=False, widget=_textarea(8), strip=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "msg-%s")
        super().__init__(*args, **kwargs)
        self.fields["subject"].widget.attrs.update(
            {"autofocus": True, "placeholder": _("Nachricht zu Ihrer Anfrage"), "maxlength": "200"}
        )
