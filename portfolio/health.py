"""One account's health score taken apart: which part lost how many points, and what to do.

The parts and their points come from `portfolio_queryset` (the same SQL the
portfolio sorts and filters by); this module only puts them into words and
links each shortfall to the page where the team can fix it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import KeyAccount, KeyAccountPlan
from portfolio.selectors import POINTS
from portfolio.weights import weights_of


@dataclass(frozen=True)
class HealthPart:
    name: str
    points: int
    finding: str  # what the score saw
    advice: str = ""  # what to do about it; empty when the part has full points
    link: str = ""
    link_label: str = ""
    # The link leads to a change only the account's leads may make (a new
    # plan): offered to them only, not to a manager or member reading along.
    leads_only: bool = False
    out_of: int = POINTS  # the part's weight in force

    @property
    def lost(self) -> int:
        return self.out_of - self.points


def breakdown(row: KeyAccount, today: date) -> list[HealthPart]:
    """The four parts of `row` (an account from portfolio_queryset) in the page's order,
    each out of the weight it was scored with."""
    parts = [_plan(row, today.year), _raci(row), _touchpoints(row, today.year), _team(row)]
    weights = weights_of(row).values()  # in the parts' order (HEALTH_PARTS)
    return [replace(part, out_of=weight) for part, weight in zip(parts, weights, strict=True)]


def _plan(row: KeyAccount, year: int) -> HealthPart:
    slug = row.slug
    name = _("Plan")
    period = f"{row.plan_start}–{row.plan_end}"
    if row.covering_status:
        plan_url = reverse("accounts:plan_detail", args=[slug, row.plan_id])
        if row.covering_status == KeyAccountPlan.Status.DRAFT:
            return HealthPart(
                name,
                row.plan_points,
                _("The plan %(period)s is still a draft.") % {"period": period},
                _("Agree it with the core team in a workshop, then mark it agreed."),
                plan_url,
                _("Open the plan"),
            )
        if not row.covering_has_content:
            return HealthPart(
                name,
                row.plan_points,
                _("The plan %(period)s is agreed but has neither a strategy nor objectives.")
                % {"period": period},
                _("Write down the strategy and the objectives the team agreed on."),
                plan_url,
                _("Open the plan"),
            )
        return HealthPart(
            name, row.plan_points, _("The plan %(period)s is agreed.") % {"period": period}
        )
    return _no_covering_plan(row, year, name, period)


def _no_covering_plan(row: KeyAccount, year: int, name: str, period: str) -> HealthPart:
    """The plan part when no plan covers `year`: expired, starting later, or none at all."""
    new_plan = reverse("accounts:plan_create", args=[row.slug])
    if row.plan_id and row.plan_end < year:
        finding = _("The plan %(period)s expired at the end of %(end)s; it counts as no plan.") % {
            "period": period,
            "end": row.plan_end,
        }
        return HealthPart(
            name,
            row.plan_points,
            finding,
            _("Work out the next plan with the core team."),
            new_plan,
            _("Start a plan"),
            leads_only=True,
        )
    if row.plan_id:
        return HealthPart(
            name,
            row.plan_points,
            _("The plan %(period)s starts later; no plan covers %(year)s.")
            % {"period": period, "year": year},
            _("Let a plan cover this year: move the plan's start or start one for this year."),
            reverse("accounts:plan_detail", args=[row.slug, row.plan_id]),
            _("Open the plan"),
        )
    return HealthPart(
        name,
        row.plan_points,
        _("The account has no key account plan."),
        _("Work one out with the core team in a workshop."),
        new_plan,
        _("Start a plan"),
        leads_only=True,
    )


def _raci(row: KeyAccount) -> HealthPart:
    name = _("Responsibilities")
    matrix = reverse("raci:matrix", args=[row.slug])
    if not row.raci_total:
        return HealthPart(
            name,
            row.raci_points,
            _("The RACI matrix has no tasks."),
            _("Add the account's key tasks, or start from a company template."),
            matrix,
            _("Open the RACI matrix"),
        )
    finding = ngettext(
        "%(complete)s of %(total)s task has exactly one A and at least one R.",
        "%(complete)s of %(total)s tasks have exactly one A and at least one R.",
        row.raci_total,
    ) % {"complete": row.raci_complete, "total": row.raci_total}
    if row.raci_complete == row.raci_total:
        return HealthPart(name, row.raci_points, finding)
    return HealthPart(
        name,
        row.raci_points,
        finding,
        _("Give every task exactly one A and at least one R, held by someone on the team."),
        matrix,
        _("Open the RACI matrix"),
    )


def _touchpoints(row: KeyAccount, year: int) -> HealthPart:
    """Execution: this year's touchpoints and plan actions, and how many are overdue."""
    name = _("Execution")
    grid = reverse("touchpoints:grid", args=[row.slug])
    if not row.exec_total:
        return HealthPart(
            name,
            row.tp_points,
            _("No touchpoints are planned for %(year)s.") % {"year": year},
            _("Plan what reaches which customer contact in each quarter."),
            grid,
            _("Open the touchpoint plan"),
        )
    finding = " ".join(filter(None, [_touchpoint_finding(row, year), _action_finding(row)]))
    if row.tp_year_overdue:
        return HealthPart(
            name,
            row.tp_points,
            finding,
            _("Mark done what happened; reschedule or cancel the rest."),
            grid,
            _("Open the touchpoint plan"),
        )
    if row.act_year_overdue and row.plan_id:
        return HealthPart(
            name,
            row.tp_points,
            finding,
            _("Mark done what is done; give the other actions a new due date."),
            reverse("accounts:plan_detail", args=[row.slug, row.plan_id]),
            _("Open the plan"),
        )
    return HealthPart(name, row.tp_points, finding)


def _touchpoint_finding(row: KeyAccount, year: int) -> str:
    if not row.tp_year:
        return _("No touchpoints are planned for %(year)s.") % {"year": year}
    if not row.tp_year_overdue:
        return ngettext(
            "None of this year's %(n)s touchpoint is overdue.",
            "None of this year's %(n)s touchpoints is overdue.",
            row.tp_year,
        ) % {"n": row.tp_year}
    return ngettext(
        "%(overdue)s of this year's %(n)s touchpoint is overdue.",
        "%(overdue)s of this year's %(n)s touchpoints are overdue.",
        row.tp_year,
    ) % {"overdue": row.tp_year_overdue, "n": row.tp_year}


def _action_finding(row: KeyAccount) -> str:
    """The plan actions due this year; nothing when none is."""
    if not row.act_year:
        return ""
    if not row.act_year_overdue:
        return _("Plan actions due this year: none of %(n)s overdue.") % {"n": row.act_year}
    return _("Plan actions due this year: %(overdue)s of %(n)s overdue.") % {
        "overdue": row.act_year_overdue,
        "n": row.act_year,
    }


def _team(row: KeyAccount) -> HealthPart:
    name = _("Team")
    if row.met_in_person:
        return HealthPart(name, row.team_points, _("The core team met in person this year."))
    if row.meeting_planned:
        return HealthPart(
            name, row.team_points, _("An in-person core team meeting is planned this year.")
        )
    return HealthPart(
        name,
        row.team_points,
        _("The core team has no in-person meeting planned or held this year."),
        _("Plan one: the core team should meet in person at least once a year."),
        reverse("touchpoints:rhythm", args=[row.slug]),
        _("Open the team rhythm"),
    )
