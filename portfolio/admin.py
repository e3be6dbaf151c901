from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portfolio.models import HealthSnapshot, PlanReview, PlanReviewRead


@admin.register(PlanReview)
class PlanReviewAdmin(SimpleHistoryAdmin):
    list_display = ("plan", "reviewed_by", "reviewed_at")
    list_filter = ("plan__account",)
    date_hierarchy = "reviewed_at"


@admin.register(PlanReviewRead)
class PlanReviewReadAdmin(admin.ModelAdmin):
    list_display = ("review", "user", "read_at")
    list_filter = ("review__plan__account",)


@admin.register(HealthSnapshot)
class HealthSnapshotAdmin(admin.ModelAdmin):
    """Derived data, written by `manage.py snapshot_health`: shown, not edited."""

    list_display = ("account", "week", "score", "band")
    list_filter = ("band", "week")
    date_hierarchy = "week"
    readonly_fields = ("account", "week", "score", "band", "taken_at")
