"""Running a search over every registered provider, for one person."""

from __future__ import annotations

from dataclasses import dataclass

from search.registry import Found, SearchProvider, provider, providers
from search.text import Query
from users.models import User

SUGGEST_LIMIT = 5
# The results page of every kind shows the first few of each, with a link to
# the kind's own pages (PAGE_LIMIT each): six kinds of 20 made a page too long
# to read and to render at every search.
OVERVIEW_LIMIT = 8
PAGE_LIMIT = 20


@dataclass
class Group:
    provider: SearchProvider
    found: Found

    @property
    def kind(self) -> str:
        return self.provider.kind

    @property
    def label(self) -> str:
        return str(self.provider.label)


def search_groups(
    *, user: User, query: Query, limit: int, suggestions: bool = False
) -> list[Group]:
    """Up to `limit` hits of every kind, groups with hits only, in the providers' order.

    Each provider costs a fixed number of queries, so the whole search does.
    The type-ahead (`suggestions`) asks only the kinds one goes to by name
    (a provider's `suggest`, default true): it answers at every keystroke, and
    long text (plan text, touchpoint outcomes) is for the results page.
    """
    if not query.is_searchable:
        return []
    chosen = [p for p in providers() if not suggestions or getattr(p, "suggest", True)]
    groups = [Group(p, p.search(user=user, query=query, limit=limit)) for p in chosen]
    return [g for g in groups if g.found.hits]


def search_kind(*, user: User, query: Query, kind: str, page: int) -> Group | None:
    """One page of one kind's hits (PAGE_LIMIT a page); None for a kind nobody provides."""
    chosen = provider(kind)
    if chosen is None or not query.is_searchable:
        return None
    offset = (page - 1) * PAGE_LIMIT
    return Group(chosen, chosen.search(user=user, query=query, limit=PAGE_LIMIT, offset=offset))
