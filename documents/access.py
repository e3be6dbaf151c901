"""Who sees, adds and changes account documents, beyond reading the account (accounts.access).

A document for the whole team is read by everyone who reads the account
(team, managers). One for the core team only is read by the leads, the core
team and the managers, and by whoever added it; an extended member does not
learn it exists (404). Every member of an active account's team adds
documents; the leads and the person who added one change it (edit, new
version, archive, restore). The rule for a whole list is asked of the
database: documents.selectors.visible_documents.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.access import AccountAccess
from documents.models import Document


def sees_core_documents(access: AccountAccess) -> bool:
    if access.is_lead or access.is_manager:
        return True
    return any(seat.team == seat.Team.CORE for seat in access.memberships)


def can_add(access: AccountAccess) -> bool:
    return access.is_member and access.account.is_active


def can_change(access: AccountAccess, document: Document) -> bool:
    if access.can_edit:
        return True
    return can_add(access) and document.created_by_id == access.user.pk


def require_add(access: AccountAccess) -> None:
    if not can_add(access):
        if access.is_member:
            raise PermissionDenied(
                _("This account is archived. A manager can restore it; then you can edit it.")
            )
        raise PermissionDenied(_("Only the account's team adds documents."))


def require_change(access: AccountAccess, document: Document) -> None:
    if not can_change(access, document):
        raise PermissionDenied(
            _("Only the person who added a document and the account's leads change it.")
        )
