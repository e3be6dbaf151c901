"""Exports made comparable across installations: what a row is, not which id it got.

Two exports hold the same data when they differ only in the ids the rows were
given: a row is named by its place in its section (the exports list rows by
id, and an import writes them in that order), a staff-kept list entry by its
key, a colleague by user name. A document version's stored file name is
random: its SHA-256 stays compared, and the file itself by `files_match`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group
from django.db import models

from accounts.models import KeyAccount
from users.models import User
from workspace.exports.account import CATALOGUE_KEYS, HISTORY, SECTIONS, Section
from workspace.exports.installation import CATALOGUES, PEOPLE

# Per export, what changes by design: when it was made and by whom.
STAMPS = ("exported_at", "exported_by")


def _places(
    sections: dict[str, list[dict[str, Any]]], of: tuple[Section, ...]
) -> dict[type[models.Model], dict[int, str]]:
    return {
        s.model: {row["id"]: f"{s.name}#{n}" for n, row in enumerate(sections.get(s.name, []))}
        for s in of
    }


def _normal_row(
    model: type[models.Model], row: dict[str, Any], places: dict, keys: dict
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        column = f.name if f.related_model is User or not f.is_relation else f.attname
        if f.many_to_many:
            column = f.name
        if f.primary_key or isinstance(f, models.FileField) or column not in row:
            continue
        value = row[column]
        if f.is_relation and f.related_model is not User:
            lookup = keys.get(f.related_model) or places.get(f.related_model, {})
            if isinstance(value, list):
                value = sorted(str(lookup.get(v, f"?{v}")) for v in value)
            elif value is not None:
                value = lookup.get(value, f"?{value}")
        out[column] = value
    return out


def normal_account(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """An account export's sections (the history's text aside) without its ids."""
    sections = data["sections"]
    places = _places(sections, SECTIONS)
    keys = {
        model: {int(k): v for k, v in data["references"].get(model._meta.label_lower, {}).items()}
        for model in CATALOGUE_KEYS
    }
    return {
        s.name: [_normal_row(s.model, row, places, keys) for row in sections.get(s.name, [])]
        for s in SECTIONS
        if s.name != HISTORY
    }


def normal_installation(folder: Path) -> dict[str, Any]:
    """An export_all folder without its ids: the lists, the people, every account."""
    catalogues = json.loads((folder / "catalogues.json").read_text())["sections"]
    people = json.loads((folder / "people.json").read_text())
    keys: dict[type[models.Model], dict[int, str]] = {
        s.model: {r["id"]: r[CATALOGUE_KEYS[s.model]] for r in catalogues[s.name]}
        for s in CATALOGUES
        if s.model in CATALOGUE_KEYS
    }
    keys[Group] = {int(k): v for k, v in people["references"].get("auth.group", {}).items()}
    accounts = {
        p.stem: json.loads(p.read_text()) for p in sorted((folder / "accounts").glob("*.json"))
    }
    # A profile share names its account by id: the account's address here.
    keys[KeyAccount] = {a["sections"]["account"][0]["id"]: slug for slug, a in accounts.items()}
    places = _places(catalogues, CATALOGUES) | _places(people["sections"], PEOPLE)
    out: dict[str, Any] = {}
    for section in (*CATALOGUES, *PEOPLE):
        rows = (catalogues if section in CATALOGUES else people["sections"])[section.name]
        out[section.name] = [_normal_row(section.model, r, places, keys) for r in rows]
    for slug, data in accounts.items():
        out[f"account {slug}"] = normal_account(data)
    return out


def files_match(folder: Path) -> list[str]:
    """The document versions of an export_all folder whose file is missing or differs."""
    wrong = []
    for path in sorted((folder / "accounts").glob("*.json")):
        for version in json.loads(path.read_text())["sections"].get("document_versions", []):
            stored = folder / "files" / version["file"]
            if (
                not stored.is_file()
                or hashlib.sha256(stored.read_bytes()).hexdigest() != version["sha256"]
            ):
                wrong.append(f"{path.stem}: {version['file']}")
    return wrong
