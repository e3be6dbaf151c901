"""A person's customer news, for their own personal-data download.

workspace.exports.personal puts these sections into the download; SOURCES
says which section holds each model's rows.
"""

from __future__ import annotations

from typing import Any

from news.models import NewsItem, NewsRead
from users.models import User

SOURCES: dict[str, tuple[str, ...]] = {
    "news.newsitem": ("news_written",),
    "news.newsread": ("news_read",),
}


def personal_sections(user: User) -> dict[str, Any]:
    """What the person posted, and which items they marked read when."""
    written = NewsItem.objects.filter(author=user).select_related("account")
    read = NewsRead.objects.filter(user=user).select_related("item__account")
    return {
        "news_written": [
            {
                "account": n.account.name,
                "title": n.title,
                "body": n.body,
                "audience": n.audience,
                "posted_at": n.created_at.isoformat(),
            }
            for n in written.order_by("created_at", "pk")
        ],
        "news_read": [
            {
                "account": r.item.account.name,
                "title": r.item.title,
                "read_at": r.read_at.isoformat(),
            }
            for r in read.order_by("read_at", "pk")
        ],
    }
