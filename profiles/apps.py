from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = _("People and profiles")

    def ready(self) -> None:
        # Registers the login signal of the session idle timeout.
        import kamteam.middleware  # noqa: F401
        from profiles import erasure, sharing

        sharing.connect_signals()
        # After simple-history's own receiver, so its "deleted" row is erased too.
        erasure.connect_signals()
