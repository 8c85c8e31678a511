"""The table of transitions is the one declaration: the FSM, the schema's bodies and the workspace's forms read it."""

from __future__ import annotations

from django_fsm import RETURN_VALUE

from backoffice.admin.enquiry import EnquiryAdmin
from cases.models import Enquiry
from cases.services import SERVICES
from cases.transitions import TRANSITIONS
from web.case_forms import STEP_FORMS


def test_the_state_machine_has_one_method_per_entry_with_its_sources_and_target():
    for name, entry in TRANSITIONS.items():
        meta = getattr(Enquiry, name)._django_fsm
        assert set(meta.transitions) == set(entry.sources), name
        for source in entry.sources:
            target = meta.transitions[source].target
            if entry.targets:
                assert isinstance(target, RETURN_VALUE) and set(target.allowed_states) == set(entry.targets)
            else:
                assert target == entry.target


def test_every_entry_has_its_service():
    assert set(SERVICES) == set(TRANSITIONS)
    assert all(service.__name__ == f"enquiry_{name}" for name, service in SERVICES.items())


def test_the_workspace_has_a_form_for_every_transition_with_the_fields_of_its_input():
    """Every transition of the table can be taken in the browser (SPEC section 9); its form carries each field
    of the transition's input serializer (the admin has no transition actions any more)."""
    assert EnquiryAdmin.actions is None
    assert set(STEP_FORMS) == set(TRANSITIONS)
    for name, entry in TRANSITIONS.items():
        assert set(entry.input().fields) <= set(STEP_FORMS[name].base_fields), name
