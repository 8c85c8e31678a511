"""Staff accounts: the three roles are Django groups; partner staff belong to one consortium partner."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalogue.models import ConsortiumPartner, PartnerMembership
from core.errors import GuardFailed
from core.roles import PARTNER, ROLES


def roles_ensure() -> dict[str, Group]:
    """The groups coordinator, manager and partner exist."""
    return {name: Group.objects.get_or_create(name=name)[0] for name in ROLES}


@transaction.atomic
def staff_create(
    *,
    username: str,
    role: str,
    password: str,
    partner_short_name: str | None = None,
    email: str = "",
    validate: bool = True,
):
    """Create (or update) a staff account with exactly one role. Returns (user, created).

    Partner staff need a partner; the other roles must not have one. ``is_staff`` lets every role use the
    admin pages (what they may do there is decided by the admin modules).
    """
    if role not in ROLES:
        raise GuardFailed(
            _("Unbekannte Rolle %(role)s; erlaubt: %(roles)s") % {"role": role, "roles": ", ".join(ROLES)}
        )
    username = (username or "").strip()
    if not username:
        raise GuardFailed(_("Der Benutzername fehlt."), field="username")
    partner = None
    if role == PARTNER:
        if not partner_short_name:
            raise GuardFailed(_("Für die Rolle partner ist --partner KURZNAME nötig."), field="partner")
        partner = ConsortiumPartner.objects.filter(short_name__iexact=partner_short_name).first()
        if partner is None:
            known = ", ".join(ConsortiumPartner.objects.values_list("short_name", flat=True)) or "-"
            raise GuardFailed(
                _("Unbekannter Partner %(name)s; vorhanden: %(known)s") % {"name": partner_short_name, "known": known},
                field="partner",
            )
    elif partner_short_name:
        raise GuardFailed(_("Nur die Rolle partner gehört zu einem Partner."), field="partner")
    if not password:
        raise GuardFailed(_("Das Passwort darf nicht leer sein."), field="password")

    user, created = get_user_model().objects.get_or_create(username=username, defaults={"email": email})
    if validate:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise GuardFailed(" ".join(exc.messages), field="password") from exc
    if email:
        user.email = email
    user.is_staff = True
    user.is_active = True
    user.set_password(password)
    user.save()
    groups = roles_ensure()
    user.groups.remove(*[group for name, group in groups.items() if name != role])
    user.groups.add(groups[role])
    if partner is not None:
        PartnerMembership.objects.update_or_create(user=user, defaults={"partner": partner})
    else:
        PartnerMembership.objects.filter(user=user).delete()
    return user, created
