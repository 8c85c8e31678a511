"""Who may work on a case: the one rule that the transitions, follow-ups, proposals and introductions share.

Working on a case means changing it (taking its transitions, deciding its proposals, keeping its follow-ups),
not reading it: who may read which case is ``cases.selectors.enquiries_visible_to``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.roles import is_coordinator, partner_of

if TYPE_CHECKING:
    from cases.models import Enquiry


def is_assigned_partner_staff(user: Any, enquiry: Enquiry) -> bool:
    """A member of the consortium partner the case is assigned to."""
    partner = partner_of(user)
    return partner is not None and enquiry.assigned_partner_id is not None and partner.pk == enquiry.assigned_partner_id


def may_work_on(user: Any, enquiry: Enquiry) -> bool:
    """Coordinators, and staff of the partner the case is assigned to (managers only read)."""
    return is_coordinator(user) or is_assigned_partner_staff(user, enquiry)
