"""The site icons at the addresses browsers ask for without being told.

A page without an icon link (the print views, a PDF viewer, a bookmark
manager) makes the browser fetch /favicon.ico; iOS asks for
/apple-touch-icon.png and its -precomposed and -NxN variants when a page is
added to the home screen. They are answered here from the static files
(static/img), with the login left out: a browser asks for them before anyone
has logged in, and there is nothing secret in them.

The web app manifest (/manifest.webmanifest, linked from base.html) lets a
phone add kamteam to its home screen as an app of its own: its name,
colours and icons (192 and 512 px, and "maskable" ones with the letter in
the safe zone for Android's round and squircle masks). No offline mode: the
app is the site. Browsers fetch a manifest without cookies, so it is public.
"""

from __future__ import annotations

import json
from functools import cache

from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import path, re_path
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

# Address → (static file, content type).
FAVICON = ("img/favicon.ico", "image/vnd.microsoft.icon")
TOUCH_ICON = ("img/apple-touch-icon.png", "image/png")
# The colours of the top bar (--kam-brand) and of the page behind the cards.
THEME_COLOR = "#0b4f6c"
BACKGROUND_COLOR = "#f8f9fa"
# (static file, size, purpose) of the manifest's icons.
APP_ICONS = (
    ("img/icon-192.png", 192, "any"),
    ("img/icon-512.png", 512, "any"),
    ("img/icon-maskable-192.png", 192, "maskable"),
    ("img/icon-maskable-512.png", 512, "maskable"),
)
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


@login_not_required
@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest, in the language the browser asks for."""
    data = {
        "id": "/",
        "name": "kamteam",
        "short_name": "kamteam",
        "description": _("Key account team management"),
        "lang": get_language(),
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {
                "src": static(name),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": purpose,
            }
            for name, size, purpose in APP_ICONS
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/manifest+json; charset=utf-8",
    )
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    # The description follows the language, which the browser or the cookie chose.
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


urlpatterns = [
    path("manifest.webmanifest", manifest, name="manifest"),
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
