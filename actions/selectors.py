"""Reads of action plans shaped for the pages above: the owner's home and calendar feed."""

from __future__ import annotations

import datetime

from actions.models import PlanAction, PlanActionQuerySet
from core.collation import by_name
from core.prepared import prepared
from users.models import User

# Actions due within this many days are "coming up" on the owner's home.
DUE_SOON_DAYS = 14


def due_actions(*, user: User, today: datetime.date) -> list[PlanAction]:
    """The person's own actions that are not done and overdue or due within DUE_SOON_DAYS.

    Their own: the owner's seat is theirs and active, on an active account,
    so each one they may mark done (actions.access). One query, the account
    and the objective joined for the text and the link (PlanAction.url_in).
    Nothing more: the manager's owner and contact and the plans behind the
    objectives made ten tables, which PostgreSQL took 3 to 5 ms to plan
    before 0.1 ms of work, for a person with no action due.
    """
    return _due_actions(user.pk, today + datetime.timedelta(days=DUE_SOON_DAYS))


@prepared
def _due_actions(user_id: int, horizon: datetime.date) -> PlanActionQuerySet:
    return (
        PlanAction.objects.owned_by(user_id)
        .not_done()
        .filter(due_date__lte=horizon)
        .select_related(None)
        .select_related("account", "objective", "national_objective__national_plan")
        .order_by("due_date", *by_name("account__name"), "pk")
    )


def feed_actions(user: User) -> PlanActionQuerySet:
    """The person's open actions for their calendar feed: one all-day event each."""
    return (
        PlanAction.objects.owned_by(user)
        .not_done()
        .select_related("account", "objective", "national_objective")
        .order_by("due_date", "pk")
    )
