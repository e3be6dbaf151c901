"""iCalendar (RFC 5545) for Outlook and Thunderbird: touchpoints and meetings.

Items with a date become all-day events; undated ones are left out, since a
calendar cannot show "some time in Q3".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from icalendar import Calendar, Event

from touchpoints.models import TeamMeeting, Touchpoint


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//kamteam//touchpoints//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    return cal


def _event(uid: str, summary: str, day: datetime.date, description: str) -> Event:
    event = Event()
    event.add("uid", f"{uid}@kamteam")
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("dtstamp", datetime.datetime.now(datetime.UTC))
    event.add("description", description)
    return event


def build(name: str, touchpoints: Iterable[Touchpoint], meetings: Iterable[TeamMeeting]) -> bytes:
    cal = _calendar(name)
    for tp in touchpoints:
        if tp.date:
            cal.add_component(
                _event(
                    f"touchpoint-{tp.pk}",
                    f"{tp.contact}: {tp.title}",
                    tp.date,
                    f"{tp.account} · {tp.get_kind_display()} · {tp.owner.user}",
                )
            )
    for m in meetings:
        if m.date:
            cal.add_component(
                _event(
                    f"meeting-{m.pk}", f"{m.account}: {m.purpose}", m.date, m.get_format_display()
                )
            )
    return cal.to_ical()
