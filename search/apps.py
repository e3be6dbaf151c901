from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _fold_on_sqlite(sender, connection, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """kam_fold in SQLite, as search/migrations/0001 creates it in PostgreSQL."""
    if connection.vendor == "sqlite":
        from search.text import fold

        connection.connection.create_function("kam_fold", 1, fold, deterministic=True)


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from search import providers, registry

        connection_created.connect(_fold_on_sqlite, dispatch_uid="search_kam_fold")
        providers.register_all()
        registry.autodiscover()
