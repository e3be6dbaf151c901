"""A person's single sign-on identities, for their own personal-data download.

workspace.exports.personal puts this section into the download; SOURCES says
which section holds the model's rows.
"""

from __future__ import annotations

from typing import Any

from sso.models import OidcIdentity
from users.models import User

SOURCES: dict[str, tuple[str, ...]] = {"sso.oidcidentity": ("single_sign_on_identities",)}


def personal_sections(user: User) -> dict[str, Any]:
    """Which provider accounts sign the person in, since when, and when last."""
    return {
        "single_sign_on_identities": [
            {
                "issuer": i.issuer,
                "subject": i.subject,
                "linked_at": i.created.isoformat(),
                "last_sign_in": i.last_login.isoformat() if i.last_login else None,
            }
            for i in OidcIdentity.objects.filter(user=user).order_by("created", "pk")
        ]
    }
