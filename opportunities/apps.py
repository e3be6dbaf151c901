from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class OpportunitiesConfig(AppConfig):
    name = "opportunities"
    verbose_name = pgettext_lazy("sales", "Opportunities")

    def ready(self) -> None:
        from accounts import plan_sections
        from core import fragments
        from opportunities.models import Opportunity, OpportunityStage
        from opportunities.selectors import plan_pipeline

        # What the cached pages show (core.fragments.watch).
        fragments.watch(Opportunity, account="account")
        fragments.watch(OpportunityStage)  # a catalogue

        # The gap and the pipeline per plan year, on the plan page.
        plan_sections.register(
            plan_sections.PlanSection(
                key="opportunities.pipeline",
                template="opportunities/_plan_pipeline.html",
                context=plan_pipeline,
            )
        )
