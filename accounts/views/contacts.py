"""Changing an account's customer contacts: adding, editing, archiving, restoring."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.access import account_access
from accounts.forms import CustomerContactForm
from accounts.models import CustomerContact
from core.pages import confirm_action_page, save_form_page


def contact_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Add a contact, or edit the active one `pk`."""
    access = account_access(request.user, slug, write=True)
    instance = get_object_or_404(access.account.contacts.active(), pk=pk) if pk else None
    return save_form_page(
        request,
        access,
        CustomerContactForm(request.POST or None, instance=instance, account=access.account),
        saved=lambda contact: _("%(name)s saved.") % {"name": contact},
        next_url=CustomerContact.get_absolute_url,
        title=_("Edit contact") if instance else _("Add contact"),
        cancel_url=(
            instance.get_absolute_url() if instance else reverse("accounts:contacts", args=[slug])
        ),
        tab="contacts",
    )


contact_create = contact_edit = contact_form  # the two addresses of one form


def contact_archive(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    contact = get_object_or_404(access.account.contacts.active(), pk=pk)
    return confirm_action_page(
        request,
        access,
        action=lambda: services.contact_archive(contact=contact),
        done=_("%(name)s is archived.") % {"name": contact},
        next_url=reverse("accounts:contacts", args=[slug]),
        title=_("Archive %(name)s?") % {"name": contact},
        message=_(
            "Archive a contact who left the customer or is no longer relevant. "
            "Everything about them is kept and they can be restored."
        ),
        submit=_("Archive contact"),
        cancel_url=contact.get_absolute_url(),
        tab="contacts",
        blockers=services.contact_archive_blockers(contact),
    )


@require_POST
def contact_restore(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    contact = get_object_or_404(access.account.contacts.filter(archived_at__isnull=False), pk=pk)
    services.contact_restore(contact=contact)
    messages.success(request, _("%(name)s is an active contact again.") % {"name": contact})
    return redirect(contact)
