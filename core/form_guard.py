"""One-time form tokens: the same form, sent twice from the same page, is saved once.

Mark a plan reviewed, press Back, send the form again: without this guard
that is a second, identical review (issue 13). Every page's script
(static/js/kamteam.js) adds a hidden field FORM_TOKEN to each form it sends
with POST. The token belongs to the page's entry in the browser's history
(history.state), so a double click, Back and a second submit, or a page the
browser restores from its cache all send the same token again; opening the
form anew (a link, a reload after saving) gives a new one.

OneTimeFormMiddleware remembers what went through (a status below 400) per
token, address and content, and answers a repeat with a redirect to where the
first submission led, with the message SENT_TWICE; nothing reaches the view.
Content is part of the key on purpose: going Back, changing the form and
sending it is a new intent and is processed. A refused submission (invalid
input, a conflict) is not remembered, so it can be corrected and sent again.

Where it is kept, and why:

- what went through is kept in the user's session (in the database), not in
  the cache: without REDIS_URL the cache is each worker's own memory
  (settings.CACHES), and Back-and-resubmit may reach another gunicorn worker;
- a submission still being processed is claimed in the cache with
  ``cache.add`` (atomic within a process, and across servers with Redis), so
  a double click reaching the same worker twice runs the view once; the
  script also keeps a page from sending the same form twice while the browser
  waits for the answer, which covers double clicks that reach two workers.

htmx requests are not guarded: they update a part of the page, which stays,
and sending the same content again is meant (a RACI letter on and off).
Pages without the script (the admin, a browser with JavaScript off) send no
token and are processed as before.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

# The hidden field kamteam.js adds: 16 random bytes in hex.
FORM_TOKEN = "_form_token"
TOKEN_PATTERN = re.compile(r"[0-9a-f]{32}")
# Never part of the content: the CSRF token is masked anew on every page load.
NOT_CONTENT = frozenset({FORM_TOKEN, "csrfmiddlewaretoken"})
# Not a write of account data: switching the language or logging in or out
# again from an old page must just work.
NOT_GUARDED = frozenset({"set_language", "login", "logout"})

SENT_KEY = "_kamteam_sent_forms"
SENT_SECONDS = 60 * 60  # how long a sent form is remembered
SENT_LIMIT = 50  # the most recent ones; keeps the session small
IN_FLIGHT_SECONDS = 120  # a claim outlives no request (gunicorn's timeout is 30 s)
SENT_TWICE_STATUS = 303


def sent_twice_message() -> str:
    return _("This form was already sent; nothing was saved twice.")


class OneTimeFormMiddleware:
    """Process a form sent from one page with one content at most once (module docstring).

    The check runs in process_view, after the CSRF check and the login
    requirement, so their answers stay as they are.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        digest: str | None = getattr(request, "kamteam_form_digest", None)
        if digest is not None:
            cache.delete(_in_flight_key(digest))
            if response.status_code < 400:
                _remember(request, digest, _local_location(request, response))
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        digest = submission_digest(request)
        if digest is None:
            return None
        sent = _fresh(request.session.get(SENT_KEY, {}))
        if digest in sent or not cache.add(_in_flight_key(digest), 1, IN_FLIGHT_SECONDS):
            messages.warning(request, sent_twice_message())
            location = sent[digest][1] if digest in sent else ""
            response = HttpResponseRedirect(location or request.get_full_path())
            response.status_code = SENT_TWICE_STATUS  # "see other": the browser GETs it
            return response
        request.kamteam_form_digest = digest  # type: ignore[attr-defined]
        return None


def submission_digest(request: HttpRequest) -> str | None:
    """Who sent what from which page to where; None for a request that is not guarded."""
    if request.method != "POST" or request.headers.get("HX-Request"):
        return None
    if not request.user.is_authenticated:
        return None
    match = request.resolver_match
    if match is not None and match.url_name in NOT_GUARDED:
        return None
    token = request.POST.get(FORM_TOKEN, "")
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    content = sorted(
        (key, value)
        for key, values in request.POST.lists()
        if key not in NOT_CONTENT
        for value in values
    )
    digest = hashlib.sha256()
    for part in (str(request.user.pk), request.path, token, repr(content)):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


def _in_flight_key(digest: str) -> str:
    return f"form-in-flight:{digest}"


def _fresh(sent: object) -> dict[str, list[Any]]:
    """The remembered submissions younger than SENT_SECONDS (anything malformed dropped)."""
    if not isinstance(sent, dict):
        return {}
    since = time.time() - SENT_SECONDS
    return {
        digest: entry
        for digest, entry in sent.items()
        if isinstance(entry, list) and len(entry) == 2 and entry[0] >= since
    }


def _remember(request: HttpRequest, digest: str, location: str) -> None:
    if not hasattr(request, "session"):
        return
    sent = _fresh(request.session.get(SENT_KEY, {}))
    sent[digest] = [int(time.time()), location]
    newest = sorted(sent.items(), key=lambda item: item[1][0])[-SENT_LIMIT:]
    request.session[SENT_KEY] = dict(newest)


def _local_location(request: HttpRequest, response: HttpResponse) -> str:
    """Where the first submission led, if that is a page of ours; else ""."""
    location = response.get("Location", "") if 300 <= response.status_code < 400 else ""
    safe = url_has_allowed_host_and_scheme(
        location, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return location if location and safe else ""
