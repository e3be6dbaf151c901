"""Helpers for the demo data, which is written in the installation's language.

Demo texts are marked for translation like any other text, and `manage.py demo
--language de` renders them in German. A row the demo finds by its text (an
objective, a RACI task, a touchpoint) must be found whichever language wrote
it, so running the demo in German after English updates the English rows
instead of adding German copies beside them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from core.i18n import rendered_in_every_language

M = TypeVar("M", bound=Model)


def in_every_language(text: str | Promise) -> list[str]:
    """`text` as each configured language renders it (a plain str is itself)."""
    return sorted(set(rendered_in_every_language(lambda: str(text)).values()))


def update_or_create_by_text(
    queryset: QuerySet[M],
    *,
    field: str,
    text: str | Promise,
    defaults: Mapping[str, Any] | None = None,
    create_defaults: Mapping[str, Any] | None = None,
    **lookup: Any,
) -> tuple[M, bool]:
    """`update_or_create` where `field` holds `text` in any configured language.

    The row is written in the active language. `create_defaults` are set only
    on a new row (as in Django's own `update_or_create`)."""
    values = {field: str(text), **{k: _plain(v) for k, v in (defaults or {}).items()}}
    row = queryset.filter(**lookup, **{f"{field}__in": in_every_language(text)}).first()
    if row is None:
        extra = {k: _plain(v) for k, v in (create_defaults or {}).items()}
        return queryset.create(**lookup, **extra, **values), True
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        row.save()
    return row, False


def rendered(values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` with every lazy text rendered in the active language."""
    return {name: _plain(value) for name, value in values.items()}


def _plain(value: Any) -> Any:
    """Lazy texts become the active language's text before they reach the database."""
    return str(value) if isinstance(value, Promise) else value
