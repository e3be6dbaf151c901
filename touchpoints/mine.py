"""What a person reads of their own touchpoints: *My touchpoints*, a page at a
time, and their calendar address."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import KeyAccount
from core.prepared import Slice, prepared
from touchpoints.models import CalendarFeed, TeamMeeting, Touchpoint, overdue_condition
from touchpoints.selectors import owned_or_joined_by, this_quarter, with_people
from users.models import User

MY_PAGE_SIZE = 25  # my touchpoints, a page


def my_touchpoints(user: User, page: str | None = None) -> dict[str, object]:
    """One page (MY_PAGE_SIZE) of the person's planned touchpoints (their own, and
    those they join as a companion) across accounts, in the order of their
    quarters, so overdue first; how many are overdue and upcoming in all; and
    their meetings.

    A page, not all: a KAM of ten accounts plans hundreds of touchpoints a year.
    """
    year, quarter = this_quarter()
    planned = _my_planned(user.pk).order_by()
    past = overdue_condition(year, quarter, timezone.localdate())  # Touchpoint.is_overdue
    counts = planned.aggregate(total=Count("pk"), overdue=Count("pk", filter=past))
    shown = Paginator(range(counts["total"]), MY_PAGE_SIZE).get_page(page)
    mine = _my_planned_page(user.pk, Slice(shown.start_index() - 1, MY_PAGE_SIZE)) if shown else []
    for tp in mine:
        tp.joins = tp.owner.user_id != user.pk  # a companion: the owner marks it done
    return {
        "overdue": [tp for tp in mine if tp.is_overdue],
        "upcoming": [tp for tp in mine if not tp.is_overdue],
        "overdue_count": counts["overdue"],
        "upcoming_count": counts["total"] - counts["overdue"],
        "page": shown,
        "meetings": _my_meetings(user.pk, year, quarter),
    }


def _my_planned(user_id: int) -> QuerySet[Touchpoint]:
    return with_people().filter(
        owned_or_joined_by(user_id),
        account__status=KeyAccount.Status.ACTIVE,
        status=Touchpoint.Status.PLANNED,
    )


@prepared
def _my_planned_page(user_id: int, rows: Slice) -> QuerySet[Touchpoint]:
    """`rows` of the person's planned touchpoints, in the model's order (by quarter)."""
    return rows.of(_my_planned(user_id).select_related("account"))


@prepared
def _my_meetings(user_id: int, year: int, quarter: int) -> QuerySet[TeamMeeting]:
    """Planned meetings from this quarter (`year`, `quarter`) on."""
    return (
        TeamMeeting.objects.filter(
            participants__user_id=user_id,
            participants__archived_at__isnull=True,
            status=TeamMeeting.Status.PLANNED,
            account__status=KeyAccount.Status.ACTIVE,
        )
        .filter(Q(year__gt=year) | Q(year=year, quarter__gte=quarter))
        .select_related("account")
        .distinct()
    )


def calendar_feed_of(user_id: int) -> CalendarFeed | None:
    """The person's calendar address, if they made one."""
    return _calendar_feed.first(user_id)


@prepared
def _calendar_feed(user_id: int) -> QuerySet[CalendarFeed]:
    return CalendarFeed.objects.filter(user_id=user_id).order_by("pk")[:1]  # as .first()
