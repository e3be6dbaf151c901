"""Data protection for customer contacts: erase a contact's profile, export what is held."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.access import AccountAccess, account_access
from accounts.models import CustomerContact
from profiles import exports, services
from profiles.access import can_export_contact
from profiles.models import Profile


def _contact(access: AccountAccess, pk: int) -> CustomerContact:
    # Archived contacts too: their profiles are what the retention period is about.
    return get_object_or_404(access.account.contacts.select_related("account"), pk=pk)


@require_http_methods(["GET", "HEAD", "POST"])
def contact_profile_erase(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    contact = _contact(access, pk)
    profile = Profile.objects.filter(contact=contact).first()
    if request.method == "POST":
        if profile is None:
            messages.info(request, _("No profile is stored for %(name)s.") % {"name": contact})
        else:
            services.profile_erase(profile=profile)
            messages.success(
                request,
                _("The profile of %(name)s was erased, its history included.") % {"name": contact},
            )
        return redirect(contact)
    context = {
        "access": access,
        "account": access.account,
        "tab": "contacts",
        "title": _("Erase the profile of %(name)s?") % {"name": contact},
        "message": _(
            "Colours, life motives, interests, character notes and the legal basis are "
            "deleted, together with every earlier version in the history. The contact "
            "stays. This cannot be undone."
        )
        if profile
        else _("No profile is stored for %(name)s.") % {"name": contact},
        "submit_label": _("Erase profile"),
        "cancel_url": contact.get_absolute_url(),
        "blockers": [],
        "danger": True,
    }
    return render(request, "accounts/confirm.html", context)


@require_safe
def contact_export(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug)
    if not can_export_contact(access):
        raise PermissionDenied(_("Only the account's leads and staff export a contact's data."))
    contact = _contact(access, pk)
    data = exports.contact_data_export(contact)
    return exports.json_download(data, f"kamteam-contact-{contact.pk}.json")
