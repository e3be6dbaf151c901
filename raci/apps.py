from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RaciConfig(AppConfig):
    name = "raci"
    verbose_name = _("RACI matrices")

    def ready(self) -> None:
        from accounts import services
        from core import fragments
        from raci.models import (
            RaciAssignment,
            RaciMatrix,
            RaciTask,
            RaciTemplate,
            RaciTemplateAssignment,
            RaciTemplateTask,
        )
        from raci.services import member_raci_blockers

        # A member who alone holds a role's letters cannot silently leave.
        services.member_blockers.append(member_raci_blockers)

        # What the cached pages show (core.fragments.watch).
        fragments.watch(RaciTask, RaciMatrix, account="account")
        fragments.watch(RaciAssignment, account="task__account")
        fragments.watch(RaciTemplate, RaciTemplateTask, RaciTemplateAssignment)  # catalogues
