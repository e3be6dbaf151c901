from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_save

        from activities.models import Activity
        from core import fragments
        from touchpoints.models import Touchpoint

        # What the cached pages show (core.fragments.watch).
        fragments.watch(Activity, account="account")

        # A done touchpoint is an activity: every save of a touchpoint, from any form,
        # keeps its activity in step (touchpoints knows nothing of this app).
        post_save.connect(_touchpoint_saved, sender=Touchpoint, dispatch_uid="activity-sync")
        m2m_changed.connect(
            _companions_changed,
            sender=Touchpoint.companions.through,
            dispatch_uid="activity-sync-companions",
        )


def _touchpoint_saved(sender, instance, created, raw=False, **kwargs) -> None:  # type: ignore[no-untyped-def]
    if raw:  # loaddata: the fixture brings its own rows
        return
    if created and instance.status != "done":
        return  # a new planned touchpoint has no activity to remove
    from activities.services import sync_touchpoint

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
    from activities.services import sync_touchpoint

    for touchpoint in touchpoints:
        if touchpoint.status == Touchpoint.Status.DONE:
            sync_touchpoint(touchpoint)
