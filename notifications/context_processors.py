"""The top bar's unread count, for every page."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest

from core.prepared import prepared
from notifications.models import Notification


class UnreadCount:
    """A person's unread notifications, counted with one query on first use.

    Lazy: a page that never shows the top bar (a download, a fragment that
    htmx swaps in) costs nothing. `str()` gives the number, so the cached top
    bar can put it into its cache key (core.templatetags.kam.nav).
    """

    def __init__(self, user: object) -> None:
        self._user = user

    @cached_property
    def count(self) -> int:
        if not getattr(self._user, "is_authenticated", False):
            return 0
        return sum(_unread_count(self._user.pk))

    def __str__(self) -> str:
        return str(self.count)


@prepared
def _unread_count(user_id: int) -> QuerySet[Any]:
    """[n] unread, or [] for none: a count that core.prepared can keep (one a page)."""
    unread = Notification.objects.for_user(user_id).unread()
    return unread.values("recipient_id").annotate(n=Count("pk")).values_list("n", flat=True)


def unread_notifications(request: HttpRequest) -> dict[str, UnreadCount]:
    return {"unread_notifications": UnreadCount(getattr(request, "user", None))}
