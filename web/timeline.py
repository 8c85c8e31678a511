"""The case page's timeline: one list, oldest first, of everything that happened on a case, in German.

``case_timeline`` reads a fixed number of queries whatever the length of the case (activities with their
authors, transition logs, outgoing e-mails, answered surveys: four) and turns the rows into ``TimelineEntry``
items the template prints as they are. Transitions are named by their label and German state names
("Sichten: Neu → Gesichtet") with the comment of their log; internal notes are marked; actors are "Kommune",
"System" or the person's name. Introductions and follow-ups write their own activities, so they appear here
through those. An entry made by an inbound e-mail carries the mail (sender, subject, kind, attachments: two
queries more, whatever the number of mails) so the page shows it as a mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cases.models import Activity, Enquiry, State, SurveyResponse, TransitionLog
from cases.transitions import MUNICIPALITY, SYSTEM, TRANSITIONS
from conversation.models import InboundEmail
from conversation.selectors import activities_with_mail, mail_of
from outbox.models import OutboxMessage


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    # transition, reply, note, email, survey, system: the template's class of the entry
    kind: str
    title: str
    actor: str
    text: str = ""
    comment: str = ""
    internal: bool = False
    # the delivery state of an e-mail, in German
    status: str = ""
    failed: bool = False
    # the inbound e-mail that made the entry, with its attachments prefetched (None for the other entries)
    email: InboundEmail | None = None


MAIL_TITLES = {
    InboundEmail.Kind.REPLY: _lazy("E-Mail der Kommune"),
    InboundEmail.Kind.THIRD_PARTY: _lazy("E-Mail von Dritten"),
    InboundEmail.Kind.AUTO_REPLY: _lazy("Automatische Antwort"),
    InboundEmail.Kind.BOUNCE: _lazy("Unzustellbar"),
    InboundEmail.Kind.NEW: _lazy("E-Mail eingegangen"),
}


def _state(code: str) -> str:
    return capfirst(str(State(code).label)) if code in State.values else code


def actor_label(*, author: Any, actor: str) -> str:
    """Who acted, as a reader says it: the person's name, "Kommune" or "System"."""
    if author is not None:
        return author.get_full_name() or author.get_username()
    if actor == MUNICIPALITY:
        return _("Kommune")
    if actor in (SYSTEM, ""):
        return _("System")
    return actor


def _transition_title(name: str, log: TransitionLog | None) -> str:
    if name not in TRANSITIONS:  # submission: the one entry that is not in the table
        return _("Anfrage eingegangen")
    label = str(TRANSITIONS[name].label)
    return label if log is None else f"{label}: {_state(log.from_state)} → {_state(log.to_state)}"


def _activity_entry(activity: Activity, logs: dict[tuple[str, datetime], TransitionLog]) -> TimelineEntry:
    who = actor_label(author=activity.author, actor=activity.actor)
    email = mail_of(activity)
    if activity.kind == Activity.Kind.TRANSITION:
        log = logs.get((activity.transition, activity.at))
        reply = activity.transition == "receive_reply"
        return TimelineEntry(
            at=activity.at,
            kind="reply" if reply else "transition",
            title=_transition_title(activity.transition, log),
            actor=who,
            text=activity.text,
            comment=log.comment if log is not None else "",
            email=email,
        )
    if activity.kind == Activity.Kind.NOTE:
        return TimelineEntry(
            at=activity.at, kind="note", title=_("Notiz"), actor=who, text=activity.text, internal=True
        )
    if activity.kind == Activity.Kind.EMAIL_IN:
        title = (
            str(MAIL_TITLES.get(email.kind, MAIL_TITLES[InboundEmail.Kind.NEW])) if email else _("E-Mail eingegangen")
        )
        return TimelineEntry(
            at=activity.at,
            kind="reply",
            title=title,
            actor=who,
            text=activity.text,
            internal=not activity.public,
            email=email,
        )
    if activity.kind == Activity.Kind.MESSAGE_IN:
        # written on the status page outside a question: shown like the municipality's answers
        return TimelineEntry(
            at=activity.at, kind="reply", title=_("Nachricht der Kommune"), actor=who, text=activity.text
        )
    return TimelineEntry(
        at=activity.at,
        kind="system",
        title=str(activity.get_kind_display()),
        actor=who,
        text=activity.text,
        internal=not activity.public,
    )


def _email_entry(message: OutboxMessage) -> TimelineEntry:
    return TimelineEntry(
        at=message.sent_at or message.created_at,
        kind="email",
        title=_("E-Mail an %(to)s: %(subject)s") % {"to": ", ".join(message.recipients), "subject": message.subject},
        actor=_("System"),
        text=message.text,
        status=str(message.get_status_display()),
        failed=message.status == OutboxMessage.Status.FAILED,
    )


def _survey_entry(survey: SurveyResponse) -> TimelineEntry:
    parts = []
    if survey.score is not None:
        parts.append(_("Bewertung %(score)s von 5") % {"score": survey.score})
    if survey.useful is not None:
        parts.append(_("hilfreich: ja") if survey.useful else _("hilfreich: nein"))
    if survey.adopted:
        parts.append(_("übernommen: %(answer)s") % {"answer": survey.get_adopted_display()})
    return TimelineEntry(
        at=survey.answered_at,
        kind="survey",
        title=_("Befragung beantwortet (%(kind)s)") % {"kind": survey.get_kind_display()},
        actor=_("Kommune"),
        text="; ".join(parts),
        comment=survey.comment,
    )


def case_timeline(*, enquiry: Enquiry) -> list[TimelineEntry]:
    """Every entry of the case, oldest first, in four queries (five with the attachments when a mail is there)."""
    activities = list(
        activities_with_mail(Activity.objects.filter(enquiry=enquiry).select_related("author")).order_by("at", "id")
    )
    # the service writes a transition's log row and its activity with the same time
    logs = {(log.transition, log.at): log for log in TransitionLog.objects.filter(enquiry=enquiry)}
    entries = [_activity_entry(a, logs) for a in activities]
    # a free message to the municipality is on the timeline as its author's entry (Activity EMAIL_OUT) already
    entries += [_email_entry(m) for m in OutboxMessage.objects.filter(enquiry=enquiry).exclude(template="message")]
    entries += [_survey_entry(s) for s in SurveyResponse.objects.filter(enquiry=enquiry, answered_at__isnull=False)]
    # sorted() is stable: activities keep their id order within the same moment
    return sorted(entries, key=lambda e: e.at)
