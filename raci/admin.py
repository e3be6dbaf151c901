from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from raci.models import (
    RaciAssignment,
    RaciMatrix,
    RaciTask,
    RaciTemplate,
    RaciTemplateAssignment,
    RaciTemplateTask,
)


class AssignmentInline(admin.TabularInline):
    model = RaciAssignment
    extra = 0


@admin.register(RaciTask)
class RaciTaskAdmin(SimpleHistoryAdmin):
    list_display = ("name", "account", "order")
    search_fields = ("name", "account__name")
    autocomplete_fields = ("account",)
    inlines = [AssignmentInline]


@admin.register(RaciMatrix)
class RaciMatrixAdmin(SimpleHistoryAdmin):
    list_display = ("account", "status", "agreed_on")
    filter_horizontal = ("participants",)


class TemplateTaskInline(admin.TabularInline):
    model = RaciTemplateTask
    extra = 0


@admin.register(RaciTemplate)
class RaciTemplateAdmin(SimpleHistoryAdmin):
    list_display = ("name",)
    inlines = [TemplateTaskInline]


class TemplateAssignmentInline(admin.TabularInline):
    model = RaciTemplateAssignment
    extra = 0


@admin.register(RaciTemplateTask)
class RaciTemplateTaskAdmin(admin.ModelAdmin):
    list_display = ("name", "template", "order")
    inlines = [TemplateAssignmentInline]
