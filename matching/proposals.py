"""Proposals as stored Match rows: computed at submission, recomputed at triage, decided by staff."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.models import OPEN_STATES, Enquiry
from core.errors import GuardFailed, NotAllowed
from core.roles import is_coordinator

# match_decide lives with the effects of a decision; it stays importable from here for existing callers
from matching.decisions import MatchDecision, match_decide
from matching.engine import (
    Proposal,
    RankingState,
    partners_rank,
    projects_rank,
    query_for_enquiry,
    ranking_state_cached,
)
from matching.models import Match
from matching.selectors import match_get

__all__ = ["MatchDecision", "match_decide", "match_get", "proposals_compute", "proposals_recompute"]

PROJECTS_STORED = 5
PARTNERS_STORED = 3


def _target_key(kind: str, target_id: int | None) -> tuple[str, int | None]:
    return kind, target_id


def proposals_compute(
    *, enquiry: Enquiry, state: RankingState | None = None, now: datetime | None = None
) -> list[Match]:
    """Replace the enquiry's open proposals by a fresh ranking; decided ones stay (with fresh scores when the
    same target is proposed again), so a recomputation never loses what staff decided.

    Ranks count per kind: model projects 1..5, partners 1..3; decided targets that dropped out follow.
    """
    now = now or timezone.now()
    state = state if state is not None else ranking_state_cached()
    query = query_for_enquiry(enquiry=enquiry)
    # stored texts are data: written in the site's language, not in the language of whoever triggered them
    with translation.override(settings.LANGUAGE_CODE):
        ranked: list[Proposal] = [
            *projects_rank(query=query, state=state, limit=PROJECTS_STORED),
            *partners_rank(query=query, state=state, limit=PARTNERS_STORED),
        ]
    with transaction.atomic():
        existing = list(Match.objects.select_for_update().filter(enquiry=enquiry))
        decided = {
            _target_key(m.kind, m.model_project_id or m.partner_id): m
            for m in existing
            if m.decision != Match.Decision.PROPOSED
        }
        Match.objects.filter(enquiry=enquiry, decision=Match.Decision.PROPOSED).delete()
        rank_by_kind: dict[str, int] = {}
        kept: list[Match] = []
        measures_of: dict[int, list[int]] = {}
        for proposal in ranked:
            rank = rank_by_kind[proposal.kind] = rank_by_kind.get(proposal.kind, 0) + 1
            key = _target_key(proposal.kind, proposal.target_id)
            match = decided.pop(key, None)
            if match is None:
                match = Match(
                    enquiry=enquiry,
                    kind=proposal.kind,
                    model_project_id=proposal.target_id if proposal.kind == Match.Kind.MODEL_PROJECT else None,
                    partner_id=proposal.target_id if proposal.kind == Match.Kind.PARTNER else None,
                )
            match.score = proposal.score
            match.rank = rank
            match.explanation = proposal.explanation
            match.computed_at = now
            match.save()
            measures_of[match.pk] = [mid for mid, _title in proposal.measures]
            kept.append(match)
        for match in sorted(decided.values(), key=lambda m: (m.kind, m.rank)):
            match.rank = rank_by_kind[match.kind] = rank_by_kind.get(match.kind, 0) + 1
            match.save(update_fields=["rank"])
            kept.append(match)
        through = Match.measures.through
        through.objects.filter(match_id__in=list(measures_of)).delete()
        through.objects.bulk_create(
            [through(match_id=mid, measure_id=measure) for mid, ids in measures_of.items() for measure in ids]
        )
    return kept


def proposals_recompute(*, enquiry: Enquiry, by: Any) -> list[Match]:
    """A coordinator asks for fresh proposals (after a catalogue change, or for a case from before matching
    existed); decisions already taken stay, as at triage."""
    if not is_coordinator(by):
        raise NotAllowed(_("Nur die Koordination kann Vorschläge neu berechnen."))
    if enquiry.state not in OPEN_STATES:
        raise GuardFailed(_("Vorschläge werden nur für offene Anfragen berechnet."), field="state")
    return proposals_compute(enquiry=enquiry)
