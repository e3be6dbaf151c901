"""Touchpoint plan, relationship plan, team rhythm, my touchpoints, calendar feeds."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import reswap, retarget

from accounts.access import AccountAccess, account_access
from accounts.models import YEAR_MAX, YEAR_MIN
from accounts.views import _cached_workspace, _confirm_page, _form_page, _form_status
from kamteam import fragments
from kamteam.concurrency import save_or_form_error
from kamteam.params import int_param
from profiles.access import can_view_contact_profiles
from touchpoints import exports, ics, selectors, services
from touchpoints.forms import (
    RelationshipPairForm,
    TeamMeetingForm,
    TouchpointDoneForm,
    TouchpointForm,
)
from touchpoints.models import CalendarFeed, TeamMeeting, Touchpoint


def _year(request: HttpRequest) -> int:
    """The plan year from ?year=, clamped to the years a plan may have; this year by default."""
    year = int_param(request.GET.get("year"))
    if year is None:
        return selectors.this_quarter()[0]
    return min(max(year, YEAR_MIN), YEAR_MAX)


def _grid_url(slug: str, year: int) -> str:
    return f"{reverse('touchpoints:grid', args=[slug])}?year={year}"


@require_safe
def grid(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    year = _year(request)
    return _cached_workspace(
        request,
        access,
        "touchpoints/grid.html",
        "touchpoints",
        "touchpoints/_grid_body.html",
        lambda: {
            "year": year,
            "rows": selectors.touchpoint_grid(access.account, year),
            "quarters": [1, 2, 3, 4],
            "current": selectors.this_quarter(),
            "show_profiles": can_view_contact_profiles(access),
        },
        year,
    )


@require_safe
def print_view(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    year = _year(request)
    return render(
        request,
        "touchpoints/print.html",
        {
            "account": access.account,
            "year": year,
            "quarters": [1, 2, 3, 4],
            "rows": selectors.touchpoint_grid(access.account, year),
        },
    )


@require_safe
def export_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    year = _year(request)
    response = HttpResponse(
        exports.grid_xlsx(access.account, year, selectors.touchpoint_grid(access.account, year)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="touchpoints-{slug}-{year}.xlsx"'
    return response


def _cell_context(access: AccountAccess, contact_id: int, quarter: int, year: int) -> dict:
    row = next(
        (r for r in selectors.touchpoint_grid(access.account, year) if r.contact.pk == contact_id),
        None,
    )
    return {
        "access": access,
        "account": access.account,
        "year": year,
        "quarter": quarter,
        "contact": row.contact if row else None,
        "cell": row.quarters[quarter - 1] if row else [],
    }


def touchpoint_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    instance = get_object_or_404(access.account.touchpoints, pk=pk) if pk else None
    initial: dict[str, Any] = {"year": _year(request)}
    for key in ("contact", "quarter"):
        value = int_param(request.GET.get(key))
        if value is not None:
            initial[key] = value
    form = TouchpointForm(
        request.POST or None, instance=instance, account=access.account, initial=initial
    )
    posted = request.method == "POST" and form.is_valid()
    tp = save_or_form_error(form, form.save_checked) if posted else None
    if tp is not None:
        if request.htmx:
            # The form swaps itself (so errors stay in the cell); a saved
            # touchpoint redraws the whole cell instead.
            response = render(
                request,
                "touchpoints/_cell.html",
                _cell_context(access, tp.contact_id, tp.quarter, tp.year),
            )
            response = retarget(response, f"#cell-{tp.contact_id}-{tp.quarter}")
            return reswap(response, "outerHTML")
        messages.success(request, _("Touchpoint saved."))
        return redirect(_grid_url(slug, tp.year))
    if request.htmx:
        return render(
            request,
            "touchpoints/_cell_form.html",
            {
                "form": form,
                "account": access.account,
                "year": initial["year"],
                "cancel": f"{_grid_url(slug, initial['year'])}",
            },
        )
    return _form_page(
        request,
        access,
        form,
        title=_("Edit touchpoint") if instance else _("Add touchpoint"),
        cancel_url=_grid_url(slug, instance.year if instance else initial["year"]),
        tab="touchpoints",
        status=_form_status(form),
    )


def touchpoint_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    tp = get_object_or_404(access.account.touchpoints, pk=pk)
    if request.method == "POST":
        tp.delete()
        messages.success(request, _("Touchpoint deleted. The history keeps a record of it."))
        return redirect(_grid_url(slug, tp.year))
    return _confirm_page(
        request,
        access,
        title=_("Delete “%(title)s”?") % {"title": tp.title},
        message=_(
            "The touchpoint leaves the plan; the history keeps a record of it. To keep "
            "it visible, set its status to cancelled instead."
        ),
        submit=_("Delete"),
        cancel_url=_grid_url(slug, tp.year),
        tab="touchpoints",
    )


def _local_next(request: HttpRequest) -> str | None:
    """?next= when it is a path on this site, else None.

    Only paths: redirect() would take any other word for a view name (and
    fail), and an address elsewhere would make kamteam an open redirect.
    """
    next_url = request.GET.get("next", "")
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return next_url


def touchpoint_done(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Owners mark their own touchpoints done; leads any."""
    access = account_access(request.user, slug)
    tp = get_object_or_404(access.account.touchpoints.select_related("owner"), pk=pk)
    if not (access.can_edit or (tp.owner.user_id == request.user.pk and access.account.is_active)):
        raise PermissionDenied(_("Only the touchpoint's owner or a lead can mark it done."))
    form = TouchpointDoneForm(request.POST or None, instance=tp)
    if request.method == "POST" and form.is_valid():
        done = save_or_form_error(
            form,
            lambda: services.touchpoint_done(
                touchpoint=tp,
                outcome=form.cleaned_data["outcome"],
                expected_version=form.expected_version,
            ),
        )
        if done is not None:
            messages.success(request, _("“%(title)s” is done.") % {"title": tp.title})
            return HttpResponseRedirect(_local_next(request) or _grid_url(slug, tp.year))
    return _form_page(
        request,
        access,
        form,
        title=_("Mark done: %(title)s") % {"title": tp.title},
        cancel_url=reverse("my_touchpoints"),
        tab="touchpoints",
        submit=_("Mark done"),
        status=_form_status(form),
    )


def roll_forward(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    year = _year(request)
    if year >= YEAR_MAX:
        messages.error(request, _("%(year)s is the last year kamteam plans for.") % {"year": year})
        return redirect(_grid_url(slug, year))
    if request.method == "POST":
        result = services.roll_forward(account=access.account, year=year)
        messages.success(
            request,
            _(
                "Copied to %(next)s. Touchpoints: %(t)d, meetings: %(m)d, left out: %(s)d "
                "(already there or no longer possible)."
            )
            % {
                "next": year + 1,
                "t": result.touchpoints,
                "m": result.meetings,
                "s": result.skipped,
            },
        )
        return redirect(_grid_url(slug, year + 1))
    return _confirm_page(
        request,
        access,
        title=_("Copy %(year)s to %(next)s?") % {"year": year, "next": year + 1},
        message=_(
            "Every touchpoint and team meeting of %(year)s that is not cancelled is "
            "copied to %(next)s as planned, without outcomes. Items already in %(next)s "
            "are not copied twice."
        )
        % {"year": year, "next": year + 1},
        submit=_("Roll forward"),
        cancel_url=_grid_url(slug, year),
        tab="touchpoints",
        danger=False,
    )


@require_safe
def relationships(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    return render(
        request,
        "touchpoints/relationships.html",
        {
            "access": access,
            "account": access.account,
            "tab": "touchpoints",
            **selectors.relationship_plan(access.account, request.user),
        },
    )


def relationship_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    instance = get_object_or_404(access.account.relationships, pk=pk) if pk else None
    contact_id = int_param(request.GET.get("contact"))
    initial = {"contact": contact_id} if contact_id is not None else {}
    form = RelationshipPairForm(
        request.POST or None, instance=instance, account=access.account, initial=initial
    )
    posted = request.method == "POST" and form.is_valid()
    if posted and save_or_form_error(form, form.save_checked) is not None:
        messages.success(request, _("Relationship saved."))
        return redirect("touchpoints:relationships", slug)
    return _form_page(
        request,
        access,
        form,
        title=_("Edit relationship") if instance else _("Add relationship"),
        cancel_url=reverse("touchpoints:relationships", args=[slug]),
        tab="touchpoints",
        status=_form_status(form),
    )


def relationship_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    pair = get_object_or_404(access.account.relationships, pk=pk)
    url = reverse("touchpoints:relationships", args=[slug])
    if request.method == "POST":
        pair.delete()
        messages.success(request, _("Relationship removed. The history keeps a record of it."))
        return redirect(url)
    return _confirm_page(
        request,
        access,
        title=_("Remove “%(pair)s”?") % {"pair": pair},
        message=_("The pair leaves the relationship plan."),
        submit=_("Remove"),
        cancel_url=url,
        tab="touchpoints",
    )


@require_safe
def rhythm(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    year = _year(request)
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
    form = TeamMeetingForm(
        request.POST or None,
        instance=instance,
        account=access.account,
        initial={"year": _year(request)},
    )
    posted = request.method == "POST" and form.is_valid()
    meeting = save_or_form_error(form, form.save_checked) if posted else None
    if meeting is not None:
        messages.success(request, _("Meeting saved."))
        return redirect(_rhythm_url(slug, meeting.year))
    return _form_page(
        request,
        access,
        form,
        title=_("Edit team meeting") if instance else _("Add team meeting"),
        cancel_url=_rhythm_url(slug, _year(request)),
        tab="touchpoints",
        status=_form_status(form),
    )


def meeting_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    meeting = get_object_or_404(access.account.meetings, pk=pk)
    if request.method == "POST":
        meeting.delete()
        messages.success(request, _("Meeting deleted. The history keeps a record of it."))
        return redirect(_rhythm_url(slug, meeting.year))
    return _confirm_page(
        request,
        access,
        title=_("Delete “%(m)s”?") % {"m": meeting},
        message=_("The meeting leaves the team's rhythm."),
        submit=_("Delete"),
        cancel_url=_rhythm_url(slug, meeting.year),
        tab="touchpoints",
    )


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
