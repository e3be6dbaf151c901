from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from profiles.models import Motive, MotiveScore, Profile, User
from profiles.services import profile_erase


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_staff", "is_active")
    list_filter = ("is_staff", "is_active", "groups")


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

    No history view: the point of erasure is that no copy stays behind.
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
