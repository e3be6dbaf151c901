"""Writes of customer news: post or edit an item (and tell its addressees), mark it read."""

from __future__ import annotations

from django.db import transaction

from core.concurrency import save_versioned
from news.models import NewsItem, NewsRead
from news.selectors import addressee_ids
from notifications.kinds import Kind
from notifications.services import notify
from users.models import User


def news_save(*, item: NewsItem, expected_version: int, contacts, roles, actor: User) -> NewsItem:  # type: ignore[no-untyped-def]
    """Save a new or edited item with its contacts and roles; a new one notifies its
    addressees (the author aside), or VersionConflict for an edit of an old version."""
    with transaction.atomic():
        new = item._state.adding
        if new:
            item.author = actor
            item.save()
        else:
            save_versioned(item, expected_version=expected_version)
        item.contacts.set(contacts)
        item.roles.set(roles if item.audience == "roles" else [])
        if new:
            notify(
                kind=Kind.CUSTOMER_NEWS,
                recipients=addressee_ids(item),
                actor=actor,
                account=item.account,
                url=item.get_absolute_url(),
                params={"account": item.account.name, "title": item.title},
            )
    return item


def mark_read(*, item: NewsItem, user: User) -> None:
    """Once per person: a second click (another tab) changes nothing; get_or_create
    settles two clicks at once through the unique constraint."""
    NewsRead.objects.get_or_create(item=item, user=user)
