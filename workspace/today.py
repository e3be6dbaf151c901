"""The home page: what needs the person now, across their accounts.

Everything comes from the person's own places on active account teams
(`accounts.selectors.my_memberships`), so it names only accounts they may
open; what only leads can act on (objectives, thank-yous, plan reviews,
coverage, the onboarding checklist) only for the accounts they lead.
Managers see the portfolio summary (portfolio.summary) above their own items.

The items fall into four groups by urgency (today_types.GROUPS): overdue,
coming up, new since the last visit, and the care of the accounts. Each item
links to the page where it is fixed. The number of queries does not grow
with the number of accounts or touchpoints (tests/test_query_counts.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from accounts.selectors import current_plans, my_memberships
from core.collation import name_key
from portfolio.summary import PortfolioSummary, portfolio_summary
from users.models import User
from workspace import today_actions, today_items, today_news, today_setup
from workspace.today_types import Group, MyAccount, new_groups


@dataclass
class Today:
    groups: list[Group]
    accounts: list[MyAccount]
    checklists: list[today_setup.Checklist]
    summary: PortfolioSummary | None  # for managers
    since: datetime.datetime  # "new" is what changed after this

    @property
    def count(self) -> int:
        return sum(g.count for g in self.groups)

    @property
    def leads_any(self) -> bool:
        return any(a.is_lead for a in self.accounts)


def my_accounts(user: User) -> list[MyAccount]:
    """The person's active accounts by name, with their roles and current plan. Two queries."""
    memberships = my_memberships(user)
    plans = current_plans(sorted({m.account_id for m in memberships}))
    found: dict[int, MyAccount] = {}
    for m in memberships:
        entry = found.setdefault(m.account_id, MyAccount(m.account, [], plans.get(m.account_id)))
        entry.roles.append(m)
    return list(found.values())


def today_for(*, user: User, today: datetime.date, since: datetime.datetime) -> Today:
    """Everything the home page shows `user` on `today`; "new" is what changed since `since`."""
    accounts = my_accounts(user)
    leads = [a for a in accounts if a.is_lead]
    groups = new_groups()
    today_items.touchpoint_items(groups, user=user, today=today)
    if accounts:  # someone on no team owns no actions: no query
        today_actions.action_items(groups, user=user, today=today)
    today_items.plan_items(groups, accounts=accounts, today=today)
    today_items.objective_items(groups, leads=leads, today=today)
    today_items.raci_items(groups, user=user, accounts=accounts, since=since)
    today_items.review_items(groups, user=user, leads=leads)
    if accounts:  # someone on no team is addressed by no news: no query
        seats = [seat for account in accounts for seat in account.roles]
        today_news.news_items(groups, user=user, seats=seats)
    setup = today_setup.lead_setup(user=user, leads=leads, today=today)
    groups["care"].items += setup.items
    for group in groups.values():
        # Oldest due first; in "new" the latest change first.
        group.items.sort(
            key=lambda i: (i.when or today, name_key(i.account.name)), reverse=group.code == "new"
        )
    return Today(
        groups=list(groups.values()),
        accounts=accounts,
        checklists=setup.checklists,
        summary=portfolio_summary(today=today) if user.is_manager else None,
        since=since,
    )
