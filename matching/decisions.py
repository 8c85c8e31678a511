"""Deciding a proposal does what it says (SPEC section 4: "staff accept or reject proposals").

Accepting a partner proposal assigns the case to that partner; accepting a model-project proposal starts the
introduction (Kontaktvermittlung). When that is not possible now, the decision is not taken: the proposal
stays "proposed" and the caller is told plainly why. Rejecting only records the decision. Every door (API,
staff page, admin) calls ``match_decide`` and shows the ``MatchDecision`` it returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import may_work_on
from cases.models import Enquiry, State
from cases.services import enquiry_assign
from cases.transitions import transition_may
from core.errors import Conflict, GuardFailed, NotAllowed
from matching.introductions import introduction_refusal, introduction_start
from matching.models import Introduction, Match


class Effect(StrEnum):
    """What a decision did besides storing itself."""

    ASSIGNED = "assigned"
    INTRODUCTION_STARTED = "introduction_started"
    NONE = "none"


@dataclass(frozen=True)
class MatchDecision:
    match: Match
    enquiry: Enquiry  # as it is after the decision (assigned after a partner proposal was accepted)
    effect: Effect
    text: str  # what happened, for the person who decided, in their language
    introduction: Introduction | None = None


def _state_label(state: str) -> str:
    return str(State(state).label) if state in State.values else state


def _target_name(match: Match) -> str:
    target = match.target
    return target.name if target is not None else "–"


def _partner_refusal(*, enquiry: Enquiry, match: Match) -> GuardFailed | None:
    """Why the case cannot be assigned to the proposed partner now, or None. The assign service checks the
    same again; this says it in the words of the proposal."""
    partner = match.partner
    if partner is None:
        return GuardFailed(_("Dieser Vorschlag nennt keinen Partner."), field="match")
    if enquiry.state != State.TRIAGED:
        if enquiry.assigned_partner_id == partner.pk:
            message = _("Die Anfrage ist „%(partner)s“ bereits zugewiesen (Status „%(state)s“).")
        elif enquiry.state == State.NEW:
            message = _(
                "Die Anfrage ist noch nicht gesichtet: Sie kann erst nach der Sichtung einem Partner zugewiesen werden."
            )
        else:
            message = _(
                "Die Anfrage ist nicht im Status „gesichtet“ (jetzt: „%(state)s“): "
                "Sie kann keinem Partner zugewiesen werden."
            )
        return GuardFailed(message % {"partner": partner.name, "state": _state_label(enquiry.state)}, field="state")
    if not partner.active:
        return GuardFailed(
            _("Der Partner „%(partner)s“ ist nicht aktiv: Die Anfrage kann ihm nicht zugewiesen werden.")
            % {"partner": partner.name},
            field="partner",
        )
    return None


def _check_right(*, enquiry: Enquiry, match: Match, decision: str, by: Any) -> None:
    if not may_work_on(by, enquiry):
        raise NotAllowed(_("Sie dürfen über Vorschläge dieser Anfrage nicht entscheiden."))
    accepts_partner = decision == Match.Decision.ACCEPTED and match.kind == Match.Kind.PARTNER
    if accepts_partner and not transition_may(enquiry=enquiry, name="assign", user=by, actor=None):
        raise NotAllowed(
            _("Nur die Koordination kann einen Partnervorschlag annehmen, denn das weist die Anfrage dem Partner zu.")
        )


def match_decide(*, match: Match, decision: str, by: Any, expected_state: str | None = None) -> MatchDecision:
    """Accept or reject a proposal once, and do what accepting it says.

    Accepting a partner proposal assigns the case to that partner through ``enquiry_assign`` (only
    coordinators may, and only on a triaged case). Accepting a model-project proposal starts the
    introduction through ``introduction_start`` when ``introduction_refusal`` finds nothing against it: the
    case is in progress (a partner follows the contact up), the project has a contact e-mail, a free place of
    its capacity and no introduction on this case yet. When the effect is not possible, nothing is stored:
    the proposal stays "proposed" and the error says why. Rejecting only records the decision.

    1. the decision must be known (400); the user must be staff who may act on the case, and accepting a
       partner proposal needs the right to assign (403);
    2. a proposal already decided is a Conflict (409); so is a case that is no longer in ``expected_state``,
       the state the caller saw;
    3. what speaks against the effect is read before anything is written (400);
    4. in one transaction: claim the row with a conditional UPDATE (decision still "proposed"), so that two
       clicks never both win (409 for the other); then the effect, which locks the case and compares its state
       with the one read in step 3 (a change in between is a 409). Any error rolls the claim back with it;
    5. the effect's e-mails leave through the outbox after commit.
    """
    if decision not in (Match.Decision.ACCEPTED, Match.Decision.REJECTED):
        raise GuardFailed(_("Unbekannte Entscheidung."), field="decision")
    enquiry = match.enquiry
    _check_right(enquiry=enquiry, match=match, decision=decision, by=by)
    if match.decision != Match.Decision.PROPOSED:
        raise Conflict(_("Über diesen Vorschlag wurde bereits entschieden."))
    if expected_state and enquiry.state != expected_state:
        raise Conflict(
            _("Die Anfrage wurde inzwischen geändert (jetzt: „%(state)s“). Bitte neu laden.")
            % {"state": _state_label(enquiry.state)}
        )
    accepting = decision == Match.Decision.ACCEPTED
    if accepting:
        if match.kind == Match.Kind.PARTNER:
            refusal = _partner_refusal(enquiry=enquiry, match=match)
        elif match.model_project is None:
            refusal = GuardFailed(_("Dieser Vorschlag nennt kein Modellprojekt."), field="match")
        else:
            refusal = introduction_refusal(enquiry=enquiry, project=match.model_project)
        if refusal is not None:
            raise refusal
    now = timezone.now()
    introduction = None
    with transaction.atomic():
        claimed = Match.objects.filter(pk=match.pk, decision=Match.Decision.PROPOSED).update(
            decision=decision, decided_by=by, decided_at=now
        )
        if claimed != 1:
            raise Conflict(_("Über diesen Vorschlag wurde bereits entschieden."))
        # the row as claimed (introduction_start wants an accepted proposal)
        match.decision, match.decided_by, match.decided_at = decision, by, now
        name = _target_name(match)
        if not accepting:
            effect, text = Effect.NONE, _("Vorschlag „%(name)s“ abgelehnt.") % {"name": name}
        elif match.kind == Match.Kind.PARTNER:
            # the assign service locks the case and answers 409 when its state moved since step 3
            enquiry = enquiry_assign(enquiry=enquiry, by=by, partner=match.partner_id)
            effect = Effect.ASSIGNED
            text = _("Vorschlag angenommen: Die Anfrage ist jetzt „%(partner)s“ zugewiesen.") % {"partner": name}
        else:
            locked = Enquiry.objects.select_for_update().select_related("municipality").get(pk=enquiry.pk)
            if locked.state != enquiry.state:
                raise Conflict(_("Die Anfrage wurde inzwischen geändert. Bitte neu laden."))
            match.enquiry = enquiry = locked
            introduction = introduction_start(match=match, by=by)
            effect = Effect.INTRODUCTION_STARTED
            text = _("Vorschlag angenommen: „%(name)s“ wird per E-Mail um eine Kontaktvermittlung gebeten.") % {
                "name": name
            }
    match.enquiry = enquiry
    return MatchDecision(match=match, enquiry=enquiry, effect=effect, text=text, introduction=introduction)
