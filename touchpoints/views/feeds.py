"""My touchpoints across accounts, and the calendar feeds.

An account's plan downloads as one .ics file; a person's own touchpoints and
meetings are at a secret address that calendar programs subscribe to.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.access import account_access
from actions.selectors import feed_actions
from core import fragments
from touchpoints import ics, mine, selectors, services
from touchpoints.models import CalendarFeed, TeamMeeting, Touchpoint


@require_safe
def account_ics(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    account = access.account
    body = ics.build(
        account.name,
        account.touchpoints.exclude(status=Touchpoint.Status.CANCELLED)
        .select_related("contact", "owner__user", "account")
        .prefetch_related("companions__user"),
        account.meetings.exclude(status=TeamMeeting.Status.CANCELLED).select_related("account"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}.ics"'
    return response


@require_safe
def my_touchpoints(request: HttpRequest) -> HttpResponse:
    # One cache entry per page number, however it was written ("01", "1x": page 1).
    raw = request.GET.get("page", "")
    page = str(int(raw)) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else ""

    def context() -> dict[str, Any]:
        feed = mine.calendar_feed_of(request.user.pk)
        feed_url = (
            request.build_absolute_uri(reverse("calendar_feed", args=[feed.token]))
            if feed
            else None
        )
        return {**mine.my_touchpoints(request.user, page), "feed_url": feed_url}

    body = fragments.render_cached(
        request,
        "touchpoints/_my_touchpoints_body.html",
        context,
        scopes=fragments.ALL,
        # The feed address holds the host; a page of its own per page number.
        parts=[request.build_absolute_uri("/"), page or ""],
    )
    return render(request, "touchpoints/my_touchpoints.html", {"body": body})


def _feed_confirm(
    request: HttpRequest, *, title: str, message: str, submit: str, danger: bool = True
) -> HttpResponse:
    """Ask before the calendar address changes: a subscribed calendar would stop updating.

    Without `submit` the page only explains and leads back.
    """
    return render(
        request,
        "touchpoints/feed_confirm.html",
        {"title": title, "message": message, "submit_label": submit, "danger": danger},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def feed_renew(request: HttpRequest) -> HttpResponse:
    """Create the address, or (asked first, on GET) replace it with a new one."""
    exists = CalendarFeed.objects.filter(user=request.user).exists()
    if request.method == "POST":
        services.feed_renew(user=request.user)
        messages.success(
            request, _("Your calendar address is ready. Any earlier address no longer works.")
        )
        return redirect("my_touchpoints")
    if not exists:
        # Nothing subscribed can break: the page's button creates it straight away.
        return _feed_confirm(
            request,
            title=_("Create your calendar address?"),
            message=_(
                "You get a secret address to subscribe to in Outlook or Thunderbird. Anyone "
                "who knows it can read your dated touchpoints and team meetings."
            ),
            submit=_("Create my calendar address"),
            danger=False,
        )
    return _feed_confirm(
        request,
        title=_("Renew your calendar address?"),
        message=_(
            "You get a new secret address and the current one stops working at once. "
            "Outlook, Thunderbird or a phone subscribed to the current address no longer "
            "updates: remove that subscription and subscribe to the new address. Renew "
            "only if the address leaked."
        ),
        submit=_("Renew address"),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def feed_revoke(request: HttpRequest) -> HttpResponse:
    """Delete the address, asked first (on GET)."""
    if request.method == "POST":
        services.feed_revoke(user=request.user)
        messages.success(request, _("Your calendar address is revoked."))
        return redirect("my_touchpoints")
    if not CalendarFeed.objects.filter(user=request.user).exists():
        return _feed_confirm(
            request,
            title=_("Revoke your calendar address?"),
            message=_("You have no calendar address at the moment: there is nothing to revoke."),
            submit="",
        )
    return _feed_confirm(
        request,
        title=_("Revoke your calendar address?"),
        message=_(
            "The address stops working at once: Outlook, Thunderbird or a phone subscribed "
            "to it no longer updates. You can create a new address later."
        ),
        submit=_("Revoke address"),
    )


@login_not_required
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret-address feed for calendar programs, which cannot log in."""
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None or not feed.user.is_active:
        raise Http404  # no hint whether the address ever existed
    user = feed.user
    body = ics.build(
        "kamteam",
        Touchpoint.objects.filter(selectors.owned_or_joined_by(user.pk))
        .exclude(status=Touchpoint.Status.CANCELLED)
        .select_related("contact", "owner__user", "account")
        .prefetch_related("companions__user"),
        TeamMeeting.objects.filter(participants__user=user, participants__archived_at__isnull=True)
        .exclude(status=TeamMeeting.Status.CANCELLED)
        .select_related("account")
        .distinct(),
        feed_actions(user),
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
