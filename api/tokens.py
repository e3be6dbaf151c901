"""Making, checking and revoking API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken
from users.models import User

PREFIX = "kt_"
# last_used_at is written at most this often per token, not on every request.
USE_RECORDED_EVERY = timedelta(minutes=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`: the row and the token itself, to be shown once."""
    with transaction.atomic():
        # Counted under a lock on the person's row, so two clicks cannot pass the limit.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if user.api_tokens.active().count() >= settings.API_TOKENS_PER_PERSON:
            raise ValidationError(
                _("You have %(limit)s tokens; revoke one you no longer use first.")
                % {"limit": settings.API_TOKENS_PER_PERSON}
            )
        token = PREFIX + secrets.token_urlsafe(32)
        row = ApiToken.objects.create(
            user=user, name=name, prefix=token[:10], key_hash=digest(token)
        )
    return row, token


def revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def authenticate(token: str) -> ApiToken | None:
    """The active token `token` of a person who may still sign in, else None."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    row = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(key_hash=digest(token), user__is_active=True)
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row
