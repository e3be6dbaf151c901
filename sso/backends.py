"""The authentication backend of the single sign-on: mozilla-django-oidc's, adapted.

It runs after django-axes' backend (settings.AUTHENTICATION_BACKENDS), which
checks the lockout first, as for the password login.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from sso.provider import oidc_setting, provider_metadata
from sso.services import SignInRefused, sso_user_sign_in

logger = logging.getLogger(__name__)


class KamteamOIDCBackend(OIDCAuthenticationBackend):
    """Signs in the user of the provider's callback, found by subject or verified e-mail.

    Django builds every backend for every authenticate() call, the password
    login's too, so nothing is read from the provider until a callback comes.
    The claims are the ID token's with the userinfo answer on top (Entra ID puts
    groups in the ID token only, Google and Okta the profile in userinfo only).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = get_user_model()

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return oidc_setting(attr, *args)

    # The settings the base class reads in __init__, read when used instead.
    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_USER_ENDPOINT", None))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_JWKS_ENDPOINT"))
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.OIDC_RP_SIGN_ALGO)
    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        # Only the callback view passes a nonce: a password login whose URL
        # happens to carry ?code=&state= must not start a token exchange.
        if request is None or "nonce" not in kwargs or not settings.OIDC_ENABLED:
            return None
        return super().authenticate(request, **kwargs)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        # The base class wants an e-mail with the email scope; people without
        # a mailbox (Entra ID) may still sign in: the subject is what counts.
        return bool(claims.get("sub"))

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = super().get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("The userinfo answer is about somebody else.")
            claims.update(userinfo)
        return claims

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        issuer = provider_metadata()["issuer"]
        # mozilla-django-oidc checks signature and nonce; the issuer and the
        # audience are ours to check (OpenID Connect Core 3.1.3.7).
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != issuer or settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is not from our provider or not for us.")
        claims = self.get_userinfo(access_token, id_token, payload)
        try:
            return sso_user_sign_in(issuer=issuer, claims=claims)
        except SignInRefused as refused:
            # The callback view turns the reason into a message on the login page.
            self.request.sso_refusal = refused.reason  # type: ignore[attr-defined]
            logger.info(
                "Single sign-on refused (%s) for subject %s", refused.reason, claims.get("sub")
            )
            return None
