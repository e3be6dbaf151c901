"""Who may do what with an action, beyond reading the account (accounts.access).

An action of the global plan is changed by the account's leads; an action
of a national plan by whoever changes that plan: the country's NKAM and the
global leads (`AccountAccess.can_edit_national`). An action's owner marks it
done (or open again). One rule per step, read by the view that takes it and
by the template that offers it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.access import AccountAccess
from actions.models import PlanAction


def can_edit(access: AccountAccess, action: PlanAction) -> bool:
    """Add (to its objective), edit and delete: the leads of the plan the action is in."""
    country = action.country
    return access.can_edit_national(country) if country else access.can_edit


def require_edit(access: AccountAccess, action: PlanAction) -> None:
    """`can_edit`, else 403 saying why."""
    if can_edit(access, action):
        return
    if action.country:
        access.require_national_edit(action.country)
    access.require_edit()


def can_set_status(access: AccountAccess, action: PlanAction) -> bool:
    """Those who edit the action set its status; its owner too.

    The owner counts through one of the viewer's active seats on the team;
    an archived account is read-only for everyone, owners included.
    """
    if can_edit(access, action):
        return True
    owns = any(seat.pk == action.owner_id for seat in access.memberships)
    return owns and access.account.is_active


def require_set_status(access: AccountAccess, action: PlanAction) -> None:
    """`can_set_status`, else 403 saying why."""
    if can_set_status(access, action):
        return
    if not access.account.is_active:
        raise PermissionDenied(
            _("This account is archived. A manager can restore it; then you can edit it.")
        )
    raise PermissionDenied(_("Only the action's owner or a lead can mark it done."))
