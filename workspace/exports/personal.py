"""The colleague's own download: every record that refers to them (/me/profile/export/).

Each section comes from one helper; `personal_data_export` puts them
together in the order the download shows them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import LogEntry
from django.db.models import Prefetch, Q
from django.utils import timezone

from accounts.models import AccountTeamMember, KeyAccountPlan
from actions.models import PlanAction
from activities import exports as activity_exports
from api import exports as api_exports
from coaching.models import Appreciation, CoachingAnswer, CoachingCheck
from comments import exports as comment_exports
from core.collation import by_name
from documents import exports as document_exports
from imports import exports as import_exports
from news import exports as news_exports
from notifications import exports as notification_exports
from opportunities.models import Opportunity
from portfolio.models import PlanReview
from profiles.models import Profile, ProfileShare
from profiles.services import profile_changes
from raci.models import RaciMatrix
from sso import exports as sso_exports
from touchpoints.models import CalendarFeed, RelationshipPair, TeamMeeting, Touchpoint
from users.models import User
from workspace.exports import home as home_exports
from workspace.exports.common import ADMIN_ACTIONS, iso, profile_data, profile_history
from workspace.exports.history import history_entries

# The person's records, model by model: the export sections that hold them.
# Historical models (simple-history) are covered by "history", generically.
SOURCES: dict[str, tuple[str, ...]] = {
    "profiles.profile": ("profile", "profile_changes", "profile_history"),
    "profiles.profileshare": ("profile_shares",),
    "accounts.accountteammember": ("team_memberships",),
    "accounts.keyaccountplan": ("plans",),
    "raci.racimatrix": ("raci_matrices",),
    "touchpoints.touchpoint": ("touchpoints_owned",),
    "actions.planaction": ("actions_owned",),
    "opportunities.opportunity": ("opportunities_owned",),
    "touchpoints.relationshippair": ("relationships",),
    "touchpoints.teammeeting": ("team_meetings",),
    "touchpoints.calendarfeed": ("calendar_feed",),
    "coaching.coachingcheck": ("coaching_self_checks",),
    "coaching.appreciation": ("appreciations_received", "appreciations_recorded"),
    "portfolio.planreview": ("plan_reviews_written",),
    "admin.logentry": ("admin_actions",),
    **notification_exports.SOURCES,
    **news_exports.SOURCES,
    **comment_exports.SOURCES,
    **activity_exports.SOURCES,
    **document_exports.SOURCES,
    **import_exports.SOURCES,
    **api_exports.SOURCES,
    **home_exports.SOURCES,
    **sso_exports.SOURCES,
}
HISTORY_SECTION = "history"

Section = list[dict[str, Any]]


def _user(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "language": user.language or None,
        "date_joined": user.date_joined.isoformat(),
        "last_login": iso(user.last_login),
        "groups": sorted(user.groups.values_list("name", flat=True)),
    }


def _team_memberships(seats: list[AccountTeamMember]) -> Section:
    return [
        {
            "account": m.account.name,
            "role": m.role.name_en,
            "country": m.country.code or None,
            "team": m.team,
            "lead": m.is_account_lead,
            "responsibilities": m.responsibilities,
            "since": m.created_at.isoformat(),
            "left": iso(m.archived_at),
        }
        for m in seats
    ]


def _profile(user: User) -> dict[str, Any]:
    """The sections "profile", "profile_changes" and "profile_history"."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return {"profile": None, "profile_changes": [], "profile_history": None}
    return {
        "profile": profile_data(profile, colleague=True),
        "profile_changes": [
            {
                "changed_at": c.when.isoformat(),
                "changed_by": c.who.username if c.who else None,
                "what": c.what_en,
            }
            for c in profile_changes(profile)
        ],
        "profile_history": profile_history(profile),
    }


def _profile_shares(user: User) -> Section:
    return [
        {
            "account": s.account.name,
            "part": s.part,
            "audience": s.audience,
            "since": s.created_at.isoformat(),
        }
        for s in ProfileShare.objects.filter(user=user).select_related("account")
    ]


def _appreciations_received(seat_ids: list[int]) -> Section:
    return [
        {
            "account": a.account.name,
            "thanked_on": a.thanked_on.isoformat(),
            "note": a.note,
            "recorded_by": a.recorded_by.display_name,
        }
        for a in Appreciation.objects.filter(member__in=seat_ids).select_related(
            "account", "recorded_by"
        )
    ]


def _appreciations_recorded(user: User) -> Section:
    return [
        {
            "account": a.account.name,
            "member": a.member.user.display_name,
            "thanked_on": a.thanked_on.isoformat(),
            "note": a.note,
        }
        for a in Appreciation.objects.filter(recorded_by=user).select_related(
            "account", "member__user"
        )
    ]


def _touchpoints_owned(seat_ids: list[int]) -> Section:
    return [
        {
            "account": t.account.name,
            "contact": t.contact.full_name,
            "year": t.year,
            "quarter": t.quarter,
            "date": iso(t.date),
            "kind": t.kind,
            "title": t.title,
            "status": t.status,
            "outcome": t.outcome,
        }
        for t in Touchpoint.objects.filter(owner__in=seat_ids).select_related("account", "contact")
    ]


def _actions_owned(seat_ids: list[int]) -> Section:
    return [
        {
            "account": a.account.name,
            "objective": a.goal.text,
            "country": a.country or None,
            "action": a.title,
            "due_date": iso(a.due_date),
            "status": a.status,
            "done_on": iso(a.done_on),
            "contact": a.contact.full_name if a.contact else None,
            "note": a.note,
        }
        for a in PlanAction.objects.filter(owner__in=seat_ids)
        .select_related("account", "objective", "national_objective__national_plan", "contact")
        .order_by("due_date", "pk")
    ]


def _opportunities_owned(seat_ids: list[int]) -> Section:
    return [
        {
            "account": o.account.name,
            "title": o.title,
            "value": str(o.value),
            "probability": o.probability,
            "expected_close": iso(o.expected_close),
            "next_step": o.next_step,
            "status": o.status,
            "reason": o.reason,
            "closed_on": iso(o.closed_on),
        }
        for o in Opportunity.objects.filter(owner__in=seat_ids)
        .select_related("account")
        .order_by("expected_close", "pk")
    ]


def _relationships(seat_ids: list[int]) -> Section:
    return [
        {
            "account": r.account.name,
            "contact": r.contact.full_name,
            "current_level": r.current_level,
            "target_level": r.target_level,
            "cadence": r.cadence,
            "next_occasion": r.next_occasion,
            "notes": r.notes,
        }
        for r in RelationshipPair.objects.filter(member__in=seat_ids).select_related(
            "account", "contact"
        )
    ]


def _team_meetings(seat_ids: list[int]) -> Section:
    return [
        {
            "account": m.account.name,
            "year": m.year,
            "quarter": m.quarter,
            "date": iso(m.date),
            "format": m.format,
            "purpose": m.purpose,
            "status": m.status,
        }
        for m in TeamMeeting.objects.filter(participants__in=seat_ids)
        .distinct()
        .select_related("account")
    ]


def _plans(user: User, seat_ids: list[int]) -> Section:
    in_workshop = set(
        KeyAccountPlan.objects.filter(workshop_participants__in=seat_ids).values_list(
            "pk", flat=True
        )
    )
    return [
        {
            "account": p.account.name,
            "years": f"{p.start_year}–{p.end_year}",
            "status": p.status,
            "workshop_date": iso(p.workshop_date),
            "workshop_participant": p.pk in in_workshop,
            "last_changed_by_you": p.updated_by_id == user.pk,
        }
        for p in KeyAccountPlan.objects.filter(Q(updated_by=user) | Q(pk__in=in_workshop))
        .select_related("account")
        .order_by(*by_name("account__name"), "start_year")
    ]


def _raci_matrices(user: User, seat_ids: list[int]) -> Section:
    in_session = set(
        RaciMatrix.objects.filter(participants__in=seat_ids).values_list("pk", flat=True)
    )
    return [
        {
            "account": m.account.name,
            "status": m.status,
            "agreed_on": iso(m.agreed_on),
            "session_participant": m.pk in in_session,
            "last_changed_by_you": m.updated_by_id == user.pk,
        }
        for m in RaciMatrix.objects.filter(Q(updated_by=user) | Q(pk__in=in_session))
        .select_related("account")
        .order_by(*by_name("account__name"))
    ]


def _coaching_self_checks(user: User) -> Section:
    answers = CoachingAnswer.objects.select_related("question")
    return [
        {
            "account": c.account.name,
            "answered_on": c.answered_on.isoformat(),
            "answers": [
                {"question": a.question.text_en, "answer": a.answer} for a in c.answers.all()
            ],
        }
        for c in CoachingCheck.objects.filter(answered_by=user)
        .select_related("account")
        .prefetch_related(Prefetch("answers", queryset=answers))
    ]


def _plan_reviews_written(user: User) -> Section:
    return [
        {
            "account": r.plan.account.name,
            "plan": f"{r.plan.start_year}–{r.plan.end_year}",
            "reviewed_at": r.reviewed_at.isoformat(),
            "comment": r.comment,
        }
        for r in PlanReview.objects.filter(reviewed_by=user).select_related("plan__account")
    ]


def _calendar_feed(user: User) -> dict[str, Any] | None:
    # That the address exists, not the address: it is a credential.
    feed = CalendarFeed.objects.filter(user=user).first()
    return {"active": True, "created_at": iso(feed.created_at)} if feed else None


def _admin_actions(user: User) -> Section:
    return [
        {
            "at": e.action_time.isoformat(),
            "record": f"{e.content_type.app_label}.{e.content_type.model}"
            if e.content_type
            else None,
            "object": e.object_repr,
            "action": ADMIN_ACTIONS.get(e.action_flag, str(e.action_flag)),
            "message": e.get_change_message(),
        }
        for e in LogEntry.objects.filter(user=user).select_related("content_type")
    ]


def personal_data_export(user: User) -> dict[str, Any]:
    """Everything kamteam stores about `user`, for their own download."""
    seats = list(
        user.team_memberships.select_related("account", "role").order_by("created_at", "pk")
    )
    seat_ids = [s.pk for s in seats]
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "user": _user(user),
        "team_memberships": _team_memberships(seats),
        **_profile(user),
        "profile_shares": _profile_shares(user),
        "appreciations_received": _appreciations_received(seat_ids),
        "appreciations_recorded": _appreciations_recorded(user),
        "touchpoints_owned": _touchpoints_owned(seat_ids),
        "actions_owned": _actions_owned(seat_ids),
        "opportunities_owned": _opportunities_owned(seat_ids),
        "relationships": _relationships(seat_ids),
        "team_meetings": _team_meetings(seat_ids),
        "plans": _plans(user, seat_ids),
        "raci_matrices": _raci_matrices(user, seat_ids),
        "coaching_self_checks": _coaching_self_checks(user),
        "plan_reviews_written": _plan_reviews_written(user),
        "calendar_feed": _calendar_feed(user),
        "admin_actions": _admin_actions(user),
        **notification_exports.personal_sections(user),
        **news_exports.personal_sections(user),
        **comment_exports.personal_sections(user),
        **activity_exports.personal_sections(user),
        **document_exports.personal_sections(user),
        **import_exports.personal_sections(user),
        **api_exports.personal_sections(user),
        **home_exports.personal_sections(user),
        **sso_exports.personal_sections(user),
    }
    data[HISTORY_SECTION], historical = history_entries(user, seat_ids)
    data["sources"] = {
        **{label: list(sections) for label, sections in SOURCES.items()},
        **{label: [HISTORY_SECTION] for label in historical},
    }
    return data
