"""An account's health over the last twelve weeks, as a line the template draws in SVG.

Geometry only, from the weekly snapshots (portfolio.models.HealthSnapshot):
one point per week that has one, the line broken where a week has none, and
dashed lines where the bands begin. The same values go into a table beside
the chart, so nothing depends on seeing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from accounts.models import KeyAccount
from portfolio.selectors import HEALTHY_FROM, WATCH_FROM, Band, band_of, week_of

WEEKS = 12
WIDTH = 600
HEIGHT = 220
LEFT = 40  # room for the score ticks
RIGHT = 28  # room for the last week's date, centred under its point
TOP = 12
BOTTOM = 36  # room for the week labels
LABEL_EVERY = 3  # weeks between two date labels, counted back from this week


@dataclass(frozen=True)
class LinePoint:
    week: date
    score: int | None  # None: no snapshot that week
    x: float
    y: float | None
    labelled: bool  # the x axis names this week

    @property
    def band(self) -> Band | None:
        return None if self.score is None else band_of(self.score)


@dataclass(frozen=True)
class Level:
    """A horizontal line of the chart: a tick of the score axis or a band's start."""

    value: int
    y: float
    band_start: bool


@dataclass(frozen=True)
class HealthLine:
    points: list[LinePoint]  # oldest first, one per week
    segments: list[str]  # SVG polyline points, one per run of weeks with snapshots
    levels: list[Level]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_x: int = WIDTH - RIGHT
    axis_y: int = HEIGHT - BOTTOM
    label_y: int = HEIGHT - BOTTOM + 20

    @property
    def known(self) -> list[LinePoint]:
        return [p for p in self.points if p.score is not None]

    @property
    def first(self) -> date:
        return self.points[0].week

    @property
    def last(self) -> date:
        return self.points[-1].week


def _x(index: int) -> float:
    return round(LEFT + (WIDTH - LEFT - RIGHT) * index / (WEEKS - 1), 1)


def _y(score: int) -> float:
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (100 - score) / 100, 1)


def line_of(scores: dict[date, int], *, today: date) -> HealthLine:
    """The line of the WEEKS weeks up to `today`'s from {week's Monday: score}."""
    this_week = week_of(today)
    points = []
    for index in range(WEEKS):
        week = this_week - timedelta(weeks=WEEKS - 1 - index)
        score = scores.get(week)
        points.append(
            LinePoint(
                week=week,
                score=score,
                x=_x(index),
                y=None if score is None else _y(score),
                labelled=(WEEKS - 1 - index) % LABEL_EVERY == 0,
            )
        )
    segments, run = [], []
    for point in [*points, None]:  # None closes the last run
        if point is not None and point.score is not None:
            run.append(f"{point.x},{point.y}")
        elif run:
            segments.append(" ".join(run))
            run = []
    levels = [
        Level(value, _y(value), value in (HEALTHY_FROM, WATCH_FROM))
        for value in sorted({0, WATCH_FROM, HEALTHY_FROM, 100})
    ]
    return HealthLine(points=points, segments=segments, levels=levels)


def health_line(account: KeyAccount, *, today: date) -> HealthLine:
    """`account`'s line of the last WEEKS weeks: one query."""
    this_week = week_of(today)
    first = this_week - timedelta(weeks=WEEKS - 1)
    scores = dict(
        account.health_snapshots.filter(week__gte=first, week__lte=this_week)
        .order_by()
        .values_list("week", "score")
    )
    return line_of(scores, today=today)
