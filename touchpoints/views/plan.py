"""The touchpoint plan: the quarterly grid, its print and spreadsheet, and changes to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_htmx.http import reswap, retarget

from accounts.access import AccountAccess, account_access
from accounts.models import YEAR_MAX
from core.concurrency import save_or_form_error
from core.pages import (
    cached_workspace_page,
    confirm_action_page,
    form_status,
    save_form_page,
    workspace_page,
)
from core.params import int_param
from profiles.access import can_view_contact_profiles
from touchpoints import exports, selectors, services
from touchpoints.access import require_mark_done
from touchpoints.forms import TouchpointDoneForm, TouchpointForm
from touchpoints.models import Touchpoint
from touchpoints.views.common import grid_url, new_item_year, plan_year


@require_safe
def grid(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    year = plan_year(request)
    return cached_workspace_page(
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
    year = plan_year(request)
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
    year = plan_year(request)
    response = HttpResponse(
        exports.grid_xlsx(access.account, year, selectors.touchpoint_grid(access.account, year)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="touchpoints-{slug}-{year}.xlsx"'
    return response


def _cell_context(access: AccountAccess, tp: Touchpoint) -> dict:
    """The cell `tp` was saved in, to redraw it: its contact is the one the
    form checked (an active contact of the account), so only the cell's
    touchpoints are read."""
    return {
        "access": access,
        "account": access.account,
        "year": tp.year,
        "quarter": tp.quarter,
        "contact": tp.contact,
        "cell": selectors.touchpoint_cell(access.account, tp.contact_id, tp.year, tp.quarter),
    }


def _new_touchpoint_initial(request: HttpRequest) -> dict[str, Any]:
    """Where the grid's "Add" link points: contact, quarter and year from the address."""
    initial: dict[str, Any] = {"year": new_item_year(request)}
    for key in ("contact", "quarter"):
        value = int_param(request.GET.get(key))
        if value is not None:
            initial[key] = value
    return initial


def touchpoint_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    instance = get_object_or_404(access.account.touchpoints, pk=pk) if pk else None
    # An edit starts from the touchpoint itself: initial values would override
    # its own year and move it to the one in the address (or this year).
    initial = {} if instance else _new_touchpoint_initial(request)
    year = instance.year if instance else initial["year"]
    previous_owner_id = instance.owner_id if instance else None  # before the form applies input
    form = TouchpointForm(
        request.POST or None,
        instance=instance,
        account=access.account,
        own_seats=access.memberships,
        initial=initial,
    )

    def save() -> Touchpoint:
        tp = form.save_checked()
        if form.has_changed():  # the owner hears of real changes only
            services.touchpoint_notify(
                touchpoint=tp, previous_owner_id=previous_owner_id, actor=request.user
            )
        return tp

    posted = request.method == "POST" and form.is_valid()
    tp = save_or_form_error(form, save) if posted else None
    if tp is not None:
        if request.htmx:
            # The form swaps itself (so errors stay in the cell); a saved
            # touchpoint redraws the whole cell instead.
            response = render(
                request,
                "touchpoints/_cell.html",
                _cell_context(access, tp),
            )
            response = retarget(response, f"#cell-{tp.contact_id}-{tp.quarter}")
            return reswap(response, "outerHTML")
        messages.success(request, _("Touchpoint saved."))
        return redirect(grid_url(slug, tp.year))
    if request.htmx:
        return render(
            request,
            "touchpoints/_cell_form.html",
            {"form": form, "account": access.account, "year": year, "cancel": grid_url(slug, year)},
        )
    return workspace_page(
        request,
        access,
        "workspace/form_page.html",
        "touchpoints",
        status=form_status(form),
        form=form,
        title=_("Edit touchpoint") if instance else _("Add touchpoint"),
        submit_label=_("Save"),
        cancel_url=grid_url(slug, year),
        # Deleting is offered where a touchpoint is edited, as in the grid.
        delete_url=reverse("touchpoints:delete", args=[slug, instance.pk]) if instance else "",
    )


def touchpoint_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    tp = get_object_or_404(access.account.touchpoints, pk=pk)
    return confirm_action_page(
        request,
        access,
        action=tp.delete,
        done=_("Touchpoint deleted. The history keeps a record of it."),
        next_url=grid_url(slug, tp.year),
        title=_("Delete “%(title)s”?") % {"title": tp.title},
        message=_(
            "The touchpoint leaves the plan; the history keeps a record of it. To keep "
            "it visible, set its status to cancelled instead."
        ),
        submit=_("Delete"),
        cancel_url=grid_url(slug, tp.year),
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
    """Owners mark their own touchpoints done; leads any (touchpoints.access)."""
    access = account_access(request.user, slug)
    # Its owner decides who may mark it done; its contact is named in the notification;
    # its companions' links are copied into its history entry.
    tp, companion_links = selectors.touchpoint_to_mark_done(access.account, pk)
    # The same rule decides whether the grid offers "Mark done" (touchpoint_rules).
    require_mark_done(access, tp)
    form = TouchpointDoneForm(request.POST or None, instance=tp)

    def save() -> Touchpoint:
        return services.touchpoint_done(
            touchpoint=tp,
            outcome=form.cleaned_data["outcome"],
            expected_version=form.expected_version,
            actor=request.user,
            companion_links=companion_links,
        )

    if request.htmx and request.method == "POST":
        return _done_in_place(request, access, tp, form, save)
    return save_form_page(
        request,
        access,
        form,
        save=save,
        saved=_("“%(title)s” is done.") % {"title": tp.title},
        next_url=lambda _done: _local_next(request) or grid_url(slug, tp.year),
        title=_("Mark done: %(title)s") % {"title": tp.title},
        cancel_url=reverse("my_touchpoints"),
        tab="touchpoints",
        submit=_("Mark done"),
    )


def _done_in_place(
    request: HttpRequest,
    access: AccountAccess,
    tp: Touchpoint,
    form: TouchpointDoneForm,
    save: Callable[[], Touchpoint],
) -> HttpResponse:
    """The home page's "Mark done", sent with htmx: the item answers in its place.

    Saved, it says so; refused (bad input, someone saved the touchpoint
    meanwhile), the form stays open with the message at the field. Always
    200: htmx swaps only successful answers into the page.
    """
    done = form.is_valid() and save_or_form_error(form, save) is not None
    tp.account = access.account
    return render(request, "touchpoints/_due_item.html", {"tp": tp, "form": form, "done": done})


def roll_forward(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    year = plan_year(request)
    if year >= YEAR_MAX:
        messages.error(request, _("%(year)s is the last year kamteam plans for.") % {"year": year})
        return redirect(grid_url(slug, year))
    return confirm_action_page(
        request,
        access,
        action=lambda: services.roll_forward(account=access.account, year=year),
        done=lambda result: (
            _(
                "Copied to %(next)s. Touchpoints: %(t)d, meetings: %(m)d, left out: %(s)d "
                "(already there or no longer possible)."
            )
            % {
                "next": year + 1,
                "t": result.touchpoints,
                "m": result.meetings,
                "s": result.skipped,
            }
        ),
        next_url=grid_url(slug, year + 1),
        title=_("Copy %(year)s to %(next)s?") % {"year": year, "next": year + 1},
        message=_(
            "Every touchpoint and team meeting of %(year)s that is not cancelled is "
            "copied to %(next)s as planned, without outcomes. Items already in %(next)s "
            "are not copied twice."
        )
        % {"year": year, "next": year + 1},
        submit=_("Roll forward"),
        cancel_url=grid_url(slug, year),
        tab="touchpoints",
        danger=False,
    )
