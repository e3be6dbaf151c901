from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Key accounts")

    def ready(self) -> None:
        from kamteam import fragments

        fragments.connect_signals()
