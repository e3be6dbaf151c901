from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Portfolio review")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from accounts.signals import plan_opened
        from core import fragments
        from portfolio import services
        from portfolio.models import (
            HealthScore,
            HealthScoreSweep,
            HealthSnapshot,
            HealthWeights,
            PlanReview,
            PlanReviewRead,
        )
        from portfolio.weights import forget_weights

        # What the cached pages show (core.fragments.watch).
        fragments.watch(PlanReview, account="plan__account")
        fragments.watch(HealthSnapshot, account="account")
        # Derived from the account's data and written with bulk_create only
        # (portfolio.scores), which moves no counter: a score stored must not
        # make itself stale. Declared for any other write.
        fragments.watch(HealthScore, account="account")
        # When the scores were last checked: written with update() only (no counter).
        fragments.watch(HealthScoreSweep)
        # Three steps from the account (review, plan, account): shared data.
        # Its usual writes bypass the signals (services.plan_reviews_read).
        fragments.watch(PlanReviewRead)
        # Every account's score: shared data.
        fragments.watch(HealthWeights)
        for signal in (post_save, post_delete):
            signal.connect(forget_weights, sender=HealthWeights, dispatch_uid="portfolio.weights")
        # Opening a plan marks its reviews read for the plan's leads.
        plan_opened.connect(services.reviews_read_on_open, dispatch_uid="portfolio.reviews_read")

        from core import schedule
        from portfolio.tasks import weekly_health_snapshot

        # Before the digests (06:00), so Monday's digest and home see the new week.
        schedule.register(
            "portfolio.health_snapshot", weekly_health_snapshot, schedule.weekly("monday", "05:30")
        )
