"""Actions reach their owner: on the home page (due soon and overdue) and in the
personal calendar feed; each page's queries pinned at two sizes."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from actions.models import PlanAction
from actions.tests.factories import PlanActionFactory
from tests.fixtures import World
from tests.queries import page_queries
from touchpoints.models import CalendarFeed

pytestmark = pytest.mark.django_db


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _mine(world: World, **kwargs) -> PlanAction:
    return PlanActionFactory(
        objective=world.plan.objectives.get(), owner=world.membership, **kwargs
    )


def _home(world: World, actor: str = "member") -> str:
    return world.client_for(actor).get(reverse("home")).content.decode()


def test_home_shows_my_overdue_and_soon_actions_linked_to_the_plan(world: World) -> None:
    late = _mine(world, title="Send the annex", due_date=_days(-3))
    _mine(world, title="Book the room", due_date=_days(5), status="in_progress")
    _mine(world, title="Far away", due_date=_days(60))
    _mine(world, title="Already done", due_date=_days(-9), status="done", done_on=_days(-9))
    page = _home(world)
    overdue, rest = page.split('id="today-overdue-h"')[1].split('id="today-soon-h"')
    assert "Send the annex" in overdue and "Book the room" not in overdue
    assert "Book the room" in rest
    assert "Far away" not in page and "Already done" not in page
    objective = world.plan.objectives.get()
    assert f"{world.plan.get_absolute_url()}#objective-{objective.pk}" in page
    assert reverse("actions:done", args=[world.account.slug, late.pk]) in page
    # Someone else's actions are not on my home.
    assert "Send the annex" not in _home(world, "lead")


def test_mark_done_from_home_comes_back_home(world: World) -> None:
    action = _mine(world, due_date=_days(-1))
    url = reverse("actions:done", args=[world.account.slug, action.pk]) + "?next=/"
    response = world.client_for("member").post(url, {"version": action.version})
    assert response.status_code == 302
    assert response["Location"] == "/"
    action.refresh_from_db()
    assert action.status == "done"
    assert action.title not in _home(world)


def test_a_former_seat_or_archived_account_leaves_home(world: World) -> None:
    from accounts import services

    _mine(world, title="Call back", due_date=_days(1))
    assert "Call back" in _home(world)
    services.account_archive(account=world.account)
    assert "Call back" not in _home(world)


def _feed(world: World, user_attr: str = "member") -> dict[str, object]:
    feed = CalendarFeed.objects.create(user=getattr(world, user_attr))
    response = Client().get(reverse("calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    return {str(e["summary"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def test_calendar_feed_has_my_open_actions_as_all_day_events(world: World) -> None:
    _mine(world, title="Send the annex", due_date=datetime.date(2026, 12, 10))
    _mine(world, title="Done one", due_date=_days(-5), status="done", done_on=_days(-5))
    PlanActionFactory(objective=world.plan.objectives.get(), owner=world.lead_membership)
    events = _feed(world)
    event = events["Nordwind AG: Send the annex"]
    assert event.decoded("dtstart") == datetime.date(2026, 12, 10)
    assert event.decoded("dtend") == datetime.date(2026, 12, 11)
    assert len(event.walk("VALARM")) == 1
    assert str(world.plan.objectives.get()) in str(event["description"])
    assert "Nordwind AG: Done one" not in events
    assert len([s for s in events if s.startswith("Nordwind AG: Action")]) == 0


# Query-count pins: the same at 1 and 25 actions ------------------------------


def _grow(world: World, n: int) -> None:
    objective = world.plan.objectives.get()
    contact = world.contact
    for i in range(n):
        PlanActionFactory(
            objective=objective,
            owner=world.membership,
            contact=contact,
            due_date=_days(i % 10 - 3),
            title=f"Action {i}",
        )


PAGES = {
    # The plan page's absolute pin is in tests/test_query_counts.py (other apps
    # add to that page): here, its actions cost nothing beyond the one prefetch,
    # which runs with or without actions, as the world's plan has an objective.
    "plan": lambda w: reverse("accounts:plan", args=[w.account.slug]),
    "home": lambda w: reverse("home"),
}


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_actions(world: World, page: str) -> None:
    url = PAGES[page](world)
    client = world.client_for("member")
    none = page_queries(client, url)
    _grow(world, 1)
    one = page_queries(client, url)
    _grow(world, 24)
    many = page_queries(client, url)
    # Home: one query for the person's actions, with or without any.
    assert none == one == many


def test_calendar_feed_queries_do_not_grow_with_actions(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    feed = CalendarFeed.objects.create(user=world.member)
    url = reverse("calendar_feed", args=[feed.token])
    counts = []
    for n in (0, 1, 24):
        _grow(world, n)
        Client().get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    # The feed with its owner, the touchpoints, the meetings, the actions.
    assert counts == [4, 4, 4]
