"""Request guards that apply to every view."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class RejectNulBytesMiddleware:
    """Answer 400 to a query string holding a NUL byte.

    PostgreSQL cannot store or compare text with NUL in it, so such a search
    term would otherwise end in a driver error (500) wherever a view passes
    it to a filter. Forms already refuse NUL in posted fields.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                message = _(
                    "The address contains a character that is not allowed (a NUL byte). "
                    "Remove it and try again."
                )
                return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)
