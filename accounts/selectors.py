"""Reads that span several models, shaped for the account pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import (
    AccountTeamMember,
    CustomerContact,
    KeyAccount,
    KeyAccountPlan,
    KeyAccountQuerySet,
    PlanObjective,
    PlanPotential,
    PlanRevenueTarget,
)
from portfolio.models import PlanReview
from profiles.models import User


def current_plan(account: KeyAccount) -> KeyAccountPlan | None:
    """The plan covering this year, else the latest one."""
    year = timezone.localdate().year
    plans = account.plans.all()
    return (
        plans.filter(start_year__lte=year, end_year__gte=year).first()
        or plans.order_by("-start_year").first()
    )


def current_plans(account_ids: list[int]) -> dict[int, KeyAccountPlan]:
    """The current plan of each account, as current_plan() picks it, in one query."""
    year = timezone.localdate().year
    best: dict[int, KeyAccountPlan] = {}
    for plan in KeyAccountPlan.objects.filter(account_id__in=account_ids):
        chosen = best.get(plan.account_id)
        if chosen is None or (plan.covers(year), plan.start_year) > (
            chosen.covers(year),
            chosen.start_year,
        ):
            best[plan.account_id] = plan
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
    accounts: KeyAccountQuerySet, params: Mapping[str, str]
) -> tuple[KeyAccountQuerySet, str, str]:
    """`accounts` narrowed by ?q= and ?classification=, with the values as understood.

    The account list and the directory share this; an unknown classification
    is dropped rather than matching nothing.
    """
    query = params.get("q", "").strip()[:100]
    classification = params.get("classification", "")
    if classification not in KeyAccount.Classification.values:
        classification = ""
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


@dataclass
class HistoryEntry:
    when: datetime
    who: User | None
    kind: str  # "+" created, "~" changed, "-" deleted, as simple-history records it
    what: str
    obj: str
    changes: list[tuple[str, str, str]]

    @property
    def kind_label(self) -> str:
        return {"+": _("created"), "~": _("changed"), "-": _("deleted")}[self.kind]


# Models whose history belongs to an account, with the field that ties a
# history row to the account (children of plans are found by plan ids).
_ACCOUNT_HISTORY: list[tuple[type[Any], str]] = [
    (KeyAccount, "id"),
    (KeyAccountPlan, "account_id"),
    (PlanPotential, "plan_id"),
    (PlanObjective, "plan_id"),
    (PlanRevenueTarget, "plan_id"),
    (PlanReview, "plan_id"),
    (AccountTeamMember, "account_id"),
    (CustomerContact, "account_id"),
]
_HIDDEN_FIELDS = {"version", "updated_at", "created_at", "updated_by", "account", "plan"}


def _related_names(model: type[Any], records: list[Any]) -> dict[str, dict[Any, str]]:
    """Display names of the objects the records' foreign keys point to.

    One query per foreign key, so a page of history costs the same whatever
    its length.
    """
    names: dict[str, dict[Any, str]] = {}
    for f in model._meta.concrete_fields:
        if not f.is_relation or f.name in _HIDDEN_FIELDS:
            continue
        ids = {getattr(r, f.attname) for r in records} - {None}
        names[f.name] = {
            pk: str(obj) for pk, obj in f.related_model._default_manager.in_bulk(ids).items()
        }
    return names


def _display(record: Any, f: Any, related: dict[str, dict[Any, str]]) -> str:
    value = getattr(record, f.attname)
    if value is None or value == "":
        return "–"
    if f.is_relation:
        return related.get(f.name, {}).get(value, str(value))
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return str(formats.localize(value, use_l10n=True))


def _label(model: type[Any], record: Any, related: dict[str, dict[Any, str]]) -> str:
    if model is AccountTeamMember:
        role = related["role"].get(record.role_id, "")
        country = f" {record.country.name}" if record.country else ""
        return f"{related['user'].get(record.user_id, '')}, {role}{country}"
    if model is CustomerContact:
        return f"{record.first_name} {record.last_name}".strip()
    if model is KeyAccountPlan:
        return f"{record.start_year}–{record.end_year}"
    if model is PlanReview:
        return str(record.comment)[:80]
    if model is PlanRevenueTarget:
        return str(record.year)
    for attr in ("name", "description", "text"):
        if hasattr(record, attr):
            return str(getattr(record, attr))
    return str(record.id)


def account_history(account: KeyAccount) -> list[HistoryEntry]:
    """Every recorded change of the account and what hangs off it, newest first.

    A fixed number of queries: one per model and per foreign key. Changed
    fields are found by comparing each record with the previous record of
    the same object in Python.
    """
    plan_ids = list(account.plans.values_list("pk", flat=True))
    entries: list[HistoryEntry] = []
    for model, key in _ACCOUNT_HISTORY:
        target = plan_ids if key == "plan_id" else [account.pk]
        records = list(
            model.history.filter(**{f"{key}__in": target})
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        related = _related_names(model, records)
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.name not in _HIDDEN_FIELDS and not f.primary_key
        ]
        previous: dict[int, Any] = {}
        for record in records:
            before = previous.get(record.id)
            previous[record.id] = record
            changes: list[tuple[str, str, str]] = []
            if record.history_type == "~" and before is not None:
                for f in fields:
                    old, new = _display(before, f, related), _display(record, f, related)
                    if old != new:
                        changes.append((str(f.verbose_name), old, new))
                if not changes:
                    continue  # a save that changed nothing worth showing
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=record.history_user,
                    kind=record.history_type,
                    what=str(model._meta.verbose_name),
                    obj=_label(model, record, related),
                    changes=changes,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
