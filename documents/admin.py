from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from documents.models import Document, DocumentCategory, DocumentFile


@admin.register(DocumentCategory)
class DocumentCategoryAdmin(SimpleHistoryAdmin):
    """The company-wide list of categories: staff add, rename, order and retire them."""

    list_display = ("name_en", "name_de", "order", "is_active")
    list_editable = ("order", "is_active")
    search_fields = ("name_en", "name_de")


class DocumentFileInline(admin.TabularInline):
    model = DocumentFile
    extra = 0
    fields = ("number", "name", "size", "content_type", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False  # files come in through the account's Documents tab, checked


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ("title", "account", "category", "visibility", "kind", "archived_at")
    list_filter = ("category", "visibility", "kind")
    search_fields = ("title", "description", "account__name")
    autocomplete_fields = ("account",)
    raw_id_fields = ("created_by",)
    inlines = [DocumentFileInline]
