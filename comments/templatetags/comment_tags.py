"""Comment counts on the pages that show threads' things, and a comment's words."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from accounts.models import KeyAccount
from comments import mentions, selectors
from comments.models import Comment

register = template.Library()


@register.simple_tag
def comment_counts(account: KeyAccount | None) -> dict[str, dict[int, int]]:
    """{target: {thing id: comments}} of the account, in one query (none without one)."""
    return selectors.counts(account) if account is not None else {}


@register.filter
def count_for(counts: Any, pk: int) -> int:
    """The number in `counts` for `pk`; 0 for a thing without comments."""
    return counts.get(pk, 0) if isinstance(counts, dict) else 0


@register.filter
def comment_words(comment: Comment) -> SafeString:
    """The comment's words, escaped, its mentions of people marked."""
    names = {user.username.lower() for user in comment.mentions.all()}
    return mentions.marked(comment.body, names)
