"""Demo data for the coaching tab: two self-checks of Nordstern's GKAM and
the appreciation log, with one colleague overdue for a thank-you."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from accounts.models import AccountTeamMember, KeyAccount
from coaching.models import Appreciation, CoachingAnswer, CoachingCheck, CoachingQuestion
from core.demo import update_or_create_by_text
from users.models import User

# Answers by question order (10, 20, ...), for a check in March and one in October.
ANSWERS = {
    datetime.date(2026, 3, 12): {
        10: _("Honestly, I can't remember. Probably at the Christmas party."),
        20: _("I decide and inform the team afterwards."),
        30: _("I know Niklas well; the others mostly by their job titles."),
        50: _("Not really: national offers cause friction with the framework contract."),
        60: _("I wrote it myself and sent it round."),
    },
    datetime.date(2026, 10, 20): {
        10: _("Thanked Ines and Niklas after the Suzhou quote; Eva is still missing."),
        20: _("We agreed the plan and the RACI matrix in the September workshop."),
        30: _("Goals and bonus rules of the core team are in their profiles now."),
        40: _("Presented Nordstern at the sales kick-off; the directory lists us."),
        50: _("Yes: the RACI matrix is agreed, NKAMs know their part in national offers."),
        60: _("Yes, in the workshop on 16 September 2025, with the whole core team."),
        80: _("International sales meeting in February."),
    },
}

THANKS = [
    # member key, days ago, what for
    ("innendienst", 20, _("Fast quote for the Suzhou line")),
    ("nkam", 35, _("Prepared the national offer for Hamburg")),
    ("engineering", 150, _("Application test for the new line")),
]


def coaching_demo(*, account: KeyAccount, team: dict[str, AccountTeamMember], lead: User) -> None:
    questions = {q.order: q for q in CoachingQuestion.objects.all()}
    for answered_on, answers in ANSWERS.items():
        check, _created = CoachingCheck.objects.get_or_create(
            account=account, answered_on=answered_on, defaults={"answered_by": lead}
        )
        for order, text in answers.items():
            if order in questions:
                CoachingAnswer.objects.update_or_create(
                    self_check=check, question=questions[order], defaults={"answer": str(text)}
                )
    today = datetime.date(2026, 11, 25)  # fixed, so re-running the demo adds nothing
    for key, days_ago, note in THANKS:
        update_or_create_by_text(
            Appreciation.objects.all(),
            account=account,
            member=team[key],
            field="note",
            text=note,
            create_defaults={
                "thanked_on": today - datetime.timedelta(days=days_ago),
                "recorded_by": lead,
            },
        )
