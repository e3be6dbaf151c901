"""The weights of the health score's parts, as staff set them (HealthWeights).

The score's SQL reads them itself (`weight_columns`, a scalar subquery the
database evaluates once per query): every page, export and snapshot scores
with the weights in force, at no extra query. Pages that explain the score
show the weights a row was scored with (`weights_of`), or, with no row to
read them from, the cached ones (`weights_in_force`).
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import IntegerField, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import KeyAccount
from portfolio.models import DEFAULT_WEIGHT, HEALTH_PARTS, HealthWeights


def weight_columns() -> dict[str, Any]:
    """Each part's weight in force: w_plan, w_responsibilities, w_execution, w_team."""
    row = HealthWeights.objects.filter(pk=HealthWeights.SINGLETON_ID)
    return {
        f"w_{part}": Coalesce(
            Subquery(row.values(part)[:1], output_field=IntegerField()), Value(DEFAULT_WEIGHT)
        )
        for part in HEALTH_PARTS
    }


def weights_of(row: KeyAccount) -> dict[str, int]:
    """The weights a row of portfolio_queryset was scored with (those in force)."""
    return {part: getattr(row, f"w_{part}") for part in HEALTH_PARTS}


WEIGHTS_CACHE_KEY = "portfolio:health-weights"


def weights_in_force() -> dict[str, int]:
    """The weights in force, for a page without a scored row to read them from.

    Cached across requests; a save of HealthWeights forgets them (forget_weights).
    """
    weights = cache.get(WEIGHTS_CACHE_KEY)
    if weights is None:
        row = HealthWeights.objects.filter(pk=HealthWeights.SINGLETON_ID).first()
        weights = row.as_dict() if row else dict.fromkeys(HEALTH_PARTS, DEFAULT_WEIGHT)
        cache.set(WEIGHTS_CACHE_KEY, weights, None)
    return weights


def forget_weights(**kwargs: Any) -> None:
    """post_save/post_delete of HealthWeights: the next reader reads them again.

    Now and once more after the commit: a reader between the two would cache the old row.
    """
    cache.delete(WEIGHTS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(WEIGHTS_CACHE_KEY))


def weights_shown(rows: list[KeyAccount]) -> dict[str, int]:
    """The weights to explain beside `rows`: those they were scored with, else those in force."""
    return weights_of(rows[0]) if rows else weights_in_force()
