"""Demo activities at Nordstern: a timeline of the last months, relative to today.

Called by `manage.py demo` after the touchpoints step; idempotent like the rest.
Ms Hoffmann was called lately; Mr Müller, a decider and influencer, was last
met at a touchpoint in September. Nordstern's team wants its key players met
every 60 days, so the overview warns that he is overdue. The demo's done
touchpoints get their activities too (activities.services).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountTeamMember, CustomerContact, KeyAccount
from activities.models import Activity
from activities.services import sync_all_done
from core.demo import update_or_create_by_text

FRESHNESS_DAYS = 60

# fmt: off
ACTIVITIES = [
    # days ago, kind, subject, note, logged by, with (contacts' last names), our side
    (12, "call", _("Framework contract: renewal terms"),
     _("Ms Hoffmann wants the renewal signed before the budget round; price list by the 20th."),
     "kam", ("Hoffmann",), ("kam",)),
    (20, "meeting", _("Suzhou purchasing: local stock"),
     _("Mr Wang asked for a consignment stock in Suzhou; inside sales checks the delivery times."),
     "nkam-china", ("Wang",), ("nkam-china", "innendienst")),
    (31, "email", _("Quote for the Leipzig retrofit"),
     _("Sent the quote; Ms Koch confirmed it reaches the buying committee in time."),
     "innendienst", ("Koch",), ("innendienst",)),
    (124, "visit", _("Plant tour in Hamburg with the division head"),
     _("Mr Müller showed the new line; he sees us as a parts supplier so far."),
     "kam", ("Müller", "Richter"), ("kam", "innendienst")),
]
# fmt: on


def activities_demo(
    *,
    account: KeyAccount,
    team: Mapping[str, AccountTeamMember],
    contacts: Mapping[str, CustomerContact],
) -> None:
    """`team` by username and `contacts` by last name, as the accounts step returns them."""
    today = timezone.localdate()
    if account.freshness_days != FRESHNESS_DAYS:
        account.freshness_days = FRESHNESS_DAYS
        account.save(update_fields=["freshness_days", "updated_at"])
    for days_ago, kind, subject, note, author, met, ours in ACTIVITIES:
        activity, _created = update_or_create_by_text(
            Activity.objects.all(),
            account=account,
            field="subject",
            text=subject,
            defaults={
                "kind": kind,
                "note": note,
                "happened_on": today - datetime.timedelta(days=days_ago),
                "logged_by": team[author].user,
            },
        )
        activity.contacts.set([contacts[name] for name in met if name in contacts])
        activity.participants.set([team[name].user for name in ours])
    sync_all_done()
