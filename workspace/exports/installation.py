"""The whole installation for staff (`manage.py export_all`): so no company is locked in.

Every key account as its own export (workspace.exports.account, all sections),
the people with their profiles, and the staff-kept lists. `PEOPLE` and
`CATALOGUES` with the account export's `SECTIONS` and `LEFT_OUT` name every
model of the project; `NOT_EXPORTED` the rest, with the reason;
workspace/tests/test_account_export.py fails for a model in none of them.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from accounts.models import BuyingCentreRole, TeamRole
from coaching.models import CoachingQuestion
from documents.models import DocumentCategory
from opportunities.models import OpportunityStage
from portfolio.models import HealthWeights
from profiles.models import Motive, MotiveScore, Profile, ProfileShare
from raci.models import RaciTemplate, RaciTemplateAssignment, RaciTemplateTask
from sso.models import OidcIdentity
from users.models import User
from whitespace.models import Offering
from workspace.exports.account import FORMAT_VERSION, REFERENCES, Section, references, row_data


def _all(section: Section) -> list[dict[str, Any]]:
    """Every row of the section's model, read in chunks (50,000 users stay bounded)."""
    rows = section.queryset().iterator(chunk_size=500)
    return [row_data(section.model, obj) for obj in rows]


# Colleagues (users) and what they keep of themselves; a profile of a
# customer contact is in its account's export.
PEOPLE: tuple[Section, ...] = (
    Section("users", User, ""),
    Section("colleague_profiles", Profile, "", where=(("user__isnull", False),)),
    Section("colleague_motives", MotiveScore, "", where=(("profile__user__isnull", False),)),
    Section("profile_shares", ProfileShare, ""),
    Section("sign_in_identities", OidcIdentity, ""),
)
CATALOGUES: tuple[Section, ...] = (
    Section("team_roles", TeamRole, ""),
    Section("buying_centre_roles", BuyingCentreRole, ""),
    Section("motives", Motive, ""),
    Section("raci_templates", RaciTemplate, ""),
    Section("raci_template_tasks", RaciTemplateTask, ""),
    Section("raci_template_assignments", RaciTemplateAssignment, ""),
    Section("offerings", Offering, ""),
    Section("opportunity_stages", OpportunityStage, ""),
    Section("document_categories", DocumentCategory, ""),
    Section("health_weights", HealthWeights, ""),
    Section("coaching_questions", CoachingQuestion, ""),
)
NOT_EXPORTED: dict[str, str] = {
    "core.cachegeneration": "the page cache's counters: rebuilt by the new installation",
    "core.scheduledrun": "when scheduled work last ran: this installation's own",
    "portfolio.healthscoresweep": "when the stored health scores were last checked: made anew",
    "workspace.homevisit": "when a person last opened their home page",
    "workspace.accountupload": (
        "an account export uploaded and not yet imported: the export file is the uploader's"
    ),
    "touchpoints.calendarfeed": "secret calendar addresses: never copied, made anew",
    "api.apitoken": "personal API tokens: secrets of this installation, made anew",
    "notifications.digestsent": "which digests this installation sent",
    "notifications.digestoptout": "a person's inbox setting: in their own export",
    "notifications.notificationpreference": "a person's inbox setting: in their own export",
}


def people_export() -> dict[str, Any]:
    """The users (no password hashes) and what they keep of themselves."""
    data = _export({s.name: _all(s) for s in PEOPLE})
    for user in data["sections"]["users"]:
        user.pop("password", None)  # a hash is no use elsewhere and a risk everywhere
    data[REFERENCES] = references(data["sections"], PEOPLE)  # the groups, by name
    return data


def catalogues_export() -> dict[str, Any]:
    return _export({s.name: _all(s) for s in CATALOGUES})


def _export(sections: dict[str, Any]) -> dict[str, Any]:
    return {
        "format": "kamteam-installation-export",
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.localtime().isoformat(),
        "sections": sections,
    }


__all__ = ["CATALOGUES", "NOT_EXPORTED", "PEOPLE", "catalogues_export", "people_export"]
