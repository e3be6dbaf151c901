from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from activities.models import Activity


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ("subject", "account", "kind", "happened_on", "logged_by")
    list_filter = ("kind",)
    search_fields = ("subject", "account__name")
    autocomplete_fields = ("account",)
    raw_id_fields = ("logged_by", "contacts", "participants", "touchpoint")
