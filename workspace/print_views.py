"""The printable account plan: plan, team, RACI and touchpoints on one page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts import selectors as account_selectors
from accounts.access import account_access
from accounts.revenue import revenue_years
from raci import selectors as raci_selectors
from touchpoints import selectors as touchpoint_selectors


@require_safe
def plan_print(request: HttpRequest, slug: str) -> HttpResponse:
    """The account's plan, team, RACI and touchpoint plan on one printable page."""
    access = account_access(request.user, slug)
    account = access.account
    current = account_selectors.current_plan(account)
    plan = None
    if current:
        plan = account_selectors.plans_with_rows(account).filter(pk=current.pk).first()
    today = timezone.localdate()
    year = today.year
    # The plan's years and the one before it; without a plan, last year and this.
    years = [plan.start_year - 1, *plan.years] if plan else [year - 1, year]
    context = {
        "account": account,
        "plan": plan,
        "plan_expired": bool(plan and plan.is_expired_on(today)),
        "revenue": revenue_years(account, years, today=today),
        "members": [m for m in account_selectors.team_members(account) if m.is_active],
        "matrix": raci_selectors.matrix_for(account),
        "legend": raci_selectors.legend(),
        "year": year,
        "quarters": [1, 2, 3, 4],
        "rows": touchpoint_selectors.touchpoint_grid(account, year),
    }
    return render(request, "workspace/plan_print.html", context)
