"""Writes of action plans, and the hooks that keep objectives and team seats honest."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import AccountTeamMember, NationalObjective, PlanObjective
from actions.models import PlanAction
from core.concurrency import save_versioned


def action_set_done(*, action: PlanAction, done: bool, expected_version: int) -> PlanAction:
    """Mark done today (or open again), unless someone saved it since it was loaded
    (VersionConflict): a lead's edit must not be overwritten unseen."""
    if done:
        action.status = PlanAction.Status.DONE
        action.done_on = timezone.localdate()
    else:
        action.status = PlanAction.Status.OPEN
        action.done_on = None
    with transaction.atomic():
        save_versioned(action, expected_version=expected_version)
    return action


def member_action_blockers(member: AccountTeamMember) -> list[str]:
    """A member who still owns actions that are not done must hand them over first."""
    open_actions = member.plan_actions.not_done().count()
    if not open_actions:
        return []
    return [
        ngettext(
            "%(name)s still owns %(n)d open action. Give it another owner first.",
            "%(name)s still owns %(n)d open actions. Give them another owner first.",
            open_actions,
        )
        % {"name": member.user, "n": open_actions}
    ]


def objective_delete_notes(row: Model) -> list[str]:
    """What the confirmation to delete an objective says about its actions."""
    if isinstance(row, PlanObjective):
        count = PlanAction.objects.filter(objective=row).count()
    elif isinstance(row, NationalObjective):
        count = PlanAction.objects.filter(national_objective=row).count()
    else:
        return []
    if not count:
        return []
    return [
        ngettext(
            "Its %(n)d action is deleted with it.",
            "Its %(n)d actions are deleted with it.",
            count,
        )
        % {"n": count}
        + " "
        + _("The history keeps a record of them.")
    ]
