"""Key accounts with their plans, account teams and customer contacts."""

from accounts.models.accounts import (
    AccountTeamMember,
    AccountTeamMemberQuerySet,
    KeyAccount,
    KeyAccountQuerySet,
    TeamRole,
)
from accounts.models.constants import MAX_PLAN_YEARS, MONEY, YEAR_MAX, YEAR_MIN
from accounts.models.contacts import (
    BuyingCentreRole,
    BuyingRole,
    CustomerContact,
    CustomerContactQuerySet,
)
from accounts.models.national import (
    NationalObjective,
    NationalPlan,
    NationalPotential,
    NationalTarget,
)
from accounts.models.plans import (
    PLAN_EXPIRY_WARNING_DAYS,
    KeyAccountPlan,
    KeyAccountPlanQuerySet,
    PlanObjective,
    PlanPotential,
    PlanRevenueTarget,
)
from accounts.models.revenue import RevenueActual

__all__ = [
    "MAX_PLAN_YEARS",
    "MONEY",
    "PLAN_EXPIRY_WARNING_DAYS",
    "YEAR_MAX",
    "YEAR_MIN",
    "AccountTeamMember",
    "AccountTeamMemberQuerySet",
    "BuyingCentreRole",
    "BuyingRole",
    "CustomerContact",
    "CustomerContactQuerySet",
    "KeyAccount",
    "KeyAccountPlan",
    "KeyAccountPlanQuerySet",
    "KeyAccountQuerySet",
    "NationalObjective",
    "NationalPlan",
    "NationalPotential",
    "NationalTarget",
    "PlanObjective",
    "PlanPotential",
    "PlanRevenueTarget",
    "RevenueActual",
    "TeamRole",
]
