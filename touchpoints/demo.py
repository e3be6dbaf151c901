"""Demo data for touchpoints at Nordstern: the handbook's contact plan for Max
Müller, a few other touchpoints, relationship pairs and the team meeting rhythm.

Called by `manage.py demo` after the accounts step; idempotent like the rest.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from accounts.models import AccountTeamMember, CustomerContact, KeyAccount
from core.demo import rendered, update_or_create_by_text
from touchpoints.models import RelationshipPair, TeamMeeting, Touchpoint

YEAR = 2026  # the demo's plan year

# fmt: off
TOUCHPOINTS = [
    # contact (last name), quarter, date, kind, title, owner (username), status, outcome
    ("Müller", 1, None, "content", _("Article from a management magazine"), "kam", "done",
     _("He replied and asked for more on the topic.")),
    ("Müller", 2, None, "content", _("Reference story prepared as a letter"), "kam", "done",
     _("Forwarded it to his production manager.")),
    ("Müller", 3, datetime.date(YEAR, 9, 8), "meeting",
     _("Meeting with our partner Max Meier to show our wider skill set"), "kam", "done",
     _("Interested in the retrofit study.")),
    ("Müller", 4, datetime.date(YEAR, 12, 15), "gift",
     _("Christmas gift linked to the strategy consulting offer"), "kam", "planned", ""),
    ("Hoffmann", 3, None, "call", _("Call about the framework renewal timeline"), "nkam",
     "planned", ""),
    ("Hoffmann", 4, datetime.date(YEAR, 12, 3), "meeting", _("Annual review at headquarters"),
     "kam", "planned", ""),
    ("Koch", 4, datetime.date(YEAR, 12, 8), "content", _("Send the 2027 price list early"),
     "innendienst", "planned", ""),
    ("Koch", 2, None, "event", _("Invitation to the trade fair"), "innendienst", "cancelled", ""),
]

PAIRS = [
    # member (username), contact (last name), level now, target level, cadence, next occasion
    ("kam", "Hoffmann", 2, 4, "quarterly", _("Annual review in December")),
    ("innendienst", "Koch", 3, 4, "monthly", _("Price list 2027")),
    ("nkam-china", "Wang", 1, 3, "quarterly", _("Visit to Suzhou")),
]

MEETINGS = [
    # quarter, date, format, purpose, status
    (1, datetime.date(YEAR, 2, 10), "in_person",
     _("International sales meeting with in-person key account team meeting"), "held"),
    (2, datetime.date(YEAR, 5, 12), "video", _("Video conference"), "held"),
    (3, datetime.date(YEAR, 9, 16), "in_person",
     _("Key account plan workshop (feeds budget planning)"), "held"),
    (4, datetime.date(YEAR, 12, 10), "video", _("Video conference"), "planned"),
]
# fmt: on


def _companions() -> dict[str, tuple[str, ...]]:
    """Colleagues who join a touchpoint (by its title, in the active language):
    inside sales comes along to the annual review."""
    return {str(_("Annual review at headquarters")): ("innendienst",)}


def touchpoints_demo(
    *,
    account: KeyAccount,
    team: Mapping[str, AccountTeamMember],
    contacts: Mapping[str, CustomerContact],
) -> None:
    """Touchpoints, pairs and meetings of `account`; `team` by username and
    `contacts` by last name, as the accounts step returns them."""
    companions = _companions()
    for last, quarter, date, kind, title, owner, status, outcome in TOUCHPOINTS:
        # A contact may have several touchpoints in a quarter: the title finds ours.
        touchpoint, _created = update_or_create_by_text(
            Touchpoint.objects.all(),
            account=account,
            contact=contacts[last],
            year=YEAR,
            quarter=quarter,
            field="title",
            text=title,
            defaults={
                "date": date,
                "kind": kind,
                "owner": team[owner],
                "status": status,
                "outcome": outcome,
            },
        )
        joining = companions.get(str(title), ())
        touchpoint.companions.set([team[name] for name in joining])
    for member, last, now, target, cadence, occasion in PAIRS:
        RelationshipPair.objects.update_or_create(
            member=team[member],
            contact=contacts[last],
            defaults=rendered(
                {
                    "account": account,
                    "current_level": now,
                    "target_level": target,
                    "cadence": cadence,
                    "next_occasion": occasion,
                }
            ),
        )
    core = [m for m in team.values() if m.team == "core"]
    for quarter, date, fmt, purpose, status in MEETINGS:
        meeting, _created = update_or_create_by_text(
            TeamMeeting.objects.all(),
            account=account,
            year=YEAR,
            quarter=quarter,
            field="purpose",
            text=purpose,
            defaults={"date": date, "format": fmt, "status": status},
        )
        meeting.participants.set(core)
