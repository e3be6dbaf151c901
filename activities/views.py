"""The Activities tab: the account's timeline of calls, visits, e-mails and meetings."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import AccountAccess, account_access
from activities import access as rules
from activities import selectors, services
from activities.forms import ActivityForm
from activities.models import Activity, ActivityKind
from core.pages import confirm_action_page, save_form_page, workspace_page
from core.params import int_param

TAB = "activities"
PAGE_SIZE = 25


def _list_url(slug: str) -> str:
    return reverse("activities:list", args=[slug])


def _filter(request: HttpRequest) -> selectors.TimelineFilter:
    kind = request.GET.get("kind", "")
    return selectors.TimelineFilter(
        kind=kind if kind in ActivityKind.values else "",
        person=int_param(request.GET.get("person")),
        contact=int_param(request.GET.get("contact")),
    )


@require_safe
def activity_list(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    chosen = _filter(request)
    rows = selectors.timeline(access.account, chosen)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for activity in page.object_list:
        activity.can_change = rules.can_change(access, activity)
    contact = access.account.contacts.filter(pk=chosen.contact).first() if chosen.contact else None
    query = request.GET.copy()
    query.pop("page", None)
    return workspace_page(
        request,
        access,
        "activities/list.html",
        TAB,
        page=page,
        chosen=chosen,
        contact=contact,
        kinds=ActivityKind.choices,
        people=selectors.team_people(access.account),
        page_query=query.urlencode(),
        can_log=rules.can_log(access),
        filtered=bool(chosen.kind or chosen.person or chosen.contact),
    )


def _activity(access: AccountAccess, pk: int) -> Activity:
    return get_object_or_404(access.account.activities.all(), pk=pk)


def activity_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    access = account_access(request.user, slug)
    if pk is None:
        rules.require_log(access)
        activity = None
    else:
        activity = _activity(access, pk)
        rules.require_change(access, activity)
    contact_id = int_param(request.GET.get("contact"))
    form = ActivityForm(
        request.POST or None,
        instance=activity,
        account=access.account,
        actor=request.user,
        contact_id=contact_id,
    )
    return save_form_page(
        request,
        access,
        form,
        save=lambda: services.activity_save(
            activity=form.save(commit=False),
            expected_version=form.expected_version,
            contacts=form.cleaned_data["contacts"],
            participants=form.cleaned_data["participants"],
            actor=request.user,
        ),
        saved=_("Activity saved.") if activity else _("Activity logged."),
        next_url=lambda saved: saved.get_absolute_url(),
        title=_("Edit activity") if activity else _("Log an activity"),
        cancel_url=_list_url(slug),
        tab=TAB,
        submit=None if activity else _("Log"),
    )


def activity_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug)
    activity = _activity(access, pk)
    rules.require_change(access, activity)
    return confirm_action_page(
        request,
        access,
        action=activity.delete,
        done=_("Activity deleted. The history keeps a record of it."),
        next_url=_list_url(slug),
        title=_("Delete “%(subject)s”?") % {"subject": activity.subject},
        message=_(
            "The activity leaves the timeline, and the last contact of its contacts may move "
            "back; the history keeps a record of it."
        ),
        submit=_("Delete"),
        cancel_url=_list_url(slug),
        tab=TAB,
    )
