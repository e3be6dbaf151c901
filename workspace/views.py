"""The workspace's own pages: the account tabs that combine several apps.

The home page is workspace.today_views."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.timezone import localdate
from django.views.decorators.http import require_safe

from accounts import selectors
from accounts.access import AccountAccess, account_access
from accounts.models import AccountTeamMember, CustomerContact
from activities import access as activity_rules
from activities import selectors as activity_selectors
from coaching.models import APPRECIATION_REMINDER_DAYS
from coaching.selectors import appreciation_status
from core.pages import cached_workspace_page, workspace_page
from portfolio.reviews import latest_review
from profiles.access import can_view_contact_profiles
from profiles.selectors import attach_visible_profiles, contact_profile_view
from touchpoints.selectors import coverage as touchpoint_coverage
from workspace.contact_reach import contact_reach
from workspace.exports.account import may_export

CONTACTS_PER_PAGE = 100


@require_safe
def account_detail(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)

    def overview() -> dict[str, Any]:
        data = selectors.account_overview(access.account)
        return {
            **data,
            "plan_review": latest_review(data["plan"]),
            "coverage": touchpoint_coverage(access.account, data["active_contacts"]),
            **_coaching_reminders(access, data["active_team"]),
            "can_export": may_export(access),
            "stale_key_players": activity_selectors.stale_key_players(access.account, localdate()),
        }

    return cached_workspace_page(
        request,
        access,
        "accounts/account_detail.html",
        "overview",
        "accounts/_overview.html",
        overview,
    )


def _coaching_reminders(access: AccountAccess, team: list[AccountTeamMember]) -> dict[str, Any]:
    """For leads: team members not thanked for a while. Nothing for read-only viewers."""
    if not access.can_edit:
        return {}
    thanks = appreciation_status(access.account, exclude_user_id=access.user.pk, team=team)
    return {
        "thanks_due": [t for t in thanks if t.is_due],
        "reminder_days": APPRECIATION_REMINDER_DAYS,
    }


@require_safe
def team(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)

    def members() -> dict[str, Any]:
        everyone = selectors.team_members(access.account)
        # Per viewer, as the fragment is: whose colours and profile this reader may see.
        attach_visible_profiles(request.user, everyone)
        active = [m for m in everyone if m.is_active]
        return {
            "core": [m for m in active if m.team == AccountTeamMember.Team.CORE],
            "extended": [m for m in active if m.team == AccountTeamMember.Team.EXTENDED],
            "former": [m for m in everyone if not m.is_active],
        }

    return cached_workspace_page(
        request, access, "accounts/team.html", "team", "accounts/_team.html", members
    )


@require_safe
def contacts(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    everyone = selectors.contacts_with_roles_query(access.account)
    by_last_contact = request.GET.get("sort") == "last_contact"
    # An import brings thousands: the page shows CONTACTS_PER_PAGE of them, and
    # by name reads no more from the database.
    active: Any = everyone.filter(archived_at__isnull=True)
    if by_last_contact:
        # Longest unseen first, never contacted before everyone: who needs a call.
        active = list(active)
        _attach_last_contact(access, active)
        active.sort(key=lambda c: (c.last_contact is not None, c.last_contact or date.min))
    page = Paginator(active, CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    if not by_last_contact:
        _attach_last_contact(access, page.object_list)
    return workspace_page(
        request,
        access,
        "accounts/contacts.html",
        "contacts",
        contacts=page.object_list,
        page=page,
        # Their names and positions only (the account is known to its manager).
        archived=access.account.contacts.filter(archived_at__isnull=False),
        show_profiles=can_view_contact_profiles(access),
        by_last_contact=by_last_contact,
        freshness_days=access.account.freshness_days,
    )


def _attach_last_contact(access: AccountAccess, contacts: list[CustomerContact]) -> None:
    """`last_contact` (a date or None) and `is_stale` (a key player overdue) on each."""
    last = activity_selectors.last_contacts(c.pk for c in contacts)
    stale = {c.pk for c in activity_selectors.stale_key_players(access.account, localdate())}
    for contact in contacts:
        contact.last_contact = last.get(contact.pk)
        contact.is_stale = contact.pk in stale


@require_safe
def contact_tree(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    return workspace_page(
        request,
        access,
        "accounts/contact_tree.html",
        "contacts",
        roots=selectors.contact_tree(access.account),
        show_profiles=can_view_contact_profiles(access),
    )


@require_safe
def contact_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug)
    contact = get_object_or_404(
        access.account.contacts.select_related("reports_to__account").prefetch_related(
            "buying_roles",
            Prefetch("direct_reports", queryset=CustomerContact.objects.select_related("account")),
        ),
        pk=pk,
    )
    return workspace_page(
        request,
        access,
        "accounts/contact_detail.html",
        "contacts",
        contact=contact,
        reach=contact_reach(contact),
        recent_activities=activity_selectors.recent_with(contact),
        can_log_activity=activity_rules.can_log(access) and contact.is_active,
        **contact_profile_view(access, contact),
    )
