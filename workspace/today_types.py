"""What the home page's parts are made of: items, their groups, the person's accounts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import AccountTeamMember, KeyAccount, KeyAccountPlan
from actions.models import PlanAction
from portfolio.models import PlanReview
from touchpoints.models import Touchpoint


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass
class Item:
    """One thing that needs the person, and where it is fixed."""

    kind: str  # touchpoint, action, objective, plan, raci, review, thanks or coverage
    account: KeyAccount
    title: str
    url: str  # the page where it is fixed
    action: str  # the words of that link
    when: datetime.date | None = None  # due, or when it changed: orders the group
    detail: str = ""
    links: list[Link] = field(default_factory=list)  # one per person or contact named
    touchpoint: Touchpoint | None = None  # shown with "Mark done" in place
    review: PlanReview | None = None  # shown with "Mark read"
    plan_action: PlanAction | None = None  # shown with "Mark done"


@dataclass
class Group:
    code: str
    title: Any
    items: list[Item] = field(default_factory=list)
    more: list[Link] = field(default_factory=list)  # where the rest is, when cut short

    @property
    def count(self) -> int:
        return len(self.items)


# By urgency, the most urgent first.
GROUPS = {
    "overdue": _("Overdue"),
    "soon": _("Coming up"),
    "new": _("New since your last visit"),
    "care": _("Look after your accounts"),
}


def new_groups() -> dict[str, Group]:
    return {code: Group(code, title) for code, title in GROUPS.items()}


@dataclass
class MyAccount:
    """One line of "My accounts": the account, the person's roles on it, its plan."""

    account: KeyAccount
    roles: list[AccountTeamMember]
    plan: KeyAccountPlan | None

    @property
    def is_lead(self) -> bool:
        return any(m.is_account_lead for m in self.roles)
