"""Reads for the coaching page and the workspace reminder."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone

from accounts.models import AccountTeamMember, KeyAccount
from coaching.models import (
    APPRECIATION_REMINDER_DAYS,
    Appreciation,
    CoachingAnswer,
    CoachingCheck,
    CoachingQuestion,
)
from core.prepared import prepared


@dataclass
class QuestionHistory:
    question: CoachingQuestion
    # (check, answer) pairs, newest first; the first is the current answer.
    answers: list[tuple[CoachingCheck, CoachingAnswer]] = field(default_factory=list)

    @property
    def latest(self) -> tuple[CoachingCheck, CoachingAnswer] | None:
        return self.answers[0] if self.answers else None

    @property
    def earlier(self) -> list[tuple[CoachingCheck, CoachingAnswer]]:
        return self.answers[1:]


def coaching_history(account: KeyAccount) -> tuple[list[QuestionHistory], list[CoachingCheck]]:
    """Every question with the account's answers over time. Three queries."""
    checks = list(
        account.coaching_checks.select_related("answered_by").prefetch_related(
            Prefetch("answers", queryset=CoachingAnswer.objects.all())
        )
    )
    answered = {a.question_id for c in checks for a in c.answers.all()}
    questions = [q for q in CoachingQuestion.objects.all() if q.is_active or q.pk in answered]
    by_question = {q.pk: QuestionHistory(q) for q in questions}
    for check in checks:  # newest first
        for answer in check.answers.all():
            by_question[answer.question_id].answers.append((check, answer))
    return list(by_question.values()), checks


def previous_answers(account: KeyAccount) -> dict[int, str]:
    """The latest answer to each question, to start the next self-check from."""
    latest: dict[int, str] = {}
    for answer in CoachingAnswer.objects.filter(self_check__account=account).order_by(
        "-self_check__answered_on", "-self_check_id"
    ):
        latest.setdefault(answer.question_id, answer.answer)
    return latest


@dataclass
class ThanksDue:
    member: AccountTeamMember
    last_thanked: datetime.date | None

    @property
    def days_ago(self) -> int | None:
        if self.last_thanked is None:
            return None
        return (timezone.localdate() - self.last_thanked).days

    @property
    def is_due(self) -> bool:
        days = self.days_ago
        return days is None or days > APPRECIATION_REMINDER_DAYS


@prepared
def _last_thanks(account_id: int) -> QuerySet[Any]:
    """(member id, the day a lead last thanked them) of the account's team."""
    return (
        Appreciation.objects.filter(account_id=account_id)
        .values("member_id")
        .annotate(last=Max("thanked_on"))
        .values_list("member_id", "last")
    )


def appreciation_status(
    account: KeyAccount,
    *,
    exclude_user_id: int | None,
    team: list[AccountTeamMember] | None = None,
) -> list[ThanksDue]:
    """Each active team member (but the viewer) with when a lead last thanked them.

    Two queries, one when the caller read the active team with users and roles
    already (`team`). A person on the team in two roles appears once per role,
    since the thanks are recorded per membership.
    """
    last = dict(_last_thanks(account.pk))
    if team is None:
        team = list(account.team_members.active().select_related("user", "role"))
    return [ThanksDue(m, last.get(m.pk)) for m in team if m.user_id != exclude_user_id]


def recent_appreciations(account: KeyAccount, limit: int = 20) -> list[Appreciation]:
    return list(
        account.appreciations.select_related("member__user", "member__role", "recorded_by")[:limit]
    )
