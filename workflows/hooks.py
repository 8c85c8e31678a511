"""The one place where a transition's effects are attached.

``workflows.services`` calls ``after_transition`` inside the transaction that changed the state and wrote
the TransitionLog and the Activity (submission counts as the transition ``submit``). Each area adds its
effects in its own function; effects that leave the process (e-mail, tasks) are written to the outbox in
this transaction and sent after commit.
"""

from __future__ import annotations

from typing import Any

from crm.models import Enquiry


def after_transition(
    *,
    enquiry: Enquiry,
    transition: str,
    from_state: str,
    to_state: str,
    by_user: Any,
    actor: str,
    payload: dict[str, Any],
) -> None:
    from workflows.deadlines import deadlines_after_transition
    from workflows.matching.hooks import matching_after_transition
    from workflows.notifications import notifications_after_transition

    kwargs = {
        "enquiry": enquiry,
        "transition": transition,
        "from_state": from_state,
        "to_state": to_state,
        "by_user": by_user,
        "actor": actor,
        "payload": payload,
    }
    deadlines_after_transition(**kwargs)
    matching_after_transition(**kwargs)
    notifications_after_transition(**kwargs)
