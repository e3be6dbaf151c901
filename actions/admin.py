from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actions.models import PlanAction


@admin.register(PlanAction)
class PlanActionAdmin(SimpleHistoryAdmin):
    list_display = ("title", "account", "objective", "owner", "due_date", "status")
    list_filter = ("status",)
    search_fields = ("title", "account__name", "objective__text")
    autocomplete_fields = ("account",)
    raw_id_fields = ("objective", "owner", "contact")
