"""Writes that span several models or carry a rule beyond one form."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import (
    AccountTeamMember,
    CustomerContact,
    KeyAccount,
    KeyAccountPlan,
    PlanRevenueTarget,
    TeamRole,
)
from accounts.signals import (
    MEMBER_ADDED,
    MEMBER_MADE_LEAD,
    MEMBER_REMOVED,
    team_member_changed,
)
from core.concurrency import save_bumping_version, save_versioned
from users.models import User

DEFAULT_PLAN_YEARS = 3

# Later apps (RACI, touchpoints) register here what keeps a team member from
# leaving: each callable returns human-readable reasons, empty when none.
MemberBlocker = Callable[[AccountTeamMember], list[str]]
member_blockers: list[MemberBlocker] = []

# Later apps (actions) register here what goes with a deleted plan row (a
# potential or an objective): each callable returns sentences for the
# confirmation page, empty when nothing of theirs hangs on the row.
PlanRowDeleteNote = Callable[[models.Model], list[str]]
plan_row_delete_notes: list[PlanRowDeleteNote] = []


def _member_changed(member: AccountTeamMember, change: str, actor: User | None) -> None:
    """Announce a team change to the apps above (accounts.signals.team_member_changed)."""
    team_member_changed.send(sender=AccountTeamMember, member=member, change=change, actor=actor)


@transaction.atomic
def account_create(
    *,
    account: KeyAccount,
    first_lead: User,
    lead_role: TeamRole,
    lead_country: str = "",
    actor: User | None = None,
) -> KeyAccount:
    """Save a new account together with the lead appointed by a manager."""
    account.save()
    member = AccountTeamMember.objects.create(
        account=account,
        user=first_lead,
        role=lead_role,
        country=lead_country,
        team=AccountTeamMember.Team.CORE,
        is_lead=True,
    )
    _member_changed(member, MEMBER_ADDED, actor)
    return account


def account_archive(*, account: KeyAccount) -> None:
    account.status = KeyAccount.Status.ARCHIVED
    account.archived_at = timezone.now()
    save_bumping_version(account, update_fields=["status", "archived_at", "updated_at"])


def account_restore(*, account: KeyAccount) -> None:
    account.status = KeyAccount.Status.ACTIVE
    account.archived_at = None
    save_bumping_version(account, update_fields=["status", "archived_at", "updated_at"])


def account_lock(*, account: KeyAccount) -> None:
    """Serialise writes that must see each other per account (see _lock_leads).

    Plan creation takes it too: two plans with overlapping periods inserted at
    once would otherwise wait on each other in the exclusion constraint and
    end in a deadlock (a server error) instead of the form's message.
    """
    _lock_leads(account)


def _lock_leads(account: KeyAccount) -> None:
    """Serialise the changes that can take a lead away (edits, removals) per account.

    Without the lock, two leads demoting or removing each other at the same
    moment would each still see the other as lead, and both would succeed.
    The account row is the lock: NO KEY UPDATE, so rows pointing at the
    account can still be added meanwhile. Call inside a transaction.
    """
    list(KeyAccount.objects.select_for_update(no_key=True).filter(pk=account.pk).values("pk"))


def last_lead_reason(member: AccountTeamMember) -> str | None:
    """Why `member` cannot stop leading: they are the account's only lead."""
    other_leads = member.account.team_members.leads().exclude(pk=member.pk)
    if other_leads.exists():
        return None
    return _(
        "%(name)s is the account's only lead. Make another member lead first, "
        "so that someone can still edit the account."
    ) % {"name": member.user}


def member_removal_blockers(member: AccountTeamMember) -> list[str]:
    """Why `member` cannot leave the team now; empty when they can."""
    reasons: list[str] = []
    if member.is_account_lead and (reason := last_lead_reason(member)):
        reasons.append(reason)
    for blocker in member_blockers:
        reasons.extend(blocker(member))
    return reasons


def member_save(
    *, member: AccountTeamMember, expected_version: int, actor: User | None = None
) -> AccountTeamMember:
    """Save a new or edited team member; refuse to take away the account's last lead.

    Raises ValidationError (for the form's lead field) or VersionConflict.
    """
    with transaction.atomic():
        _lock_leads(member.account)
        # Whether they lead now, as committed: read under the lock, not as loaded.
        was_lead = (
            member.pk is not None
            and member.account.team_members.leads().filter(pk=member.pk).exists()
        )
        if was_lead and not member.is_account_lead and (reason := last_lead_reason(member)):
            raise ValidationError({"is_lead": reason})
        if member._state.adding:
            member.save()
            _member_changed(member, MEMBER_ADDED, actor)
        else:
            save_versioned(member, expected_version=expected_version)
            if not was_lead and member.is_account_lead:
                _member_changed(member, MEMBER_MADE_LEAD, actor)
    return member


def member_remove(*, member: AccountTeamMember, actor: User | None = None) -> list[str]:
    """Take `member` off the team, keeping the record; return blockers if any."""
    with transaction.atomic():
        _lock_leads(member.account)
        reasons = member_removal_blockers(member)
        if reasons:
            return reasons
        member.archived_at = timezone.now()
        save_bumping_version(member, update_fields=["archived_at"])
        _member_changed(member, MEMBER_REMOVED, actor)
    return []


def member_restore(*, member: AccountTeamMember, actor: User | None = None) -> None:
    with transaction.atomic():
        member.archived_at = None
        save_bumping_version(member, update_fields=["archived_at"])
        _member_changed(member, MEMBER_ADDED, actor)


def next_plan_period(account: KeyAccount) -> tuple[int, int]:
    """The default period of a new plan: three years, after the latest plan."""
    latest = account.plans.order_by("-end_year").first()
    start = max(timezone.localdate().year, latest.end_year + 1 if latest else 0)
    return start, start + DEFAULT_PLAN_YEARS - 1


def plan_save(
    *,
    plan: KeyAccountPlan,
    expected_version: int,
    revenue_targets: dict[int, Decimal | None],
    participants: list[AccountTeamMember],
    user: User,
) -> None:
    """Save an edited plan with its revenue targets, or raise VersionConflict."""
    with transaction.atomic():
        plan.updated_by = user
        save_versioned(plan, expected_version=expected_version)
        plan.workshop_participants.set(participants)
        for year, amount in revenue_targets.items():
            if not plan.covers(year):
                continue
            if amount is None:
                plan.revenue_targets.filter(year=year).delete()
            else:
                PlanRevenueTarget.objects.update_or_create(
                    plan=plan, year=year, defaults={"amount": amount}
                )
        # Years outside a shortened period have no meaning any more.
        plan.revenue_targets.exclude(year__in=plan.years).delete()


def contact_archive_blockers(contact: CustomerContact) -> list[str]:
    reports = list(contact.direct_reports.active())
    if not reports:
        return []
    names = ", ".join(str(r) for r in reports)
    return [
        ngettext(
            "%(names)s still reports to %(contact)s. Change whom they report to first, so "
            "the organisation tree stays whole.",
            "%(names)s still report to %(contact)s. Change whom they report to first, so "
            "the organisation tree stays whole.",
            len(reports),
        )
        % {"names": names, "contact": contact}
    ]


def contact_archive(*, contact: CustomerContact) -> list[str]:
    reasons = contact_archive_blockers(contact)
    if reasons:
        return reasons
    contact.archived_at = timezone.now()
    contact.save(update_fields=["archived_at", "updated_at"])
    return []


def contact_restore(*, contact: CustomerContact) -> None:
    contact.archived_at = None
    contact.save(update_fields=["archived_at", "updated_at"])
