"""Managers' portfolio review, the company-wide directory, and the plan print."""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts import selectors as account_selectors
from accounts.access import account_access
from accounts.models import KeyAccount
from accounts.revenue import revenue_columns
from core import fragments
from core.collation import by_name
from core.i18n import country_name
from core.pages import workspace_page
from core.params import QueryReader, say_ignored
from notifications.kinds import Kind
from notifications.services import account_leads, notify
from portfolio import charts, exports, health, scores, selectors
from portfolio.filters import DEFAULT_SORT, SORTS, TRENDS, PortfolioFilter, portfolio_order
from portfolio.forms import KamFilterForm, PlanReviewForm
from portfolio.health_line import health_line
from portfolio.trend import TREND_LABELS, TREND_STEP, TREND_WEEKS
from portfolio.weights import weights_of, weights_shown
from touchpoints import selectors as touchpoint_selectors
from users.models import User

PAGE_SIZE = 25


def _require_manager(user: User) -> None:
    """The portfolio is the managers' (and staff's) view across all accounts."""
    if not user.is_manager:
        raise PermissionDenied(_("Only managers review the key account portfolio."))


def _chosen(request: HttpRequest) -> PortfolioFilter:
    chosen = PortfolioFilter.from_query(request.GET)
    say_ignored(request, chosen.ignored)
    return chosen


@require_safe
def portfolio(request: HttpRequest) -> HttpResponse:
    _require_manager(request.user)

    chosen = _chosen(request)  # outside the cached part: its warning is per request

    def context() -> dict[str, Any]:
        accounts = portfolio_order(chosen)
        totals = selectors.classification_totals(accounts)
        paginator = Paginator(accounts.values_list("pk", flat=True), PAGE_SIZE)
        # The same rows counted once: every account has one classification.
        paginator.count = sum(totals.values())
        page = paginator.get_page(request.GET.get("page"))
        rows = scores.page_rows(
            list(page.object_list), revenue_year=chosen.year, refreshed=chosen.needs_score
        )
        return {
            "page": page,
            "rows": rows,
            "chosen": chosen,
            "classifications": KeyAccount.Classification.choices,
            "countries": [(c, country_name(c)) for c in selectors.country_choices()],
            "kam_field": KamFilterForm.widget_for(chosen.kam),
            "bands": selectors.BANDS.values(),
            "trends": [(code, TREND_LABELS[code]) for code in TRENDS],
            "sorts": _sort_links(chosen),
            "query": chosen.query().urlencode(),
            "counts": selectors.classification_rows(totals),
            **_formula(weights_shown(rows)),
            "healthy_from": selectors.HEALTHY_FROM,
            "watch_from": selectors.WATCH_FROM,
            "quarter": touchpoint_selectors.this_quarter(),
        }

    body = fragments.render_cached(
        request,
        "portfolio/_portfolio_body.html",
        context,
        scopes=fragments.ALL,
        parts=[chosen.query().urlencode(), request.GET.get("page", "")],
    )
    return render(request, "portfolio/portfolio.html", {"body": body})


def _formula(weights: dict[str, int]) -> dict[str, Any]:
    """The weights in force and a draft plan's points, for the formula under the table."""
    share = weights["plan"]
    return {
        "weights": weights,
        "draft_points": share * selectors.DRAFT_PLAN_POINTS // selectors.POINTS,
        "empty_points": share * selectors.EMPTY_PLAN_POINTS // selectors.POINTS,
        "trend_weeks": TREND_WEEKS,
        "trend_step": TREND_STEP,
    }


def _sort_links(chosen: PortfolioFilter) -> dict[str, Any]:
    """For each sortable column: the query string that sorts by it, and its state."""
    links = {}
    for key in SORTS:
        params = chosen.query()
        active = chosen.sort == key
        params["sort"] = f"-{key}" if active and not chosen.descending else key
        state = ("descending" if chosen.descending else "ascending") if active else "none"
        links[key] = {"query": params.urlencode(), "state": state}
    return links


@require_safe
def matrix(request: HttpRequest) -> HttpResponse:
    _require_manager(request.user)
    chosen = _chosen(request)
    # As the list reads them: a health filter reads the stored scores
    # (portfolio.scores), never every account's score computed afresh, which
    # took seconds at 5,000 accounts. Only the chosen year's revenue is added.
    # The order does not matter here: a sort's own columns (the last change,
    # the pipeline) would only cost time.
    unsorted = dataclasses.replace(chosen, sort=DEFAULT_SORT, descending=False)
    accounts = portfolio_order(unsorted).annotate(**revenue_columns(chosen.year))
    data = [
        {
            "name": a["name"],
            # Lazy: only the accounts drawn or listed are reversed (a crowded
            # cell shows MAX_PER_CELL of its thousands).
            "url": reverse_lazy("accounts:detail", args=[a["slug"]]),
            "classification": a["classification"],
            "attractiveness": a["attractiveness"],
            "relative_position": a["relative_position"],
            "revenue": a["revenue_actual"] or 0,
        }
        for a in accounts.values(
            "name",
            "slug",
            "classification",
            "attractiveness",
            "relative_position",
            "revenue_actual",
        )
    ]

    def cell_url(attractiveness: int, position: int) -> str:
        """The portfolio list of one crowded cell, with the filters chosen here."""
        return (
            f"{reverse('portfolio:portfolio')}?{chosen.query_with_cell(attractiveness, position)}"
        )

    bubbles = charts.bubbles(data, cell_url)
    context = {
        "chosen": chosen,
        "bubbles": bubbles,
        "crowded": any(b.count > 1 for b in bubbles),
        "max_per_cell": charts.MAX_PER_CELL,
        "x_ticks": charts.x_ticks(),
        "y_ticks": charts.y_ticks(),
        "grid": charts.grid_table(data, cell_url),
        "positions": range(1, 6),
        "chart": charts.frame(),
        # Counted from the rows read: a second query would run the filters again
        # (a pipeline filter computes every account's coverage).
        "counts": selectors.classification_rows(Counter(row["classification"] for row in data)),
        "total": len(data),
        "classifications": KeyAccount.Classification.choices,
        "query": chosen.query().urlencode(),
    }
    return render(request, "portfolio/matrix.html", context)


# Accounts read per query of an export: the page's own read (scores.page_rows),
# so memory per query stays bounded however large the portfolio.
EXPORT_CHUNK = 500


def _export_rows(request: HttpRequest) -> tuple[int, list[KeyAccount]]:
    """The revenue year and the chosen accounts with every column, in the list's order.

    Read as the list reads its pages, from the stored scores: computing every
    account's score afresh in one query took 7 to 8 s at 5,000 accounts.
    """
    _require_manager(request.user)
    chosen = _chosen(request)
    ids = list(portfolio_order(chosen).values_list("pk", flat=True))
    rows: list[KeyAccount] = []
    for start in range(0, len(ids), EXPORT_CHUNK):
        rows += scores.page_rows(
            ids[start : start + EXPORT_CHUNK],
            revenue_year=chosen.year,
            # brought up to date once: by a health filter or sort, else by the first chunk
            refreshed=chosen.needs_score or start > 0,
        )
    return chosen.year, rows


def _filename(extension: str) -> str:
    return f'attachment; filename="kamteam-portfolio-{timezone.localdate()}.{extension}"'


@require_safe
def export_xlsx(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        exports.portfolio_xlsx(*_export_rows(request)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = _filename("xlsx")
    return response


@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        exports.portfolio_csv(*_export_rows(request)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = _filename("csv")
    return response


def plan_review(request: HttpRequest, slug: str, plan_id: int) -> HttpResponse:
    access = account_access(request.user, slug)
    plan = get_object_or_404(access.account.plans, pk=plan_id)
    access.require_plan_review()
    form = PlanReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        review = form.save(commit=False)
        review.plan = plan
        review.reviewed_by = request.user
        with transaction.atomic():
            review.save()
            notify(
                kind=Kind.PLAN_REVIEWED,
                recipients=account_leads(access.account),
                actor=request.user,
                account=access.account,
                url=plan.get_absolute_url(),
                params={"account": access.account.name, "period": plan.period},
            )
        messages.success(
            request,
            _("Plan %(period)s marked as reviewed. The account's leads see your comment.")
            % {"period": plan.period},
        )
        return redirect(plan)
    context = {
        "access": access,
        "account": access.account,
        "tab": "plan",
        "plan": plan,
        "form": form,
        "reviews": list(plan.reviews.select_related("reviewed_by")),
    }
    return render(
        request, "portfolio/plan_review.html", context, status=400 if form.is_bound else 200
    )


@require_safe
def account_health(request: HttpRequest, slug: str) -> HttpResponse:
    """One account's health score, part by part, with what to do about each shortfall."""
    access = account_access(request.user, slug)
    today = timezone.localdate()
    account = access.account
    row = selectors.portfolio_queryset(
        today=today, accounts=KeyAccount.objects.filter(pk=account.pk)
    ).get()
    return workspace_page(
        request,
        access,
        "portfolio/health.html",
        "overview",
        row=row,
        band=selectors.band_of(row.health),
        parts=health.breakdown(row, today),
        weights=weights_of(row),
        year=today.year,
        line=health_line(account, today=today),
        healthy_from=selectors.HEALTHY_FROM,
        watch_from=selectors.WATCH_FROM,
    )


@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    """Every active key account and its KAM, for everyone in the company.

    The handbook's internal promotion: people should know the most important
    customers and whom to ask. Nothing team-internal is shown here.
    """
    reader = QueryReader(request.GET)
    accounts, query, classification = account_selectors.searched(
        KeyAccount.objects.active(), reader
    )
    say_ignored(request, reader.ignored)
    accounts = accounts.order_by("classification", *by_name("name"))
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    kams = account_selectors.kams_of([a.pk for a in rows])
    visible = set(
        KeyAccount.objects.visible_to(request.user)
        .filter(pk__in=[a.pk for a in rows])
        .values_list("pk", flat=True)
    )
    for account in rows:
        account.kams = kams.get(account.pk, [])
        account.can_open = account.pk in visible
    context = {
        "page": page,
        "rows": rows,
        "query": query,
        "classification": classification,
        "classifications": KeyAccount.Classification.choices,
    }
    return render(request, "portfolio/directory.html", context)
