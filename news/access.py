"""Who reads, posts and changes customer news, beyond reading the account (accounts.access).

An item is read by its addressees (the whole team, the core team or the
chosen roles, by their active seats), its author and the account's leads;
managers who only review the account are not addressed. Every member of an
active account's team posts; the author and the leads edit and delete; the
author and the leads see who has read it. Who reads which item is asked of
the database, for a whole list at once: news.selectors.readable_news.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.access import AccountAccess
from news.models import Audience, NewsItem


def is_addressed(access: AccountAccess, item: NewsItem) -> bool:
    """One of the viewer's active seats is among the item's addressees."""
    seats = access.memberships
    if item.audience == Audience.CORE:
        return any(seat.team == seat.Team.CORE for seat in seats)
    if item.audience == Audience.ROLES:
        roles = {role.pk for role in item.roles.all()}
        return any(seat.role_id in roles for seat in seats)
    return bool(seats)


def can_post(access: AccountAccess) -> bool:
    return access.is_member and access.account.is_active


def can_change(access: AccountAccess, item: NewsItem) -> bool:
    """Edit and delete: the leads of an active account, or the author while on its team."""
    if access.can_edit:
        return True
    return can_post(access) and item.author_id == access.user.pk


def sees_readers(access: AccountAccess, item: NewsItem) -> bool:
    return access.is_lead or item.author_id == access.user.pk


def require_post(access: AccountAccess) -> None:
    if not can_post(access):
        if access.is_member:
            raise PermissionDenied(
                _("This account is archived. A manager can restore it; then you can edit it.")
            )
        raise PermissionDenied(_("Only the account's team posts customer news."))


def require_change(access: AccountAccess, item: NewsItem) -> None:
    if not can_change(access, item):
        raise PermissionDenied(_("Only the author and the account's leads change a news item."))
