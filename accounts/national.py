"""National plans under a global plan: reads for the pages, the save, and the roll-up.

Each NKAM keeps the national plan of their country for the global plan's
period (who may change which: `AccountAccess.can_edit_national`). The global
plan's page shows the roll-up (`ROLLUP_SECTION`, an accounts.plan_sections
section): per plan year the national targets' sum against the global target,
the countries with an NKAM but no national plan, the national objectives
under the global objective they serve, and every framework-contract exception
with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django_countries import countries as all_countries
from django_countries.fields import Country

from accounts.models import (
    AccountTeamMember,
    KeyAccountPlan,
    NationalObjective,
    NationalPlan,
    NationalTarget,
    PlanObjective,
)
from accounts.plan_sections import PlanPage, PlanSection
from core.concurrency import save_versioned


def nkam_countries(plan: KeyAccountPlan) -> list[str]:
    """The codes of the countries with an active NKAM seat (a national lead) on the account."""
    codes = (
        AccountTeamMember.objects.leads()
        .filter(account_id=plan.account_id, role__is_national=True)
        .exclude(country="")
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )
    return sorted(set(codes))


def country_name(code: str) -> str:
    return str(all_countries.name(code) or code)


def with_rows(plan: KeyAccountPlan) -> QuerySet[NationalPlan]:
    """The national plans of `plan` with their targets, potentials and objectives."""
    return plan.national_plans.prefetch_related(
        "targets",
        "potentials",
        Prefetch("objectives", queryset=NationalObjective.objects.select_related("serves")),
        # The actions app's actions under each objective (by name: accounts cannot
        # import it); its manager joins their owners and contacts.
        "objectives__actions",
    )


def national_plan_or_404(plan: KeyAccountPlan, country: str, *, rows: bool) -> NationalPlan:
    """The national plan of `country` (a code from the address, any case) under `plan`;
    with `rows`, everything its page lists (`with_rows`)."""
    plans = with_rows(plan) if rows else plan.national_plans.all()
    national = get_object_or_404(plans, country=country.upper())
    national.plan = plan  # the page's plan, with its account: no query for each link
    return national


def national_plan_save(
    *, national: NationalPlan, expected_version: int, targets: dict[int, Decimal | None]
) -> NationalPlan:
    """Save a new or edited national plan with its targets, or raise VersionConflict."""
    with transaction.atomic():
        if national._state.adding:
            national.save()
        else:
            save_versioned(national, expected_version=expected_version)
        for year, amount in targets.items():
            if not national.plan.covers(year):
                continue
            if amount is None:
                national.targets.filter(year=year).delete()
            else:
                NationalTarget.objects.update_or_create(
                    national_plan=national, year=year, defaults={"amount": amount}
                )
    return national


# The roll-up on the global plan's page ----------------------------------------


@dataclass(frozen=True)
class RollupYear:
    year: int
    target: Decimal | None  # the global plan's
    national: Decimal | None  # the sum of the national targets; None: no country set one
    countries: int  # how many national plans set a target for the year

    @property
    def difference(self) -> Decimal | None:
        """National sum minus global target: negative when the countries plan less."""
        if self.target is None or self.national is None:
            return None
        return self.national - self.target


@dataclass(frozen=True)
class ObjectiveGroup:
    objective: PlanObjective | None  # None: national objectives serving no global one
    national: list[tuple[NationalPlan, NationalObjective]]


def rollup_years(plan: KeyAccountPlan, nationals: list[NationalPlan]) -> list[RollupYear]:
    """Uses the prefetched targets of `plan` (plans_with_rows) and of `nationals`."""
    global_targets = {t.year: t.amount for t in plan.revenue_targets.all()}
    rows = []
    for year in plan.years:
        amounts = [t.amount for n in nationals for t in n.targets.all() if t.year == year]
        rows.append(
            RollupYear(
                year=year,
                target=global_targets.get(year),
                national=sum(amounts, Decimal(0)) if amounts else None,
                countries=len(amounts),
            )
        )
    return rows


def objective_groups(plan: KeyAccountPlan, nationals: list[NationalPlan]) -> list[ObjectiveGroup]:
    """Each global objective with the national objectives serving it; the unlinked last."""
    serving: dict[int | None, list[tuple[NationalPlan, NationalObjective]]] = {}
    for national in nationals:
        for objective in national.objectives.all():
            serving.setdefault(objective.serves_id, []).append((national, objective))
    groups = [ObjectiveGroup(o, serving.get(o.pk, [])) for o in plan.objectives.all()]
    if serving.get(None):
        groups.append(ObjectiveGroup(None, serving[None]))
    return groups


def rollup(page: PlanPage) -> dict[str, Any] | None:
    """The roll-up's context; None for a plan with neither national plans nor NKAMs.

    Four queries with national plans (they, their targets and objectives, the
    NKAM seats), two without, whatever the number of countries and rows.
    """
    plan = page.plan
    nationals = list(
        plan.national_plans.prefetch_related(
            "targets", Prefetch("objectives", queryset=NationalObjective.objects.order_by("pk"))
        )
    )
    seats = nkam_countries(plan)
    if not nationals and not seats:
        return None
    for national in nationals:
        national.plan = plan
    planned = {n.country.code for n in nationals}
    missing = [Country(code) for code in seats if code not in planned]
    return {
        "plan": plan,
        "nationals": nationals,
        "years": rollup_years(plan, nationals),
        "missing": [(c, page.access.can_edit_national(c.code)) for c in missing],
        "exceptions": [n for n in nationals if not n.follows_framework],
        "objective_groups": objective_groups(plan, nationals),
        "can_start": page.access.can_edit
        and (page.access.leads_globally or bool(page.access.national_countries - planned)),
    }


ROLLUP_SECTION = PlanSection(
    key="accounts.national_rollup",
    template="accounts/_national_rollup.html",
    context=rollup,
    order=10,
)
