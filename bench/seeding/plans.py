"""Plans: one three-year plan per account, half agreed, workshopped and reviewed."""

from __future__ import annotations

import datetime
from decimal import Decimal

from accounts.models import (
    AccountTeamMember,
    KeyAccount,
    KeyAccountPlan,
    PlanObjective,
    PlanPotential,
    PlanRevenueTarget,
)
from bench.seeding.base import bulk
from portfolio.models import PlanReview
from users.models import User


def seed_plans(
    accounts: list[KeyAccount],
    team: dict[int, list[AccountTeamMember]],
    manager: User,
    year: int,
) -> list[KeyAccountPlan]:
    """Plans around `year` with targets, objectives, potentials; the agreed ones reviewed."""
    plans = bulk(
        KeyAccountPlan,
        [
            KeyAccountPlan(
                account=a,
                start_year=year - 1,
                end_year=year + 1,
                status="agreed" if i % 2 else "draft",
                workshop_date=datetime.date(year - 1, 11, 15) if i % 2 else None,
                account_profile="Profile text. " * 20,
                swot_strengths="Strengths. " * 10,
                swot_weaknesses="Weaknesses. " * 10,
                swot_opportunities="Opportunities. " * 10,
                swot_threats="Threats. " * 10,
                strategy="Strategy. " * 20,
                updated_by=team[a.pk][0].user,
            )
            for i, a in enumerate(accounts)
        ],
    )
    _seed_plan_contents(plans, year)
    _seed_workshops_and_reviews(plans, team, manager)
    return plans


def _seed_plan_contents(plans: list[KeyAccountPlan], year: int) -> None:
    """Per plan: a revenue target per year, four objectives, three potentials."""
    bulk(
        PlanRevenueTarget,
        [
            PlanRevenueTarget(plan=p, year=y, amount=Decimal(200_000 + 10_000 * (y - year)))
            for p in plans
            for y in range(year - 1, year + 2)
        ],
    )
    bulk(
        PlanObjective,
        [
            PlanObjective(
                plan=p,
                text=f"Objective {k}",
                kind="business" if k % 2 else "relationship",
                target="+10 %",
                due_date=datetime.date(year, 3 * k + 3, 28),
                status=["open", "in_progress", "achieved", "open"][k],
            )
            for p in plans
            for k in range(4)
        ],
    )
    bulk(
        PlanPotential,
        [
            PlanPotential(
                plan=p, description=f"Potential {k}", estimated_value=Decimal(50_000), year=year
            )
            for p in plans
            for k in range(3)
        ],
    )


def _seed_workshops_and_reviews(
    plans: list[KeyAccountPlan], team: dict[int, list[AccountTeamMember]], manager: User
) -> None:
    """Agreed plans: five workshop participants and the manager's review."""
    participants = KeyAccountPlan.workshop_participants.through
    bulk(
        participants,
        [
            participants(keyaccountplan_id=p.pk, accountteammember_id=m.pk)
            for p in plans
            if p.status == "agreed"
            for m in team[p.account_id][:5]
        ],
    )
    bulk(
        PlanReview,
        [
            PlanReview(plan=p, reviewed_by=manager, comment="Convincing; add the China numbers.")
            for p in plans
            if p.status == "agreed"
        ],
    )
