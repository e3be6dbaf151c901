"""Who may do what with a touchpoint, beyond editing the account (accounts.access).

One rule per step, read by the view that takes the step and by the template
that offers it, so a page never offers what the view then refuses.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.access import AccountAccess
from touchpoints.models import Touchpoint


def can_mark_done(access: AccountAccess, touchpoint: Touchpoint) -> bool:
    """Leads of an active account mark any of its touchpoints done; an owner their own.

    The owner counts through one of the viewer's active seats on the team
    (`access.memberships`), and only while the account is active: an archived
    account is read-only for everyone, owners included.
    """
    if access.can_edit:
        return True
    owns = any(seat.pk == touchpoint.owner_id for seat in access.memberships)
    return owns and access.account.is_active


def require_mark_done(access: AccountAccess, touchpoint: Touchpoint) -> None:
    """`can_mark_done`, else 403 saying why."""
    if can_mark_done(access, touchpoint):
        return
    if not access.account.is_active:
        raise PermissionDenied(
            _("This account is archived. A manager can restore it; then you can edit it.")
        )
    raise PermissionDenied(_("Only the touchpoint's owner or a lead can mark it done."))
