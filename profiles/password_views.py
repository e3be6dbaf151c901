"""The password change, throttled like the login."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address, get_cool_off
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponse
from django.utils.translation import ngettext


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change; a wrong current password counts as a failed login.

    Without this, an open session (a colleague's unlocked computer) would allow
    unlimited guesses at the password. Each wrong current password is reported
    to django-axes like a failed login for this user from this address, so
    after AXES_FAILURE_LIMIT failures the change is refused, even with the
    right password, until AXES_COOLOFF_TIME has passed. The count is the
    login's on purpose: guesses here and at the login page add up, and a
    lockout pauses both. A successful change clears it, as a login does.
    """

    def _credentials(self) -> dict[str, str]:
        return {"username": self.request.user.get_username()}

    def _locked(self) -> bool:
        return not AxesProxyHandler.is_allowed(self.request, self._credentials())

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        if self._locked():
            return self._refuse()
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        if form.has_error("old_password", "password_incorrect"):
            user_login_failed.send(
                sender=__name__, credentials=self._credentials(), request=self.request
            )
            # This page explains the lockout itself; axes' page is about logging in.
            self.request.axes_locked_out = False
            if self._locked():
                return self._refuse()
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        AxesProxyHandler.reset_attempts(
            username=self.request.user.get_username(),
            ip_address=get_client_ip_address(self.request),
        )
        return response

    def _refuse(self) -> HttpResponse:
        cool_off = get_cool_off(self.request)
        minutes = int(cool_off.total_seconds() // 60) if cool_off else 0
        message = ngettext(
            "Too many wrong current passwords. To protect your account, changing the "
            "password is paused: please try again in %(minutes)d minute.",
            "Too many wrong current passwords. To protect your account, changing the "
            "password is paused: please try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        # An unbound form: a locked-out attempt must not even check the password.
        form = self.get_form_class()(user=self.request.user)
        context = self.get_context_data(form=form, locked_message=message)
        return self.render_to_response(context, status=429)
