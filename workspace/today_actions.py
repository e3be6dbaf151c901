"""The home page's "my actions": the person's plan actions overdue or due soon."""

from __future__ import annotations

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from actions.selectors import due_actions
from users.models import User
from workspace.today_types import Group, Item


def action_items(groups: dict[str, Group], *, user: User, today: datetime.date) -> None:
    """The person's open actions, overdue or due within actions.selectors.DUE_SOON_DAYS,
    each linked to its objective on the plan and marked done in place. One query."""
    for action in due_actions(user=user, today=today):
        detail = _("Due %(date)s · %(status)s · for “%(objective)s”") % {
            "date": date_format(action.due_date, "SHORT_DATE_FORMAT"),
            "status": action.get_status_display(),
            "objective": action.goal.text,
        }
        groups["overdue" if action.is_overdue_on(today) else "soon"].items.append(
            Item(
                "action",
                action.account,
                action.title,
                action.url_in(action.account.slug),
                _("Open the plan"),
                when=action.due_date,
                detail=detail,
                plan_action=action,
            )
        )
