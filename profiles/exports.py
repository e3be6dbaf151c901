"""What kamteam holds about a person or a customer contact, as JSON-ready data.

`personal_data_export` is the colleague's own download (/me/profile/export/):
every record that refers to them, directly or through one of their seats on
an account team. `SOURCES` names, per model, the sections that hold its rows;
tests/test_personal_export.py walks every model with a reference to a person
and fails for one that is missing here.

`contact_data_export` is everything held about one customer contact, for a
data-protection request handled by the account's leads or staff.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db import models
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.utils import timezone

from accounts.models import AccountTeamMember, CustomerContact, KeyAccountPlan
from coaching.models import Appreciation, CoachingAnswer, CoachingCheck
from portfolio.models import PlanReview
from profiles.models import MotiveScore, Profile, ProfileShare, User
from profiles.services import profile_changes
from raci.models import RaciMatrix
from touchpoints.models import CalendarFeed, RelationshipPair, TeamMeeting, Touchpoint

# The person's records, model by model: the export sections that hold them.
# Historical models (simple-history) are covered by "history", generically.
SOURCES: dict[str, tuple[str, ...]] = {
    "profiles.profile": ("profile", "profile_changes", "profile_history"),
    "profiles.profileshare": ("profile_shares",),
    "accounts.accountteammember": ("team_memberships",),
    "accounts.keyaccountplan": ("plans",),
    "raci.racimatrix": ("raci_matrices",),
    "touchpoints.touchpoint": ("touchpoints_owned",),
    "touchpoints.relationshippair": ("relationships",),
    "touchpoints.teammeeting": ("team_meetings",),
    "touchpoints.calendarfeed": ("calendar_feed",),
    "coaching.coachingcheck": ("coaching_self_checks",),
    "coaching.appreciation": ("appreciations_received", "appreciations_recorded"),
    "portfolio.planreview": ("plan_reviews_written",),
    "admin.logentry": ("admin_actions",),
}
HISTORY_SECTION = "history"
# A seat on an account team is the person in a role: what refers to the seat
# refers to them.
PERSON_MODELS: tuple[type[models.Model], ...] = (User, AccountTeamMember)
CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}
ADMIN_ACTIONS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}


def _iso(value: datetime.date | datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _plain(value: object) -> object:
    """A field value as JSON: dates as ISO text, decimals as numbers."""
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def is_historical(model: type[models.Model]) -> bool:
    """simple-history's historical models (and their many-to-many tables)."""
    return hasattr(model, "instance_type")


def person_fields(model: type[models.Model]) -> list[models.Field]:
    """The model's own fields that refer to a person or to a person's team seat."""
    return [
        f
        for f in model._meta.get_fields()
        if f.is_relation and not f.auto_created and f.related_model in PERSON_MODELS
    ]


def _versions(rows: Iterable[models.Model], base: type[models.Model]) -> list[dict[str, Any]]:
    """Earlier versions of records, with their values, oldest first."""
    names = [f.attname for f in base._meta.concrete_fields]
    return [
        {
            "changed_at": _iso(h.history_date),
            "changed_by": h.history_user.username if h.history_user else None,
            "change": CHANGE_TYPES.get(h.history_type, h.history_type),
            "values": {name: _plain(getattr(h, name)) for name in names},
        }
        for h in rows
    ]


def _history_of(model: type[models.Model], **lookup: object) -> list[dict[str, Any]]:
    rows = model.history.filter(**lookup).select_related("history_user").order_by("history_date")
    return _versions(rows, model)


def _refers_to(row: models.Model, field: models.Field, user: User, seat_ids: list[int]) -> bool:
    value = getattr(row, field.attname)
    return value == user.pk if field.related_model is User else value in seat_ids


def _history_entries(user: User, seat_ids: list[int]) -> tuple[list[dict[str, Any]], list[str]]:
    """Every historical row linked to the person: what changed, when, and how it is linked.

    Values are left out on purpose: a row the person changed may describe
    someone else (a lead editing a colleague's profile). Their own profile's
    earlier values are in "profile_history".
    """
    entries: list[dict[str, Any]] = []
    labels: list[str] = []
    for model in apps.get_models():
        if not is_historical(model):
            continue
        fields = person_fields(model)
        if not fields:
            continue
        labels.append(model._meta.label_lower)
        condition = Q()
        for f in fields:
            if f.related_model is User:
                condition |= Q(**{f.attname: user.pk})
            else:
                condition |= Q(**{f"{f.attname}__in": seat_ids})
        m2m = not hasattr(model, "history_date")  # a historical many-to-many row
        rows = model.objects.filter(condition)
        if m2m:
            rows = rows.select_related("history")
        for row in rows:
            event = row.history if m2m else row
            entries.append(
                {
                    "model": model.instance_type._meta.label_lower,
                    "record": str(model.instance_type._meta.verbose_name),
                    "object_id": getattr(row, "id", None) if not m2m else event.id,
                    "changed_at": _iso(event.history_date),
                    "change": CHANGE_TYPES.get(event.history_type, event.history_type),
                    "linked_by": [f.name for f in fields if _refers_to(row, f, user, seat_ids)],
                }
            )
    entries.sort(key=lambda e: e["changed_at"] or "")
    return entries, labels


def _profile_data(profile: Profile, *, colleague: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "primary_colour": profile.primary_colour or None,
        "secondary_colour": profile.secondary_colour or None,
        "interests": profile.interests,
        "character_notes": profile.character_notes,
        "updated_at": profile.updated_at.isoformat(),
        "motives": {
            s.motive.name_en: float(s.score) for s in profile.scores.select_related("motive")
        },
    }
    if colleague:
        data |= {
            "goals": profile.goals,
            "bonus": profile.bonus,
            "share_with_team": profile.share_with_team,
        }
    else:
        data |= {
            "legal_basis": profile.legal_basis or None,
            "legal_basis_note": profile.legal_basis_note,
            "consent_date": _iso(profile.consent_date),
        }
    return data


def _profile_history(profile: Profile) -> dict[str, list[dict[str, Any]]]:
    return {
        "profile": _history_of(Profile, id=profile.pk),
        "motive_scores": _history_of(MotiveScore, profile_id=profile.pk),
    }


def personal_data_export(user: User) -> dict[str, Any]:
    """Everything kamteam stores about `user`, for their own download."""
    seats = list(
        user.team_memberships.select_related("account", "role").order_by("created_at", "pk")
    )
    seat_ids = [s.pk for s in seats]
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "user": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": _iso(user.last_login),
            "groups": sorted(user.groups.values_list("name", flat=True)),
        },
        "team_memberships": [
            {
                "account": m.account.name,
                "role": m.role.name_en,
                "country": m.country.code or None,
                "team": m.team,
                "lead": m.is_account_lead,
                "responsibilities": m.responsibilities,
                "since": m.created_at.isoformat(),
                "left": _iso(m.archived_at),
            }
            for m in seats
        ],
        "profile": None,
        "profile_changes": [],
        "profile_history": None,
    }
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        data["profile"] = _profile_data(profile, colleague=True)
        data["profile_changes"] = [
            {
                "changed_at": c.when.isoformat(),
                "changed_by": c.who.username if c.who else None,
                "what": c.what_en,
            }
            for c in profile_changes(profile)
        ]
        data["profile_history"] = _profile_history(profile)
    data["profile_shares"] = [
        {
            "account": s.account.name,
            "part": s.part,
            "audience": s.audience,
            "since": s.created_at.isoformat(),
        }
        for s in ProfileShare.objects.filter(user=user).select_related("account")
    ]
    data["appreciations_received"] = [
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
    data["appreciations_recorded"] = [
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
    data["touchpoints_owned"] = [
        {
            "account": t.account.name,
            "contact": t.contact.full_name,
            "year": t.year,
            "quarter": t.quarter,
            "date": _iso(t.date),
            "kind": t.kind,
            "title": t.title,
            "status": t.status,
            "outcome": t.outcome,
        }
        for t in Touchpoint.objects.filter(owner__in=seat_ids).select_related("account", "contact")
    ]
    data["relationships"] = [
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
    data["team_meetings"] = [
        {
            "account": m.account.name,
            "year": m.year,
            "quarter": m.quarter,
            "date": _iso(m.date),
            "format": m.format,
            "purpose": m.purpose,
            "status": m.status,
        }
        for m in TeamMeeting.objects.filter(participants__in=seat_ids)
        .distinct()
        .select_related("account")
    ]
    in_workshop = set(
        KeyAccountPlan.objects.filter(workshop_participants__in=seat_ids).values_list(
            "pk", flat=True
        )
    )
    data["plans"] = [
        {
            "account": p.account.name,
            "years": f"{p.start_year}–{p.end_year}",
            "status": p.status,
            "workshop_date": _iso(p.workshop_date),
            "workshop_participant": p.pk in in_workshop,
            "last_changed_by_you": p.updated_by_id == user.pk,
        }
        for p in KeyAccountPlan.objects.filter(Q(updated_by=user) | Q(pk__in=in_workshop))
        .select_related("account")
        .order_by("account__name", "start_year")
    ]
    in_session = set(
        RaciMatrix.objects.filter(participants__in=seat_ids).values_list("pk", flat=True)
    )
    data["raci_matrices"] = [
        {
            "account": m.account.name,
            "status": m.status,
            "agreed_on": _iso(m.agreed_on),
            "session_participant": m.pk in in_session,
            "last_changed_by_you": m.updated_by_id == user.pk,
        }
        for m in RaciMatrix.objects.filter(Q(updated_by=user) | Q(pk__in=in_session))
        .select_related("account")
        .order_by("account__name")
    ]
    answers = CoachingAnswer.objects.select_related("question")
    data["coaching_self_checks"] = [
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
    data["plan_reviews_written"] = [
        {
            "account": r.plan.account.name,
            "plan": f"{r.plan.start_year}–{r.plan.end_year}",
            "reviewed_at": r.reviewed_at.isoformat(),
            "comment": r.comment,
        }
        for r in PlanReview.objects.filter(reviewed_by=user).select_related("plan__account")
    ]
    # That the address exists, not the address: it is a credential.
    feed = CalendarFeed.objects.filter(user=user).first()
    data["calendar_feed"] = {"active": True, "created_at": _iso(feed.created_at)} if feed else None
    data["admin_actions"] = [
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
    data[HISTORY_SECTION], historical = _history_entries(user, seat_ids)
    data["sources"] = {
        **{label: list(sections) for label, sections in SOURCES.items()},
        **{label: [HISTORY_SECTION] for label in historical},
    }
    return data


def contact_data_export(contact: CustomerContact) -> dict[str, Any]:
    """Everything held about one customer contact, history included."""
    profile = Profile.objects.filter(contact=contact).first()
    touchpoints = contact.touchpoints.select_related("account", "owner__user")
    relationships = contact.relationships.select_related("account", "member__user")
    return {
        "exported_at": timezone.now().isoformat(),
        "contact": {
            "account": contact.account.name,
            "first_name": contact.first_name,
            "last_name": contact.last_name,
            "position": contact.position,
            "department": contact.department,
            "country": contact.country.code or None,
            "email": contact.email,
            "phone": contact.phone,
            "buying_roles": [r.code for r in contact.buying_roles.all()],
            "attitude": contact.attitude,
            "influence": contact.influence,
            "reports_to": contact.reports_to.full_name if contact.reports_to else None,
            "direct_reports": [r.full_name for r in contact.direct_reports.all()],
            "notes": contact.notes,
            "created_at": contact.created_at.isoformat(),
            "updated_at": contact.updated_at.isoformat(),
            "archived_at": _iso(contact.archived_at),
        },
        "profile": _profile_data(profile, colleague=False) if profile else None,
        "touchpoints": [
            {
                "year": t.year,
                "quarter": t.quarter,
                "date": _iso(t.date),
                "kind": t.kind,
                "title": t.title,
                "owner": t.owner.user.display_name,
                "status": t.status,
                "outcome": t.outcome,
            }
            for t in touchpoints
        ],
        "relationships": [
            {
                "member": r.member.user.display_name,
                "current_level": r.current_level,
                "target_level": r.target_level,
                "cadence": r.cadence,
                "next_occasion": r.next_occasion,
                "notes": r.notes,
            }
            for r in relationships
        ],
        "history": {
            "contact": _history_of(CustomerContact, id=contact.pk),
            **(_profile_history(profile) if profile else {"profile": [], "motive_scores": []}),
            "touchpoints": _history_of(Touchpoint, contact_id=contact.pk),
            "relationships": _history_of(RelationshipPair, contact_id=contact.pk),
        },
    }


def json_download(data: dict[str, Any], filename: str) -> HttpResponse:
    """A data-protection export as a JSON file to keep (the person's, a contact's)."""
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
