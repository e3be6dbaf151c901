"""Coaching: thank-yous and a self-check answered by the account's GKAM."""

from __future__ import annotations

import datetime

from accounts.models import AccountTeamMember, KeyAccount
from bench.seeding.base import bulk
from coaching.models import Appreciation, CoachingAnswer, CoachingCheck, CoachingQuestion


def seed_appreciations(
    accounts: list[KeyAccount], team: dict[int, list[AccountTeamMember]], today: datetime.date
) -> None:
    """Three thank-yous per account (team slots 4, 5 and 7), 120 to 210 days ago."""
    bulk(
        Appreciation,
        [
            Appreciation(
                account=a,
                member=team[a.pk][k],
                thanked_on=today - datetime.timedelta(days=30 * k),
                note="Quick quote",
                recorded_by=team[a.pk][0].user,
            )
            for a in accounts
            for k in (4, 5, 7)
        ],
    )


def seed_coaching_checks(
    accounts: list[KeyAccount],
    team: dict[int, list[AccountTeamMember]],
    questions: list[CoachingQuestion],
    today: datetime.date,
) -> None:
    """A self-check per account, answered today, with an answer to every active question."""
    checks = bulk(
        CoachingCheck,
        [
            CoachingCheck(account=a, answered_on=today, answered_by=team[a.pk][0].user)
            for a in accounts
        ],
    )
    bulk(
        CoachingAnswer,
        [
            CoachingAnswer(self_check=c, question=q, answer="Last week.")
            for c in checks
            for q in questions
        ],
    )
