"""Roles are Django groups (SPEC section 5): coordinator, manager, partner. Partner staff belong to one
consortium partner through PartnerMembership (catalogue); the checks here read it through the user's
``membership`` relation and import no model, so every layer may use them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model

COORDINATOR = "coordinator"
MANAGER = "manager"
PARTNER = "partner"
ROLES = [COORDINATOR, MANAGER, PARTNER]


def _groups(user: AbstractBaseUser | AnonymousUser | None) -> set[str]:
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    cached = getattr(user, "_kts_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._kts_groups = cached
    return cached


def is_coordinator(user) -> bool:
    return COORDINATOR in _groups(user)


def is_manager(user) -> bool:
    return MANAGER in _groups(user)


def is_partner_staff(user) -> bool:
    return PARTNER in _groups(user) and partner_of(user) is not None


def is_staff_member(user) -> bool:
    """Any of the three roles."""
    return bool(_groups(user) & set(ROLES))


def partner_of(user) -> Model | None:
    """The user's ConsortiumPartner (catalogue.models), or None. A partner right needs both the ``partner`` group
    and the membership: a membership alone (say a manager's) gives none."""
    if user is None or not user.is_authenticated or PARTNER not in _groups(user):
        return None
    membership = getattr(user, "membership", None)
    try:
        return membership.partner if membership is not None else None
    except ObjectDoesNotExist:  # a membership whose partner is gone
        return None
