"""Small display helpers shared by the account pages, and the cached navigation bar."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django import template
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template import Context, engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core import fragments
from core.i18n import per_language
from core.money import format_money, format_percent

register = template.Library()

# Where row_url keeps, for one request, each URL pattern it has reversed.
_ROW_URLS = "_kam_row_urls"


def id_url_parts(name: str, *head: Any) -> tuple[str, str] | None:
    """The address of the view `name` for `head` and any row id, as (what comes
    before the id, what comes after it); None for a pattern whose id is not the
    last path segment but one. Reversed with the ids 0 and 1, to see where the
    id goes."""
    zero = reverse(name, args=[*head, 0])
    prefix, found, suffix = zero.rpartition("/0/")
    ok = found and reverse(name, args=[*head, 1]) == f"{prefix}/1/{suffix}"
    return (prefix, suffix) if ok else None


@register.simple_tag(takes_context=True)
def row_url(context: Context, name: str, *args: Any) -> str:
    """{% url name *args %} for the rows of a long table whose last argument is a
    row's id: reversed once per request (id_url_parts), then written in for
    each row. A RACI matrix had five links a task; reversing each took a
    tenth of the page's render. Falls back to reverse() for anything it
    cannot place (no request, an id that is not a number, a pattern whose id
    is not the last path segment but one)."""
    request = context.get("request")
    *head, last = args
    if request is None or isinstance(last, bool) or not isinstance(last, int):
        return reverse(name, args=args)
    known: dict[tuple[Any, ...], tuple[str, str] | None] = request.__dict__.setdefault(
        _ROW_URLS, {}
    )
    key = (name, *head)
    if key not in known:
        known[key] = id_url_parts(name, *head)
    parts = known[key]
    if parts is None:
        return reverse(name, args=args)
    return f"{parts[0]}/{last}/{parts[1]}"


@register.filter
def minutes(value: timedelta | None) -> int:
    return int(value.total_seconds() // 60) if value else 0


@register.filter
def money(value: Decimal | int | None) -> str:
    """Whole units of the installation's currency, as the language writes them (core.money)."""
    if value is None or value == "":
        return "–"
    return format_money(value)


@register.filter
def percent(value: Decimal | float | None) -> str:
    """A whole percentage as the language writes it: "93%", German "93 %"; a dash for None."""
    if value is None or value == "":
        return "–"
    return format_percent(value)


@register.filter
def attitude_class(value: int) -> str:
    """Bootstrap colour of an attitude towards us, from opponent to supporter."""
    if value >= 2:
        return "text-bg-success"
    if value == 1:
        return "bg-success-subtle text-success-emphasis"
    if value == 0:
        return "text-bg-secondary"
    if value == -1:
        return "bg-warning-subtle text-warning-emphasis"
    return "text-bg-danger"


@register.filter
def signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


@register.filter
def motive_score(value: Decimal | None) -> str:
    """A motive score signed as the chart's axis writes it: "+1.4", "\u22121.6", "0.0".

    The axis and the help text use the minus sign (U+2212); the scores had the
    hyphen beside them ("-0.3"). One decimal, in the language's format.
    """
    if value is None:
        return "–"
    text = number_format(abs(value), decimal_pos=1, use_l10n=True)
    return f"+{text}" if value > 0 else f"\u2212{text}" if value < 0 else text


@register.filter
def mailto(address: str) -> str:
    """A mailto: link target with the address percent-encoded.

    Even an address stored before the plain-email check cannot add headers
    (?cc=, &subject=) to the message: only the @ stays as it is.
    """
    return "mailto:" + quote(str(address), safe="@")


@register.simple_tag(takes_context=True)
def nav(context: Context) -> SafeString:
    """The top bar (core/jinja2/core/_nav.jinja), and for a logged-in viewer
    rendered once per viewer, address and change.

    It names the viewer, marks the current page, holds two forms (language,
    log out), shows the manager's links and the unread count: core.fragments
    keys it on all of that. Jinja2, as the hot partials: a new address (each
    account, year, search) renders it afresh, and Django's engine took some
    2.5 ms of every such page for it.
    """
    # A page rendered without a request (render_to_string in a script or a test)
    # still gets a bar: the logged-out one, without forms' tokens.
    request = context.get("request")
    user = context.get("user") or AnonymousUser()
    if request is None or not user.is_authenticated:
        bar = engines["jinja2"].get_template("core/_nav.jinja")
        plain = {} if request is not None else {"csrf_input": "", "request": None}
        return mark_safe(bar.render({**_nav_context(user, 0), **plain}, request))
    # The unread count of the bell (notifications.context_processors, in every
    # request's context): a new notification or one read renders the bar afresh.
    unread = context["unread_notifications"]
    return fragments.render_cached(
        request,
        "core/_nav.jinja",
        lambda: _nav_context(user, unread.count),
        scopes=["shared"],
        parts=[request.get_full_path(), unread],
    )


def _nav_context(user: Any, unread: int) -> dict[str, Any]:
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "user": user,
        "bell": _bell(language, unread) if user.is_authenticated else "",
        "language": language,
        "languages": settings.LANGUAGES,
    }


@per_language
def _bell(language: str, count: int) -> SafeString:
    """The bell for `count` unread: Django's template, the one htmx swaps in when
    one is read, rendered once per language and count."""
    return render_to_string("notifications/_bell.html", {"count": count})


@register.simple_tag
def jinja(name: str, **context: Any) -> SafeString:
    """The Jinja2 partial `name` rendered with `context` (kamteam/jinja2.py).

    Its output is HTML that Jinja2 escaped already (autoescape is on there).
    """
    return mark_safe(engines["jinja2"].get_template(name).render(context))
