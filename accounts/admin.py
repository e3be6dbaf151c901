from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import (
    AccountTeamMember,
    BuyingCentreRole,
    CustomerContact,
    KeyAccount,
    KeyAccountPlan,
    NationalObjective,
    NationalPlan,
    NationalPotential,
    NationalTarget,
    PlanObjective,
    PlanPotential,
    PlanRevenueTarget,
    RevenueActual,
    TeamRole,
)


@admin.register(TeamRole)
class TeamRoleAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_de", "code", "is_national", "grants_lead", "order")
    list_editable = ("order",)
    search_fields = ("name_en", "name_de", "code")


class TeamMemberInline(admin.TabularInline):
    model = AccountTeamMember
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("user", "role", "team", "country", "is_lead", "archived_at")
    readonly_fields = ("archived_at",)


@admin.register(KeyAccount)
class KeyAccountAdmin(SimpleHistoryAdmin):
    list_display = ("name", "classification", "hq_country", "status", "updated_at")
    list_filter = ("status", "classification", "hq_country")
    search_fields = ("name", "slug", "industry")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [TeamMemberInline]


@admin.register(AccountTeamMember)
class AccountTeamMemberAdmin(SimpleHistoryAdmin):
    list_display = ("user", "account", "role", "country", "team", "is_lead", "archived_at")
    list_filter = ("role", "team", "is_lead")
    search_fields = ("user__username", "user__last_name", "account__name")
    autocomplete_fields = ("user", "account")


class PotentialInline(admin.TabularInline):
    model = PlanPotential
    extra = 0
    exclude = ("version",)


class ObjectiveInline(admin.TabularInline):
    model = PlanObjective
    extra = 0
    exclude = ("version",)


class RevenueTargetInline(admin.TabularInline):
    model = PlanRevenueTarget
    extra = 0


@admin.register(KeyAccountPlan)
class KeyAccountPlanAdmin(SimpleHistoryAdmin):
    list_display = ("account", "start_year", "end_year", "status", "updated_at")
    list_filter = ("status",)
    search_fields = ("account__name",)
    autocomplete_fields = ("account",)
    filter_horizontal = ("workshop_participants",)
    inlines = [RevenueTargetInline, PotentialInline, ObjectiveInline]


@admin.register(PlanPotential)
class PlanPotentialAdmin(SimpleHistoryAdmin):
    list_display = ("description", "plan", "year", "estimated_value")
    search_fields = ("description", "plan__account__name")


@admin.register(PlanObjective)
class PlanObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ("text", "plan", "kind", "due_date", "status")
    list_filter = ("kind", "status")
    search_fields = ("text", "plan__account__name")


@admin.register(PlanRevenueTarget)
class PlanRevenueTargetAdmin(SimpleHistoryAdmin):
    list_display = ("plan", "year", "amount")


@admin.register(RevenueActual)
class RevenueActualAdmin(SimpleHistoryAdmin):
    list_display = ("account", "year", "amount", "updated_at")
    list_filter = ("year",)
    search_fields = ("account__name",)
    autocomplete_fields = ("account",)
    exclude = ("version",)


@admin.register(BuyingCentreRole)
class BuyingCentreRoleAdmin(admin.ModelAdmin):
    list_display = ("code", "order")


@admin.register(CustomerContact)
class CustomerContactAdmin(SimpleHistoryAdmin):
    list_display = ("last_name", "first_name", "account", "position", "attitude", "influence")
    list_filter = ("attitude", "influence", "buying_roles")
    search_fields = ("last_name", "first_name", "account__name", "position")
    autocomplete_fields = ("account", "reports_to")


class NationalTargetInline(admin.TabularInline):
    model = NationalTarget
    extra = 0


class NationalPotentialInline(admin.TabularInline):
    model = NationalPotential
    extra = 0
    exclude = ("version",)


class NationalObjectiveInline(admin.TabularInline):
    model = NationalObjective
    extra = 0
    exclude = ("version",)
    raw_id_fields = ("serves",)


@admin.register(NationalPlan)
class NationalPlanAdmin(SimpleHistoryAdmin):
    list_display = ("plan", "country", "follows_framework", "updated_at")
    list_filter = ("follows_framework", "country")
    search_fields = ("plan__account__name",)
    raw_id_fields = ("plan",)
    exclude = ("version",)
    inlines = [NationalTargetInline, NationalPotentialInline, NationalObjectiveInline]
