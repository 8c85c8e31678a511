"""What happens in casework, as Django signals that the apps above (and the case's own effects) subscribe to in
their ``AppConfig.ready()``: the service that causes an event does not import its effects.

``transition_happened`` is sent by ``cases.services.transition_record`` inside the transaction that changed the
state and wrote the TransitionLog and the Activity (submission counts as the transition ``submit``), with
keyword arguments ``enquiry``, ``transition``, ``from_state``, ``to_state``, ``by_user``, ``actor`` and
``payload``. Receivers run in that transaction, so their writes (deadlines, outbox rows, proposals) commit or
roll back with the transition; whatever leaves the process is deferred to after commit by the outbox. A
receiver that raises fails the transition (``send``, not ``send_robust``): best-effort effects catch their
own errors. Subscribers: ``cases.deadlines``, ``cases.notifications`` (cases), ``matching.hooks`` and
``stats.hooks``.

``survey_answered`` is sent by ``cases.surveys.survey_answer`` inside its transaction with ``survey`` (the
answered SurveyResponse); matching learns from adoption answers.

``enquiry_changed`` is sent by ``enquiry_changed_send`` for a change of a case outside a transition that the
readers above copy (a survey sent or answered, an introduction, an escalation, an anonymisation, a correction
in the back office), with ``enquiry_ids`` and ``what``. Sending it also marks the enquiries changed
(``updated_at``), so that the periodic statistics sweep finds them even if the after-commit refresh was lost:
a writer sends the one event and knows nothing of the statistics. Subscriber: ``stats.hooks``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.dispatch import Signal
from django.utils import timezone

transition_happened = Signal()
survey_answered = Signal()
enquiry_changed = Signal()


def enquiry_changed_send(*, enquiry_ids: Iterable[int], what: str) -> None:
    """In the caller's transaction: mark the enquiries changed and send ``enquiry_changed``."""
    from cases.models import Enquiry

    ids = sorted(set(enquiry_ids))
    if not ids:
        return
    # .update() skips auto_now: the mark is set here, once, for every writer
    Enquiry.objects.filter(pk__in=ids).update(updated_at=timezone.now())
    enquiry_changed.send(sender=Enquiry, enquiry_ids=ids, what=what)
