"""The health trend: an account's score now against a few weeks back.

The portfolio's arrow compares the score now with the snapshot TREND_WEEKS
back (portfolio.models.HealthSnapshot), or with the oldest since then when
the account is younger; the SQL that finds that snapshot is in
portfolio.selectors, next to the score.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import pgettext_lazy

TREND_WEEKS = 4  # the trend compares the score with the snapshot this many weeks back
TREND_STEP = 3  # a change of fewer points than this counts as steady


@dataclass(frozen=True)
class Trend:
    """The score now against the snapshot `since` (TREND_WEEKS back, or the oldest since)."""

    code: str  # up, down, flat; "" without a snapshot to compare with
    change: int = 0
    since: date | None = None

    @property
    def label(self) -> Any:
        return TREND_LABELS[self.code]


TREND_LABELS = {
    "up": pgettext_lazy("health trend", "rising"),
    "down": pgettext_lazy("health trend", "falling"),
    "flat": pgettext_lazy("health trend", "steady"),
    "": pgettext_lazy("health trend", "no trend yet"),
}


def trend_of(score: int, before: int | None, since: date | None) -> Trend:
    """Up or down by at least TREND_STEP points, else flat; "" without a snapshot."""
    if before is None:
        return Trend("")
    change = score - before
    if change >= TREND_STEP:
        return Trend("up", change, since)
    if change <= -TREND_STEP:
        return Trend("down", change, since)
    return Trend("flat", change, since)
