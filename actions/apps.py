from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Action plans")

    def ready(self) -> None:
        from accounts import services
        from actions.models import PlanAction
        from actions.services import member_action_blockers, objective_delete_notes
        from core import fragments

        services.member_blockers.append(member_action_blockers)
        services.plan_row_delete_notes.append(objective_delete_notes)

        # What the cached pages show (core.fragments.watch).
        fragments.watch(PlanAction, account="account")
