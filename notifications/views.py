"""A person's own notifications and their settings: nobody sees anyone else's.

Every view reads through `Notification.objects.for_user(request.user)`, so
another person's notification is a 404, as if it did not exist.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST, require_safe

from core.pages import form_status
from notifications import services
from notifications.context_processors import UnreadCount
from notifications.forms import PreferencesForm
from notifications.models import Notification

PAGE_SIZE = 25


def _local(request: HttpRequest, url: str) -> str | None:
    """`url` when it is a path on this site, else None: never an open redirect."""
    if not url.startswith("/") or not url_has_allowed_host_and_scheme(
        url, {request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return url


@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    mine = Notification.objects.for_user(request.user).select_related("actor")
    page = Paginator(mine, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "notifications": list(page.object_list)},
    )


@require_safe
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.mark_read(notification=notification)
    return redirect(_local(request, notification.url) or reverse("notifications:list"))


@require_POST
def notification_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read: htmx swaps the item (and the bell); a plain form goes back."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.mark_read(notification=notification)
    if request.htmx:
        return render(
            request,
            "notifications/_mark_read_swap.html",
            {"n": notification, "count": UnreadCount(request.user).count, "oob": True},
        )
    return HttpResponseRedirect(
        _local(request, request.POST.get("next", "")) or reverse("notifications:list")
    )


@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    marked = services.mark_all_read(user=request.user)
    if marked:
        messages.success(request, _("All your notifications are marked read."))
    return redirect("notifications:list")


def notification_settings(request: HttpRequest) -> HttpResponse:
    """How the person hears of each kind, and the language of their e-mails."""
    user = request.user
    form = PreferencesForm(
        request.POST or None,
        channels=services.preferences_of(user),
        language=user.preferred_language,
        weekly_digest=services.wants_digest(user),
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_save(
            user=user,
            channels=form.channels(),
            language=form.cleaned_data["language"],
            weekly_digest=form.cleaned_data["weekly_digest"],
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form}, status=form_status(form))


@login_not_required  # the switch is on the login page too
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch; a logged-in person's choice is kept for their e-mails too."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if (
        request.method == "POST"
        and user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and language != user.language
    ):
        services.language_save(user=user, language=language)
    return response
