"""Writes of comments: add, edit, remove; the people named with @ and the reviewer
whose review is answered are told (notifications.services.notify)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from comments.models import Comment, Target
from comments.selectors import Thread, label
from core.concurrency import save_versioned
from core.i18n import rendered_in_every_language
from notifications.kinds import Kind
from notifications.services import notify
from users.models import User

EXCERPT = 140


def _excerpt(body: str) -> str:
    return body if len(body) <= EXCERPT else body[: EXCERPT - 1].rstrip() + "…"


def _tell(thread: Thread, comment: Comment, recipients: list[User], actor: User) -> None:
    """The newly named people hear of the comment; on a review, so does its reviewer."""
    params = {
        "account": thread.account.name,
        "author": actor.display_name,
        "where": rendered_in_every_language(lambda: label(thread.target, thread.obj)),
        "excerpt": _excerpt(comment.body),
    }
    url = f"{thread.url}#comment-{comment.pk}"
    notify(
        kind=Kind.MENTIONED,
        recipients=recipients,
        actor=actor,
        account=thread.account,
        url=url,
        params=params,
    )
    if thread.target == Target.REVIEW:
        reviewer = thread.obj.reviewed_by_id
        if reviewer not in {u.pk for u in recipients}:
            notify(
                kind=Kind.REVIEW_ANSWERED,
                recipients=[reviewer],
                actor=actor,
                account=thread.account,
                url=url,
                params=params,
            )


def comment_add(*, thread: Thread, body: str, mentioned: list[User], actor: User) -> Comment:
    with transaction.atomic():
        comment = Comment.objects.create(
            account=thread.account, author=actor, body=body, **{thread.target: thread.obj}
        )
        comment.mentions.set(mentioned)
        _tell(thread, comment, mentioned, actor)
    return comment


def comment_edit(
    *,
    thread: Thread,
    comment: Comment,
    mentioned: list[User],
    expected_version: int,
    actor: User,
) -> Comment:
    """Save the new wording (the history keeps the old); people named for the first
    time are told. VersionConflict when someone saved it since it was loaded."""
    with transaction.atomic():
        before = set(comment.mentions.values_list("pk", flat=True))
        comment.edited_at = timezone.now()
        save_versioned(comment, expected_version=expected_version)
        comment.mentions.set(mentioned)
        _tell(thread, comment, [u for u in mentioned if u.pk not in before], actor)
    return comment


def comment_remove(*, comment: Comment, actor: User) -> Comment:
    """Leave "comment removed" in the thread; the words stay in the history only."""
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.removed_at is not None:
            return locked  # removed in another tab: once is enough
        locked.body = ""
        locked.removed_at = timezone.now()
        locked.removed_by = actor
        locked.version += 1
        locked.save()
        locked.mentions.clear()
    return locked
