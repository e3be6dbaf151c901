from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opportunities.models import Opportunity, OpportunityStage


@admin.register(OpportunityStage)
class OpportunityStageAdmin(SimpleHistoryAdmin):
    list_display = ("name_en", "name_de", "default_probability", "order", "is_active")
    list_editable = ("default_probability", "order", "is_active")
    search_fields = ("name_en", "name_de")


@admin.register(Opportunity)
class OpportunityAdmin(SimpleHistoryAdmin):
    list_display = ("title", "account", "stage", "value", "probability", "expected_close", "status")
    list_filter = ("status", "stage")
    search_fields = ("title", "account__name")
    raw_id_fields = ("owner", "potential", "objective", "whitespace_cell")
    exclude = ("version",)
