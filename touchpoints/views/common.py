"""What the touchpoint pages share: the plan year they show or add to, the grid's address."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from accounts.models import YEAR_MAX, YEAR_MIN
from core.params import QueryReader, say_ignored
from touchpoints import selectors


def plan_year(request: HttpRequest) -> int:
    """The plan year from ?year=, clamped to the years a plan may have; this year by default.

    A value that is not a number is named in the page's "ignored" message, as
    every filter's is (core.params).
    """
    reader = QueryReader(request.GET)
    year = reader.integer("year")
    say_ignored(request, reader.ignored)
    if year is None:
        return selectors.this_quarter()[0]
    return min(max(year, YEAR_MIN), YEAR_MAX)


def new_item_year(request: HttpRequest) -> int:
    """The year a new touchpoint or meeting starts in: ?year= if kamteam plans for it.

    Unlike `plan_year`, a year outside YEAR_MIN..YEAR_MAX is not moved to the
    nearest one: an item saved there unseen would land in a year nobody asked
    for (?year=1800 became 2000). It is named in the page's "ignored" message
    instead, and the form starts in this year, its year field in view.
    """
    reader = QueryReader(request.GET)
    year = reader.integer("year", low=YEAR_MIN, high=YEAR_MAX)
    say_ignored(request, reader.ignored)
    return selectors.this_quarter()[0] if year is None else year


def grid_url(slug: str, year: int) -> str:
    return f"{reverse('touchpoints:grid', args=[slug])}?year={year}"
