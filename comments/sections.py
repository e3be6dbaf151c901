"""The plan's own thread at the foot of the plan page (accounts.plan_sections)."""

from __future__ import annotations

from typing import Any

from accounts.plan_sections import PlanPage, PlanSection
from comments import access as rules
from comments.forms import CommentForm
from comments.models import Target
from comments.selectors import Thread, with_earlier_versions

# The newest comments shown on the plan page; the thread's page holds them all.
SHOWN = 10


def _context(page: PlanPage) -> dict[str, Any]:
    thread = Thread(page.access.account, Target.PLAN, page.plan)
    everything = thread.comments()
    total = everything.count()
    newest = list(everything.order_by("-created_at", "-pk")[:SHOWN])[::-1]
    can_write = rules.can_write(page.access, Target.PLAN)
    return {
        "thread": thread,
        "comments": rules.with_permissions(page.access, with_earlier_versions(newest)),
        "total": total,
        "more": total - len(newest),
        "form": CommentForm(account=page.access.account) if can_write else None,
        "access": page.access,
    }


PLAN_THREAD = PlanSection(
    key="comments.plan", template="comments/_plan_section.html", context=_context, slot="end"
)
