from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from profiles.models import Motive, MotiveScore, Profile, ProfileShare
from profiles.services import profile_erase


@admin.register(Motive)
class MotiveAdmin(admin.ModelAdmin):
    list_display = ("order", "name_en", "name_de", "code")
    ordering = ("order",)


class MotiveScoreInline(admin.TabularInline):
    model = MotiveScore
    extra = 0


@admin.action(description=_("Erase selected profiles (leaves no trace in the history)"))
def erase_profiles(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    count = 0
    for profile in queryset:
        profile_erase(profile=profile)
        count += 1
    modeladmin.message_user(
        request,
        ngettext("%(n)d profile erased.", "%(n)d profiles erased.", count) % {"n": count},
        messages.SUCCESS,
    )


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    """Profiles are personal data: staff read and erase them here.

    No history view: the point of erasure is that no copy stays behind. The
    ordinary Delete erases too (profiles.erasure covers cascades from users
    and contacts as well).
    """

    list_display = (
        "__str__",
        "primary_colour",
        "secondary_colour",
        "share_with_team",
        "updated_at",
    )
    list_filter = ("primary_colour", "share_with_team")
    search_fields = ("user__username", "user__last_name", "contact__last_name")
    autocomplete_fields = ("user", "contact")
    inlines = [MotiveScoreInline]
    actions = [erase_profiles]
    # Sharing is the person's own decision (their "Who can see what" page).
    readonly_fields = ("share_with_team",)

    def delete_model(self, request: HttpRequest, obj: Profile) -> None:
        profile_erase(profile=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for profile in queryset:
            profile_erase(profile=profile)


@admin.register(ProfileShare)
class ProfileShareAdmin(SimpleHistoryAdmin):
    """Read-only: a share is the person's own decision, made on their sharing page."""

    list_display = ("user", "account", "part", "audience", "created_at")
    list_filter = ("part", "audience")
    search_fields = ("user__username", "user__last_name", "account__name")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
