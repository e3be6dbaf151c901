"""Demo data for the health trend: twelve weeks of snapshots of every active account.

This week's snapshot is the real score (portfolio.services.snapshot_health).
The eleven weeks before are made up from it: each account stays in its band,
wobbling a little, except one that was a band better until last week, so the
manager's home page shows an account that dropped a band, and Nordstern,
which climbed steadily from "needs attention" (its 12-week line and its
arrow in the portfolio). Idempotent: the weeks are keyed by their Monday,
and the same day gives the same rows.
"""

from __future__ import annotations

import datetime

from accounts.models import KeyAccount
from portfolio.models import HealthSnapshot
from portfolio.selectors import HEALTHY_FROM, WATCH_FROM, band_of
from portfolio.services import snapshot_health, week_of

WEEKS = 12
# The account that dropped a band since last week: the first of these that is
# not healthy now (the demo's own data makes Brightline at risk).
DROPPED = ("brightline-pharma", "fjord-energy", "hollandse-bouw", "cordoba-automocion")
# The lowest score of each band, and the highest.
BAND_RANGE = {"healthy": (HEALTHY_FROM, 100), "watch": (WATCH_FROM, HEALTHY_FROM - 1)}
BAND_RANGE["risk"] = (0, WATCH_FROM - 1)
# A band better than each (none above healthy).
BETTER = {"risk": "watch", "watch": "healthy"}
WOBBLE = (0, -2, 1, 2, -1, 3, 0, -3, 1, -2, 2)  # points, by weeks back (1..11)
# (4 weeks back, what the arrow compares with: within TREND_STEP, so "steady")
# The account whose score rose week by week, by this many points a week.
RISING, CLIMB = "nordstern", 3


def health_demo(*, today: datetime.date) -> None:
    """This week's real snapshot, and the made-up weeks before it."""
    snapshot_health(today=today)
    this_week = week_of(today)
    now = dict(
        HealthSnapshot.objects.filter(week=this_week)
        .order_by()
        .values_list("account__slug", "score")
    )
    dropped = next((s for s in DROPPED if s in now and band_of(now[s]).code in BETTER), None)
    ids = dict(KeyAccount.objects.filter(slug__in=now).values_list("slug", "pk"))
    rows = []
    for slug, score in now.items():
        band = band_of(score).code
        if slug == dropped:
            band = BETTER[band]  # one band better, the weeks before
            score = BAND_RANGE[band][0] + 4
        low, high = BAND_RANGE[band]
        for back in range(1, WEEKS):
            past = min(max(score + WOBBLE[back - 1], low), high)
            if slug == RISING:
                past = max(score - CLIMB * back + WOBBLE[back - 1] // 2, 0)
            week = this_week - datetime.timedelta(weeks=back)
            rows.append(
                HealthSnapshot(account_id=ids[slug], week=week, score=past, band=band_of(past).code)
            )
    HealthSnapshot.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["account", "week"],
        update_fields=["score", "band", "taken_at"],
    )
