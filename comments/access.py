"""Who reads, writes, edits and removes comments, beyond reading the account (accounts.access).

Everyone who opens the account reads its threads: the team and the managers.
The team writes on an active account; the managers write only on a plan
review's thread, the conversation they started. The author edits their own
comment; the author and the account's leads remove one (a lead keeps the
threads in order). A removed comment is changed no more.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.access import AccountAccess
from comments.models import Comment, Target


def can_write(access: AccountAccess, target: str) -> bool:
    if not access.account.is_active:
        return False
    if target == Target.REVIEW:
        return access.is_member or access.is_manager
    return access.is_member


def can_edit(access: AccountAccess, comment: Comment) -> bool:
    return (
        not comment.is_removed
        and comment.author_id == access.user.pk
        and can_write(access, comment.target)
    )


def can_remove(access: AccountAccess, comment: Comment) -> bool:
    if comment.is_removed or not can_write(access, comment.target):
        return False
    return comment.author_id == access.user.pk or access.is_lead


def with_permissions(access: AccountAccess, comments: list[Comment]) -> list[Comment]:
    """Each comment with `.can_edit` and `.can_remove` for the viewer, for its buttons."""
    for comment in comments:
        comment.can_edit = can_edit(access, comment)
        comment.can_remove = can_remove(access, comment)
    return comments


def require_write(access: AccountAccess, target: str) -> None:
    if can_write(access, target):
        return
    if not access.account.is_active:
        raise PermissionDenied(
            _("This account is archived. A manager can restore it; then you can comment again.")
        )
    raise PermissionDenied(
        _("Only the account's team comments here; managers answer on their plan reviews.")
    )


def require_edit(access: AccountAccess, comment: Comment) -> None:
    if not can_edit(access, comment):
        raise PermissionDenied(_("Only its author edits a comment, and not once it is removed."))


def require_remove(access: AccountAccess, comment: Comment) -> None:
    if not can_remove(access, comment):
        raise PermissionDenied(
            _("Only its author and the account's leads remove a comment, and only once.")
        )
