from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = _("People and profiles")

    def ready(self) -> None:
        from core import fragments
        from profiles import erasure, sharing
        from profiles.models import Motive, MotiveScore, Profile, ProfileShare

        sharing.connect_signals()
        # After simple-history's own receiver, so its "deleted" row is erased too.
        erasure.connect_signals()

        # What the cached pages show (core.fragments.watch). A share decides
        # who sees whose colours on every account's pages: it moves "shared".
        fragments.watch(Motive, Profile, MotiveScore)
        fragments.watch(ProfileShare, account="account", visibility=True)
