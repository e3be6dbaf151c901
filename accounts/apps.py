from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Key accounts")

    def ready(self) -> None:
        from accounts.models import (
            AccountTeamMember,
            BuyingCentreRole,
            CustomerContact,
            KeyAccount,
            KeyAccountPlan,
            NationalObjective,
            NationalPlan,
            NationalPotential,
            NationalTarget,
            PlanObjective,
            PlanPotential,
            PlanRevenueTarget,
            RevenueActual,
            TeamRole,
        )
        from core import fragments

        # What the cached pages show (core.fragments.watch). Archiving an
        # account ends its team's profile shares: its status moves "shared".
        fragments.watch(KeyAccount, account=fragments.ACCOUNT_ITSELF, visibility_fields=("status",))
        # Who shares a team decides who sees whose colours on every account.
        fragments.watch(AccountTeamMember, account="account", visibility=True)
        fragments.watch(KeyAccountPlan, CustomerContact, RevenueActual, account="account")
        fragments.watch(PlanRevenueTarget, PlanPotential, PlanObjective, account="plan__account")
        fragments.watch(TeamRole, BuyingCentreRole)  # catalogues
        fragments.watch(NationalPlan, account="account")
        fragments.watch(
            NationalTarget,
            NationalPotential,
            NationalObjective,
            account="national_plan__account",
        )
        # The roll-up of the national plans on the global plan's page.
        from accounts import national, plan_sections

        plan_sections.register(national.ROLLUP_SECTION)
