"""The weekly digest: per person, what needs them, in one mail (`manage.py send_digests`).

What it holds is the home page's (workspace.today): overdue and coming-up
touchpoints and objectives, RACI changes and other news since the last
digest, unread plan reviews, thank-yous due, plans running out; plus the
person's unread notifications of the kinds they chose to read in the
digest (Channel.DIGEST). A person with nothing gets no mail.

Once a week per person: a DigestSent row for the week is written with the
mail, in one transaction, so a second run in the same week sends nothing
twice. A person whose digest fails to build is logged and left for the
next run; the others get theirs. Delivery itself retries a relay that is
down (core.mail.deliver).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import ngettext

from core.mail import send_later
from notifications.digest_models import DigestOptOut, DigestSent
from notifications.emails import DIGEST, unsubscribe_path
from notifications.kinds import Channel
from notifications.models import Notification
from notifications.services import preferences_of
from portfolio.services import week_of  # a digest's week is a snapshot's: its Monday
from users.models import User
from workspace.today import today_for
from workspace.today_types import Group

logger = logging.getLogger(__name__)

# A first digest tells what changed in the week before it.
FIRST_DIGEST_LOOKBACK = datetime.timedelta(days=7)
# At most this many notifications in one digest; the rest are on the list page.
NEWS_SHOWN = 20


@dataclass
class Digest:
    """One person's digest, rendered in their language, as JSON for the mail worker."""

    groups: list[dict[str, Any]] = field(default_factory=list)
    news: list[dict[str, str]] = field(default_factory=list)
    more_news: int = 0

    @property
    def count(self) -> int:
        return sum(len(g["items"]) for g in self.groups) + len(self.news) + self.more_news


def _since(user: User, now: datetime.datetime) -> datetime.datetime:
    last = DigestSent.objects.filter(user=user).order_by("-queued_at").first()
    return last.queued_at if last else now - FIRST_DIGEST_LOOKBACK


def _group(group: Group) -> dict[str, Any]:
    return {
        "title": str(group.title),
        "items": [
            {
                "title": str(item.title),
                "account": item.account.name,
                "detail": str(item.detail),
                "when": date_format(item.when, "DATE_FORMAT") if item.when else "",
                "url": item.url,
                "action": str(item.action),
            }
            for item in group.items
        ],
    }


def digest_for(*, user: User, today: datetime.date, now: datetime.datetime) -> Digest:
    """What `user`'s digest holds on `today`, in their language."""
    since = _since(user, now)
    with translation.override(user.preferred_language):
        found = today_for(user=user, today=today, since=since)
        digest = Digest(groups=[_group(g) for g in found.groups if g.items])
        kinds = [k for k, channel in preferences_of(user).items() if channel == Channel.DIGEST]
        news = (
            Notification.objects.for_user(user)
            .unread()
            .filter(kind__in=kinds, created_at__gte=since)
        )
        shown = list(news[: NEWS_SHOWN + 1])
        if len(shown) > NEWS_SHOWN:
            digest.more_news = news.count() - NEWS_SHOWN
        digest.news = [
            {"text": n.text(), "url": reverse("notifications:open", args=[n.pk])}
            for n in shown[:NEWS_SHOWN]
        ]
    return digest


def _subject(count: int) -> str:
    return ngettext(
        "Your week in kamteam: %(count)d thing for you",
        "Your week in kamteam: %(count)d things for you",
        count,
    ) % {"count": count}


def send_digest(*, user: User, week: datetime.date, digest: Digest) -> bool:
    """Record and queue `user`'s digest of `week`; False if they had it already."""
    with transaction.atomic():
        _row, created = DigestSent.objects.get_or_create(
            user=user, week=week, defaults={"items": digest.count}
        )
        if not created:
            return False
        with translation.override(user.preferred_language):
            subject = _subject(digest.count)
        send_later(
            to=user.email,
            subject=subject,
            template="workspace/email/digest",
            context={
                "name": user.first_name or user.username,
                "groups": digest.groups,
                "news": digest.news,
                "more_news": digest.more_news,
                "week": week.isoformat(),
            },
            language=user.preferred_language,
            unsubscribe_url=unsubscribe_path(user.pk, DIGEST),
        )
    return True


@dataclass
class DigestRun:
    sent: int = 0
    empty: int = 0
    failed: list[str] = field(default_factory=list)


def recipients(week: datetime.date) -> Any:
    """Active people with an address who want a digest and have none for `week` yet."""
    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .exclude(pk__in=DigestOptOut.objects.values("user_id"))
        .exclude(pk__in=DigestSent.objects.filter(week=week).values("user_id"))
        .order_by("pk")
    )


def send_digests(*, today: datetime.date | None = None) -> DigestRun:
    """Everyone's digest of this week: one mail per person with something in it."""
    now = timezone.now()
    today = today or timezone.localdate()
    week = week_of(today)
    run = DigestRun()
    for user in recipients(week).iterator(chunk_size=200):
        try:
            digest = digest_for(user=user, today=today, now=now)
            if not digest.count:
                run.empty += 1
                continue
            if send_digest(user=user, week=week, digest=digest):
                run.sent += 1
        except Exception:
            # One person's broken digest must not cost the others theirs; it
            # stays unsent, so the next run tries it again.
            logger.exception("Weekly digest for %s (week of %s) failed", user.username, week)
            run.failed.append(user.username)
    return run
