"""The table of transitions (SPEC section 3): each transition declared once, everything else read from here.

An entry names the transition, its label, the states it starts from, the state it leads to (or a function of
the case that chooses it), who may take it, the serializer of its body (``cases.inputs``), the sentence the
municipality reads on its status page and its effects as SPEC section 3 lists them. Read from it:

- the state machine: ``Enquiry`` gets one django-fsm method per entry (``fsm_methods``);
- the rights: ``transition_may``, which ``cases.services`` enforces;
- the list of the transitions a user may take now: ``cases.selectors.enquiry_transitions_available``;
- the doors: ``cases.services.enquiry_transition`` parses a body with the entry's ``input`` and calls the
  service ``cases.services.enquiry_<name>``; the API routes and the OpenAPI request bodies are made per entry
  (``api.urls_enquiries``), and the workspace has one form per entry (``web.case_forms.STEP_FORMS``).

A new transition is one entry here plus one service function ``enquiry_<name>`` in ``cases.services``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, transition
from rest_framework import serializers

from cases import inputs
from cases.access import is_assigned_partner_staff
from cases.states import OPEN_STATES, State
from core.roles import is_coordinator, is_manager

if TYPE_CHECKING:
    from cases.models import Enquiry

# the actors that are not a staff user: the holder of the public token, and the periodic tasks
MUNICIPALITY = "municipality"
SYSTEM = "system"

Who = Callable[[Any, "str | None", "Enquiry"], bool]


def coordinator(user: Any, actor: str | None, enquiry: Enquiry) -> bool:
    return actor is None and is_coordinator(user)


def manager(user: Any, actor: str | None, enquiry: Enquiry) -> bool:
    return actor is None and is_manager(user)


def assigned_partner(user: Any, actor: str | None, enquiry: Enquiry) -> bool:
    return actor is None and is_assigned_partner_staff(user, enquiry)


def municipality(user: Any, actor: str | None, enquiry: Enquiry) -> bool:
    return actor == MUNICIPALITY


def system(user: Any, actor: str | None, enquiry: Enquiry) -> bool:
    return actor == SYSTEM


def any_of(*checks: Who) -> Who:
    def check(user: Any, actor: str | None, enquiry: Enquiry) -> bool:
        return any(c(user, actor, enquiry) for c in checks)

    return check


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise
    sources: tuple[str, ...]
    # a state, or a function of the case choosing among ``targets``
    target: str | Callable[[Enquiry], str]
    who: Who
    input: type[serializers.Serializer]
    # plain German sentence for the municipality's status page
    public_text: Promise
    effects: str = ""
    # every state a target function may return (the FSM needs them)
    targets: tuple[str, ...] = ()

    def target_of(self, enquiry: Enquiry) -> str:
        return self.target(enquiry) if callable(self.target) else self.target


def _back_to_handler(enquiry: Enquiry) -> str:
    return State.IN_PROGRESS if enquiry.assigned_partner_id else State.TRIAGED


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            name="triage",
            label=_("Sichten"),
            sources=(State.NEW,),
            target=State.TRIAGED,
            who=coordinator,
            input=inputs.TriageInput,
            public_text=_("Ihre Anfrage wurde gesichtet und wird nun weitergeleitet."),
            effects="recompute match proposals",
        ),
        Transition(
            name="assign",
            label=_("Partner zuweisen"),
            sources=(State.TRIAGED,),
            target=State.ASSIGNED,
            who=coordinator,
            input=inputs.AssignInput,
            public_text=_("Ihre Anfrage wurde einem Partner der Transferstelle zugewiesen."),
            effects="notify partner",
        ),
        Transition(
            name="accept",
            label=_("Übernehmen"),
            sources=(State.ASSIGNED,),
            target=State.IN_PROGRESS,
            who=assigned_partner,
            input=inputs.EmptyInput,
            public_text=_("Ihre Anfrage wird jetzt bearbeitet."),
            effects="first response time set if not yet",
        ),
        Transition(
            name="decline",
            label=_("Ablehnen"),
            sources=(State.ASSIGNED,),
            target=State.TRIAGED,
            who=assigned_partner,
            input=inputs.ReasonInput,
            public_text=_("Ihre Anfrage wird an eine andere Stelle weitergeleitet."),
            effects="notify coordinators",
        ),
        Transition(
            name="request_info",
            label=_("Rückfrage stellen"),
            sources=(State.TRIAGED, State.IN_PROGRESS),
            target=State.AWAITING_REPLY,
            who=any_of(coordinator, assigned_partner),
            input=inputs.MessageInput,
            public_text=_("Wir haben eine Rückfrage an Sie."),
            effects="e-mail to municipality with status link",
        ),
        Transition(
            name="receive_reply",
            label=_("Antwort erfassen"),
            sources=(State.AWAITING_REPLY,),
            target=_back_to_handler,
            targets=(State.IN_PROGRESS, State.TRIAGED),
            who=any_of(municipality, coordinator, assigned_partner),
            input=inputs.MessageInput,
            public_text=_("Ihre Antwort ist eingegangen."),
            effects="notify the handler",
        ),
        Transition(
            name="resolve",
            label=_("Erledigen"),
            sources=(State.IN_PROGRESS,),
            target=State.RESOLVED,
            who=assigned_partner,
            input=inputs.ResolveInput,
            public_text=_("Ihre Anfrage wurde erledigt."),
            effects="survey scheduled",
        ),
        Transition(
            name="close",
            label=_("Abschließen"),
            sources=(State.NEW, State.TRIAGED, State.AWAITING_REPLY, State.RESOLVED),
            target=State.CLOSED,
            who=any_of(coordinator, system),
            input=inputs.CloseInput,
            public_text=_("Ihre Anfrage wurde abgeschlossen."),
        ),
        Transition(
            name="withdraw",
            label=_("Zurückziehen"),
            sources=tuple(OPEN_STATES),
            target=State.CLOSED,
            who=any_of(municipality, coordinator),
            input=inputs.EmptyInput,
            public_text=_("Die Anfrage wurde zurückgezogen."),
        ),
        Transition(
            name="reopen",
            label=_("Wieder öffnen"),
            sources=(State.RESOLVED, State.CLOSED),
            target=State.TRIAGED,
            who=any_of(coordinator, manager),
            input=inputs.EmptyInput,
            public_text=_("Ihre Anfrage wurde wieder aufgenommen."),
        ),
    ]
}


def transition_may(*, enquiry: Enquiry, name: str, user: Any, actor: str | None) -> bool:
    """Whether this user (or actor) has the right to take the transition on this enquiry, whatever its state."""
    entry = TRANSITIONS.get(name)
    if entry is None or actor not in (None, MUNICIPALITY, SYSTEM):
        return False
    return entry.who(user, actor, enquiry)


def _fsm_method(field: Any, entry: Transition) -> Callable[..., Any]:
    if callable(entry.target):
        choose = entry.target

        def move(self: Enquiry) -> str:
            return choose(self)

        target: Any = RETURN_VALUE(*entry.targets)
    else:

        def move(self: Enquiry) -> None:
            return None

        target = entry.target
    move.__name__ = move.__qualname__ = entry.name
    move.__doc__ = f"{entry.name}: {', '.join(entry.sources)} -> {entry.targets or entry.target}"
    return transition(field=field, source=list(entry.sources), target=target)(move)


def fsm_methods(field: Any) -> dict[str, Callable[..., Any]]:
    """One django-fsm transition method per entry, for the body of the model class (``Enquiry``)."""
    return {entry.name: _fsm_method(field, entry) for entry in TRANSITIONS.values()}
