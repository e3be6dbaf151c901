"""Demo data for the profiles: the handbook's personalities (a Rot-Blau GKAM,
an NKAM high on power and independence, Max Müller as Blau-Grün) and what
the demo colleagues chose to share with the Nordstern team.

Called by `manage.py demo` after the accounts step; idempotent like the rest.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import CustomerContact, KeyAccount
from core.demo import rendered
from profiles.models import Motive, Profile, ProfilePart, ProfileShare, ShareAudience
from profiles.services import profile_save
from users.models import User

# Colleagues' profiles: username, profile fields, motive scores by motive code.
USER_PROFILES: list[tuple[str, dict[str, Any], dict[str, str]]] = [
    (
        "kam",
        {
            "primary_colour": "red",
            "secondary_colour": "blue",
            "share_with_team": True,
            "goals": _("Renew the global framework contract; +20 % with Nordstern."),
            "bonus": _("Global revenue of her key accounts, contract renewals."),
            "interests": _("Sailing, economics podcasts."),
            "character_notes": _("Decides fast; appreciates a prepared one-pager."),
        },
        {
            "power": "1.6",
            "independence": "0.9",
            "curiosity": "1.2",
            "order": "1.0",
            "status": "1.1",
            "social-contact": "-0.3",
            "tranquility": "-1.0",
        },
    ),
    (
        "nkam",
        {
            "primary_colour": "orange",
            "secondary_colour": "red",
            "goals": _("Grow the German business of his accounts by 10 %."),
            "bonus": _("National revenue in Germany only."),
            "interests": _("Football, his two children."),
            "character_notes": _(
                "Feels restricted by the global framework; involve him early in global decisions."
            ),
        },
        {
            "power": "1.8",
            "independence": "1.7",
            "acceptance": "0.9",
            "order": "-1.1",
            "social-contact": "1.3",
            "family": "1.2",
            "vengeance": "0.9",
        },
    ),
    (
        "innendienst",
        {
            "primary_colour": "green",
            "secondary_colour": "blue",
            "share_with_team": True,
            "interests": _("Choir, gardening."),
        },
        {
            "power": "-1.2",
            "independence": "-0.9",
            "order": "1.5",
            "saving": "0.6",
            "honor": "1.1",
            "social-contact": "1.0",
            "tranquility": "1.2",
        },
    ),
    (
        "nkam-china",
        {"primary_colour": "blue", "secondary_colour": "orange", "share_with_team": True},
        {"power": "0.9", "independence": "1.1", "curiosity": "1.4", "honor": "1.3"},
    ),
]

# Customer contacts' profiles at Nordstern: last name, profile fields, motive scores.
CONTACT_PROFILES: list[tuple[str, dict[str, Any], dict[str, str]]] = [
    (
        "Müller",
        {
            "primary_colour": "blue",
            "secondary_colour": "green",
            "interests": _("Management literature, classical music."),
            "character_notes": _("Wants everything in writing; dislikes being rushed."),
            "legal_basis": Profile.LegalBasis.LEGITIMATE_INTEREST,
            "legal_basis_note": _(
                "Bereichsleiter behind our largest contract: we prepare "
                "our meetings the way he works best."
            ),
        },
        {
            "power": "0.4",
            "independence": "0.2",
            "curiosity": "1.5",
            "order": "1.6",
            "acceptance": "-0.9",
            "status": "0.9",
            "tranquility": "1.1",
        },
    ),
    (
        "Hoffmann",
        {
            "primary_colour": "red",
            "secondary_colour": "orange",
            "legal_basis": Profile.LegalBasis.LEGITIMATE_INTEREST,
            "legal_basis_note": _("Decides on the framework contract; we tailor our visits."),
        },
        {"power": "1.9", "status": "1.4", "saving": "1.2"},
    ),
    (
        "Koch",
        {
            "primary_colour": "green",
            "legal_basis": Profile.LegalBasis.CONSENT,
            "consent_date": datetime.date(2026, 1, 12),
            "legal_basis_note": _("Agreed by e-mail after the plant visit."),
        },
        {"social-contact": "1.3"},
    ),
]

# Sharing is the person's own choice (profiles.access): Katrin her motives with
# the team and her goals with the leads; Ines and Wei their motives. Niklas
# shares nothing, so the demo shows both sides.
SHARES = [
    ("kam", ProfilePart.MOTIVES, ShareAudience.TEAM),
    ("kam", ProfilePart.GOALS, ShareAudience.LEADS),
    ("innendienst", ProfilePart.MOTIVES, ShareAudience.TEAM),
    ("nkam-china", ProfilePart.MOTIVES, ShareAudience.TEAM),
]


def profiles_demo(
    *,
    users: Mapping[str, User],
    account: KeyAccount,
    contacts: Mapping[str, CustomerContact],
) -> None:
    """Profiles of the demo colleagues and of `contacts` (by last name), and the
    colleagues' sharing with `account`'s team."""
    motives = {m.code: m for m in Motive.objects.all()}
    people = [
        *(
            (Profile(user=users[username], **rendered(fields)), scores)
            for username, fields, scores in USER_PROFILES
        ),
        *(
            (Profile(contact=contacts[last], **rendered(fields)), scores)
            for last, fields, scores in CONTACT_PROFILES
        ),
    ]
    for profile, scores in people:
        # Take over the existing row's pk, so a second run overwrites the profile
        # (every field back to the demo's) instead of adding another one.
        existing = Profile.objects.filter(user=profile.user, contact=profile.contact).first()
        if existing:
            profile.pk = existing.pk
        profile_save(
            profile=profile,
            scores={motives[code]: Decimal(value) for code, value in scores.items()},
        )
    for username, part, audience in SHARES:
        ProfileShare.objects.update_or_create(
            user=users[username], account=account, part=part, defaults={"audience": audience}
        )
