from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "sso"
    verbose_name = _("Single sign-on")

    def ready(self) -> None:
        from core import fragments
        from sso.models import OidcIdentity

        # No page shows it today; declared as shared data so that one that
        # does later (a person's sign-in methods) is never served stale.
        fragments.watch(OidcIdentity)
