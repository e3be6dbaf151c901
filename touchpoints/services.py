"""Writes for touchpoints: marking done, rolling a year forward, blockers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import AccountTeamMember, KeyAccount
from core.concurrency import save_versioned
from core.models import links_known
from core.prepared import prepared
from notifications.kinds import Kind
from notifications.services import notify
from touchpoints.models import CalendarFeed, TeamMeeting, Touchpoint, new_token
from users.models import User


def touchpoint_done(
    *, touchpoint: Touchpoint, outcome: str, expected_version: int, actor: User | None = None
) -> Touchpoint:
    """Mark done with its outcome, unless someone saved it since it was loaded
    (VersionConflict): a lead's edit or another "done" must not be overwritten."""
    touchpoint.status = Touchpoint.Status.DONE
    touchpoint.outcome = outcome
    # One change with its notification; no savepoint of its own (see save_versioned).
    with transaction.atomic(savepoint=False):
        # Its companions, read once, for the history entry that copies them
        # (core.models); the activity's participants are the task worker's to read.
        with links_known(touchpoint, {"companions": _companion_links(touchpoint.pk)}):
            save_versioned(touchpoint, expected_version=expected_version)
        touchpoint_notify(
            touchpoint=touchpoint, previous_owner_id=touchpoint.owner_id, actor=actor, done=True
        )
    return touchpoint


@prepared
def _companion_links(touchpoint_id: int) -> QuerySet[Any]:
    """The touchpoint's rows of its companions' link table, each with its seat."""
    links = Touchpoint.companions.through.objects.filter(touchpoint_id=touchpoint_id)
    return links.select_related("accountteammember")


def touchpoint_notify(
    *,
    touchpoint: Touchpoint,
    previous_owner_id: int | None,
    actor: User | None,
    done: bool = False,
) -> None:
    """Tell the owner of a saved touchpoint when someone else gave it to them or changed it.

    `previous_owner_id`: the owning team seat before the save (None for a new
    touchpoint): a new owner hears "assigned", the same owner "changed".
    """
    assigned = previous_owner_id != touchpoint.owner_id
    account = touchpoint.account
    notify(
        kind=Kind.TOUCHPOINT_ASSIGNED if assigned else Kind.TOUCHPOINT_CHANGED,
        recipients=[touchpoint.owner.user_id],
        actor=actor,
        account=account,
        url=f"{reverse('touchpoints:grid', args=[account.slug])}?year={touchpoint.year}",
        params={
            "account": account.name,
            "title": touchpoint.title,
            "contact": touchpoint.contact.full_name,
            "done": done,
        },
    )


def _next_year(day: datetime.date | None) -> datetime.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@dataclass
class RollForward:
    touchpoints: int = 0
    meetings: int = 0
    skipped: int = 0


@transaction.atomic
def roll_forward(*, account: KeyAccount, year: int) -> RollForward:
    """Copy a year's plan and rhythm to the next year, as planned; never twice."""
    result = RollForward()
    target = year + 1
    existing = set(
        account.touchpoints.filter(year=target).values_list("contact_id", "quarter", "title")
    )
    for tp in account.touchpoints.filter(year=year).exclude(status=Touchpoint.Status.CANCELLED):
        key = (tp.contact_id, tp.quarter, tp.title)
        if key in existing or not tp.contact.is_active or not tp.owner.is_active:
            result.skipped += 1
            continue
        Touchpoint.objects.create(
            account=account,
            contact_id=tp.contact_id,
            year=target,
            quarter=tp.quarter,
            date=_next_year(tp.date),
            kind=tp.kind,
            title=tp.title,
            owner_id=tp.owner_id,
        )
        result.touchpoints += 1
    existing_meetings = set(account.meetings.filter(year=target).values_list("quarter", "purpose"))
    for meeting in account.meetings.filter(year=year).prefetch_related("participants"):
        if (meeting.quarter, meeting.purpose) in existing_meetings:
            result.skipped += 1
            continue
        copy = TeamMeeting.objects.create(
            account=account,
            year=target,
            quarter=meeting.quarter,
            date=_next_year(meeting.date),
            format=meeting.format,
            purpose=meeting.purpose,
        )
        copy.participants.set([p for p in meeting.participants.all() if p.is_active])
        result.meetings += 1
    return result


def feed_renew(*, user) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if not created:
        feed.token = new_token()
        feed.save(update_fields=["token"])
    return feed


def feed_revoke(*, user) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def member_touchpoint_blockers(member: AccountTeamMember) -> list[str]:
    """A member who still owns planned touchpoints or relationships must hand them over."""
    planned = member.touchpoints.filter(status=Touchpoint.Status.PLANNED).count()
    pairs = member.relationships.count()
    if not planned and not pairs:
        return []
    return [
        _(
            "%(name)s still owns planned touchpoints (%(planned)d) and relationships "
            "(%(pairs)d). Give them another owner first, so no customer contact is forgotten."
        )
        % {"name": member.user, "planned": planned, "pairs": pairs}
    ]
