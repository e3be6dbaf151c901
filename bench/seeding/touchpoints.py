"""Touchpoints, team meetings and relationship pairs."""

from __future__ import annotations

import datetime
import random

from accounts.models import AccountTeamMember, CustomerContact, KeyAccount
from bench.seeding.base import bulk
from touchpoints.models import RelationshipPair, TeamMeeting, Touchpoint

TOUCHPOINTS_PER_YEAR = 100
KINDS = ["content", "meeting", "call", "event", "gift", "other"]


def touchpoints_in(i: int, y: int, year: int, n_accounts: int) -> int:
    """How many touchpoints account i has in year y: the two last are the growth pair."""
    if y == year and i == n_accounts - 2:
        return 10
    if y == year and i == n_accounts - 1:
        return 200
    return TOUCHPOINTS_PER_YEAR


def seed_touchpoints(
    accounts: list[KeyAccount],
    people: dict[int, list[CustomerContact]],
    team: dict[int, list[AccountTeamMember]],
    rng: random.Random,
    year: int,
    quarter: int,
) -> list[Touchpoint]:
    """One per contact and quarter, last year and this year; past ones mostly done."""
    touchpoints = []
    for i, a in enumerate(accounts):
        cs, ms = people[a.pk], team[a.pk]
        for y in (year - 1, year):
            for j in range(touchpoints_in(i, y, year, len(accounts))):
                q = (j // 25) % 4 + 1
                past = y < year or q < quarter
                roll = rng.random()
                status = (
                    ("done" if roll < 0.85 else "planned" if roll < 0.95 else "cancelled")
                    if past
                    else "planned"
                )
                touchpoints.append(
                    Touchpoint(
                        account=a,
                        contact=cs[j % 25],
                        year=y,
                        quarter=q,
                        date=datetime.date(y, (q - 1) * 3 + 1 + j % 3, 1 + j % 28),
                        kind=KINDS[j % 6],
                        title=f"Touchpoint {j}",
                        owner=ms[j % 12],
                        status=status,
                        outcome="Went well." if status == "done" else "",
                    )
                )
    bulk(Touchpoint, touchpoints)
    return touchpoints


def seed_meetings(accounts: list[KeyAccount], year: int, quarter: int) -> None:
    """A team meeting per quarter of this year, the past ones held."""
    bulk(
        TeamMeeting,
        [
            TeamMeeting(
                account=a,
                year=year,
                quarter=q,
                date=datetime.date(year, (q - 1) * 3 + 2, 10),
                format="in_person" if q == 2 else "video",
                purpose=f"Team meeting Q{q}",
                status="held" if q < quarter else "planned",
            )
            for a in accounts
            for q in range(1, 5)
        ],
    )


def seed_relationships(
    accounts: list[KeyAccount],
    people: dict[int, list[CustomerContact]],
    team: dict[int, list[AccountTeamMember]],
) -> None:
    """Ten member-contact pairs per account, each with a current and target level."""
    bulk(
        RelationshipPair,
        [
            RelationshipPair(
                account=a,
                member=team[a.pk][k],
                contact=people[a.pk][k * 2],
                current_level=1 + k % 4,
                target_level=min(5, 2 + k % 4),
            )
            for a in accounts
            for k in range(10)
        ],
    )
