from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from core import fragments
        from imports.models import ImportBatch

        # The upload page lists the imports so far (core.fragments.watch).
        fragments.watch(ImportBatch, account="account")
