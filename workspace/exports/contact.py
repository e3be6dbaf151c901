"""Everything held about one customer contact, for a data-protection request."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from accounts.models import CustomerContact
from profiles.models import Profile
from touchpoints.models import RelationshipPair, Touchpoint
from workspace.exports.common import history_of, iso, profile_data, profile_history


def _contact(contact: CustomerContact) -> dict[str, Any]:
    return {
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
        "archived_at": iso(contact.archived_at),
    }


def _touchpoints(contact: CustomerContact) -> list[dict[str, Any]]:
    return [
        {
            "year": t.year,
            "quarter": t.quarter,
            "date": iso(t.date),
            "kind": t.kind,
            "title": t.title,
            "owner": t.owner.user.display_name,
            "status": t.status,
            "outcome": t.outcome,
        }
        for t in contact.touchpoints.select_related("account", "owner__user")
    ]


def _relationships(contact: CustomerContact) -> list[dict[str, Any]]:
    return [
        {
            "member": r.member.user.display_name,
            "current_level": r.current_level,
            "target_level": r.target_level,
            "cadence": r.cadence,
            "next_occasion": r.next_occasion,
            "notes": r.notes,
        }
        for r in contact.relationships.select_related("account", "member__user")
    ]


def _history(contact: CustomerContact, profile: Profile | None) -> dict[str, Any]:
    return {
        "contact": history_of(CustomerContact, id=contact.pk),
        **(profile_history(profile) if profile else {"profile": [], "motive_scores": []}),
        "touchpoints": history_of(Touchpoint, contact_id=contact.pk),
        "relationships": history_of(RelationshipPair, contact_id=contact.pk),
    }


def contact_data_export(contact: CustomerContact) -> dict[str, Any]:
    """Everything held about one customer contact, history included."""
    profile = Profile.objects.filter(contact=contact).first()
    return {
        "exported_at": timezone.now().isoformat(),
        "contact": _contact(contact),
        "profile": profile_data(profile, colleague=False) if profile else None,
        "touchpoints": _touchpoints(contact),
        "relationships": _relationships(contact),
        "history": _history(contact, profile),
    }
