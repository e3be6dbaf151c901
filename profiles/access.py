"""Who may see and change a person's profile: the one place that decides.

A colleague's profile is personal data, and the person decides who sees it.
Nobody can widen their own access to someone else's profile by an action of
their own (adding them to a team, naming themselves lead, changing a role):
every part beyond what the person shared stays with the person.

- The person sees and edits everything; staff read everything and change it
  only through the admin, where every change is recorded.
- Colours (ProfilePart.COLOURS): everyone on an active account team with the
  person, once the person opted in (Profile.share_with_team).
- Motives, goals and bonus, interests and notes: only through a ProfileShare
  the person made for one account, to its leads or to its whole team, and
  only while the person is still on that team.
- Everyone else: 404.

A customer contact's profile is visible to that account's team only (not to
managers who merely review the account) and edited by its leads.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.access import AccountAccess
from accounts.models import AccountTeamMember, KeyAccount
from core.cached import cached_value
from core.prepared import prepared
from profiles.models import Profile, ProfilePart, ProfileShare, ShareAudience
from users.models import User

Parts = frozenset[ProfilePart]
NOTHING: Parts = frozenset()
EVERYTHING: Parts = frozenset(ProfilePart)


def _active_memberships():  # -> AccountTeamMemberQuerySet
    return AccountTeamMember.objects.active().filter(account__status=KeyAccount.Status.ACTIVE)


def colleague_visibility(viewer: User, user_ids: Iterable[int]) -> dict[int, Parts]:
    """Which parts of each colleague's profile `viewer` may see, in three queries at most."""
    ids = set(user_ids)
    if not viewer.is_authenticated or not ids:
        return dict.fromkeys(ids, NOTHING)
    if viewer.is_staff:
        return dict.fromkeys(ids, EVERYTHING)
    shown = _shown_colleagues(viewer, ids - {viewer.pk})
    result = {i: shown.get(i, NOTHING) for i in ids}
    if viewer.pk in ids:
        result[viewer.pk] = EVERYTHING
    return result


def colleague_visibility_cached(viewer: User, user_ids: Iterable[int]) -> dict[int, Parts]:
    """colleague_visibility, read from one cached map of everyone the viewer sees.

    For the search's type-ahead, which asks at every keystroke for other
    people. The map is kept under the "shared" counter, which every change of
    a team seat, an account's status, a profile, a share or a person moves
    (core.fragments.watch of each), so it is never stale: one small query for
    the counter on a hit, three on a miss.
    """
    ids = set(user_ids)
    if not viewer.is_authenticated or not ids or viewer.is_staff:
        return colleague_visibility(viewer, ids)
    shown = cached_value(
        "colleague-visibility", ["shared"], lambda: _shown_colleagues(viewer, None), viewer.pk
    )
    result = {i: shown.get(i, NOTHING) for i in ids}
    if viewer.pk in ids:
        result[viewer.pk] = EVERYTHING
    return result


def _sharing_colours() -> QuerySet[Profile]:
    """The ids of the people who opted in to show their colours to their teams."""
    return Profile.objects.filter(share_with_team=True).values("user_id")


def _shown_colleagues(viewer: User, others: set[int] | None) -> dict[int, Parts]:
    """The colleagues (of `others`, or all when None) of whom `viewer` sees something."""
    if others is not None and not others:
        return {}
    # Lists in a fixed order: their length is the kept query's shape (core.prepared).
    among = sorted(others) if others is not None else None
    seen: dict[int, set[ProfilePart]] = {}
    for user_id in _sharing_teammates(viewer.pk, among):
        seen.setdefault(user_id, set()).add(ProfilePart.COLOURS)
    for user_id, part in _granted_parts(viewer.pk, among):
        seen.setdefault(user_id, set()).add(ProfilePart(part))
    return {i: frozenset(parts) for i, parts in seen.items() if parts}


def _among(viewer_id: int, others: list[int] | None) -> Q:
    return Q(user_id__in=others) if others is not None else ~Q(user_id=viewer_id)


@prepared
def _sharing_teammates(viewer_id: int, others: list[int] | None) -> QuerySet[Any]:
    """Who shows their colours to their teams, on an active team with the viewer."""
    my_accounts = _active_memberships().filter(user_id=viewer_id).values("account_id")
    return (
        _active_memberships()
        # The opted-in as a subquery, not joined through the user to the
        # profile: two joins fewer took PostgreSQL 1.8 -> 1.0 ms to plan.
        .filter(_among(viewer_id, others), account__in=my_accounts, user_id__in=_sharing_colours())
        # A set is wanted: no ordering, so no joins for the models' default order.
        .order_by()
        .values_list("user_id", flat=True)
    )


@prepared
def _granted_parts(viewer_id: int, others: list[int] | None) -> QuerySet[Any]:
    """(person, part) of the shares made to the viewer's teams, while the person is on them."""
    mine = _active_memberships().filter(user_id=viewer_id)
    still_on_team = _active_memberships().filter(
        account_id=OuterRef("account_id"), user_id=OuterRef("user_id")
    )
    return (
        ProfileShare.objects.filter(
            Q(audience=ShareAudience.TEAM, account__in=mine.values("account_id"))
            | Q(audience=ShareAudience.LEADS, account__in=mine.leads().values("account_id")),
            Exists(still_on_team),
            _among(viewer_id, others),
        )
        .order_by()
        .values_list("user_id", "part")
    )


def colleague_parts(viewer: User, person: User) -> Parts:
    return colleague_visibility(viewer, [person.pk])[person.pk]


def can_edit_colleague(viewer: User, person: User) -> bool:
    """Only the person edits their own profile (staff: in the admin, with history)."""
    return viewer.is_authenticated and viewer.pk == person.pk


def can_view_contact_profiles(access: AccountAccess) -> bool:
    """The account's own team only: managers reviewing the account do not see them."""
    return access.is_member


def can_edit_contact_profiles(access: AccountAccess) -> bool:
    return access.can_edit


def can_export_contact(access: AccountAccess) -> bool:
    """A data-protection request is answered by the account's leads or by staff.

    Members read the contact's page but do not hand out copies; managers who
    merely review the account do not see contact profiles at all.
    """
    return access.is_lead or access.user.is_staff
