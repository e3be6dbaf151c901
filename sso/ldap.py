"""Sign-in with the company directory (LDAP / Active Directory) through django-auth-ldap.

On when LDAP_SERVER_URI is set (kamteam/settings.py, sso/ldap_settings.py).
The backend sits after django-axes, so wrong directory passwords count
toward the lockout like local ones, and before Django's ModelBackend, so
people with a local password still log in, also while the directory is
down. A person's names and e-mail follow the directory at every login;
so does membership of our Managers group when LDAP_MANAGERS_GROUP_DN is
set. People created here get an unusable local password: they cannot log
in past the directory, nor reset a password by e-mail.

Two rules django-auth-ldap leaves to us: a person deactivated in kamteam
stays out (it would log them in and keep their session), and values from
the directory must fit our fields (a 300-character name must not end a
login with a database error).
"""

from __future__ import annotations

import logging
from typing import Any

import ldap
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django_auth_ldap.backend import LDAPBackend, populate_user
from django_auth_ldap.config import LDAPGroupQuery

from core.validators import validate_plain_email
from users.models import MANAGERS_GROUP, User

logger = logging.getLogger(__name__)


class KamteamLDAPBackend(LDAPBackend):
    """django-auth-ldap, refusing inactive people and mapping the managers' group."""

    def authenticate_ldap_user(self, ldap_user: Any, password: str) -> User | None:
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None:
            return None
        if not user.is_active:
            # As ModelBackend does: no login, and the login page says only
            # "wrong credentials" (no hint the password was right).
            return None
        try:
            sync_managers_group(user=user, ldap_user=ldap_user)
        except ldap.LDAPError as error:
            # Fail closed: a manager removed in the directory must not keep
            # the Managers group because the group lookup broke.
            logger.error("LDAP group lookup for %s failed: %r", user.username, error)
            return None
        return user

    def get_user(self, user_id: int) -> User | None:
        # A session started through the directory ends once the person is
        # deactivated in kamteam, as ModelBackend sessions do.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


def sync_managers_group(*, user: User, ldap_user: Any) -> None:
    """Give `user` our Managers group exactly when the directory has them in its managers' group.

    Nothing changes when LDAP_MANAGERS_GROUP_DN is unset: then the group is
    managed in kamteam's admin only.
    """
    group_dn = getattr(settings, "KAMTEAM_LDAP_MANAGERS_GROUP_DN", "")
    if not group_dn:
        return
    managers, _created = Group.objects.get_or_create(name=MANAGERS_GROUP)
    if LDAPGroupQuery(group_dn).resolve(ldap_user):
        user.groups.add(managers)
    else:
        user.groups.remove(managers)
    user.__dict__.pop("_is_manager", None)  # User.is_manager caches per instance


def _fit(user: User, field: str) -> None:
    limit = User._meta.get_field(field).max_length
    value = getattr(user, field) or ""
    setattr(user, field, value.strip()[:limit])


@receiver(populate_user, sender=KamteamLDAPBackend)
def fit_directory_values(sender: type, user: User, ldap_user: Any, **kwargs: Any) -> None:
    """Make the directory's names and address fit our fields, just before the user is saved.

    Names are cut to the field's length; an address kamteam could not send
    to (too long, or not a plain address) is left empty rather than kept.
    """
    _fit(user, "first_name")
    _fit(user, "last_name")
    email = (user.email or "").strip()
    try:
        validate_plain_email(email)
    except ValidationError:
        email = ""
    if len(email) > User._meta.get_field("email").max_length:
        email = ""
    if not email and user.email:
        logger.warning("LDAP: ignoring the unusable e-mail address of %s", user.username)
    user.email = email
