from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from api.models import ApiToken
        from core import fragments

        # Declared like every model (core.fragments.watch), though no cached page shows it.
        fragments.watch(ApiToken)
