"""Error answers in the asker's language: an HTML page, or JSON under the API's prefix.

A program calling the API reads `{"detail": ...}` for every answer it gets
(django-ninja's own errors look so); an answer given before a route runs (a
NUL byte in the address, an unreadable upload, an address that matches no
route) would otherwise be the HTML page meant for a person.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(settings.API_URL_PREFIX)


def error_response(request: HttpRequest, status: int, message: str = "") -> HttpResponse:
    """The page `{status}.html` saying `message`, or `{"detail": message}` to the API."""
    if is_api_request(request):
        return JsonResponse({"detail": message or _default(status)}, status=status)
    return render(request, f"{status}.html", {"message": message}, status=status)


def _default(status: int) -> str:
    if status == 404:
        return "Not Found"  # word for word what django-ninja answers for a missing row
    return _("The request could not be understood. Please go back and try again.")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: Django's own 400s, with the reason an upload could not be read."""
    message = ""
    if isinstance(exception, MultiPartParserError):
        # Django reads at most 1,024 bytes of a part's headers: a file name of
        # about a thousand characters (no file system makes one) ends here,
        # before any form could name the field.
        message = _(
            "The upload could not be read: its file name is too long, or the form arrived "
            "incomplete. Give the file a shorter name and upload it again."
        )
    return error_response(request, 400, message)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: the usual page, or JSON for an address under the API's prefix."""
    return error_response(request, 404)
