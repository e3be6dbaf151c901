"""Writes of activities: log or edit one, and keep a done touchpoint's activity in step."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import CustomerContact
from activities.models import KIND_OF_TOUCHPOINT, Activity, ActivityKind
from core.concurrency import save_versioned
from core.models import history_records, known_links
from core.prepared import prepared
from touchpoints.models import Touchpoint, quarter_end
from users.models import User


def activity_save(
    *,
    activity: Activity,
    expected_version: int,
    contacts: Iterable[CustomerContact],
    participants: Iterable[User],
    actor: User,
) -> Activity:
    """Save a new or edited activity with whom it was with; VersionConflict for an edit
    of an older version."""
    with transaction.atomic():
        if activity._state.adding:
            activity.logged_by = actor
            activity.save()
        else:
            save_versioned(activity, expected_version=expected_version)
        activity.contacts.set(contacts)
        activity.participants.set(participants)
    return activity


def sync_touchpoint(
    touchpoint: Touchpoint,
    *,
    actor: User | None = None,
    done_on: datetime.date | None = None,
) -> None:
    """A done touchpoint has its activity, with the contact, the owner and companions,
    the outcome; any other status has none. Runs on every save of a touchpoint and
    every change of its companions (activities.apps, activities.tasks).

    `actor`: who saved the touchpoint, for the activity's history when no request
    says so (the task worker); None takes the request's user, as every save does.
    `done_on`: the day it was marked done (default today), the date of an undated
    activity (its quarter's end at the latest)."""
    if touchpoint.status != Touchpoint.Status.DONE:
        # A planned or cancelled touchpoint (again): no activity.
        Activity.objects.filter(touchpoint_id=touchpoint.pk).delete()
        return
    activity = _activity_of.first(touchpoint.pk)
    fields = {
        "account_id": touchpoint.account_id,
        "kind": KIND_OF_TOUCHPOINT.get(touchpoint.kind, ActivityKind.OTHER),
        "subject": touchpoint.title[:200],
        "note": touchpoint.outcome,
    }
    created = activity is None
    if activity is None:
        activity = Activity(
            touchpoint=touchpoint,
            happened_on=touchpoint.date or _done_on(touchpoint, done_on),
            logged_by_id=touchpoint.owner.user_id,
            **fields,
        )
    if actor is not None:
        activity._history_user = actor  # type: ignore[attr-defined]
    if created:
        _activity_create(
            activity,
            contact_ids=[touchpoint.contact_id],
            participant_ids=[touchpoint.owner.user_id, *_companions(touchpoint)],
        )
        return
    if touchpoint.date:
        fields["happened_on"] = touchpoint.date
    changed = {k: v for k, v in fields.items() if getattr(activity, k) != v}
    if changed:
        for name, value in changed.items():
            setattr(activity, name, value)
        activity.version += 1
        activity.save()
    activity.contacts.set([touchpoint.contact_id])
    activity.participants.set([touchpoint.owner.user_id, *_companions(touchpoint)])


@prepared
def _activity_of(touchpoint_id: int) -> QuerySet[Activity]:
    """`.first()` kept: a done touchpoint's one activity."""
    return Activity.objects.filter(touchpoint_id=touchpoint_id).order_by("pk")[:1]


def _companions(touchpoint: Touchpoint) -> list[int]:
    links = known_links(touchpoint, "companions")  # the saving service's read, if any
    if links is not None:
        return [link.accountteammember.user_id for link in links]
    return list(touchpoint.companions.values_list("user_id", flat=True))


def _activity_create(
    activity: Activity, contact_ids: list[int], participant_ids: list[int]
) -> None:
    """Insert a new activity with its contacts and participants, and one history
    entry ("created") that holds them: the rows go straight into the link tables
    of a row nobody can have linked yet, instead of three entries, one per step.
    The activity's own save moves the cache counters of its account."""
    activity.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        activity.save()
    finally:
        del activity.skip_history_when_saving  # type: ignore[attr-defined]
    contacts = Activity.contacts.through.objects.bulk_create(
        Activity.contacts.through(activity_id=activity.pk, customercontact_id=pk)
        for pk in dict.fromkeys(contact_ids)
    )
    participants = Activity.participants.through.objects.bulk_create(
        Activity.participants.through(activity_id=activity.pk, user_id=pk)
        for pk in dict.fromkeys(participant_ids)
    )
    # The entry copies the rows just written; they are not read back.
    history_records(Activity).create_with_links(
        activity, {"contacts": contacts, "participants": participants}
    )


def _done_on(touchpoint: Touchpoint, day: datetime.date | None = None) -> datetime.date:
    """A done touchpoint without a date: the day it was marked done (default today),
    or its quarter's last day if that is past."""
    return min(day or timezone.localdate(), quarter_end(touchpoint.year, touchpoint.quarter))


def done_without_activity() -> QuerySet[Touchpoint]:
    """Done touchpoints that lack their activity: written past the signals (the
    demo's bulk steps, old data) or left by a lost task (activities.tasks)."""
    return Touchpoint.objects.filter(status=Touchpoint.Status.DONE, activity__isnull=True)


def sync_all_done() -> int:
    """Every done touchpoint without its activity gets one. Returns how many were made."""
    made = 0
    for touchpoint in done_without_activity().select_related("owner").iterator(chunk_size=500):
        sync_touchpoint(touchpoint)
        made += 1
    return made
