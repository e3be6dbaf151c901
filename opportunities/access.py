"""Who may change an opportunity, beyond editing the account (accounts.access).

Leads of an active account create, edit, close and delete its opportunities;
an opportunity's owner edits and closes their own; the rest of the team and
managers read; outsiders get 404 from `account_access` before this is asked.
One rule per step, read by the view and by the template that offers it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.access import AccountAccess
from opportunities.models import Opportunity


def can_change(access: AccountAccess, opportunity: Opportunity) -> bool:
    """Leads of an active account change any opportunity; its owner their own."""
    if access.can_edit:
        return True
    owns = any(seat.pk == opportunity.owner_id for seat in access.memberships)
    return owns and access.account.is_active


def require_change(access: AccountAccess, opportunity: Opportunity) -> None:
    """`can_change`, else 403 saying why."""
    if can_change(access, opportunity):
        return
    if not access.account.is_active:
        raise PermissionDenied(
            _("This account is archived. A manager can restore it; then you can edit it.")
        )
    raise PermissionDenied(_("Only the opportunity's owner or a lead can change it."))
