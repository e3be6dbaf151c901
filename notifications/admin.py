"""Notifications in the admin: for staff to look into, never to write."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from notifications.models import Notification, NotificationPreference


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only their own person's actions and kamteam itself write."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "account", "actor", "read_at")
    list_filter = ("kind",)
    list_select_related = ("recipient", "account", "actor")
    search_fields = ("recipient__username", "recipient__last_name", "account__name")
    date_hierarchy = "created_at"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdmin):
    list_display = ("user", "kind", "channel")
    list_filter = ("kind", "channel")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__last_name")
