"""A comparable picture of everything the app stores, to prove nothing changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps

# Bookkeeping, not data: the fragment cache's change counters (core.fragments),
# and the stored health scores, derived data that any page reading the
# portfolio brings up to date (portfolio.scores).
NOT_DATA = {"core.CacheGeneration", "portfolio.HealthScore", "portfolio.HealthScoreSweep"}
# When something was last used or seen, written by reading: a test client signs
# in at its first request, which may come after the snapshot; an API token notes
# its use once a minute; the home page notes the visit.
NOT_DATA_COLUMNS = {
    "users.User": ("last_login",),
    "api.ApiToken": ("last_used_at",),
    "workspace.HomeVisit": ("seen_at", "previous_seen_at"),
}

_CHECKOUT = Path(__file__).resolve().parent.parent


def kamteam_app_labels() -> list[str]:
    """Every app of this checkout (not Django's, not a library's)."""
    return [
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == _CHECKOUT
    ]


def database_snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table kamteam's apps own, history and many-to-many
    links included: a refused request in any app must leave all of them as
    they were, not just the app it aimed at."""
    snapshot: dict[str, list[dict[str, Any]]] = {}
    for app_label in kamteam_app_labels():
        for model in apps.get_app_config(app_label).get_models(include_auto_created=True):
            if model._meta.label in NOT_DATA:
                continue
            skip = NOT_DATA_COLUMNS.get(model._meta.label, ())
            columns = [f.attname for f in model._meta.concrete_fields if f.attname not in skip]
            rows = model._base_manager.order_by("pk").values(*columns)
            snapshot[model._meta.label] = list(rows)
    return snapshot


def current_content(
    snapshot: dict[str, list[dict[str, Any]]],
    ignore: frozenset[str] = frozenset({"updated_at", "taken_at", "password", "last_login"}),
) -> dict[str, list[dict[str, Any]]]:
    """The snapshot without history tables and without the columns in `ignore`:
    what a second run of an idempotent command must leave as it was."""
    return {
        label: [{k: v for k, v in row.items() if k not in ignore} for row in rows]
        for label, rows in snapshot.items()
        if ".Historical" not in label
    }


def read_setting(name: str, **environment: str) -> Any:
    """Start the app with `environment` and read setting `name`, in a new process,
    because settings are read once at start-up."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DEBUG="1", DJANGO_SETTINGS_MODULE="kamteam.settings", **environment)
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         f"from django.conf import settings; print(settings.{name})"],
        cwd=Path(__file__).resolve().parent.parent, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
