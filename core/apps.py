from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The base layer: building blocks every app uses; it imports no app of ours."""

    name = "core"
    verbose_name = "core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        # Registers the login signal of the session idle timeout.
        import core.middleware  # noqa: F401
        from core import collation, history_guard, schedule
        from core.task_queue import prune_finished_tasks

        # Names in a reader's order on SQLite too (core.collation).
        connection_created.connect(collation.register_on_sqlite, dispatch_uid="kamteam_name")
        # The database queue's finished tasks, a row for every done touchpoint among them.
        schedule.register(
            "core.prune_tasks", prune_finished_tasks, schedule.weekly("sunday", "04:00")
        )

        # A save that changes nothing leaves no "changed" record (every app's models).
        history_guard.connect()
