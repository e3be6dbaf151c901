"""Finding, creating and updating the user behind a single sign-on."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from sso.claims import (
    claim_text,
    email_verified,
    groups_from_claims,
    language_from_locale,
    username_candidates,
)
from sso.models import OidcIdentity
from users.models import MANAGERS_GROUP, User

logger = logging.getLogger(__name__)


class SignInRefused(Exception):
    """The provider vouched for somebody we do not let in; `reason` picks the message."""

    DISABLED = "disabled"
    EMAIL_NOT_VERIFIED = "email-not-verified"
    AMBIGUOUS = "ambiguous"
    NO_SUBJECT = "no-subject"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sso_user_sign_in(*, issuer: str, claims: Mapping[str, Any]) -> User:
    """The user the provider's `claims` stand for, created or brought up to date.

    Found by the provider's subject first; else, only when the provider has
    verified it, by e-mail address (case-insensitive) — an unverified address
    could be anybody's, so matching it would hand over their account. Raises
    SignInRefused for a disabled user and for what is not safe to decide.
    """
    subject = claim_text(claims, "sub", max_length=255)
    if not subject:
        raise SignInRefused(SignInRefused.NO_SUBJECT)
    with transaction.atomic():
        identity = (
            OidcIdentity.objects.select_for_update()
            .select_related("user")
            .filter(issuer=issuer, subject=subject)
            .first()
        )
        if identity is None:
            identity = _link_or_create(issuer=issuer, subject=subject, claims=claims)
        user = identity.user
        if not user.is_active:
            raise SignInRefused(SignInRefused.DISABLED)
        sso_user_update(user=user, claims=claims)
        identity.last_login = timezone.now()
        identity.save(update_fields=["last_login"])
    return user


def _link_or_create(*, issuer: str, subject: str, claims: Mapping[str, Any]) -> OidcIdentity:
    email = claim_text(claims, "email", max_length=254)
    same_email = list(User.objects.filter(email__iexact=email)[:2]) if email else []
    if same_email and not email_verified(claims):
        logger.warning(
            "Single sign-on refused: %s is not verified by the provider but belongs to an "
            "account; link it by hand (issuer %s, subject %s).",
            email,
            issuer,
            subject,
        )
        raise SignInRefused(SignInRefused.EMAIL_NOT_VERIFIED)
    if len(same_email) > 1:
        raise SignInRefused(SignInRefused.AMBIGUOUS)
    user = same_email[0] if same_email else _create_user(claims=claims, email=email)
    try:
        with transaction.atomic():
            return OidcIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    except IntegrityError as exc:
        # The account is linked to another subject at this provider already:
        # a second provider account with the same address must not take it over.
        raise SignInRefused(SignInRefused.AMBIGUOUS) from exc


def _create_user(*, claims: Mapping[str, Any], email: str) -> User:
    user = User(username=_free_username(claims), email=email)
    user.set_unusable_password()  # they sign in at the provider only
    languages = {code for code, _name in settings.LANGUAGES}
    user.language = language_from_locale(claims.get("locale"), languages=languages)
    user.save()
    return user


def _free_username(claims: Mapping[str, Any]) -> str:
    wished, base = username_candidates(claims)
    if wished and not User.objects.filter(username__iexact=wished).exists():
        return wished
    taken = {
        name.lower()
        for name in User.objects.filter(username__istartswith=base).values_list(
            "username", flat=True
        )
    }
    candidate, number = base, 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def sso_user_update(*, user: User, claims: Mapping[str, Any]) -> None:
    """Names and verified e-mail from the provider at every sign-in; language once; managers.

    The language is taken only while the person has not chosen one in kamteam.
    With OIDC_MANAGERS_GROUP set, membership of the Managers group follows the
    provider's group claim at every sign-in: added when present, removed when not.
    """
    changed = []
    fields = [("first_name", "given_name", 150), ("last_name", "family_name", 150)]
    # An address the provider has not verified could be a colleague's: it is
    # taken only where the person has none yet, never in place of a known one.
    if email_verified(claims) or not user.email:
        fields.append(("email", "email", 254))
    for field, claim, length in fields:
        value = claim_text(claims, claim, max_length=length)
        if value and getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    if not user.language:
        languages = {code for code, _name in settings.LANGUAGES}
        user.language = language_from_locale(claims.get("locale"), languages=languages)
        if user.language:
            changed.append("language")
    if changed:
        user.save(update_fields=changed)
    if settings.OIDC_MANAGERS_GROUP:
        _sync_managers(user=user, claims=claims)


def _sync_managers(*, user: User, claims: Mapping[str, Any]) -> None:
    groups = groups_from_claims(claims, claim=settings.OIDC_GROUPS_CLAIM)
    managers, _created = Group.objects.get_or_create(name=MANAGERS_GROUP)
    if settings.OIDC_MANAGERS_GROUP in groups:
        user.groups.add(managers)
    else:
        user.groups.remove(managers)
    user.__dict__.pop("_is_manager", None)  # User.is_manager caches per instance
