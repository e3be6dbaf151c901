"""The activities' work for the task worker: a done touchpoint's activity, and the
nightly repair of what a lost task left out."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from activities.services import repair_touchpoint_activities, sync_touchpoint
from touchpoints.models import Touchpoint
from users.models import User


@task()
def sync_touchpoint_activity(touchpoint_id: int, actor_id: int | None = None) -> str:
    """Bring the touchpoint's activity in step with the touchpoint as it is now;
    its history names `actor_id`, who saved the touchpoint.

    Queued by every save of a touchpoint and change of its companions
    (activities.apps), it reads the current row, not the one that queued it:
    tasks of several saves may run in any order and still end with the last.
    The row lock makes two workers take turns on one touchpoint, where both
    would otherwise create its activity.
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
        actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
        sync_touchpoint(touchpoint, actor=actor)
    return touchpoint.status


@task()
def repair_activities(scheduled_for: str = "") -> dict[str, int]:
    """The daily job (registered in ActivitiesConfig.ready)."""
    made, removed = repair_touchpoint_activities()
    return {"made": made, "removed": removed}
