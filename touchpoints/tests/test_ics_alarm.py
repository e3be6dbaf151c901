"""The calendar feeds remind the day before: a VALARM on every planned, dated item."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from tests.fixtures import World
from touchpoints.models import CalendarFeed, TeamMeeting, Touchpoint


def _events(content: bytes) -> dict[str, object]:
    return {str(e["summary"]): e for e in Calendar.from_ical(content).walk("VEVENT")}


def _feed(world: World) -> dict[str, object]:
    feed = CalendarFeed.objects.create(user=world.lead)
    response = Client().get(reverse("calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    return _events(response.content)


def test_a_planned_touchpoint_reminds_at_nine_the_day_before(world: World) -> None:
    world.touchpoint.date = datetime.date(2026, 12, 15)
    world.touchpoint.save()
    event = _feed(world)["Max Müller: Christmas gift"]
    [alarm] = event.walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY"
    trigger = alarm.decoded("trigger")
    assert trigger == -datetime.timedelta(hours=15)
    # Relative to the all-day event's start (midnight): 09:00 on the 14th.
    start = datetime.datetime.combine(event.decoded("dtstart"), datetime.time())
    assert start + trigger == datetime.datetime(2026, 12, 14, 9, 0)
    assert "Max Müller: Christmas gift" in str(alarm["description"])


def test_a_done_touchpoint_needs_no_reminder(world: World) -> None:
    world.touchpoint.date = datetime.date(2026, 12, 15)
    world.touchpoint.status = Touchpoint.Status.DONE
    world.touchpoint.save()
    event = _feed(world)["Max Müller: Christmas gift"]
    assert event.walk("VALARM") == []


def test_a_planned_team_meeting_reminds_too_in_the_account_calendar(world: World) -> None:
    world.meeting.date = datetime.date(2026, 2, 10)
    world.meeting.save()
    world.touchpoint.date = datetime.date(2026, 12, 15)
    world.touchpoint.save()
    response = world.client_for("member").get(
        reverse("touchpoints:account_ics", args=[world.account.slug])
    )
    events = _events(response.content)
    assert len(events["Nordwind AG: Sales meeting"].walk("VALARM")) == 1
    assert len(events["Max Müller: Christmas gift"].walk("VALARM")) == 1
    world.meeting.status = TeamMeeting.Status.HELD
    world.meeting.date = datetime.date(2026, 1, 10)
    world.meeting.save()
    response = world.client_for("member").get(
        reverse("touchpoints:account_ics", args=[world.account.slug])
    )
    assert _events(response.content)["Nordwind AG: Sales meeting"].walk("VALARM") == []


def test_the_alarm_text_follows_the_language(world: World) -> None:
    world.touchpoint.date = datetime.date(2026, 12, 15)
    world.touchpoint.save()
    feed = CalendarFeed.objects.create(user=world.lead)
    response = Client().get(
        reverse("calendar_feed", args=[feed.token]), headers={"accept-language": "en"}
    )
    [alarm] = Calendar.from_ical(response.content).walk("VALARM")
    assert str(alarm["description"]) == "Tomorrow: Max Müller: Christmas gift"
