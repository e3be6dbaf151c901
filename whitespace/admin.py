from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from whitespace.models import CustomerUnit, Offering, WhitespaceCell


@admin.register(Offering)
class OfferingAdmin(SimpleHistoryAdmin):
    """The company-wide catalogue: the columns of every account's map."""

    list_display = ("name", "description", "order", "is_active")
    list_editable = ("order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)


class CellInline(admin.TabularInline):
    model = WhitespaceCell
    extra = 0
    autocomplete_fields = ("offering",)


@admin.register(CustomerUnit)
class CustomerUnitAdmin(SimpleHistoryAdmin):
    list_display = ("name", "account", "kind", "country", "order")
    list_filter = ("kind",)
    search_fields = ("name", "account__name")
    autocomplete_fields = ("account",)
    inlines = [CellInline]


@admin.register(WhitespaceCell)
class WhitespaceCellAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "offering", "status", "yearly_value")
    list_filter = ("status", "offering")
    search_fields = ("unit__name", "unit__account__name", "offering__name")
    autocomplete_fields = ("unit", "offering")
