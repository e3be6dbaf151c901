"""A person's API tokens, for their own personal-data download (workspace.exports.personal).

What a token was for and when it was used; never its secret (only a fingerprint
is stored, and the fingerprint is not given out either).
"""

from __future__ import annotations

from typing import Any

from api.models import ApiToken
from users.models import User

SOURCES: dict[str, tuple[str, ...]] = {"api.apitoken": ("api_tokens",)}


def personal_sections(user: User) -> dict[str, Any]:
    tokens = ApiToken.objects.filter(user=user).order_by("created_at", "pk")
    return {
        "api_tokens": [
            {
                "name": token.name,
                "begins_with": token.prefix,
                "created_at": token.created_at.isoformat(),
                "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
                "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
            }
            for token in tokens
        ]
    }
