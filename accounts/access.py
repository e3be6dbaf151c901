"""Who may see and change a key account: the one place that decides.

- leads of an account (its GKAM and NKAMs, or members flagged as lead) edit
  everything of it while it is active;
- its other team members read its workspace;
- managers (and staff) read every account, create accounts, archive and
  restore them;
- everyone else gets 404 for the account and everything under it, so an
  outsider cannot even learn that an account exists.

Views fetch an account only through `account_access`, and everything under
an account only through that account (`access.account.contacts.get(...)`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import AccountTeamMember, KeyAccount
from core.prepared import prepared
from users.models import User


@dataclass(frozen=True)
class AccountAccess:
    account: KeyAccount
    user: User
    memberships: tuple[AccountTeamMember, ...]

    @property
    def is_member(self) -> bool:
        return bool(self.memberships)

    @property
    def is_lead(self) -> bool:
        return any(m.is_account_lead for m in self.memberships)

    @property
    def is_manager(self) -> bool:
        return self.user.is_manager

    @property
    def can_edit(self) -> bool:
        return self.is_lead and self.account.is_active

    @property
    def can_archive(self) -> bool:
        return self.is_manager

    @property
    def can_view_history(self) -> bool:
        return self.is_lead or self.user.is_staff

    @property
    def can_view_coaching(self) -> bool:
        """The coaching self-check is the lead's own reflection: leads and staff."""
        return self.is_lead or self.user.is_staff

    @property
    def can_review_plan(self) -> bool:
        return self.is_manager and self.account.is_active

    # National plans (accounts.national): each NKAM keeps their country's; the
    # leads by a seat that is not national (the GKAM, a member flagged as lead)
    # keep the global plan and may change every national one; everyone who
    # reads the account reads them all.

    @property
    def national_countries(self) -> frozenset[str]:
        """The codes of the countries the viewer leads nationally (their NKAM seats)."""
        return frozenset(
            m.country.code
            for m in self.memberships
            if m.role.is_national and m.is_account_lead and m.country.code
        )

    @property
    def leads_globally(self) -> bool:
        return any(m.is_account_lead and not m.role.is_national for m in self.memberships)

    def can_edit_national(self, country: str) -> bool:
        return self.can_edit and (self.leads_globally or country in self.national_countries)

    def require_national_edit(self, country: str) -> None:
        self.require_edit()
        if not self.can_edit_national(country):
            raise PermissionDenied(
                _("Only the country's NKAM and the global leads change its national plan.")
            )

    def require_edit(self) -> None:
        if self.can_edit:
            return
        if self.is_lead:
            raise PermissionDenied(
                _("This account is archived. A manager can restore it; then you can edit it.")
            )
        raise PermissionDenied(_("Only the account's leads can change it."))

    def require_archive(self) -> None:
        if not self.can_archive:
            raise PermissionDenied(_("Only managers can archive or restore an account."))

    def require_coaching(self) -> None:
        if not self.can_view_coaching:
            raise PermissionDenied(_("Only the account's leads see its coaching self-check."))

    def require_plan_review(self) -> None:
        if not self.can_review_plan:
            raise PermissionDenied(_("Only managers review the plans of active accounts."))

    def require_history(self) -> None:
        if not self.can_view_history:
            raise PermissionDenied(_("Only the account's leads can see its history."))


def account_access(user: User, slug: str, *, write: bool = False) -> AccountAccess:
    """Return the account `slug` with what `user` may do; 404 for outsiders.

    With `write=True`, also require that the user may edit it (else 403).
    """
    # Most requests come from the account's own team: one query finds the
    # account together with the viewer's seats on it. Only when there are
    # none does it take a second (a manager, or an outsider's 404).
    memberships = tuple(_seats_on(slug, user.pk))
    return _granted(user, slug, memberships, list(memberships), write)


@prepared
def _seats_on(slug: str, user_id: int) -> QuerySet[AccountTeamMember]:
    return (
        AccountTeamMember.objects.active()
        .filter(account__slug=slug, user_id=user_id)
        .select_related("account", "role")
        .order_by("pk")
    )


@prepared
def _team_on(slug: str) -> QuerySet[AccountTeamMember]:
    return (
        AccountTeamMember.objects.active()
        .filter(account__slug=slug)
        .select_related("account", "role", "user__profile")
    )


@prepared
def _account(slug: str) -> QuerySet[KeyAccount]:
    return KeyAccount.objects.filter(slug=slug)


def account_access_with_team(
    user: User, slug: str, *, write: bool = False
) -> tuple[AccountAccess, list[AccountTeamMember]]:
    """`account_access`, and the account's active team with users, profiles and
    roles, from one query: for an edit that checks the whole team (the RACI
    toggle). The same rules: 404 for outsiders, 403 on `write` for non-leads."""
    team = _team_on(slug)
    memberships = tuple(sorted((m for m in team if m.user_id == user.pk), key=lambda m: m.pk))
    return _granted(user, slug, memberships, team, write), team


def _granted(
    user: User,
    slug: str,
    memberships: tuple[AccountTeamMember, ...],
    rows: list[AccountTeamMember],
    write: bool,
) -> AccountAccess:
    """The access of `user` with `memberships`, their seats among the team `rows`
    read with their account; the account read on its own only when no row was."""
    if not memberships and not user.is_manager:
        raise Http404
    if rows:
        account = rows[0].account
        for row in rows:
            row.account = account  # one instance for the page, not one per seat
    else:
        found = _account(slug)
        if not found:
            raise Http404
        account = found[0]
    access = AccountAccess(account=account, user=user, memberships=memberships)
    if write:
        access.require_edit()
    return access


def visible_account_ids(user: User) -> list[int] | None:
    """The ids of the accounts `user` may open (KeyAccount.objects.visible_to); None: all.

    Read once and kept on the user object, which lives for one request: a
    search asks it for every kind it searches.
    """
    if not user.is_authenticated:
        return []
    memo = user.__dict__.get("_visible_account_ids", False)
    if memo is False:
        memo = (
            None
            if user.is_manager
            else sorted(
                set(
                    AccountTeamMember.objects.active()
                    .filter(user=user)
                    .order_by()
                    .values_list("account_id", flat=True)
                )
            )
        )
        user.__dict__["_visible_account_ids"] = memo
    return memo
