from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coaching.models import Appreciation, CoachingAnswer, CoachingCheck, CoachingQuestion


@admin.register(CoachingQuestion)
class CoachingQuestionAdmin(admin.ModelAdmin):
    """Staff keep the company-wide catalogue; retire a question instead of deleting it."""

    list_display = ("text_en", "text_de", "topic_en", "order", "is_active")
    list_editable = ("order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("text_en", "text_de")


class CoachingAnswerInline(admin.TabularInline):
    model = CoachingAnswer
    extra = 0


@admin.register(CoachingCheck)
class CoachingCheckAdmin(SimpleHistoryAdmin):
    list_display = ("account", "answered_on", "answered_by")
    list_filter = ("account",)
    date_hierarchy = "answered_on"
    inlines = [CoachingAnswerInline]


@admin.register(Appreciation)
class AppreciationAdmin(SimpleHistoryAdmin):
    list_display = ("member", "account", "thanked_on", "recorded_by")
    list_filter = ("account",)
    date_hierarchy = "thanked_on"
