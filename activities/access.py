"""Who logs and changes activities, beyond reading the account (accounts.access).

Everyone who reads the account reads its timeline (team, managers). Every
member of an active account's team logs an activity; its author (while on the
team) and the leads edit and delete it. The activity of a done touchpoint is
changed through the touchpoint, by nobody here.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.access import AccountAccess
from activities.models import Activity


def can_log(access: AccountAccess) -> bool:
    return access.is_member and access.account.is_active


def can_change(access: AccountAccess, activity: Activity) -> bool:
    if activity.touchpoint_id is not None:
        return False
    if access.can_edit:
        return True
    return can_log(access) and activity.logged_by_id == access.user.pk


def require_log(access: AccountAccess) -> None:
    if not can_log(access):
        if access.is_member:
            raise PermissionDenied(
                _("This account is archived. A manager can restore it; then you can edit it.")
            )
        raise PermissionDenied(_("Only the account's team logs activities."))


def require_change(access: AccountAccess, activity: Activity) -> None:
    if activity.touchpoint_id is not None:
        raise PermissionDenied(
            _("This activity is a done touchpoint: change it in the touchpoint plan.")
        )
    if not can_change(access, activity):
        raise PermissionDenied(_("Only its author and the account's leads change an activity."))
