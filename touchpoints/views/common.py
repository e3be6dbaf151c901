"""What the touchpoint pages share: the plan year they show, the grid's address."""

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


def grid_url(slug: str, year: int) -> str:
    return f"{reverse('touchpoints:grid', args=[slug])}?year={year}"
