"""Matching's effects of a transition (proposals at submit, recomputed at triage, learning at resolve).
Placeholder until the matching engine lands."""


def matching_after_transition(**kwargs) -> None:
    return None
