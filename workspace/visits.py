"""The person's visits of their home page: since when is a change "new"?"""

from __future__ import annotations

import datetime

from django.utils import timezone

from users.models import User
from workspace.models import HomeVisit

# Opening home again within this time continues the same visit: what was new
# at its start stays on the page until the person has been away this long.
VISIT_GAP = datetime.timedelta(minutes=30)
# Within a visit, `seen_at` is written at most this often: not on every view.
SEEN_PRECISION = datetime.timedelta(minutes=1)
# A first visit shows the changes of this period.
FIRST_VISIT_LOOKBACK = datetime.timedelta(days=14)


def home_visit_record(*, user: User, now: datetime.datetime | None = None) -> datetime.datetime:
    """Record that `user` opens home now; return since when changes count as new.

    One read and at most one write. The writes bypass model signals on
    purpose (QuerySet.update, bulk_create): no cached page shows a visit, so
    it must not move the fragment counters (core.fragments) and empty
    everybody's caches on every home view.
    """
    now = now or timezone.now()
    visit = HomeVisit.objects.filter(user=user).first()
    if visit is None:
        # ignore_conflicts: two first views at once (two tabs) write one row.
        since = now - FIRST_VISIT_LOOKBACK
        HomeVisit.objects.bulk_create(
            [HomeVisit(user=user, seen_at=now, previous_seen_at=since)], ignore_conflicts=True
        )
        return since
    previous = visit.previous_seen_at or visit.seen_at - FIRST_VISIT_LOOKBACK
    if now - visit.seen_at > VISIT_GAP:
        previous = visit.seen_at  # a new visit: what came since the last one is new
        HomeVisit.objects.filter(pk=visit.pk).update(seen_at=now, previous_seen_at=previous)
    elif now - visit.seen_at > SEEN_PRECISION:
        HomeVisit.objects.filter(pk=visit.pk).update(seen_at=now)
    return previous
