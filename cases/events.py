"""What happens in casework, as Django signals that the apps above (and the case's own effects) subscribe to in
their ``AppConfig.ready()``: the service that causes an event does not import its effects.

``transition_happened`` is sent by ``cases.services.transition_record`` inside the transaction that changed the
state and wrote the TransitionLog and the Activity (submission counts as the transition ``submit``), with
keyword arguments ``enquiry``, ``transition``, ``from_state``, ``to_state``, ``by_user``, ``actor`` and
``payload``. Receivers run in that transaction, so their writes (deadlines, outbox rows, proposals) commit or
roll back with the transition; whatever leaves the process is deferred to after commit by the outbox. A
receiver that raises fails the transition (``send``, not ``send_robust``): best-effort effects catch their
own errors. Subscribers: ``cases.deadlines``, ``cases.notifications`` (cases) and ``matching.hooks``.

``survey_answered`` is sent by ``cases.surveys.survey_answer`` inside its transaction with ``survey`` (the
answered SurveyResponse); matching learns from adoption answers.
"""

from __future__ import annotations

from django.dispatch import Signal

transition_happened = Signal()
survey_answered = Signal()
