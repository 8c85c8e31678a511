"""The table of transitions is the one declaration: the FSM, the schema's bodies and the admin actions read it."""

from __future__ import annotations

from django_fsm import RETURN_VALUE

from backoffice.admin.enquiry import EnquiryAdmin
from cases.models import Enquiry
from cases.services import SERVICES
from cases.transitions import TRANSITIONS


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


def test_the_admin_offers_the_transitions_that_need_no_form():
    names = [action.__name__ for action in EnquiryAdmin.actions]
    assert names[:2] == ["transition_triage", "transition_accept"]
    assert {"transition_close_duplicate", "transition_close_completed", "transition_withdraw"} <= set(names)
    assert "transition_assign" not in names and "transition_resolve" not in names
