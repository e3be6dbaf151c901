"""A lead marks a manager's review of their plan read, from the home page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import account_access
from portfolio.models import PlanReview
from portfolio.services import plan_reviews_read


@require_POST
def review_read(request: HttpRequest, slug: str, plan_id: int, pk: int) -> HttpResponse:
    """Leads only: the review is addressed to them. Outsiders 404, everyone else 403.

    With htmx the home page's item answers in place; without, back to `next`.
    """
    access = account_access(request.user, slug)
    if not access.is_lead:
        raise PermissionDenied(_("Only the plan's leads mark its reviews read."))
    reviews = PlanReview.objects.filter(plan__account=access.account, plan_id=plan_id)
    review = get_object_or_404(reviews.select_related("plan", "reviewed_by"), pk=pk)
    plan_reviews_read(user=request.user, reviews=reviews.filter(pk=review.pk))
    if request.htmx:
        review.plan.account = access.account
        return render(request, "portfolio/_review_item.html", {"review": review, "read": True})
    messages.success(
        request,
        _("The review of the plan %(period)s is marked read.") % {"period": review.plan.period},
    )
    return redirect(_local_next(request) or reverse("home"))


def _local_next(request: HttpRequest) -> str | None:
    """?next= when it is a path on this site (no open redirect), else None."""
    target = request.GET.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None
