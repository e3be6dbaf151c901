"""The activities' work for the task worker: a done touchpoint's activity, and the
daily repair of what a lost task left out."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from activities.models import Activity
from activities.services import done_without_activity, sync_touchpoint
from touchpoints.models import Touchpoint
from users.models import User

logger = logging.getLogger(__name__)


@task()
def sync_touchpoint_activity(touchpoint_id: int, done_on: str | None = None) -> str:
    """Bring the touchpoint's activity in step with the touchpoint as it is now.

    Queued by every save of a touchpoint as done and change of its companions
    (activities.apps), it reads the current row, not the one that queued it:
    tasks of several saves may run late and in any order and still end with
    the last. The row lock makes two workers take turns on one touchpoint,
    where both would otherwise create its activity. `done_on` (ISO date): the
    day of the save that queued it, the date of an undated activity however
    late the worker comes. The activity's history names whoever saved the
    touchpoint last: the version it now reflects is theirs.
    """
    with transaction.atomic():
        touchpoint = (
            Touchpoint.objects.select_for_update(of=("self",))
            .select_related("owner")
            .filter(pk=touchpoint_id)
            .first()
        )
        if touchpoint is None:
            return "gone"  # deleted meanwhile: its activity went with it (CASCADE)
        day = datetime.date.fromisoformat(done_on) if done_on else None
        sync_touchpoint(touchpoint, actor=_last_saved_by(touchpoint), done_on=day)
    return touchpoint.status


def _last_saved_by(touchpoint: Touchpoint) -> User | None:
    entry = (
        touchpoint.history.select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )
    return entry.history_user if entry is not None else None


@task()
def repair_activities(scheduled_for: str = "") -> dict[str, int]:
    """The daily job (registered in ActivitiesConfig.ready): done touchpoints without
    their activity get one, activities of touchpoints no longer done go.

    What a task lost on its way leaves behind (a Redis that was down at the
    commit). Each touchpoint goes through the task itself, in a transaction of
    its own under its row lock, so that a task running meanwhile or a save in
    between cannot be undone by a list read before. An undated activity is
    dated by the touchpoint's last change, its quarter's end at the latest.
    """
    missing = done_without_activity()
    stale = Activity.objects.filter(touchpoint__isnull=False).exclude(
        touchpoint__status=Touchpoint.Status.DONE
    )
    work = [
        (pk, timezone.localdate(updated).isoformat())
        for pk, updated in missing.values_list("pk", "updated_at")
    ] + [(pk, None) for pk in stale.values_list("touchpoint_id", flat=True)]
    result = {"made": 0, "removed": 0, "failed": 0}
    for pk, done_on in work:
        try:
            status = sync_touchpoint_activity.call(touchpoint_id=pk, done_on=done_on)
        except Exception:  # one bad row must not keep the others unrepaired
            logger.exception("Could not repair the activity of touchpoint %s", pk)
            result["failed"] += 1
            continue
        if status == Touchpoint.Status.DONE and done_on is not None:
            result["made"] += 1
        elif status != Touchpoint.Status.DONE and done_on is None:
            result["removed"] += 1
    return result
