from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The base layer: building blocks every app uses; it imports no app of ours."""

    name = "core"
    verbose_name = "core"

    def ready(self) -> None:
        # Registers the login signal of the session idle timeout.
        import core.middleware  # noqa: F401
