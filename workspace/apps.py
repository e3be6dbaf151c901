from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The top layer: the account workspace's own pages and what spans every app."""

    name = "workspace"
    verbose_name = _("Account workspace")

    def ready(self) -> None:
        from core import fragments
        from workspace.models import AccountUpload, HomeVisit

        # A person's own bookkeeping, shown on no cached page; written past the
        # signals (workspace.visits), so a home view moves no counter.
        fragments.watch(HomeVisit)
        # An uploaded account export awaiting its confirmation: on no cached page
        # (the account it becomes moves its own counters as it is written).
        fragments.watch(AccountUpload)

        from core import schedule
        from workspace.tasks import send_weekly_digests

        schedule.register(
            "workspace.digests", send_weekly_digests, schedule.weekly("monday", "06:00")
        )
