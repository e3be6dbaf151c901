"""Demo data for action plans at Nordstern: actions under two objectives of the plan,
and under the national objectives of Germany and China.

Called by `manage.py demo` after the accounts step; idempotent like the rest.
The due dates are counted from the day the demo runs, so that one action is
always overdue, some are coming up, and two are done.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    AccountTeamMember,
    CustomerContact,
    KeyAccount,
    NationalObjective,
    PlanObjective,
)
from actions.models import PlanAction
from core.demo import in_every_language, update_or_create_by_text

# The objectives of accounts.demo's Nordstern plan, by their text.
FRAMEWORK = _("Renew the global framework contract")
PARTNER = _("Max Müller sees us as a solution partner")

# fmt: off
ACTIONS = [
    # objective, title, owner (username), due in days from today, status, contact (last name)
    (FRAMEWORK, _("Collect the plants' needs for the new framework"), "nkam", -40, "done", None),
    (FRAMEWORK, _("Draft the price and service annex"), "innendienst", -7, "in_progress", None),
    (FRAMEWORK, _("Present the proposal to the purchasing board"), "kam", 10, "open", "Hoffmann"),
    (PARTNER, _("Send him the retrofit reference story"), "kam", -20, "done", "Müller"),
    (PARTNER, _("Book the room for the strategy day"), "innendienst", 12, "open", None),
    (PARTNER, _("Invite Max Müller to our innovation day"), "kam", 25, "open", "Müller"),
]
# The national objectives of accounts.demo_national, by country and text.
NATIONAL_ACTIONS = [
    # country, objective, title, owner (username), due in days from today, status
    ("DE", _("Retrofit offers for every German plant"),
     _("Survey the installed machines in Hamburg"), "nkam", -10, "done"),
    ("DE", _("Retrofit offers for every German plant"),
     _("Send the Leipzig retrofit offer"), "nkam", 21, "open"),
    ("CN", _("Suzhou plant management backs the framework renewal"),
     _("Visit the Suzhou plant manager with the GKAM"), "nkam-china", 30, "open"),
]
# fmt: on


def actions_demo(
    *,
    account: KeyAccount,
    team: Mapping[str, AccountTeamMember],
    contacts: Mapping[str, CustomerContact],
) -> None:
    """Actions under two objectives of `account`'s plan; `team` by username and
    `contacts` by last name, as the accounts step returns them."""
    for objective_text, title, owner, days, status, contact in ACTIONS:
        objective = PlanObjective.objects.filter(
            plan__account=account, text__in=in_every_language(objective_text)
        ).first()
        if objective is None:  # the plan was changed by hand: nothing to hang it on
            continue
        _put(
            {"objective": objective},
            title,
            account=account,
            owner=team[owner],
            days=days,
            status=status,
            contact=contacts[contact] if contact else None,
        )
    for country, objective_text, title, owner, days, status in NATIONAL_ACTIONS:
        national_objective = NationalObjective.objects.filter(
            national_plan__account=account,
            national_plan__country=country,
            text__in=in_every_language(objective_text),
        ).first()
        if national_objective is None or owner not in team:
            continue
        _put(
            {"national_objective": national_objective},
            title,
            account=account,
            owner=team[owner],
            days=days,
            status=status,
        )


def _put(
    under: dict[str, object],
    title: Any,
    *,
    account: KeyAccount,
    owner: AccountTeamMember,
    days: int,
    status: str,
    contact: CustomerContact | None = None,
) -> None:
    """The action `title` under the objective `under`, due `days` from today."""
    today = timezone.localdate()
    due = today + datetime.timedelta(days=days)
    update_or_create_by_text(
        PlanAction.objects.all(),
        **under,
        field="title",
        text=title,
        defaults={
            "account": account,
            "owner": owner,
            "due_date": due,
            "status": status,
            "done_on": min(due, today) if status == "done" else None,
            "contact": contact,
        },
    )
