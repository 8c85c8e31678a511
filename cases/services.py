"""The one door to an enquiry's state: one service per transition of SPEC section 3, and a dispatcher.

API views, the workspace pages and tasks all call these; no other code changes ``Enquiry.state``.
Every service follows the same steps (``_run``):

0. when the caller says which state it saw (``expected_state``) and the case is no longer in it -> Conflict
   (409), nothing changes; this answer is exact: no clock is read;
1. the transition must be possible from the state the caller saw (else GuardFailed, 400). A caller that
   did not say which state it saw and asks for the transition (or its rival) that the case's latest change,
   made moments ago, has just taken lost a race it could not see -> Conflict (409) (``_raise_if_just_changed``);
2. the caller must have the right (else NotAllowed, 403);
3. the input must satisfy the guard (else GuardFailed naming the field, 400);
4. in ONE transaction: lock the row (``select_for_update``) and re-read it; if its state is no longer the one
   the caller saw (its ``expected_state``, else the state this request read), somebody else was faster ->
   Conflict (409) and nothing is written, whatever the transition of the winner; else move the state, set the
   timestamps, save (ConcurrentTransitionMixin checks the state once more in the UPDATE), write the
   TransitionLog and the Activity, and send ``cases.events.transition_happened`` whose effects leave
   through the outbox after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from cases import rules
from cases.events import transition_happened
from cases.inputs import MAX_COMMENT, MAX_TEXT
from cases.models import Activity, CloseReason, Enquiry, Outcome, OutcomeCategory, State, TransitionLog
from cases.transitions import TRANSITIONS, transition_may
from catalogue.models import ConsortiumPartner, Topic
from core.errors import Conflict, GuardFailed, NotAllowed, NotVisible
from core.validation import id_clean, text_clean

# without ``expected_state``: seconds after a change within which a request for a transition it made
# impossible counts as a lost race (with ``expected_state`` no clock decides)
CONFLICT_WINDOW = 2
# transitions that answer the same moment of a case in the same people's hands: the loser of a race between
# them gets 409 even without expected_state
RIVALS = {frozenset({"accept", "decline"})}


def actor_name(*, by: Any, actor: str | None) -> str:
    """How the log names who acted: the username, "system" or "municipality"."""
    if actor:
        return actor
    return by.get_username() if by is not None else rules.SYSTEM


def transition_record(
    *,
    enquiry: Enquiry,
    name: str,
    from_state: str,
    user: Any,
    who: str,
    comment: str = "",
    public_text: str,
    internal_note: str = "",
    system_notes: list[str] | tuple[str, ...] = (),
    payload: dict[str, Any],
    at: datetime,
) -> None:
    """Inside the caller's transaction, after the state moved: the TransitionLog row, the public timeline
    entry (and an internal note), then ``cases.events.transition_happened`` for the effects. Submission and every transition
    write their trace through here."""
    # denormalised for the workspace queues ("declined back", "reply received"): cases.queues
    if enquiry.last_transition != name:  # the intake stores "submit" with the new case
        Enquiry.objects.filter(pk=enquiry.pk).update(last_transition=name)
        enquiry.last_transition = name
    TransitionLog.objects.create(
        enquiry=enquiry,
        transition=name,
        from_state=from_state,
        to_state=enquiry.state,
        by_user=user,
        by=who,
        comment=comment,
        at=at,
    )
    # one INSERT for the entries, in timeline order (the search refresh follows transition_happened below)
    entries = [
        Activity(
            enquiry=enquiry,
            kind=Activity.Kind.TRANSITION,
            transition=name,
            author=user,
            actor=who,
            text=public_text,
            public=True,
            at=at,
        )
    ]
    if internal_note:
        entries.append(
            Activity(enquiry=enquiry, kind=Activity.Kind.NOTE, author=user, actor=who, text=internal_note, at=at)
        )
    entries += [
        Activity(enquiry=enquiry, kind=Activity.Kind.SYSTEM, actor=rules.SYSTEM, text=note, at=at)
        for note in system_notes
    ]
    Activity.objects.bulk_create(entries)
    transition_happened.send(
        sender=Enquiry,
        enquiry=enquiry,
        transition=name,
        from_state=from_state,
        to_state=enquiry.state,
        by_user=user,
        actor=who,
        payload=payload,
    )


def _state_label(state: str) -> str:
    return str(State(state).label) if state in State.values else state


def _clean_text(value: Any, *, field: str, required: bool, max_length: int = MAX_TEXT) -> str:
    return text_clean(
        value,
        field=field,
        required=required,
        max_length=max_length,
        required_message=_("Dieses Feld ist für diesen Schritt erforderlich."),
    )


def _check_available(*, enquiry: Enquiry, name: str, exact: bool = False) -> None:
    """The transition must be possible from the state read. ``exact``: the caller said which state it saw and
    it is this one, so an impossible transition is the caller's mistake (400), never a race."""
    method = getattr(enquiry, name)
    if not can_proceed(method, check_conditions=False):
        if not exact:
            _raise_if_just_changed(enquiry=enquiry, name=name)
        raise GuardFailed(
            _("Der Schritt „%(transition)s“ ist im Status „%(state)s“ nicht möglich.")
            % {"transition": TRANSITIONS[name].label, "state": _state_label(enquiry.state)},
            field="state",
        )


def _raise_if_just_changed(*, enquiry: Enquiry, name: str) -> None:
    """Only for a caller that did not send ``expected_state`` (with it, no clock decides): a request that
    arrives while another one changes the case (16 people clicking "accept" at once; a partner's "decline"
    against his colleague's "accept") may read the state only after the winner committed, and would see "not
    possible from this state" (400). For its sender it is a lost race, so it gets Conflict (409) like a loser
    inside the lock: when the latest change, within CONFLICT_WINDOW seconds, was this very transition or its
    rival (``RIVALS``: accept and decline, the two answers of one partner to one assignment). Any other step
    that a recent change made impossible stays a 400: the server cannot tell a racing request from one sent
    after looking at the new state (a sequence like "assign, then request_info" must keep its clear 400); a
    client that wants the exact answer sends ``expected_state``."""
    last = (
        TransitionLog.objects.filter(enquiry_id=enquiry.pk, to_state=enquiry.state)
        .order_by("-at", "-id")
        .values("transition", "from_state", "at")
        .first()
    )
    if last is None or last["from_state"] not in TRANSITIONS[name].sources:
        return
    if last["transition"] != name and frozenset({last["transition"], name}) not in RIVALS:
        return
    if timezone.now() - last["at"] <= timedelta(seconds=CONFLICT_WINDOW):
        raise Conflict(
            _("Die Anfrage wurde soeben geändert (jetzt: „%(state)s“). Bitte neu laden.")
            % {"state": _state_label(enquiry.state)}
        )


def _check_right(*, enquiry: Enquiry, name: str, by: Any, actor: str | None) -> None:
    if not transition_may(enquiry=enquiry, name=name, user=by, actor=actor):
        raise NotAllowed(
            _("Sie dürfen den Schritt „%(transition)s“ bei dieser Anfrage nicht ausführen.")
            % {"transition": TRANSITIONS[name].label}
        )


def _precheck(
    *,
    enquiry: Enquiry,
    name: str,
    by: Any,
    actor: str | None,
    expected_state: str | None = None,
) -> None:
    """Steps 0-2, before the input is looked at: not the state the caller saw -> 409, wrong state -> 400 (409
    for a lost race), no right -> 403."""
    if expected_state is not None and enquiry.state != expected_state:
        raise Conflict(_("Die Anfrage wurde inzwischen geändert. Bitte neu laden."))
    _check_available(enquiry=enquiry, name=name, exact=expected_state is not None)
    _check_right(enquiry=enquiry, name=name, by=by, actor=actor)


def _run(
    *,
    enquiry: Enquiry,
    name: str,
    by: Any,
    actor: str | None,
    comment: str,
    payload: dict[str, Any],
    guard: Callable[[Enquiry], None] | None = None,
    change: Callable[[Enquiry, datetime], None] | None = None,
    public_text: str | None = None,
    internal_note: str = "",
    expected_state: str | None = None,
) -> Enquiry:
    """Steps 0-4 of the module docstring; ``guard`` checks the input, ``change`` sets the fields."""
    _precheck(enquiry=enquiry, name=name, by=by, actor=actor, expected_state=expected_state)
    if guard is not None:
        guard(enquiry)
    seen_state = enquiry.state
    who = actor_name(by=by, actor=actor)
    user = by if actor is None else None
    try:
        with transaction.atomic():
            try:
                locked = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
            except Enquiry.DoesNotExist as exc:
                raise NotVisible(_("Anfrage nicht gefunden.")) from exc
            if locked.state != seen_state:
                raise Conflict(_("Die Anfrage wurde inzwischen geändert. Bitte neu laden."))
            # the right can depend on fields (assigned partner) that a parallel change may have moved
            _check_right(enquiry=locked, name=name, by=by, actor=actor)
            if guard is not None:
                guard(locked)
            now = timezone.now()
            getattr(locked, name)()
            if change is not None:
                change(locked, now)
            locked.save()
            transition_record(
                enquiry=locked,
                name=name,
                from_state=seen_state,
                user=user,
                who=who,
                comment=comment,
                public_text=public_text if public_text is not None else str(TRANSITIONS[name].public_text),
                internal_note=internal_note,
                payload=payload,
                at=now,
            )
    except ConcurrentTransition as exc:
        raise Conflict(_("Die Anfrage wurde inzwischen geändert. Bitte neu laden.")) from exc
    return locked


# --- one service per transition ------------------------------------------------------------------------------


def enquiry_triage(
    *,
    enquiry: Enquiry,
    by: Any,
    actor: str | None = None,
    topics: list[str] | None = None,
    comment: str = "",
    expected_state: str | None = None,
) -> Enquiry:
    _precheck(enquiry=enquiry, expected_state=expected_state, name="triage", by=by, actor=actor)
    chosen: list[Topic] | None = None
    if topics is not None:
        if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
            raise GuardFailed(_("Bitte eine Liste von Themen-Kürzeln angeben."), field="topics")
        chosen = list(Topic.objects.filter(slug__in=topics))
        unknown = sorted(set(topics) - {t.slug for t in chosen})
        if unknown:
            raise GuardFailed(_("Unbekannte Themen: %(slugs)s") % {"slugs": ", ".join(unknown)}, field="topics")

    def guard(e: Enquiry) -> None:
        if (chosen is not None and not chosen) or (chosen is None and not e.topics.exists()):
            raise GuardFailed(_("Zum Sichten braucht die Anfrage mindestens ein Thema."), field="topics")

    def change(e: Enquiry, now: datetime) -> None:
        if chosen is not None:
            e.topics.set(chosen)
            e.topics_auto = False

    return _run(
        enquiry=enquiry,
        expected_state=expected_state,
        name="triage",
        by=by,
        actor=actor,
        comment=comment,
        payload={"topics": topics} if topics is not None else {},
        guard=guard,
        change=change,
    )


def enquiry_assign(
    *,
    enquiry: Enquiry,
    by: Any,
    partner: Any,
    user: Any = None,
    actor: str | None = None,
    comment: str = "",
    expected_state: str | None = None,
) -> Enquiry:
    _precheck(enquiry=enquiry, expected_state=expected_state, name="assign", by=by, actor=actor)
    if partner in (None, ""):
        raise GuardFailed(_("Bitte einen Partner angeben."), field="partner")
    unknown_partner = _("Unbekannter oder nicht aktiver Partner.")
    partner_id = id_clean(partner, field="partner", message=unknown_partner)
    try:
        partner_obj = ConsortiumPartner.objects.get(pk=partner_id, active=True)
    except ConsortiumPartner.DoesNotExist as exc:
        raise GuardFailed(unknown_partner, field="partner") from exc
    user_obj = None
    if user not in (None, ""):
        not_member = _("Diese Person gehört nicht zum gewählten Partner.")
        user_id = id_clean(user, field="user", message=not_member)
        try:
            user_obj = get_user_model().objects.get(pk=user_id, is_active=True, membership__partner=partner_obj)
        except get_user_model().DoesNotExist as exc:
            raise GuardFailed(not_member, field="user") from exc

    def change(e: Enquiry, now: datetime) -> None:
        e.assigned_partner = partner_obj
        e.assigned_user = user_obj
        e.assigned_at = now

    return _run(
        enquiry=enquiry,
        expected_state=expected_state,
        name="assign",
        by=by,
        actor=actor,
        comment=comment,
        payload={"partner": partner_obj.pk, "user": user_obj.pk if user_obj else None},
        change=change,
        internal_note=_("Zugewiesen an %(partner)s.") % {"partner": partner_obj.short_name},
    )


def enquiry_accept(
    *, enquiry: Enquiry, by: Any, actor: str | None = None, comment: str = "", expected_state: str | None = None
) -> Enquiry:
    _precheck(enquiry=enquiry, expected_state=expected_state, name="accept", by=by, actor=actor)

    def change(e: Enquiry, now: datetime) -> None:
        if e.first_response_at is None:
            e.first_response_at = now
        if e.assigned_user_id is None and by is not None and actor is None:
            e.assigned_user = by

    return _run(
        enquiry=enquiry,
        expected_state=expected_state,
        name="accept",
        by=by,
        actor=actor,
        comment=comment,
        payload={},
        change=change,
    )


def enquiry_decline(
    *,
    enquiry: Enquiry,
    by: Any,
    reason: str,
    actor: str | None = None,
    comment: str = "",
    expected_state: str | None = None,
) -> Enquiry:
    _precheck(enquiry=enquiry, expected_state=expected_state, name="decline", by=by, actor=actor)
    reason = _clean_text(reason, field="reason", required=True, max_length=MAX_COMMENT)
    declined_by = enquiry.assigned_partner.short_name if enquiry.assigned_partner_id else ""

    def change(e: Enquiry, now: datetime) -> None:
        # back to the coordinators: the declining partner no longer holds the case
        e.assigned_partner = None
        e.assigned_user = None
        e.assigned_at = None

    return _run(
        enquiry=enquiry,
        expected_state=expected_state,
        name="decline",
        by=by,
        actor=actor,
        comment=comment,
        payload={"reason": reason, "partner": declined_by},
        change=change,
        internal_note=_("Abgelehnt von %(partner)s: %(reason)s") % {"partner": declined_by, "reason": reason},
    )


def _message_step(
    *, name: str, enquiry: Enquiry, by: Any, message: str, actor: str | None, comment: str, expected_state: str | None
) -> Enquiry:
    """request_info and receive_reply: a required message that the municipality sees on its timeline."""
    _precheck(enquiry=enquiry, name=name, by=by, actor=actor, expected_state=expected_state)
    message = _clean_text(message, field="message", required=True)
    return _run(
        enquiry=enquiry,
        expected_state=expected_state,
        name=name,
        by=by,
        actor=actor,
        comment=comment,
        payload={"message": message},
        public_text=message,
    )


def enquiry_request_info(
    *,
    enquiry: Enquiry,
    by: Any,
    message: str,
    actor: str | None = None,
    comment: str = "",
    expected_state: str | None = None,
) -> Enquiry:
    return _message_step(
        name="request_info",
        enquiry=enquiry,
        by=by,
        message=message,
        actor=actor,
        comment=comment,
        expected_state=expected_state,
    )


def enquiry_receive_reply(
    *,
    enquiry: Enquiry,
    by: Any,
    message: str,
    actor: str | None = None,
    comment: str = "",
    expected_state: str | None = None,
) -> Enquiry:
    return _message_step(
        name="receive_reply",
        enquiry=enquiry,
        by=by,
        message=message,
        actor=actor,
        comment=comment,
        expected_state=expected_state,
    )


def enquiry_resolve(
    *,
    enquiry: Enquiry,
    by: Any,
    category: str,
    notes: str,
    actor: str | None = None,
    comment: str = "",
    expected_state: str | None = None,
) -> Enquiry:
    _precheck(enquiry=enquiry, expected_state=expected_state, name="resolve", by=by, actor=actor)
    if category not in OutcomeCategory.values:
        raise GuardFailed(
            _("Bitte ein Ergebnis wählen: %(choices)s") % {"choices": ", ".join(OutcomeCategory.values)},
            field="category",
        )
    notes = _clean_text(notes, field="notes", required=True)
    user = by if actor is None else None

    def change(e: Enquiry, now: datetime) -> None:
        e.resolved_at = now
        # a case that is reopened and resolved again keeps one outcome: the latest
        Outcome.objects.update_or_create(
            enquiry=e, defaults={"category": category, "notes": notes, "recorded_by": user, "recorded_at": now}
        )

    return _run(
        enquiry=enquiry,
        expected_state=expected_state,
        name="resolve",
        by=by,
        actor=actor,
        comment=comment,
        payload={"category": category, "notes": notes},
        change=change,
        internal_note=_("Ergebnis: %(category)s. %(notes)s")
        % {"category": OutcomeCategory(category).label, "notes": notes},
    )


def enquiry_close(
    *,
    enquiry: Enquiry,
    by: Any,
    reason: str,
    actor: str | None = None,
    comment: str = "",
    expected_state: str | None = None,
) -> Enquiry:
    _precheck(enquiry=enquiry, expected_state=expected_state, name="close", by=by, actor=actor)
    if reason not in CloseReason.values or reason == CloseReason.WITHDRAWN:
        raise GuardFailed(
            _("Bitte einen Abschlussgrund wählen: completed, duplicate, out_of_scope, spam, no_reply."),
            field="reason",
        )

    def guard(e: Enquiry) -> None:
        allowed = rules.close_reasons_from(e.state)
        if reason not in allowed:
            raise GuardFailed(
                _("Im Status „%(state)s“ ist der Abschlussgrund „%(reason)s“ nicht möglich.")
                % {"state": _state_label(e.state), "reason": reason},
                field="reason",
            )
        if actor == rules.SYSTEM and reason not in rules.SYSTEM_CLOSE_REASONS:
            raise NotAllowed(_("Automatisch darf nur mit no_reply oder completed abgeschlossen werden."))

    def change(e: Enquiry, now: datetime) -> None:
        e.close_reason = reason
        e.closed_at = now

    return _run(
        enquiry=enquiry,
        expected_state=expected_state,
        name="close",
        by=by,
        actor=actor,
        comment=comment,
        payload={"reason": reason},
        guard=guard,
        change=change,
        internal_note=_("Abschlussgrund: %(reason)s") % {"reason": CloseReason(reason).label},
    )


def enquiry_withdraw(
    *, enquiry: Enquiry, by: Any, actor: str | None = None, comment: str = "", expected_state: str | None = None
) -> Enquiry:
    _precheck(enquiry=enquiry, expected_state=expected_state, name="withdraw", by=by, actor=actor)

    def change(e: Enquiry, now: datetime) -> None:
        e.close_reason = CloseReason.WITHDRAWN
        e.closed_at = now

    return _run(
        enquiry=enquiry,
        expected_state=expected_state,
        name="withdraw",
        by=by,
        actor=actor,
        comment=comment,
        payload={},
        change=change,
    )


def enquiry_reopen(
    *, enquiry: Enquiry, by: Any, actor: str | None = None, comment: str = "", expected_state: str | None = None
) -> Enquiry:
    _precheck(enquiry=enquiry, expected_state=expected_state, name="reopen", by=by, actor=actor)

    def guard(e: Enquiry) -> None:
        refusal = rules.reopen_refusal(enquiry=e, now=timezone.now())
        if refusal is not None:
            raise GuardFailed(refusal, field="state")

    def change(e: Enquiry, now: datetime) -> None:
        # back to triage: the coordinators route it afresh
        e.close_reason = ""
        e.closed_at = None
        e.resolved_at = None
        e.assigned_partner = None
        e.assigned_user = None
        e.assigned_at = None

    return _run(
        enquiry=enquiry,
        expected_state=expected_state,
        name="reopen",
        by=by,
        actor=actor,
        comment=comment,
        payload={},
        guard=guard,
        change=change,
    )


# --- the dispatcher -------------------------------------------------------------------------------------------


def _body_error(errors: dict[str, Any]) -> GuardFailed:
    """The first field error of an input serializer, as the domain error every door shows (400 naming it)."""
    field, messages = next(iter(errors.items()))
    message = messages[0] if isinstance(messages, list) else messages
    return GuardFailed(str(message), field=field)


def enquiry_transition(
    *,
    enquiry: Enquiry,
    name: str,
    by: Any,
    actor: str | None = None,
    payload: dict | None = None,
) -> Enquiry:
    """Take the transition ``name`` with the body of SPEC section 5; returns the enquiry as saved.

    The shared door of the API, the workspace pages and the tasks: the state and the right are checked
    first (409/400/403), then the body is parsed with the transition's input serializer (400 naming the
    field), then the service ``enquiry_<name>`` gets typed keyword arguments."""
    entry = TRANSITIONS.get(name)
    if entry is None:
        raise NotVisible(_("Unbekannter Schritt: %(name)s") % {"name": name})
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        raise GuardFailed(_("Der Inhalt muss ein JSON-Objekt sein."), field="non_field_errors")
    seen = payload.get("expected_state")
    _precheck(
        enquiry=enquiry,
        name=name,
        by=by,
        actor=actor,
        expected_state=seen if seen in State.values else None,
    )
    body = entry.input(data=payload)
    if not body.is_valid():
        raise _body_error(body.errors)
    return SERVICES[name](enquiry=enquiry, by=by, actor=actor, **body.validated_data)


# the service of each entry of the table, by its name: a transition without one fails at import
SERVICES: dict[str, Callable[..., Enquiry]] = {name: globals()[f"enquiry_{name}"] for name in TRANSITIONS}
