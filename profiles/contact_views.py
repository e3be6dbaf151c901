"""Data protection for customer contacts: erase a contact's profile.

The export of everything held about a contact spans every app: workspace.export_views.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import AccountAccess, account_access
from accounts.models import CustomerContact
from core.pages import confirm_page
from profiles import services
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
    return confirm_page(
        request,
        access,
        title=_("Erase the profile of %(name)s?") % {"name": contact},
        message=_(
            "Colours, life motives, interests, character notes and the legal basis are "
            "deleted, together with every earlier version in the history. The contact "
            "stays. This cannot be undone."
        )
        if profile
        else _("No profile is stored for %(name)s.") % {"name": contact},
        submit=_("Erase profile"),
        cancel_url=contact.get_absolute_url(),
        tab="contacts",
    )
