"""Reads that span several models, shaped for the account pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from accounts.models import (
    AccountTeamMember,
    CustomerContact,
    KeyAccount,
    KeyAccountPlan,
    KeyAccountQuerySet,
    PlanObjective,
)
from accounts.revenue import revenue_years
from core.collation import by_name
from core.i18n import country_name, pick
from core.params import QueryReader
from core.prepared import prepared
from users.models import User


def current_plan(account: KeyAccount) -> KeyAccountPlan | None:
    """The plan covering this year, else the latest one (KeyAccountPlan.current_first)."""
    plans = _plans_current_first([account.pk], timezone.localdate().year)
    if not plans:
        return None
    plans[0].account = account  # as account.plans would: no query to reach it
    return plans[0]


def current_plans(account_ids: list[int]) -> dict[int, KeyAccountPlan]:
    """The current plan of each account, by the same rule as current_plan(), in one query.

    Each plan also tells whether a later plan follows it (`has_successor`):
    no expiry warning is needed for a plan whose successor is already there.
    """
    best: dict[int, KeyAccountPlan] = {}
    last_start: dict[int, int] = {}
    for plan in _plans_current_first(account_ids, timezone.localdate().year):
        best.setdefault(plan.account_id, plan)
        last_start[plan.account_id] = max(last_start.get(plan.account_id, 0), plan.start_year)
    for account_id, plan in best.items():
        plan.has_successor = last_start[account_id] > plan.end_year
    return best


@prepared
def _plans_current_first(account_ids: list[int], year: int) -> QuerySet[KeyAccountPlan]:
    return KeyAccountPlan.objects.filter(account_id__in=account_ids).current_first(year)


def plan_expiry(plan: KeyAccountPlan | None, today: datetime.date) -> dict[str, bool]:
    """What the pages say about a plan's period: over (`plan_expired`), or ending soon.

    `plan_runs_out`: the plan covering this year ends within
    PLAN_EXPIRY_WARNING_DAYS and no later plan exists yet; the leads are warned.
    """
    if plan is None:
        return {"plan_expired": False, "plan_runs_out": False}
    runs_out = plan.runs_out_within(today)
    if runs_out and not hasattr(plan, "has_successor"):
        later = KeyAccountPlan.objects.filter(
            account_id=plan.account_id, start_year__gt=plan.end_year
        )
        plan.has_successor = later.exists()
    return {
        "plan_expired": plan.is_expired_on(today),
        "plan_runs_out": runs_out and not plan.has_successor,
    }


def is_on_no_team(user: User) -> bool:
    """Neither a manager nor on any account's team: no account opens for them."""
    return not user.is_manager and not AccountTeamMember.objects.active().filter(user=user).exists()


def plans_with_rows(account: KeyAccount) -> QuerySet[KeyAccountPlan]:
    """The plans of `account` with everything a plan page shows, in fixed queries."""
    return account.plans.prefetch_related(
        "revenue_targets",
        "potentials",
        "objectives",
        # The actions under each objective (app `actions`, above accounts: by name).
        "objectives__actions",
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
    """The user's places on active account teams, for the home page and my roles."""
    return _memberships(user.pk)


@prepared
def _memberships(user_id: int) -> QuerySet[AccountTeamMember]:
    return (
        AccountTeamMember.objects.active()
        .filter(user_id=user_id, account__status=KeyAccount.Status.ACTIVE)
        .select_related("account", "role")
        .order_by(*by_name("account__name"), "role__order")
    )


@dataclass(frozen=True, slots=True)
class LeadPerson:
    display_name: str
    email: str


@dataclass(frozen=True, slots=True)
class Lead:
    """A lead of an account as the lists show one: name, e-mail, role and country."""

    user: LeadPerson
    role_name_en: str
    role_name_de: str
    country: str

    @property
    def role_label(self) -> str:
        """As AccountTeamMember.role_label, in the language active when shown."""
        name = pick(self.role_name_en, self.role_name_de)
        return f"{name} {country_name(self.country)}" if self.country else name


def kams_of(account_ids: list[int]) -> dict[int, list[Lead]]:
    """The leads (GKAM, NKAMs, flagged leads) of each account, in one query.

    Plain values, not three model instances per lead: the portfolio's first
    render built 300 of them for 25 rows, 3 ms of Python for 0.4 ms of SQL.
    """
    leads: dict[int, list[Lead]] = {}
    rows = _lead_rows(sorted(account_ids))
    for account_id, first, last, username, email, name_en, name_de, country in rows:
        person = LeadPerson(f"{first} {last}".strip() or username, email)
        leads.setdefault(account_id, []).append(Lead(person, name_en, name_de, country))
    return leads


@prepared
def _lead_rows(account_ids: list[int]) -> QuerySet[Any]:
    return (
        AccountTeamMember.objects.leads()
        .filter(account__in=account_ids)
        .order_by("role__order", *by_name("user__last_name", "user__first_name"))
        .values_list(
            "account_id",
            "user__first_name",
            "user__last_name",
            "user__username",
            "user__email",
            "role__name_en",
            "role__name_de",
            "country",
        )
    )


def kam_names(account_ids: list[int]) -> dict[int, list[str]]:
    """The leads' names of each account, as kams_of orders them (search hits)."""
    return {
        account_id: [lead.user.display_name for lead in leads]
        for account_id, leads in kams_of(account_ids).items()
    }


def team_members(account: KeyAccount) -> list[AccountTeamMember]:
    """Every seat of the account, archived ones too, in the team's order."""
    members = _team_members(account.pk)
    for m in members:
        m.account = account  # as account.team_members would: no query to reach it
    return members


@prepared
def _team_members(account_id: int) -> QuerySet[AccountTeamMember]:
    return AccountTeamMember.objects.filter(account_id=account_id).select_related(
        "user__profile", "role"
    )


def contacts_with_roles(account: KeyAccount) -> list[CustomerContact]:
    return list(contacts_with_roles_query(account))


def contacts_with_roles_query(account: KeyAccount) -> QuerySet[CustomerContact]:
    # reports_to__account: the boss's link needs the account's slug.
    return account.contacts.select_related("reports_to__account", "profile").prefetch_related(
        "buying_roles"
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
    """What the workspace's overview shows. `active_team`, the active team with users
    and roles, is read once for its counts, its leads and the coaching reminders;
    `active_contacts`, with their buying roles, for the count, the key contacts and
    the touchpoint coverage (touchpoints.selectors.coverage)."""
    team = _active_team(account.pk)
    contacts = _active_contacts(account.pk)
    for row in [*team, *contacts]:
        row.account = account  # as the related managers set it: no query per row
    counts = {
        "core": sum(m.team == AccountTeamMember.Team.CORE for m in team),
        "extended": sum(m.team == AccountTeamMember.Team.EXTENDED for m in team),
    }
    today = timezone.localdate()
    year = today.year
    plan = current_plan(account)
    upcoming_objectives: list[PlanObjective] = []
    if plan:
        upcoming_objectives = _open_objectives(plan.pk)
        for objective in upcoming_objectives:
            objective.plan = plan
    return {
        # Last year (complete) and this year (so far), each against its own target.
        "revenue": revenue_years(account, [year - 1, year], today=today),
        **plan_expiry(plan, today),
        "plan_empty": bool(
            plan and plan.status == KeyAccountPlan.Status.AGREED and not plan.has_content
        ),
        "active_team": team,
        "team_counts": counts,
        "leads": [m for m in team if m.is_account_lead],  # IS_LEAD, on the rows read
        "plan": plan,
        "upcoming_objectives": upcoming_objectives,
        "active_contacts": contacts,
        "contact_count": len(contacts),
        # Read in name order: a stable sort by influence keeps names in order.
        "key_contacts": sorted(
            (c for c in contacts if c.influence is not None and c.influence >= 4),
            key=lambda c: -c.influence,
        )[:5],
        "today": today,
    }


@prepared
def _active_team(account_id: int) -> QuerySet[AccountTeamMember]:
    return (
        AccountTeamMember.objects.active()
        .filter(account_id=account_id)
        .select_related("user", "role")
    )


@prepared
def _active_contacts(account_id: int) -> QuerySet[CustomerContact]:
    contacts = CustomerContact.objects.active().filter(account_id=account_id)
    return contacts.prefetch_related("buying_roles")


@prepared
def _open_objectives(plan_id: int) -> QuerySet[PlanObjective]:
    """The first five open objectives of a plan (the workspace's "upcoming")."""
    open_ones = [PlanObjective.Status.OPEN, PlanObjective.Status.IN_PROGRESS]
    return PlanObjective.objects.filter(plan_id=plan_id, status__in=open_ones)[:5]


def lead_people() -> QuerySet[User]:
    """People who lead at least one active account (the portfolio's KAM filter)."""
    leading = AccountTeamMember.objects.leads().filter(
        account__status=KeyAccount.Status.ACTIVE, user=OuterRef("pk")
    )
    return User.objects.filter(Exists(leading)).order_by(
        *by_name("last_name", "first_name"), "username"
    )
