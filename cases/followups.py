"""Follow-ups (Wiedervorlagen) of a case: create and complete. The reminder job lives with the deadlines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import may_work_on
from cases.models import Activity, Enquiry, FollowUp
from core.errors import Conflict, GuardFailed, NotAllowed, NotVisible
from core.validation import id_clean


def followup_create(
    *,
    enquiry: Enquiry,
    by: Any,
    due_at: datetime,
    kind: str = FollowUp.Kind.REMINDER,
    note: str = "",
    assignee: Any = None,
) -> FollowUp:
    if not may_work_on(by, enquiry):
        raise NotAllowed(_("Sie dürfen bei dieser Anfrage keine Wiedervorlage anlegen."))
    if kind not in FollowUp.Kind.values:
        raise GuardFailed(_("Unbekannte Art der Wiedervorlage."), field="kind")
    if not enquiry.is_open:
        raise GuardFailed(_("Die Anfrage ist nicht mehr offen."), field="state")
    if "\x00" in note:
        raise GuardFailed(_("Der Text enthält ein unzulässiges Zeichen (NUL)."), field="note")
    assignee_obj = by if assignee in (None, "") else None
    if assignee_obj is None:
        unknown = _("Unbekannte Person.")
        try:
            assignee_obj = get_user_model().objects.get(
                pk=id_clean(assignee, field="assignee", message=unknown), is_active=True
            )
        except get_user_model().DoesNotExist as exc:
            raise GuardFailed(unknown, field="assignee") from exc
        if not may_work_on(assignee_obj, enquiry):
            raise GuardFailed(_("Diese Person bearbeitet die Anfrage nicht."), field="assignee")
    now = timezone.now()
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            enquiry=enquiry,
            kind=kind,
            due_at=due_at,
            assignee=assignee_obj,
            note=note.strip(),
            created_by=by,
            created_at=now,
        )
        Activity.objects.create(
            enquiry=enquiry,
            kind=Activity.Kind.NOTE,
            author=by,
            actor=by.get_username(),
            text=_("Wiedervorlage am %(due)s angelegt.") % {"due": timezone.localtime(due_at).strftime("%d.%m.%Y")},
            at=now,
        )
    return follow_up


def followup_complete(*, follow_up: FollowUp, by: Any) -> FollowUp:
    """Mark done; a second completion (or a parallel one) is a Conflict, never a second entry."""
    if not may_work_on(by, follow_up.enquiry):
        raise NotAllowed(_("Sie dürfen diese Wiedervorlage nicht erledigen."))
    now = timezone.now()
    with transaction.atomic():
        # claim it: only the one update that still finds done_at empty wins
        claimed = FollowUp.objects.filter(pk=follow_up.pk, done_at=None).update(done_at=now)
        if not claimed:
            if not FollowUp.objects.filter(pk=follow_up.pk).exists():
                raise NotVisible(_("Wiedervorlage nicht gefunden."))
            raise Conflict(_("Diese Wiedervorlage ist bereits erledigt."))
        Activity.objects.create(
            enquiry=follow_up.enquiry,
            kind=Activity.Kind.NOTE,
            author=by,
            actor=by.get_username(),
            text=_("Wiedervorlage erledigt."),
            at=now,
        )
    follow_up.done_at = now
    return follow_up
