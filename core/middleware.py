"""Request guards that apply to every view."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import RequestDataTooBig
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from core.errors import error_response


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
            return error_response(request, 400, message)
        return self.get_response(request)


class BoundedFormDecodingMiddleware:
    """Answer 400 to a query string or form body with more %-escapes than any form needs.

    Decoding urlencoded data (urllib.parse.unquote, under Django's QueryDict)
    allocates about 230 bytes per escape at its peak: a 2.4 MB body of "%00"
    took a worker to 185 MB for one request. Every form of kamteam fits in
    MAX_PERCENT_ESCAPES escapes (a 4,000-character German text has a few
    hundred), so a request with more is refused before anything decodes it;
    this runs before the CSRF check, which reads the form.
    """

    FORM = "application/x-www-form-urlencoded"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.limit: int = settings.MAX_PERCENT_ESCAPES

    def __call__(self, request: HttpRequest) -> HttpResponse:
        too_many = request.META.get("QUERY_STRING", "").count("%") > self.limit
        if not too_many and request.method == "POST" and request.content_type == self.FORM:
            # Too big a body: Django answers 400 itself when the form is read.
            with contextlib.suppress(RequestDataTooBig):
                too_many = request.body.count(b"%") > self.limit
        if too_many:
            message = _(
                "The form sent more encoded characters than any page of kamteam needs, "
                "so it was not read. Shorten very long texts and try again."
            )
            return error_response(request, 400, message)
        return self.get_response(request)


# Answers that are files to keep, whoever asks: exports and calendar feeds.
DOWNLOAD_TYPES = (
    "text/csv",
    "text/calendar",
    "application/json",
    "application/vnd.openxmlformats-officedocument.",
)


class NoStoreMiddleware:
    """Keep pages and downloads with account data out of browser and proxy caches.

    Every answer to a logged-in user, and every download (an export, the
    calendar feed at its secret address), gets "Cache-Control: no-store,
    private": after logout, the back button or a shared computer's cache
    must not show them, and no proxy may keep them. An answer that set
    Cache-Control itself (the health check, the admin) keeps its own; static
    files never get here (WhiteNoise answers them first, with long caching).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or _is_download(response):
            patch_cache_control(response, no_store=True, private=True)
        return response


def _is_download(response: HttpResponse) -> bool:
    return response.has_header("Content-Disposition") or response.get(
        "Content-Type", ""
    ).startswith(DOWNLOAD_TYPES)


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
