"""Writes for touchpoints: marking done, rolling a year forward, blockers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import AccountTeamMember, KeyAccount
from core.concurrency import save_versioned
from core.models import links_known
from core.task_queue import queued_as_one
from notifications.kinds import Kind
from notifications.services import notify
from notifications.tasks import notify_later
from touchpoints.models import CalendarFeed, TeamMeeting, Touchpoint, new_token
from users.models import User


def touchpoint_done(
    *,
    touchpoint: Touchpoint,
    outcome: str,
    expected_version: int,
    companion_links: list[Any],
    actor: User | None = None,
) -> Touchpoint:
    """Mark done with its outcome, unless someone saved it since it was loaded
    (VersionConflict): a lead's edit or another "done" must not be overwritten.

    `companion_links`: the rows of its companions' link table, as the caller
    read them with the touchpoint (selectors.touchpoint_to_mark_done). Its
    history entry copies them (core.models.links_known).
    They are read before the transaction, with the touchpoint whose version
    the save checks: the edit form, which changes companions, moves the
    version too, so a form saved in between refuses this save.
    What follows from it, the activity (activities.tasks) and the owner's
    notification, is the task worker's: one queued task for both.
    """
    touchpoint.status = Touchpoint.Status.DONE
    touchpoint.outcome = outcome
    # One change with what it queues; no savepoint of its own (see save_versioned).
    with transaction.atomic(savepoint=False), queued_as_one():
        with links_known(touchpoint, {"companions": companion_links}):
            save_versioned(touchpoint, expected_version=expected_version)
        touchpoint_notify(
            touchpoint=touchpoint,
            previous_owner_id=touchpoint.owner_id,
            actor=actor,
            done=True,
            later=True,
        )
    return touchpoint


def touchpoint_notify(
    *,
    touchpoint: Touchpoint,
    previous_owner_id: int | None,
    actor: User | None,
    done: bool = False,
    later: bool = False,
) -> None:
    """Tell the owner of a saved touchpoint when someone else gave it to them or changed it.

    `previous_owner_id`: the owning team seat before the save (None for a new
    touchpoint): a new owner hears "assigned", the same owner "changed".
    `later`: stored by the task worker (notifications.tasks.notify_later).
    """
    assigned = previous_owner_id != touchpoint.owner_id
    account = touchpoint.account
    (notify_later if later else notify)(
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
