from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from news.models import NewsItem


@admin.register(NewsItem)
class NewsItemAdmin(SimpleHistoryAdmin):
    list_display = ("title", "account", "author", "audience", "created_at")
    list_filter = ("audience",)
    search_fields = ("title", "account__name")
    autocomplete_fields = ("account",)
    raw_id_fields = ("author", "contacts", "roles")
