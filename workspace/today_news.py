"""The home page's unread customer news: items addressed to the person, not read yet."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import AccountTeamMember
from news.selectors import HOME_LIMIT, unread_for
from users.models import User
from workspace.today_types import Group, Item, Link


def news_items(groups: dict[str, Group], *, user: User, seats: list[AccountTeamMember]) -> None:
    """Up to HOME_LIMIT unread items, newest first; beyond that a link to the rest. Two queries."""
    unread = unread_for(user, seats)
    for item in unread[:HOME_LIMIT]:
        author = item.author.display_name if item.author else _("a former colleague")
        groups["new"].items.append(
            Item(
                "news",
                item.account,
                item.title,
                item.get_absolute_url(),
                _("Read it"),
                when=timezone.localtime(item.created_at).date(),
                detail=_("News from %(author)s: %(text)s")
                % {"author": author, "text": Truncator(item.body).words(25)},
                links=[Link(c.full_name, c.get_absolute_url()) for c in item.contacts.all()],
            )
        )
    if len(unread) > HOME_LIMIT:
        rest = unread[HOME_LIMIT]
        groups["new"].more.append(
            Link(_("More unread news"), reverse("news:list", args=[rest.account.slug]))
        )
