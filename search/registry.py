"""The search providers: one per kind of thing found, and how an app plugs in.

A provider answers for one kind (contacts, RACI tasks, ...) with what the
person may open, at most `limit` hits from `offset`, in a fixed number of
queries whatever the data's size. The providers of the domain apps live in
search.providers (search stands above them); a later app plugs in without
importing search (which sits above it) by a module `<app>/search_providers.py`
whose `PROVIDERS` lists objects of this shape: `autodiscover` registers them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from django.apps import apps

if TYPE_CHECKING:
    from django.utils.safestring import SafeString

    from search.text import Query
    from users.models import User


@dataclass(frozen=True)
class Hit:
    """One thing found: its title and details are highlighted and escaped (SafeString)."""

    title: SafeString
    url: str
    details: SafeString | str = ""
    snippet: SafeString | str = ""
    # E.g. "directory entry" when only the directory's view opens.
    note: str = ""


@dataclass
class Found:
    """A provider's hits for one query, and whether there are more than shown."""

    hits: list[Hit] = field(default_factory=list)
    more: bool = False


@runtime_checkable
class SearchProvider(Protocol):
    kind: str  # the URL's ?kind=, unique
    label: str  # the group's heading, translated (a lazy string)
    order: int  # groups are shown by this, ascending
    # An optional `suggest = False` keeps a kind out of the type-ahead (results page only).

    def search(self, *, user: User, query: Query, limit: int, offset: int = 0) -> Found: ...


_PROVIDERS: dict[str, SearchProvider] = {}


def register(provider: SearchProvider) -> SearchProvider:
    if not isinstance(provider, SearchProvider):
        raise TypeError(f"{provider!r} is no search provider (kind, label, order, search)")
    if provider.kind in _PROVIDERS and _PROVIDERS[provider.kind] is not provider:
        raise ValueError(f"two search providers for the kind {provider.kind!r}")
    _PROVIDERS[provider.kind] = provider
    return provider


def providers() -> list[SearchProvider]:
    return sorted(_PROVIDERS.values(), key=lambda p: (p.order, p.kind))


def provider(kind: str) -> SearchProvider | None:
    return _PROVIDERS.get(kind)


def autodiscover() -> None:
    """Register the PROVIDERS of every installed app's search_providers module."""
    for config in apps.get_app_configs():
        module_name = f"{config.name}.search_providers"
        if find_spec(config.name) is None or find_spec(module_name) is None:
            continue
        for item in getattr(import_module(module_name), "PROVIDERS", []):
            register(item)
