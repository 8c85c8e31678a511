"""Deadlines per enquiry (SPEC section 3). Placeholder until the follow-up work lands."""


def deadlines_after_transition(**kwargs) -> None:
    return None
