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
from django.views.decorators.http import require_POST, require_safe

from accounts.access import account_access
from core import fragments
from touchpoints import ics, selectors, services
from touchpoints.models import CalendarFeed, TeamMeeting, Touchpoint


@require_safe
def account_ics(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    account = access.account
    body = ics.build(
        account.name,
        account.touchpoints.exclude(status=Touchpoint.Status.CANCELLED).select_related(
            "contact", "owner__user", "account"
        ),
        account.meetings.exclude(status=TeamMeeting.Status.CANCELLED).select_related("account"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}.ics"'
    return response


@require_safe
def my_touchpoints(request: HttpRequest) -> HttpResponse:
    def context() -> dict[str, Any]:
        feed = CalendarFeed.objects.filter(user=request.user).first()
        feed_url = (
            request.build_absolute_uri(reverse("calendar_feed", args=[feed.token]))
            if feed
            else None
        )
        return {**selectors.my_touchpoints(request.user), "feed_url": feed_url}

    body = fragments.render_cached(
        request,
        "touchpoints/_my_touchpoints_body.html",
        context,
        scopes=fragments.ALL,
        parts=[request.build_absolute_uri("/")],  # the feed address holds the host
    )
    return render(request, "touchpoints/my_touchpoints.html", {"body": body})


@require_POST
def feed_renew(request: HttpRequest) -> HttpResponse:
    services.feed_renew(user=request.user)
    messages.success(
        request, _("Your calendar address is ready. Any earlier address no longer works.")
    )
    return redirect("my_touchpoints")


@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    services.feed_revoke(user=request.user)
    messages.success(request, _("Your calendar address is revoked."))
    return redirect("my_touchpoints")


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
        Touchpoint.objects.filter(
            owner__user=user,
            owner__archived_at__isnull=True,
        )
        .exclude(status=Touchpoint.Status.CANCELLED)
        .select_related("contact", "owner__user", "account"),
        TeamMeeting.objects.filter(participants__user=user, participants__archived_at__isnull=True)
        .exclude(status=TeamMeeting.Status.CANCELLED)
        .select_related("account")
        .distinct(),
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
