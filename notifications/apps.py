from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from core import fragments

        # Importing it connects the notification e-mails (@receiver).
        from notifications import (
            emails,  # noqa: F401
            receivers,
        )
        from notifications.models import (
            DigestOptOut,
            DigestSent,
            Notification,
            NotificationPreference,
        )

        receivers.connect()

        # Declared as every model must be (core.fragments.watch), though no
        # cached fragment shows them: the top bar's unread count is part of
        # its own key (core.templatetags.kam.nav). Notifications are
        # written with bulk_create and update(), which move no counter.
        fragments.watch(Notification, account="account")
        fragments.watch(NotificationPreference)  # a person's own settings
        # The weekly digest's bookkeeping (workspace.digest): shown on no page.
        fragments.watch(DigestSent, DigestOptOut)
