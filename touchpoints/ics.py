"""iCalendar (RFC 5545) for Outlook and Thunderbird: touchpoints, meetings, plan actions.

Items with a date become all-day events; undated ones are left out, since a
calendar cannot show "some time in Q3". A planned one carries an alarm at
09:00 the day before (VALARM), so Outlook and phones remind its people even
when they do not open kamteam.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from actions.models import PlanAction
from touchpoints.models import TeamMeeting, Touchpoint

# An all-day event starts at midnight, local time: 15 hours before is 09:00
# the day before, a working hour when there is still time to prepare.
REMINDER_BEFORE = datetime.timedelta(hours=15)


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//kamteam//touchpoints//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    return cal


def _alarm(summary: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")  # DISPLAY needs a DESCRIPTION: the text shown
    alarm.add("description", _("Tomorrow: %(summary)s") % {"summary": summary})
    alarm.add("trigger", -REMINDER_BEFORE)  # relative to DTSTART
    return alarm


def _event(uid: str, summary: str, day: datetime.date, description: str, *, remind: bool) -> Event:
    event = Event()
    event.add("uid", f"{uid}@kamteam")
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("dtstamp", datetime.datetime.now(datetime.UTC))
    event.add("description", description)
    if remind:  # done or held needs no reminder
        event.add_component(_alarm(summary))
    return event


def build(
    name: str,
    touchpoints: Iterable[Touchpoint],
    meetings: Iterable[TeamMeeting],
    actions: Iterable[PlanAction] = (),
) -> bytes:
    cal = _calendar(name)
    for action in actions:  # the owner's open plan actions, on their due date
        cal.add_component(
            _event(
                f"action-{action.pk}",
                f"{action.account}: {action.title}",
                action.due_date,
                _("Action for the objective “%(objective)s”") % {"objective": action.goal},
                remind=True,
            )
        )
    for tp in touchpoints:  # with their companions prefetched (companions__user)
        if tp.date:
            cal.add_component(
                _event(
                    f"touchpoint-{tp.pk}",
                    f"{tp.contact}: {tp.title}",
                    tp.date,
                    _touchpoint_description(tp),
                    remind=tp.status == Touchpoint.Status.PLANNED,
                )
            )
    for m in meetings:
        if m.date:
            cal.add_component(
                _event(
                    f"meeting-{m.pk}",
                    f"{m.account}: {m.purpose}",
                    m.date,
                    m.get_format_display(),
                    remind=m.status == TeamMeeting.Status.PLANNED,
                )
            )
    return cal.to_ical()


def _touchpoint_description(tp: Touchpoint) -> str:
    """Account, kind, owner; and the colleagues who join."""
    text = f"{tp.account} · {tp.get_kind_display()} · {tp.owner.user}"
    companions = [str(seat.user) for seat in tp.companions.all()]
    if companions:
        text += " · " + _("with %(names)s") % {"names": ", ".join(companions)}
    return text
