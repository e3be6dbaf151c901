"""`@name` in a comment: who it names, and the comment's words with the names marked.

A name is a user name, matched without regard to case. The sign must start a
word, so an e-mail address in the text ("write to max@example.com") names
nobody. Only people who read the account can be named: its active team and
the managers (who review every plan).
"""

from __future__ import annotations

import re

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accounts.models import AccountTeamMember, KeyAccount
from users.models import MANAGERS_GROUP, User

# A user name after an @ that starts a word; the name ends on a letter or digit,
# so "@kam," and "(@kam)." name kam. User names may hold . + - @ (SSO e-mails).
MENTION = re.compile(r"(?<![\w@.+-])@([\w][\w.+@-]*\w|\w)")
# A comment names at most this many people: a bound on the lookups of one save.
MAX_MENTIONS = 20


def handles(text: str) -> list[str]:
    """The names after @ in `text`, lower-cased, each once, in order of appearance."""
    seen: dict[str, None] = {}
    for match in MENTION.finditer(text):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)


def mentionable(account: KeyAccount) -> QuerySet[User]:
    """Who can be named in a comment on `account`: its active team and the managers."""
    seat = AccountTeamMember.objects.active().filter(account=account, user=OuterRef("pk"))
    return (
        User.objects.filter(is_active=True)
        .filter(Exists(seat) | Q(groups__name=MANAGERS_GROUP) | Q(is_staff=True))
        .distinct()
    )


def team_handles(account: KeyAccount) -> list[str]:
    """The user names of the account's active team, for the form's hint."""
    return list(
        AccountTeamMember.objects.active()
        .filter(account=account, user__is_active=True)
        .order_by("user__username")
        .values_list("user__username", flat=True)
        .distinct()
    )


def resolve(account: KeyAccount, names: list[str]) -> tuple[list[User], list[str]]:
    """(the people `names` name, the names that name nobody who can be mentioned)."""
    if not names:
        return [], []
    wanted = Q()
    for name in names:
        wanted |= Q(username__iexact=name)
    found = {u.username.lower(): u for u in mentionable(account).filter(wanted)}
    return [found[n] for n in names if n in found], [n for n in names if n not in found]


def marked(text: str, names: set[str]) -> SafeString:
    """`text` escaped, with each @name of `names` (lower-case) in a <strong>."""
    parts = []
    last = 0
    for match in MENTION.finditer(text):
        if match.group(1).lower() not in names:
            continue
        parts.append(escape(text[last : match.start()]))
        parts.append(f'<strong class="mention">{escape(match.group(0))}</strong>')
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # every piece is escaped above
