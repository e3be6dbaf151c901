from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TouchpointsConfig(AppConfig):
    name = "touchpoints"
    verbose_name = _("Touchpoints and relationships")

    def ready(self) -> None:
        from accounts import services
        from core import fragments
        from touchpoints.models import CalendarFeed, RelationshipPair, TeamMeeting, Touchpoint
        from touchpoints.services import member_touchpoint_blockers

        services.member_blockers.append(member_touchpoint_blockers)

        # What the cached pages show (core.fragments.watch).
        fragments.watch(Touchpoint, RelationshipPair, TeamMeeting, account="account")
        fragments.watch(CalendarFeed)  # a person's own feed, not an account's

        from core import schedule
        from touchpoints.reminders import send_touchpoint_reminders

        schedule.register(
            "touchpoints.reminders", send_touchpoint_reminders, schedule.daily("06:00")
        )
