"""The personal export's sections of the home page's bookkeeping about a person:
when they last opened their home page, and which plan reviews they read."""

from __future__ import annotations

from typing import Any

from portfolio.models import PlanReviewRead
from users.models import User
from workspace.exports.common import iso
from workspace.models import HomeVisit

SOURCES: dict[str, tuple[str, ...]] = {
    "workspace.homevisit": ("home_visits",),
    "portfolio.planreviewread": ("plan_reviews_read",),
}


def personal_sections(user: User) -> dict[str, list[dict[str, Any]]]:
    visits = HomeVisit.objects.filter(user=user)
    reads = PlanReviewRead.objects.filter(user=user).select_related("review__plan__account")
    return {
        "home_visits": [
            {"last_seen_at": iso(v.seen_at), "visit_before": iso(v.previous_seen_at)}
            for v in visits
        ],
        "plan_reviews_read": [
            {
                "account": r.review.plan.account.name,
                "plan": r.review.plan.period,
                "reviewed_at": iso(r.review.reviewed_at),
                "read_at": iso(r.read_at),
            }
            for r in reads.order_by("read_at")
        ],
    }
