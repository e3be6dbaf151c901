from django.apps import AppConfig
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_save

        from activities.models import Activity
        from activities.tasks import repair_activities
        from core import fragments, schedule
        from touchpoints.models import Touchpoint

        # What the cached pages show (core.fragments.watch).
        fragments.watch(Activity, account="account")

        # A done touchpoint is an activity: every save of a touchpoint, from any form,
        # queues the task that keeps its activity in step (touchpoints knows nothing
        # of this app). The worker writes it: the seven statements of an activity
        # with its links and history are not the request's ("mark done" answers
        # in place, README "Benchmark and soak").
        post_save.connect(_touchpoint_saved, sender=Touchpoint, dispatch_uid="activity-sync")
        m2m_changed.connect(
            _companions_changed,
            sender=Touchpoint.companions.through,
            dispatch_uid="activity-sync-companions",
        )
        schedule.register("activities.repair", repair_activities, schedule.daily("05:30"))


def _touchpoint_saved(sender, instance, created, raw=False, **kwargs) -> None:  # type: ignore[no-untyped-def]
    if raw:  # loaddata: the fixture brings its own rows
        return
    if instance.status == "done":
        _queue_sync(instance.pk)
    elif not created:  # a new planned touchpoint has no activity to remove
        from activities.services import sync_touchpoint

        # At once: removing costs the request what queueing would (one statement).
        sync_touchpoint(instance)


def _companions_changed(sender, instance, action, reverse=False, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """The colleagues who joined a done touchpoint are its activity's participants."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from touchpoints.models import Touchpoint

    if reverse:  # changed from the seat's side: each of its touchpoints
        touchpoints = Touchpoint.objects.filter(pk__in=kwargs.get("pk_set") or [])
    else:
        touchpoints = [instance]
    for touchpoint in touchpoints:
        if touchpoint.status == Touchpoint.Status.DONE:
            _queue_sync(touchpoint.pk)


def _queue_sync(touchpoint_id: int) -> None:
    """The activity follows once the save commits: in the same transaction for the
    database's queue, after it for Redis (core.task_queue). An undated one is dated
    by the day of this save, however late the worker comes.

    A save of the edit form that also changes the companions queues up to three
    tasks (the row, companions removed, added): each one row, and the later
    ones find nothing left to change."""
    from activities.tasks import sync_touchpoint_activity
    from core.task_queue import enqueue_with_transaction

    enqueue_with_transaction(
        sync_touchpoint_activity,
        touchpoint_id=touchpoint_id,
        done_on=timezone.localdate().isoformat(),
    )
