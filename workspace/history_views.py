"""The account's history tab: every change, filtered by kind of record, person and period."""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from accounts.access import account_access
from accounts.models import YEAR_MAX, YEAR_MIN
from core.pages import workspace_page
from core.params import QueryReader, say_ignored
from users.models import User
from workspace.history import KINDS, AccountHistory, HistoryFilter, history_people

PAGE_SIZE = 50


def _day(reader: QueryReader, name: str, ignored: list[str]) -> datetime.date | None:
    """An ISO date (what <input type="date"> sends) within the years kamteam knows."""
    raw = reader.text(name, max_length=11)  # one more than a date: cut, "…-01x" would fit
    if not raw:
        return None
    try:
        day = datetime.date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        day = None
    if day is None or not YEAR_MIN <= day.year <= YEAR_MAX:
        ignored.append(name)
        return None
    return day


def read_filter(reader: QueryReader, people: list[User]) -> tuple[HistoryFilter, list[str]]:
    """The page's filters; values that do not fit are named in the list returned."""
    ignored: list[str] = []
    person = reader.integer("person")
    if person is not None and person not in {p.pk for p in people}:
        ignored.append("person")  # nobody of that id changed anything here
        person = None
    since, until = _day(reader, "from", ignored), _day(reader, "to", ignored)
    if since and until and until < since:
        ignored.append("to")  # a period that ends before it starts holds nothing
        until = None
    kind = reader.choice("kind", KINDS)
    return HistoryFilter(kind=kind, person=person, since=since, until=until), ignored


@require_safe
def account_history(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    access.require_history()
    people = history_people(access.account)
    reader = QueryReader(request.GET)
    wanted, ignored = read_filter(reader, people)
    say_ignored(request, reader.ignored + ignored)
    history = AccountHistory(access.account, wanted)
    page = Paginator(history, PAGE_SIZE).get_page(request.GET.get("page"))
    return workspace_page(
        request,
        access,
        "accounts/history.html",
        "history",
        page=page,
        wanted=wanted,
        kinds=KINDS,
        people=people,
        filtered=wanted != HistoryFilter(),
    )
