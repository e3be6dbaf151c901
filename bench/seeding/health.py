"""Health snapshots: last week's score of every account, for the managers' home page."""

from __future__ import annotations

import datetime

from accounts.models import KeyAccount
from bench.seeding.base import bulk
from portfolio.models import HealthSnapshot
from portfolio.selectors import band_of
from portfolio.services import week_of


def seed_health_snapshots(accounts: list[KeyAccount], today: datetime.date) -> int:
    """Last week's snapshot per account, a spread of scores over the three bands.

    Made up rather than computed: the home page compares them with the live
    scores, and some accounts then dropped a band, as in a real week.
    """
    week = week_of(today) - datetime.timedelta(days=7)
    rows = []
    for index, account in enumerate(accounts):
        score = (index * 37) % 101
        rows.append(
            HealthSnapshot(account=account, week=week, score=score, band=band_of(score).code)
        )
    bulk(HealthSnapshot, rows)
    return len(rows)
