"""A comparable picture of everything the app stores, to prove nothing changed."""

from __future__ import annotations

from typing import Any

from django.apps import apps

# Bookkeeping, not data: the fragment cache's change counters (core.fragments).
NOT_DATA = {"core.CacheGeneration"}


def database_snapshot() -> dict[str, list[dict[str, Any]]]:
    snapshot: dict[str, list[dict[str, Any]]] = {}
    for app_label in ("accounts", "profiles", "raci", "touchpoints"):
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.label in NOT_DATA:
                continue
            snapshot[model._meta.label] = list(model._default_manager.order_by("pk").values())
    return snapshot
