"""Password reset by e-mail: Django's views and tokens, our mail path and a throttle.

Only people with a kamteam password of their own get a link: Django's form
already skips inactive people and unusable passwords (those who sign in
with the company directory or single sign-on). The page after the request
looks the same whether an address is known or not.

The mail goes out through the task worker (core.mail.send_later) in the
person's language, like every mail. The form is no e-mail cannon: at most
ADDRESS_LIMIT requests per address and IP_LIMIT per client address within
WINDOW_SECONDS, counted in the cache whether the address is known or not
(so the refusal tells nothing either). Without REDIS_URL the cache is each
server process's own memory and the limits hold per worker; with it they hold
across all servers.
"""

from __future__ import annotations

import logging
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.mail import send_later
from core.validators import validate_plain_email

logger = logging.getLogger(__name__)

ADDRESS_LIMIT = 3
IP_LIMIT = 20
WINDOW_SECONDS = 60 * 60


def _within_limit(key: str, limit: int) -> bool:
    """Count one request under `key`; whether it is within `limit` for this window."""
    cache.add(key, 0, timeout=WINDOW_SECONDS)  # the window starts with the first request
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= limit


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, throttled, sending its mail through the task worker."""

    # Only addresses kamteam can send to (core.validators): a clear field message
    # instead of a mail the worker would refuse.
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        validators=[validate_plain_email],
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        ip = get_client_ip_address(self.request) if self.request else "unknown"
        address_ok = _within_limit(f"password-reset:address:{email.strip().lower()}", ADDRESS_LIMIT)
        ip_ok = _within_limit(f"password-reset:ip:{ip}", IP_LIMIT)
        if not (address_ok and ip_ok):
            raise forms.ValidationError(
                _(
                    "Too many reset requests. Please wait an hour before asking again, "
                    "or ask an administrator for help."
                ),
                code="throttled",
            )
        return email

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # Django renders and sends here, inside the request; we hand the
        # worker names and a link (JSON), and it renders in their language.
        user = context["user"]
        link = reverse(
            "password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        try:
            self._queue(user, to_email, link)
        except ValueError:
            # A stored address that only matches the asked one after Unicode
            # folding, and that the mail path refuses: no mail, and no 500.
            logger.warning("Password reset: no mail to user %s, unusable address", user.pk)

    def _queue(self, user: Any, to_email: str, link: str) -> None:
        send_later(
            to=to_email,
            subject=_("Choose a new kamteam password"),
            template="email/password_reset",
            context={
                "name": user.first_name or user.get_username(),
                "username": user.get_username(),
                "reset_url": link,
                "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)),
            },
            language=user.preferred_language,
        )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's: the new password must pass the validators; then the login lockout is lifted.

    Whoever reads the mail controls the account anyway, and a person locked
    out by wrong guesses should be able to log in with the new password.
    """

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        AxesProxyHandler.reset_attempts(username=self.user.get_username())
        return response
