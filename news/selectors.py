"""Reads of customer news: an account's items a viewer may read, their addressees, a
person's unread items for their home."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from accounts.access import AccountAccess
from accounts.models import AccountTeamMember, CustomerContact
from core.prepared import prepared
from news.models import Audience, NewsItem, NewsRead
from users.models import User

HOME_LIMIT = 5  # unread items on the home page; the rest are on the account's News tab


def _addressed_to(seats: list[AccountTeamMember]) -> Q:
    """Items addressed to the holder of `seats` (their active seats), as one condition.

    A person holds a few seats; one condition per account with roles keeps it
    one query however many items there are.
    """
    accounts = {seat.account_id for seat in seats}
    core = {seat.account_id for seat in seats if seat.team == AccountTeamMember.Team.CORE}
    condition = Q(audience=Audience.TEAM, account_id__in=accounts)
    condition |= Q(audience=Audience.CORE, account_id__in=core)
    roles: dict[int, set[int]] = {}
    for seat in seats:
        roles.setdefault(seat.account_id, set()).add(seat.role_id)
    for account_id, role_ids in sorted(roles.items()):
        condition |= Q(audience=Audience.ROLES, account_id=account_id, roles__in=role_ids)
    return condition


def _contacts() -> Prefetch:
    """The items' contacts, whose links name their account: joined, not read per contact."""
    return Prefetch("contacts", queryset=CustomerContact.objects.select_related("account"))


def _for_viewer(items: QuerySet[NewsItem], user: User) -> Any:
    """`items` with `is_read` for `user`, their author, contacts and roles, newest first."""
    read = NewsRead.objects.filter(item=OuterRef("pk"), user=user)
    return (
        items.annotate(is_read=Exists(read))
        .select_related("author", "account")
        .prefetch_related(
            _contacts(),
            "roles",
        )
        .order_by("-created_at", "-pk")
    )


def readable_news(access: AccountAccess) -> QuerySet[NewsItem]:
    """The account's items the viewer may read (as its addressee, its author or a lead),
    newest first, each with `is_read` for the viewer."""
    items = access.account.news_items.all()
    if not access.is_lead:
        # The roles' join repeats an item: matched in a subquery, listed once.
        mine = Q(author=access.user) | _addressed_to(list(access.memberships))
        items = items.filter(pk__in=NewsItem.objects.filter(mine).values("pk"))
    return _for_viewer(items, access.user)


def addressee_ids(item: NewsItem) -> list[int]:
    """The people an item is for: active seats of its account matching its audience,
    the author aside (they wrote it: nothing to tell or to read)."""
    seats = AccountTeamMember.objects.active().filter(account_id=item.account_id)
    if item.audience == Audience.CORE:
        seats = seats.filter(team=AccountTeamMember.Team.CORE)
    elif item.audience == Audience.ROLES:
        seats = seats.filter(role__in=item.roles.all())
    people = set(seats.filter(user__is_active=True).values_list("user_id", flat=True))
    return sorted(people - {item.author_id})


def readers(item: NewsItem) -> list[NewsRead]:
    return list(item.reads.select_related("user").order_by("read_at", "pk"))


def unread_for(user: User, seats: list[AccountTeamMember]) -> list[NewsItem]:
    """The person's unread items on active accounts, not their own, newest first: up to
    HOME_LIMIT + 1 (the home page shows HOME_LIMIT and links to the rest).

    `seats`: the person's active seats, as the home page has them already.
    """
    if not seats:
        return []
    # Sorted: the kept query's shape is the lists' lengths and repeats (core.prepared).
    pairs = sorted({(seat.account_id, seat.role_id) for seat in seats})
    core = sorted({seat.account_id for seat in seats if seat.team == AccountTeamMember.Team.CORE})
    return _unread(user.pk, [a for a, _ in pairs], [r for _, r in pairs], core)


@prepared
def _unread(
    user_id: int, seat_accounts: list[int], seat_roles: list[int], core: list[int]
) -> QuerySet[NewsItem]:
    """unread_for's query; seat i is (seat_accounts[i], seat_roles[i]), sorted."""
    condition = Q(audience=Audience.TEAM, account_id__in=seat_accounts)
    condition |= Q(audience=Audience.CORE, account_id__in=core)
    roles: dict[int, list[int]] = {}
    for account_id, role_id in zip(seat_accounts, seat_roles, strict=True):
        roles.setdefault(account_id, []).append(role_id)
    for account_id, role_ids in roles.items():
        condition |= Q(audience=Audience.ROLES, account_id=account_id, roles__in=role_ids)
    addressed = NewsItem.objects.filter(condition).values("pk")
    read = NewsRead.objects.filter(item=OuterRef("pk"), user_id=user_id)
    return (
        NewsItem.objects.filter(pk__in=addressed, account__status="active")
        .exclude(author_id=user_id)
        .exclude(Exists(read))
        .select_related("account", "author")
        .prefetch_related(_contacts())
        .order_by("-created_at", "-pk")[: HOME_LIMIT + 1]
    )
