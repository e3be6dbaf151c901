"""Finding by name: key accounts, customer contacts and colleagues."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import visible_account_ids
from accounts.models import CustomerContact, KeyAccount
from accounts.selectors import kam_names
from core.collation import by_name as in_name_order
from core.templatetags.kam import mailto
from profiles.access import colleague_visibility_cached
from search.expressions import (
    NameArgs,
    NameMatch,
    NameRank,
    Rows,
    by_name,
    kept_names,
    name_tier,
)
from search.registry import Found, Hit
from search.text import Query, highlight
from users.models import User


def visible(ids: list[int] | None, path: str = "account") -> Q:
    """Rows of the accounts of `ids` (accounts.access.visible_account_ids: None
    for every account), `path` leading to the account."""
    return Q() if ids is None else Q(**{f"{path}__in": ids})


def found(rows: list, limit: int, make) -> Found:  # type: ignore[type-arg,no-untyped-def]
    """The first `limit` rows as hits; one row more than asked for means "more"."""
    return Found(hits=[make(row) for row in rows[:limit]], more=len(rows) > limit)


class AccountProvider:
    """Every active account by name or industry, as the directory shows it.

    An account the person may open links to its workspace; any other (an
    outsider's) to its directory entry, with nothing but the directory's facts.
    """

    kind = "accounts"
    label = _("Key accounts")
    order = 10
    fields = ["name", "industry"]

    def search(self, *, user: User, query: Query, limit: int, offset: int = 0) -> Found:
        ids = visible_account_ids(user)
        rows = _accounts(ids, *query.name_args(), Rows(offset=offset, count=limit + 1))
        kams = kam_names([a.pk for a in rows[:limit]])

        def hit(account: KeyAccount) -> Hit:
            people = ", ".join(kams.get(account.pk, []))
            details = [account.get_classification_display(), account.industry, people]
            if account.can_open:
                url, note = account.get_absolute_url(), ""
            else:
                url = reverse("directory") + "?" + urlencode({"q": account.name})
                note = _("directory entry")
            return Hit(
                title=highlight(account.name, query),
                url=url,
                details=highlight(" · ".join(d for d in details if d), query),
                note=note,
            )

        return found(rows, limit, hit)


@kept_names
def _accounts(ids: list[int] | None, args: NameArgs, rows: Rows) -> QuerySet[KeyAccount]:
    """AccountProvider's hits."""
    mine = visible(ids, "pk")
    can_open = ExpressionWrapper(mine, output_field=BooleanField()) if mine else Value(True)
    match = NameMatch(*AccountProvider.fields, args=args, fuzzy=["name"])
    return rows.of(
        KeyAccount.objects.filter(Q(status=KeyAccount.Status.ACTIVE) | mine)
        .filter(match)
        .annotate(rank=NameRank("name", args=args), can_open=can_open)
        .only("name", "slug", "industry", "classification")
        .order_by("rank", *in_name_order("name"), "pk")
    )


class ContactProvider:
    """The active customer contacts of the accounts the person may open."""

    kind = "contacts"
    label = _("Customer contacts")
    order = 20
    fields = ["first_name", "last_name", "position", "department"]

    def search(self, *, user: User, query: Query, limit: int, offset: int = 0) -> Found:
        ids = visible_account_ids(user)
        args = (ids, *query.name_args())
        rows = by_name(_contacts, args, offset=offset, count=limit + 1)

        def hit(contact: CustomerContact) -> Hit:
            details = [contact.position, contact.department, contact.account.name]
            return Hit(
                title=highlight(contact.full_name, query),
                url=contact.get_absolute_url(),
                details=highlight(" · ".join(d for d in details if d), query),
            )

        return found(rows, limit, hit)


@kept_names
def _contacts(ids: list[int] | None, args: NameArgs, rows: Rows) -> QuerySet[CustomerContact]:
    """ContactProvider's hits of one tier of the name order."""
    contacts = (
        CustomerContact.objects.active()
        .filter(visible(ids))
        .select_related("account")
        .only(*ContactProvider.fields, "account__name", "account__slug")
    )
    match = NameMatch(
        *ContactProvider.fields, args=args, fuzzy=["first_name", "last_name"], stored=True
    )
    return name_tier(
        contacts, match=match, last="last_name", first="first_name", stored=True, rows=rows
    )


class ColleagueProvider:
    """Colleagues by name: their profile where they shared something, else their e-mail.

    Nothing of a profile is searched or shown: it is the person's own.
    """

    kind = "colleagues"
    label = _("Colleagues")
    order = 30
    fields = ["first_name", "last_name", "username"]

    def search(self, *, user: User, query: Query, limit: int, offset: int = 0) -> Found:
        args = (None, *query.name_args())
        rows = by_name(_colleagues, args, offset=offset, count=limit + 1)
        parts = colleague_visibility_cached(user, [p.pk for p in rows[:limit]])

        def hit(person: User) -> Hit:
            if parts.get(person.pk):
                url = reverse("profiles:person", args=[person.username])
            else:
                url = mailto(person.email) if person.email else ""
            return Hit(
                title=highlight(person.display_name, query),
                url=url,
                details=person.email,
                note="" if parts.get(person.pk) else _("e-mail"),
            )

        return found(rows, limit, hit)


@kept_names
def _colleagues(_ids: list[int] | None, args: NameArgs, rows: Rows) -> QuerySet[User]:
    """ColleagueProvider's hits of one tier of the name order: of every account."""
    people = User.objects.filter(is_active=True)
    people = people.only("username", "first_name", "last_name", "email")
    match = NameMatch(
        *ColleagueProvider.fields, args=args, fuzzy=["first_name", "last_name"], stored=True
    )
    return name_tier(
        people, match=match, last="last_name", first="first_name", stored=True, rows=rows
    )
