"""The team's rhythm: its meetings over the year, and who of the core team met in person."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import account_access
from core.pages import confirm_action_page, save_form_page
from touchpoints import selectors
from touchpoints.forms import TeamMeetingForm
from touchpoints.views.common import new_item_year, plan_year


@require_safe
def rhythm(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    year = plan_year(request)
    return render(
        request,
        "touchpoints/rhythm.html",
        {
            "access": access,
            "account": access.account,
            "tab": "touchpoints",
            "year": year,
            "meetings": selectors.meetings(access.account, year),
            "met_in_person": selectors.core_met_in_person(access.account, year),
        },
    )


def _rhythm_url(slug: str, year: int) -> str:
    return f"{reverse('touchpoints:rhythm', args=[slug])}?year={year}"


def meeting_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    instance = get_object_or_404(access.account.meetings, pk=pk) if pk else None
    # An edit starts from the meeting itself: an initial year would override its own.
    year = instance.year if instance else new_item_year(request)
    initial = {} if instance else {"year": year}
    return save_form_page(
        request,
        access,
        TeamMeetingForm(
            request.POST or None, instance=instance, account=access.account, initial=initial
        ),
        saved=_("Meeting saved."),
        next_url=lambda meeting: _rhythm_url(slug, meeting.year),
        title=_("Edit team meeting") if instance else _("Add team meeting"),
        cancel_url=_rhythm_url(slug, year),
        tab="touchpoints",
    )


def meeting_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    meeting = get_object_or_404(access.account.meetings, pk=pk)
    return confirm_action_page(
        request,
        access,
        action=meeting.delete,
        done=_("Meeting deleted. The history keeps a record of it."),
        next_url=_rhythm_url(slug, meeting.year),
        title=_("Delete “%(m)s”?") % {"m": meeting},
        message=_("The meeting leaves the team's rhythm."),
        submit=_("Delete"),
        cancel_url=_rhythm_url(slug, meeting.year),
        tab="touchpoints",
    )
