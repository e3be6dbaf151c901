from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Portfolio review")

    def ready(self) -> None:
        from core import fragments
        from portfolio.models import PlanReview

        # What the cached pages show (core.fragments.watch).
        fragments.watch(PlanReview, account="plan__account")
