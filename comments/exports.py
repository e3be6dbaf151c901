"""A person's comments, for their own personal-data download.

workspace.exports.personal puts these sections into the download; SOURCES
says which section holds each model's rows.
"""

from __future__ import annotations

from typing import Any

from comments.models import Comment
from comments.selectors import label, thread_of
from users.models import User

SOURCES: dict[str, tuple[str, ...]] = {
    "comments.comment": ("comments_written", "comments_mentioning_me"),
}


def _row(comment: Comment) -> dict[str, Any]:
    return {
        "account": comment.account.name,
        "on": label(comment.target, thread_of(comment).obj),
        "comment": comment.body,
        "written_at": comment.created_at.isoformat(),
        "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
        "removed_at": comment.removed_at.isoformat() if comment.removed_at else None,
    }


def personal_sections(user: User) -> dict[str, Any]:
    """What the person wrote (removed ones as removed), and where they were named."""
    related = ("account", "plan", "objective", "potential", "task", "review__reviewed_by")
    written = Comment.objects.filter(author=user).select_related(*related)
    named = Comment.objects.filter(mentions=user).select_related(*related, "author")
    return {
        "comments_written": [_row(c) for c in written.order_by("created_at", "pk")],
        "comments_mentioning_me": [
            {**_row(c), "author": c.author.display_name if c.author else None}
            for c in named.order_by("created_at", "pk")
        ],
    }
