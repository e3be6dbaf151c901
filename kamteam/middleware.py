"""Request guards that apply to every view."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class RejectNulBytesMiddleware:
    """Answer 400 to an address (path or query string) holding a NUL byte.

    PostgreSQL cannot store or compare text with NUL in it, so a search term
    or a username in the path would otherwise end in a driver error (500)
    wherever a view passes it to a filter. Forms already refuse NUL in
    posted fields.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        in_query = any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        )
        if in_query or "\x00" in request.path:
            message = _(
                "The address contains a character that is not allowed (a NUL byte). "
                "Remove it and try again."
            )
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)


SEEN_KEY = "_kamteam_seen"
REFRESH_SECONDS = 60


class SessionIdleRefreshMiddleware:
    """Keep a logged-in session alive while it is used: an idle timeout.

    Django moves a session's expiry only when the session is saved. Saving it
    on every request (SESSION_SAVE_EVERY_REQUEST) costs a database write per
    page; touching it once a minute gives the same idle timeout, give or take
    that minute.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(SEEN_KEY, 0) >= REFRESH_SECONDS:
                request.session[SEEN_KEY] = now  # modified: saved with a new expiry
        return self.get_response(request)


@receiver(user_logged_in)
def _seen_at_login(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    # Login saves the session anyway; the first pages after it need no write.
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_KEY] = int(time.time())
