from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = _("Coaching")

    def ready(self) -> None:
        from coaching.models import Appreciation, CoachingAnswer, CoachingCheck, CoachingQuestion
        from core import fragments

        # What the cached pages show (core.fragments.watch).
        fragments.watch(CoachingCheck, Appreciation, account="account")
        fragments.watch(CoachingAnswer, account="self_check__account")
        fragments.watch(CoachingQuestion)  # the catalogue
