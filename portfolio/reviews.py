"""Reads of the managers' plan reviews."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import KeyAccountPlan
from core.prepared import prepared
from portfolio.models import PlanReview


def latest_review(plan: KeyAccountPlan | None) -> PlanReview | None:
    """The review the plan's leads see on their workspace."""
    if plan is None:
        return None
    return _latest_review.first(plan.pk)


@prepared
def _latest_review(plan_id: int) -> QuerySet[PlanReview]:
    """`.first()` kept: the newest review (PlanReview's order) with its reviewer."""
    return PlanReview.objects.filter(plan_id=plan_id).select_related("reviewed_by")[:1]
