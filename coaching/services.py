"""Writes of the coaching pages."""

from __future__ import annotations

import datetime

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.models import KeyAccount
from accounts.services import account_lock
from coaching.models import CoachingAnswer, CoachingCheck, CoachingQuestion
from coaching.selectors import previous_answers
from users.models import User


@transaction.atomic
def coaching_check_create(
    *,
    account: KeyAccount,
    by: User,
    answered_on: datetime.date,
    answers: dict[CoachingQuestion, str],
) -> CoachingCheck | None:
    """Record a self-check; questions left blank are not stored.

    Stores nothing and returns None when every answer given repeats the
    latest answer to its question: such a copy would add a date to the
    history and nothing else. The account lock makes a double submit see
    the first save.
    """
    account_lock(account=account)
    latest = previous_answers(account)
    if all(latest.get(question.pk) == text for question, text in answers.items() if text):
        return None
    check = CoachingCheck.objects.create(account=account, answered_by=by, answered_on=answered_on)
    # With history: a plain bulk_create would leave the answers out of the account's history.
    bulk_create_with_history(
        [
            CoachingAnswer(self_check=check, question=question, answer=text)
            for question, text in answers.items()
            if text
        ],
        CoachingAnswer,
    )
    return check
