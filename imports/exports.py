"""A person's imports, for their own personal-data download (workspace.exports.personal)."""

from __future__ import annotations

from typing import Any

from imports.models import ImportBatch
from users.models import User

SOURCES: dict[str, tuple[str, ...]] = {"imports.importbatch": ("imports",)}


def personal_sections(user: User) -> dict[str, Any]:
    """The files the person imported (or uploaded and not yet confirmed), with their counts."""
    batches = ImportBatch.objects.filter(uploaded_by=user).select_related("account")
    return {
        "imports": [
            {
                "account": b.account.name,
                "kind": b.kind,
                "file_name": b.file_name,
                "uploaded_at": b.uploaded_at.isoformat(),
                "imported_at": b.imported_at.isoformat() if b.imported_at else None,
                "created": b.created,
                "updated": b.updated,
                "unchanged": b.unchanged,
                "rows_awaiting_confirmation": len(b.rows),
            }
            for b in batches.order_by("uploaded_at", "pk")
        ]
    }
