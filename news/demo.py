"""Demo data for customer news at Nordstern: two items, one for everyone, one for roles.

Called by `manage.py demo` after the accounts step; idempotent like the rest.
innendienst has read the first; the second waits for the NKAMs.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from accounts.models import AccountTeamMember, CustomerContact, KeyAccount, TeamRole
from core.demo import update_or_create_by_text
from news.models import Audience, NewsItem, NewsRead

# fmt: off
NEWS = [
    # title, body, author, audience, roles (codes), contacts (last names), read by
    (_("The customer reorganises purchasing in Q2"),
     _("Purchasing moves from the plants to headquarters in Hamburg. Ms Hoffmann will "
       "sign every order above 50,000 EUR; the plants keep spare parts."),
     "kam", Audience.TEAM, (), ("Hoffmann",), ("innendienst",)),
    (_("New plant in Wuhan from 2027"),
     _("Nordstern builds a plant in Wuhan for the Chinese market. Dr Wang asked for a "
       "first meeting about drives in March."),
     "nkam-china", Audience.ROLES, ("nkam", "gkam"), ("Wang",), ()),
]
# fmt: on


def news_demo(
    *,
    account: KeyAccount,
    team: Mapping[str, AccountTeamMember],
    contacts: Mapping[str, CustomerContact],
) -> None:
    """`team` by username and `contacts` by last name, as the accounts step returns them."""
    for title, body, author, audience, roles, about, readers in NEWS:
        item, _created = update_or_create_by_text(
            NewsItem.objects.all(),
            account=account,
            field="title",
            text=title,
            defaults={"body": body, "author": team[author].user, "audience": audience},
        )
        item.roles.set(TeamRole.objects.filter(code__in=roles))
        item.contacts.set([contacts[name] for name in about if name in contacts])
        for reader in readers:
            NewsRead.objects.get_or_create(item=item, user=team[reader].user)
