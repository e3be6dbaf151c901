"""Colleagues (read): yourself, and the people who can sign in, for those who choose them.

The list follows the people picker of the pages (accounts.views.pickers):
managers and account leads look colleagues up by name, to put them on a
team; nobody else gets the list, and it carries names, not addresses.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate

from accounts.models import AccountTeamMember, KeyAccount
from api import schemas
from api.service import Pages
from users.pickers import active_people

router = Router(tags=["People"])


@router.get("/me/", response=schemas.Person, url_name="me")
def me(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Whom the token (or session) acts for."""
    return request.user


@router.get("/users/", response=list[schemas.Colleague], url_name="users")
@paginate(Pages)
def list_users(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Everyone who can sign in, by name (managers and the leads of active accounts)."""
    leads_an_account = (
        AccountTeamMember.objects.leads()
        .filter(user=request.user, account__status=KeyAccount.Status.ACTIVE)
        .exists()
    )
    if not (request.user.is_manager or leads_an_account):
        raise PermissionDenied(_("Only managers and account leads look colleagues up."))
    return active_people()
