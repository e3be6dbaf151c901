"""Reads that span several models, shaped for the account pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import (
    AccountTeamMember,
    CustomerContact,
    KeyAccount,
    KeyAccountPlan,
    KeyAccountQuerySet,
    PlanObjective,
)
from core.params import QueryReader
from users.models import User


def current_plan(account: KeyAccount) -> KeyAccountPlan | None:
    """The plan covering this year, else the latest one (KeyAccountPlan.current_first)."""
    return account.plans.current_first(timezone.localdate().year).first()


def current_plans(account_ids: list[int]) -> dict[int, KeyAccountPlan]:
    """The current plan of each account, by the same rule as current_plan(), in one query."""
    plans = KeyAccountPlan.objects.filter(account_id__in=account_ids)
    best: dict[int, KeyAccountPlan] = {}
    for plan in plans.current_first(timezone.localdate().year):
        best.setdefault(plan.account_id, plan)
    return best


def plans_with_rows(account: KeyAccount) -> QuerySet[KeyAccountPlan]:
    """The plans of `account` with everything a plan page shows, in fixed queries."""
    return account.plans.prefetch_related(
        "revenue_targets",
        "potentials",
        "objectives",
        Prefetch(
            "workshop_participants",
            queryset=AccountTeamMember.objects.select_related("user", "role"),
        ),
    ).select_related("updated_by")


def searched(
    accounts: KeyAccountQuerySet, reader: QueryReader
) -> tuple[KeyAccountQuerySet, str, str]:
    """`accounts` narrowed by ?q= and ?classification=, with the values as understood.

    The account list and the directory share this; an unknown classification
    is dropped (and named in the reader's `ignored`) rather than matching nothing.
    """
    query = reader.text("q")
    classification = reader.choice("classification", KeyAccount.Classification.values)
    accounts = accounts.search(query)
    if classification:
        accounts = accounts.filter(classification=classification)
    return accounts, query, classification


def my_memberships(user: User) -> list[AccountTeamMember]:
    """The user's places on active account teams, for the home page."""
    return list(
        AccountTeamMember.objects.active()
        .filter(user=user, account__status=KeyAccount.Status.ACTIVE)
        .select_related("account", "role")
        .order_by("account__name", "role__order")
    )


def kams_of(account_ids: list[int]) -> dict[int, list[AccountTeamMember]]:
    """The leads (GKAM, NKAMs, flagged leads) of each account, in one query."""
    leads: dict[int, list[AccountTeamMember]] = {}
    for member in (
        AccountTeamMember.objects.leads()
        .filter(account__in=account_ids)
        .select_related("user", "role")
        .order_by("role__order", "user__last_name", "user__first_name")
    ):
        leads.setdefault(member.account_id, []).append(member)
    return leads


def team_members(account: KeyAccount) -> list[AccountTeamMember]:
    return list(account.team_members.select_related("user__profile", "role"))


def contacts_with_roles(account: KeyAccount) -> list[CustomerContact]:
    return list(
        # reports_to__account: the boss's link needs the account's slug.
        account.contacts.select_related("reports_to__account", "profile").prefetch_related(
            "buying_roles"
        )
    )


@dataclass
class TreeNode:
    contact: CustomerContact
    children: list[TreeNode] = field(default_factory=list)


def contact_tree(account: KeyAccount) -> list[TreeNode]:
    """The customer's organisation as a forest of active contacts.

    A contact whose boss is archived (or unknown) becomes a root, so nobody
    drops out of the picture.
    """
    contacts = [c for c in contacts_with_roles(account) if c.is_active]
    nodes = {c.pk: TreeNode(c) for c in contacts}
    roots: list[TreeNode] = []
    for contact in contacts:
        parent = nodes.get(contact.reports_to_id) if contact.reports_to_id else None
        (parent.children if parent else roots).append(nodes[contact.pk])
    return roots


def account_overview(account: KeyAccount) -> dict[str, Any]:
    counts = account.team_members.active().aggregate(
        core=Count("pk", filter=Q(team=AccountTeamMember.Team.CORE)),
        extended=Count("pk", filter=Q(team=AccountTeamMember.Team.EXTENDED)),
    )
    plan = current_plan(account)
    today = timezone.localdate()
    upcoming_objectives: list[PlanObjective] = []
    if plan:
        upcoming_objectives = list(
            plan.objectives.filter(
                status__in=[PlanObjective.Status.OPEN, PlanObjective.Status.IN_PROGRESS]
            )[:5]
        )
    year = today.year
    plan_target = plan.revenue_targets.filter(year=year).first() if plan else None
    return {
        "plan_target": plan_target,
        "team_counts": counts,
        "leads": list(account.team_members.leads().select_related("user", "role")),
        "plan": plan,
        "upcoming_objectives": upcoming_objectives,
        "contact_count": account.contacts.active().count(),
        "key_contacts": list(
            account.contacts.active()
            .filter(influence__gte=4)
            .order_by("-influence", "last_name")[:5]
        ),
        "today": today,
    }
