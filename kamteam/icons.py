"""The site icons at the addresses browsers ask for without being told.

A page without an icon link (the print views, a PDF viewer, a bookmark
manager) makes the browser fetch /favicon.ico; iOS asks for
/apple-touch-icon.png and its -precomposed and -NxN variants when a page is
added to the home screen. They are answered here from the static files
(static/img), with the login left out: a browser asks for them before anyone
has logged in, and there is nothing secret in them.
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path, re_path
from django.views.decorators.http import require_safe

# Address → (static file, content type).
FAVICON = ("img/favicon.ico", "image/vnd.microsoft.icon")
TOUCH_ICON = ("img/apple-touch-icon.png", "image/png")
# Not content-hashed like the files under /static/, so a day, not a year:
# a new icon reaches every browser by the next day.
MAX_AGE = 24 * 60 * 60


@cache
def _read(name: str) -> bytes | None:
    found = finders.find(name)
    if not found:
        return None
    with open(found, "rb") as icon:
        return icon.read()


@login_not_required
@require_safe
def icon(request: HttpRequest, name: str, content_type: str) -> HttpResponse:
    data = _read(name)
    if data is None:  # a deployment without the file: say so plainly, not 500
        raise Http404("icon missing")
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


urlpatterns = [
    path(
        "favicon.ico",
        icon,
        {"name": FAVICON[0], "content_type": FAVICON[1]},
        name="favicon",
    ),
    # apple-touch-icon.png, apple-touch-icon-precomposed.png, apple-touch-icon-180x180.png, ...
    re_path(
        r"^apple-touch-icon(?:-\d{2,3}x\d{2,3})?(?:-precomposed)?\.png$",
        icon,
        {"name": TOUCH_ICON[0], "content_type": TOUCH_ICON[1]},
        name="apple_touch_icon",
    ),
]
