"""Downloads of everything held about a person: one's own data, a customer contact's."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import account_access
from profiles.access import can_export_contact
from workspace import exports


@require_safe
def my_export(request: HttpRequest) -> HttpResponse:
    data = exports.personal_data_export(request.user)
    return exports.json_download(data, f"kamteam-{request.user.username}.json")


@require_safe
def contact_export(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug)
    if not can_export_contact(access):
        raise PermissionDenied(_("Only the account's leads and staff export a contact's data."))
    # Archived contacts too: their profiles are what the retention period is about.
    contact = get_object_or_404(access.account.contacts.select_related("account"), pk=pk)
    data = exports.contact_data_export(contact)
    return exports.json_download(data, f"kamteam-contact-{contact.pk}.json")
