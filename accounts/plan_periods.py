"""What a new period of a key account plan is refused for (used by KeyAccountPlanForm).

Years are compared with the period's ends, never listed: a list of the years
entered would grow with whatever number someone typed.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from accounts.models import (
    MAX_PLAN_YEARS,
    KeyAccountPlan,
    NationalObjective,
    NationalPotential,
    NationalTarget,
)


def period_error(start: int, end: int) -> str | None:
    """A reversed or too long period, in the words of the new-plan form (KeyAccountPlan.clean)."""
    if end < start:
        return _("The end year cannot be before the start year.")
    if end - start >= MAX_PLAN_YEARS:
        return _("A plan covers at most %(n)d years.") % {"n": MAX_PLAN_YEARS}
    return None


def rows_left_out(
    plan: KeyAccountPlan, start: int, end: int, target_years: Iterable[int]
) -> list[str]:
    """What the period start-end would drop of `plan`, one phrase per kind of row.

    `target_years` are the years with a revenue target as entered in the form.
    """

    def outside(years: Iterable[int]) -> str:
        return ", ".join(str(y) for y in sorted(set(years)) if not start <= y <= end)

    # Compared here, not in SQL: a year beyond any integer column cannot reach the database.
    due = plan.objectives.exclude(due_date=None).values_list("due_date", flat=True)
    found = [
        (_("the revenue target of %(years)s (clear it below first)"), outside(target_years)),
        (
            _("potentials planned for %(years)s (move them to another year first)"),
            outside(p.year for p in plan.potentials.all()),
        ),
        (
            _("objectives due in %(years)s (change their due dates first)"),
            outside(d.year for d in due),
        ),
        (
            _("national plans' targets, potentials or objectives in %(years)s (change them first)"),
            outside(_national_years(plan)),
        ),
    ]
    return [phrase % {"years": years} for phrase, years in found if years]


def _national_years(plan: KeyAccountPlan) -> list[int]:
    """The years the national plans under `plan` hold rows for (accounts.national)."""
    under = {"national_plan__plan": plan}
    due = NationalObjective.objects.filter(**under).exclude(due_date=None)
    return [
        *NationalTarget.objects.filter(**under).values_list("year", flat=True),
        *NationalPotential.objects.filter(**under).values_list("year", flat=True),
        *(d.year for d in due.values_list("due_date", flat=True)),
    ]
