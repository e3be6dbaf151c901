"""The account's revenue per year: actuals against the plans' targets; leads record actuals."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import account_access
from accounts.models import YEAR_MIN
from accounts.revenue import RevenueActualForm, revenue_years
from core.pages import confirm_action_page, save_form_page, workspace_page
from core.params import QueryReader, say_ignored


def _revenue_url(slug: str) -> str:
    return reverse("accounts:revenue", args=[slug])


@require_safe
def revenue(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    this_year = timezone.localdate().year
    years = revenue_years(access.account)
    recorded = {y.year for y in years if y.actual}
    return workspace_page(
        request,
        access,
        "accounts/revenue.html",
        "plan",
        years=list(reversed(years)),
        # Years a lead is likely to fill in next: this one and the last, if missing.
        missing=[y for y in (this_year, this_year - 1) if y not in recorded],
    )


def revenue_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    reader = QueryReader(request.GET)
    this_year = timezone.localdate().year
    year = reader.integer("year", low=YEAR_MIN, high=this_year)
    if request.method != "POST":
        say_ignored(request, reader.ignored)
    form = RevenueActualForm(
        request.POST or None,
        account=access.account,
        initial={"year": year or this_year - 1},
    )
    return save_form_page(
        request,
        access,
        form,
        saved=lambda actual: _("Revenue of %(year)s saved.") % {"year": actual.year},
        next_url=_revenue_url(slug),
        title=_("Record revenue"),
        cancel_url=_revenue_url(slug),
        tab="plan",
    )


def revenue_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    actual = get_object_or_404(access.account.revenue_actuals, pk=pk)
    return save_form_page(
        request,
        access,
        RevenueActualForm(request.POST or None, instance=actual, account=access.account),
        saved=lambda saved: _("Revenue of %(year)s saved.") % {"year": saved.year},
        next_url=_revenue_url(slug),
        title=_("Revenue of %(year)s") % {"year": actual.year},
        cancel_url=_revenue_url(slug),
        tab="plan",
    )


def revenue_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    actual = get_object_or_404(access.account.revenue_actuals, pk=pk)
    return confirm_action_page(
        request,
        access,
        action=actual.delete,
        done=_("Revenue of %(year)s deleted. The history keeps a record of it.")
        % {"year": actual.year},
        next_url=_revenue_url(slug),
        title=_("Delete the revenue of %(year)s?") % {"year": actual.year},
        message=_(
            "The recorded revenue of %(year)s will be removed; pages then show no actual "
            "for that year. The account history keeps a record of it."
        )
        % {"year": actual.year},
        submit=_("Delete"),
        cancel_url=_revenue_url(slug),
        tab="plan",
    )
