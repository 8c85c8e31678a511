"""Reading enquiries: what a user may see, which transitions they may take now, the timeline."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from crm.errors import NotVisible
from crm.models import Activity, Enquiry
from crm.roles import is_coordinator, is_manager, is_partner_staff, partner_of
from workflows import rules


def enquiries_visible_to(*, user: Any) -> QuerySet[Enquiry]:
    """Coordinators and managers see every case; partner staff their partner's cases; everybody else none."""
    if is_coordinator(user) or is_manager(user):
        return Enquiry.objects.all()
    if is_partner_staff(user):
        return Enquiry.objects.filter(assigned_partner=partner_of(user))
    return Enquiry.objects.none()


def enquiry_get_visible(*, user: Any, pk: Any) -> Enquiry:
    """The enquiry if this user may see it; else NotVisible (404, no hint whether it exists)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise NotVisible(_("Anfrage nicht gefunden.")) from exc
    enquiry = enquiries_visible_to(user=user).filter(pk=pk).select_related("municipality", "assigned_partner").first()
    if enquiry is None:
        raise NotVisible(_("Anfrage nicht gefunden."))
    return enquiry


def enquiry_get_by_token(*, token: Any) -> Enquiry:
    """The enquiry of a public token; NotVisible for anything else."""
    if not isinstance(token, str) or not 16 <= len(token) <= 64:
        raise NotVisible(_("Anfrage nicht gefunden."))
    enquiry = Enquiry.objects.filter(public_token=token).select_related("municipality").first()
    if enquiry is None:
        raise NotVisible(_("Anfrage nicht gefunden."))
    return enquiry


def enquiry_transitions_available(*, enquiry: Enquiry, user: Any, actor: str | None = None) -> list[dict[str, str]]:
    """``[{"name", "label", "target"}]`` for every transition this user (or actor) may take now."""
    available = []
    for name, rule in rules.RULES.items():
        if not can_proceed(getattr(enquiry, name), check_conditions=False):
            continue
        if not rules.transition_may(enquiry=enquiry, name=name, user=user, actor=actor):
            continue
        available.append(
            {"name": name, "label": str(rule.label), "target": rules.transition_target(enquiry=enquiry, name=name)}
        )
    return available


def enquiry_timeline(*, enquiry: Enquiry, public_only: bool = False) -> QuerySet[Activity]:
    """The case's activities, oldest first; the municipality sees the public ones only."""
    activities = Activity.objects.filter(enquiry=enquiry).select_related("author").order_by("at", "id")
    if public_only:
        activities = activities.filter(public=True)
    return activities
