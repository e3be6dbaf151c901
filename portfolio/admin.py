from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portfolio.models import PlanReview


@admin.register(PlanReview)
class PlanReviewAdmin(SimpleHistoryAdmin):
    list_display = ("plan", "reviewed_by", "reviewed_at")
    list_filter = ("plan__account",)
    date_hierarchy = "reviewed_at"
