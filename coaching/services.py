"""Writes of the coaching pages."""

from __future__ import annotations

import datetime

from django.db import transaction

from accounts.models import KeyAccount
from coaching.models import CoachingAnswer, CoachingCheck, CoachingQuestion
from users.models import User


@transaction.atomic
def coaching_check_create(
    *,
    account: KeyAccount,
    by: User,
    answered_on: datetime.date,
    answers: dict[CoachingQuestion, str],
) -> CoachingCheck:
    """Record a self-check; questions left blank are not stored."""
    check = CoachingCheck.objects.create(account=account, answered_by=by, answered_on=answered_on)
    CoachingAnswer.objects.bulk_create(
        CoachingAnswer(self_check=check, question=question, answer=text)
        for question, text in answers.items()
        if text
    )
    return check
