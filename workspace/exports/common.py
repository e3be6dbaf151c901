"""What both data-protection exports share: values as JSON, version history, profiles."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import HttpResponse

from profiles.models import MotiveScore, Profile

CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}
ADMIN_ACTIONS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}


def iso(value: datetime.date | datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def plain(value: object) -> object:
    """A field value as JSON: dates as ISO text, decimals as numbers."""
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def versions(rows: Iterable[models.Model], base: type[models.Model]) -> list[dict[str, Any]]:
    """Earlier versions of records, with their values, oldest first."""
    names = [f.attname for f in base._meta.concrete_fields]
    return [
        {
            "changed_at": iso(h.history_date),
            "changed_by": h.history_user.username if h.history_user else None,
            "change": CHANGE_TYPES.get(h.history_type, h.history_type),
            "values": {name: plain(getattr(h, name)) for name in names},
        }
        for h in rows
    ]


def history_of(model: type[models.Model], **lookup: object) -> list[dict[str, Any]]:
    rows = model.history.filter(**lookup).select_related("history_user").order_by("history_date")
    return versions(rows, model)


def profile_data(profile: Profile, *, colleague: bool) -> dict[str, Any]:
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
            "consent_date": iso(profile.consent_date),
        }
    return data


def profile_history(profile: Profile) -> dict[str, list[dict[str, Any]]]:
    return {
        "profile": history_of(Profile, id=profile.pk),
        "motive_scores": history_of(MotiveScore, profile_id=profile.pk),
    }


def json_text(data: dict[str, Any]) -> str:
    """An export as indented JSON; amounts (Decimal) as exact strings (DjangoJSONEncoder)."""
    return json.dumps(data, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder)


def json_download(data: dict[str, Any], filename: str) -> HttpResponse:
    """A data-protection export as a JSON file to keep (the person's, a contact's)."""
    response = HttpResponse(
        json_text(data),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
