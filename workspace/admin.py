from django.contrib import admin

from workspace.models import HomeVisit


@admin.register(HomeVisit)
class HomeVisitAdmin(admin.ModelAdmin):
    list_display = ("user", "seen_at", "previous_seen_at")
    search_fields = ("user__username", "user__last_name")
    readonly_fields = ("user", "seen_at", "previous_seen_at")
