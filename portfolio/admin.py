from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from portfolio.models import HealthSnapshot, HealthWeights, PlanReview, PlanReviewRead


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


@admin.register(HealthWeights)
class HealthWeightsAdmin(SimpleHistoryAdmin):
    """One row: the points of each health part, 100 in all; without it each part weighs 25."""

    list_display = ("__str__", "plan", "responsibilities", "execution", "team")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not HealthWeights.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: HealthWeights | None = None) -> bool:
        return False
