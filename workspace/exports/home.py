"""The personal export's sections of the workspace's bookkeeping about a person:
when they last opened their home page, which plan reviews they read, and an
account export they uploaded and have not imported yet."""

from __future__ import annotations

from typing import Any

from portfolio.models import PlanReviewRead
from users.models import User
from workspace.exports.common import iso
from workspace.models import AccountUpload, HomeVisit

SOURCES: dict[str, tuple[str, ...]] = {
    "workspace.homevisit": ("home_visits",),
    "workspace.accountupload": ("account_export_uploads",),
    "portfolio.planreviewread": ("plan_reviews_read",),
}


def personal_sections(user: User) -> dict[str, list[dict[str, Any]]]:
    visits = HomeVisit.objects.filter(user=user)
    uploads = AccountUpload.objects.filter(uploaded_by=user)
    reads = PlanReviewRead.objects.filter(user=user).select_related("review__plan__account")
    return {
        "home_visits": [
            {"last_seen_at": iso(v.seen_at), "visit_before": iso(v.previous_seen_at)}
            for v in visits
        ],
        # An account export uploaded and not yet imported (the account's data
        # itself is the account's, in its own export).
        "account_export_uploads": [
            {"file_name": u.file_name, "uploaded_at": iso(u.uploaded_at)} for u in uploads
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
