"""The sign-in round trip to the provider, and the logout that may end the provider's session too.

mozilla-django-oidc's views, configured: a failed or refused sign-in comes
back to the login page with a message saying why (never an error page), and
the provider's endpoints come from its discovery document.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from sso.provider import ProviderUnavailable, oidc_setting, provider_metadata
from sso.services import SignInRefused

logger = logging.getLogger(__name__)


# Why a sign-in came back to the login page, by SignInRefused reason.
_REFUSALS = {
    SignInRefused.DISABLED: _("Your kamteam account is disabled. Please ask an administrator."),
    SignInRefused.EMAIL_NOT_VERIFIED: _(
        "%(provider)s did not confirm your e-mail address, which belongs to an existing "
        "kamteam account. Please ask an administrator to link your account."
    ),
    SignInRefused.AMBIGUOUS: _(
        "Your %(provider)s account cannot be matched to one kamteam account. "
        "Please ask an administrator."
    ),
}
_FAILED = _("Signing in with %(provider)s failed. Please try again.")


def _back_to_login(request: HttpRequest, reason: str = "") -> HttpResponse:
    text = str(_REFUSALS.get(reason, _FAILED)) % {"provider": settings.OIDC_PROVIDER_NAME}
    messages.error(request, text)
    return HttpResponseRedirect(reverse("login"))


class SignInView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (with state, nonce and a PKCE challenge)."""

    def __init__(self, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return oidc_setting(attr, *args)

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable as exc:
            logger.error("Single sign-on: the provider cannot be reached: %s", exc)
            return _back_to_login(request)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """Takes the provider's answer; the backend (sso.backends) finds or creates the user."""

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return oidc_setting(attr, *args)

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            return super().get(request)
        except (ProviderUnavailable, requests.RequestException, SuspiciousOperation) as exc:
            # A stale or replayed callback, a provider down, a token that fails checks.
            logger.warning("Single sign-on failed: %s", exc)
            return _back_to_login(request)

    def login_failure(self) -> HttpResponse:
        return _back_to_login(self.request, getattr(self.request, "sso_refusal", ""))

    def login_success(self) -> HttpResponse:
        if not self.user.is_active:  # a backend of ours never lets one through; be sure
            return _back_to_login(self.request, SignInRefused.DISABLED)
        return super().login_success()


class LogoutView(auth_views.LogoutView):
    """Django's logout; after a single sign-on, with OIDC_OP_LOGOUT, the provider's too.

    The local session always ends first; then the browser goes to the
    provider's end_session_endpoint, which sends it back to the login page.
    """

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider_logout = _provider_logout_url(request)
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(provider_logout) if provider_logout else response


def _provider_logout_url(request: HttpRequest) -> str:
    id_token = request.session.get("oidc_id_token")
    if not (settings.OIDC_ENABLED and settings.OIDC_OP_LOGOUT and id_token):
        return ""
    try:
        endpoint = provider_metadata().get("end_session_endpoint")
    except ProviderUnavailable:
        return ""
    if not isinstance(endpoint, str) or _origin(endpoint) != _origin(settings.OIDC_DISCOVERY_URL):
        # Only the discovery URL's origin is allowed as form-action (settings.py).
        return ""
    query = {
        "id_token_hint": id_token,
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
    }
    return f"{endpoint}?{urlencode(query)}"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def only_when_configured(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Public (the person is not logged in yet), and not found while SSO is off."""

    @login_not_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not configured.")
        return view(request, *args, **kwargs)

    return wrapped
