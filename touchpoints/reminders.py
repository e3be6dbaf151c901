"""Reminders the day before a dated touchpoint, to its owner (as they chose to hear of it).

Run daily by the scheduler (`manage.py run_scheduled`) or by hand
(`manage.py send_reminders`). A reminder is a notification of kind
TOUCHPOINT_REMINDER: in the app, and by e-mail for those who want it
(notifications.emails). Once per touchpoint and day: running it again
reminds nobody twice.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from accounts.models import KeyAccount
from notifications.kinds import Kind
from notifications.models import Notification
from notifications.services import notify_touchpoint_reminder
from touchpoints.models import Touchpoint


def due_tomorrow(today: datetime.date) -> list[Touchpoint]:
    """Planned touchpoints dated tomorrow, owned by an active seat of an active person
    on an active account, not reminded of yet. Two queries."""
    tomorrow = today + datetime.timedelta(days=1)
    # (touchpoint, person) pairs reminded already: a new owner is reminded too.
    reminded = set(
        Notification.objects.filter(
            kind=Kind.TOUCHPOINT_REMINDER, params__date=tomorrow.isoformat()
        ).values_list("params__touchpoint", "recipient_id")
    )
    found = (
        Touchpoint.objects.filter(
            date=tomorrow,
            status=Touchpoint.Status.PLANNED,
            account__status=KeyAccount.Status.ACTIVE,
            owner__archived_at__isnull=True,
            owner__user__is_active=True,
        )
        .select_related("account", "contact", "owner")
        .order_by("pk")
    )
    return [tp for tp in found if (tp.pk, tp.owner.user_id) not in reminded]


def send_reminders(*, today: datetime.date | None = None) -> int:
    """Remind every owner of a touchpoint dated tomorrow; the number of touchpoints."""
    today = today or timezone.localdate()
    due = due_tomorrow(today)
    for tp in due:
        notify_touchpoint_reminder(
            owner=tp.owner.user_id,
            account=tp.account,
            touchpoint_id=tp.pk,
            title=tp.title,
            contact=tp.contact.full_name,
            date=tp.date,
            url=f"{reverse('touchpoints:grid', args=[tp.account.slug])}?year={tp.year}",
        )
    return len(due)


@task()
def send_touchpoint_reminders(scheduled_for: str = "") -> int:
    """The daily job (registered in TouchpointsConfig.ready)."""
    return send_reminders()
