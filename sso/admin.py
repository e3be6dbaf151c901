from django.contrib import admin

from sso.models import OidcIdentity


@admin.register(OidcIdentity)
class OidcIdentityAdmin(admin.ModelAdmin):
    """An administrator links a person whose provider does not confirm e-mail addresses
    by hand: the refused sign-in logs the issuer and subject to enter here."""

    list_display = ("user", "subject", "issuer", "created", "last_login")
    search_fields = ("user__username", "user__email", "subject")
    raw_id_fields = ("user",)
    readonly_fields = ("created", "last_login")
