"""Who may see and change a person's profile: the one place that decides.

A colleague's profile is personal data. It is visible in full to the person,
to the leads of the (active) accounts they are on, and to staff. Members of
their account teams see their colours and motives only if the person opted
in; goals, bonus and notes never. Everyone else: 404.

A customer contact's profile is visible to that account's team only (not to
managers who merely review the account) and edited by its leads.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum

from django.db.models import Q

from accounts.access import AccountAccess
from accounts.models import AccountTeamMember, KeyAccount
from profiles.models import User


class Level(IntEnum):
    NONE = 0
    SHARED = 1  # colours and motives
    FULL = 2  # everything, including goals, bonus and notes


def _active_memberships() -> Iterable[AccountTeamMember]:
    return AccountTeamMember.objects.active().filter(account__status=KeyAccount.Status.ACTIVE)


def colleague_levels(viewer: User, user_ids: Iterable[int]) -> dict[int, Level]:
    """How much of each colleague's profile `viewer` may see, in two queries."""
    ids = set(user_ids)
    if not viewer.is_authenticated or not ids:
        return dict.fromkeys(ids, Level.NONE)
    if viewer.is_staff:
        return dict.fromkeys(ids, Level.FULL)
    mine = _active_memberships().filter(user=viewer)
    led = mine.filter(Q(is_lead=True) | Q(role__grants_lead=True)).values("account_id")
    full = set(
        _active_memberships()
        .filter(account__in=led, user_id__in=ids)
        .values_list("user_id", flat=True)
    )
    full.add(viewer.pk)
    shared = set(
        _active_memberships()
        .filter(
            account__in=mine.values("account_id"),
            user_id__in=ids - full,
            user__profile__share_with_team=True,
        )
        .values_list("user_id", flat=True)
    )
    return {
        i: Level.FULL if i in full else Level.SHARED if i in shared else Level.NONE for i in ids
    }


def colleague_level(viewer: User, person: User) -> Level:
    return colleague_levels(viewer, [person.pk])[person.pk]


def can_edit_colleague(viewer: User, person: User) -> bool:
    """The person themself and the leads of their accounts edit their profile.

    Staff read and erase profiles but do not write them (unless they lead).
    """
    if viewer.pk == person.pk:
        return True
    mine = _active_memberships().filter(user=viewer)
    led = mine.filter(Q(is_lead=True) | Q(role__grants_lead=True)).values("account_id")
    return _active_memberships().filter(account__in=led, user=person).exists()


def can_view_contact_profiles(access: AccountAccess) -> bool:
    """The account's own team only: managers reviewing the account do not see them."""
    return access.is_member


def can_edit_contact_profiles(access: AccountAccess) -> bool:
    return access.can_edit
