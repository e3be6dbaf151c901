from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WhitespaceConfig(AppConfig):
    name = "whitespace"
    verbose_name = _("Whitespace maps")

    def ready(self) -> None:
        from core import fragments
        from whitespace.models import CustomerUnit, Offering, WhitespaceCell

        # What the cached pages show (core.fragments.watch).
        fragments.watch(CustomerUnit, account="account")
        fragments.watch(WhitespaceCell, account="unit__account")
        fragments.watch(Offering)  # the catalogue
