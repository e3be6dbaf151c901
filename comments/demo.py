"""Demo data for comments at Nordstern: a conversation on the plan with mentions, a
question on an objective, and a word on a RACI task.

Called by `manage.py demo` after the plan and RACI steps; idempotent like the rest
(each comment is found again by its words in either language). No notification is
sent: the demo's people read the threads where they are.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from accounts.models import AccountTeamMember, KeyAccount
from comments import mentions
from comments.models import Comment, Target
from core.demo import update_or_create_by_text

# fmt: off
# target, author, words (with @mentions)
COMMENTS = [
    (Target.PLAN, "nkam-china",
     _("@kam, shall we put the Wuhan plant into the potentials for 2027? Dr Wang asked for "
       "a first meeting in March.")),
    (Target.PLAN, "kam",
     _("Yes, @nkam-china: I add it as a potential. Please bring first volumes to the "
       "team meeting.")),
    (Target.OBJECTIVE, "innendienst",
     _("The new price list is in the documents. Should the framework contract prices "
       "apply to the service parts too?")),
    (Target.TASK, "kam",
     _("@innendienst prepares the offers, @nkam checks them for Germany; I sign.")),
]
# fmt: on


def comments_demo(*, account: KeyAccount, team: Mapping[str, AccountTeamMember]) -> None:
    """`team` by username, as the accounts step returns it."""
    plan = account.plans.order_by("-start_year").first()
    things = {
        Target.PLAN: plan,
        Target.OBJECTIVE: plan.objectives.order_by("pk").first() if plan else None,
        Target.TASK: account.raci_tasks.order_by("order", "pk").first(),
    }
    for target, author, words in COMMENTS:
        thing = things[target]
        if thing is None:
            continue
        comment, _created = update_or_create_by_text(
            Comment.objects.all(),
            account=account,
            field="body",
            text=words,
            defaults={"author": team[author].user},
            **{target: thing},
        )
        named, _unknown = mentions.resolve(account, mentions.handles(comment.body))
        comment.mentions.set(named)
