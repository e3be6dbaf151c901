"""Reads of activities: an account's timeline, last contacts, key players gone stale."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from accounts.models import AccountTeamMember, CustomerContact, KeyAccount
from activities.models import KEY_PLAYER_ROLES, Activity
from core.collation import by_name, name_key
from core.prepared import prepared
from users.models import User

Through = Activity.contacts.through


@dataclass(frozen=True)
class TimelineFilter:
    kind: str = ""
    person: int | None = None  # a colleague among the participants or the author
    contact: int | None = None


def timeline(account: KeyAccount, chosen: TimelineFilter) -> QuerySet[Activity]:
    """The account's activities, newest first, narrowed by `chosen`."""
    rows = account.activities.all()
    if chosen.kind:
        rows = rows.filter(kind=chosen.kind)
    if chosen.person:
        rows = rows.filter(
            Q(
                pk__in=Activity.participants.through.objects.filter(user_id=chosen.person).values(
                    "activity_id"
                )
            )
            | Q(logged_by_id=chosen.person)
        )
    if chosen.contact:
        rows = rows.filter(
            pk__in=Through.objects.filter(customercontact_id=chosen.contact).values("activity_id")
        )
    return (
        rows.select_related("logged_by", "touchpoint")
        .prefetch_related(
            Prefetch(
                "contacts",
                queryset=CustomerContact.objects.select_related("account").order_by(
                    *by_name("last_name", "first_name")
                ),
            ),
            Prefetch(
                "participants", queryset=User.objects.order_by(*by_name("first_name", "last_name"))
            ),
        )
        .order_by("-happened_on", "-pk")
    )


def recent_with(contact: CustomerContact, limit: int = 5) -> list[Activity]:
    """The newest activities with `contact` (its last contact is the first one's date)."""
    return list(
        contact.activities.select_related("touchpoint")
        .prefetch_related(
            Prefetch(
                "participants", queryset=User.objects.order_by(*by_name("first_name", "last_name"))
            )
        )
        .order_by("-happened_on", "-pk")[:limit]
    )


def team_people(account: KeyAccount) -> list[User]:
    """The colleagues to filter the timeline by: everyone who held a seat on the team."""
    seats = AccountTeamMember.objects.filter(account=account).values("user_id")
    return list(
        User.objects.filter(pk__in=seats).order_by(*by_name("first_name", "last_name"), "pk")
    )


def last_contact_subquery() -> Subquery:
    """For a CustomerContact queryset: the date of the newest activity with the contact."""
    return Subquery(
        Through.objects.filter(customercontact_id=OuterRef("pk"))
        .order_by("-activity__happened_on")
        .values("activity__happened_on")[:1]
    )


def last_contacts(contact_ids: Iterable[int]) -> dict[int, datetime.date]:
    """Contact id → date of the newest activity with them (none: not in the dict)."""
    ids = list(contact_ids)
    if not ids:
        return {}
    rows = (
        CustomerContact.objects.filter(pk__in=ids)
        .annotate(last=last_contact_subquery())
        .filter(last__isnull=False)
        .values_list("pk", "last")
    )
    return dict(rows)


def _key_players() -> QuerySet[CustomerContact]:
    """Active contacts with a decider's, approver's or influencer's role."""
    key = CustomerContact.buying_roles.through.objects.filter(
        buyingcentrerole__code__in=KEY_PLAYER_ROLES
    ).values("customercontact_id")
    return CustomerContact.objects.active().filter(pk__in=key)


def _stale(cutoffs: dict[int, datetime.date]) -> Q:
    """Not contacted since the cutoff of their account (accounts grouped by cutoff)."""
    by_cutoff: dict[datetime.date, list[int]] = {}
    for account_id, cutoff in cutoffs.items():
        by_cutoff.setdefault(cutoff, []).append(account_id)
    condition = Q(pk__in=[])
    for cutoff, account_ids in sorted(by_cutoff.items()):
        condition |= Q(account_id__in=account_ids) & (Q(last__isnull=True) | Q(last__lt=cutoff))
    return condition


def cutoff(account: KeyAccount, today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=account.freshness_days)


def stale_key_players(account: KeyAccount, today: datetime.date) -> list[CustomerContact]:
    """The account's key players not contacted for more than its freshness days, the
    longest unseen (never first) first."""
    rows = _stale_key_players(account.pk, cutoff(account, today))
    for contact in rows:
        contact.account = account  # as select_related would: no query to reach it
    return sorted(rows, key=lambda c: (c.last is not None, c.last or today, name_key(c.last_name)))


@prepared
def _stale_key_players(account_id: int, since: datetime.date) -> QuerySet[CustomerContact]:
    return (
        _key_players()
        .filter(account_id=account_id)
        .annotate(last=last_contact_subquery())
        .filter(_stale({account_id: since}))
    )


def stale_counts(accounts: Iterable[KeyAccount], today: datetime.date) -> dict[int, int]:
    """Account id → how many of its key players are stale (absent: none), in one query."""
    return stale_counts_by_cutoff({account.pk: cutoff(account, today) for account in accounts})


def stale_counts_by_cutoff(cutoffs: dict[int, datetime.date]) -> dict[int, int]:
    """stale_counts for the accounts `cutoffs` names, each with its cutoff day
    (no query for none)."""
    if not cutoffs:
        return {}
    rows = (
        _key_players()
        .filter(account_id__in=list(cutoffs))
        .annotate(last=last_contact_subquery())
        .filter(_stale(cutoffs))
        .order_by()
        .values("account_id")
        .annotate(n=Count("pk"))
        .values_list("account_id", "n")
    )
    return dict(rows)
