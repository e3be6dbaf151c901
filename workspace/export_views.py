"""Downloads of everything held: one's own data, a customer contact's, a key account's."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import account_access
from profiles.access import can_export_contact
from workspace import exports
from workspace.exports import account as account_exports


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


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
def account_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The whole account as one workbook (`fmt` xlsx) or JSON, for its leads and managers."""
    access = account_access(request.user, slug)
    if not account_exports.may_export(access):
        raise PermissionDenied(_("Only the account's leads and the managers export its data."))
    data = account_exports.account_export(access.account, access)
    name = f"kamteam-{access.account.slug}-{timezone.localdate()}"
    if fmt == "json":
        return exports.json_download(data, f"{name}.json")
    response = HttpResponse(account_exports.account_workbook(data), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
