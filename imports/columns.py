"""Columns of an import file: their names in English and German, and reading a cell.

A template has one language's column names; an import accepts either, in
any order and case, so a German Excel's file and an English one both work.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Choices
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django_countries import countries

from imports.base import Preview, Problem

LANGUAGES = ("en", "de")


@dataclass(frozen=True)
class Column:
    key: str  # the field it fills
    header: Promise  # its name in a template, translated lazily
    required: bool = False
    example: str = ""
    aliases: tuple[str, ...] = ()  # other names people give the column, in any language

    def name(self, language: str) -> str:
        with translation.override(language):
            return str(self.header)


def squash(text: str) -> str:
    """A header as compared: case, spaces and punctuation do not matter."""
    return re.sub(r"[\W_]+", "", text.casefold())


def match_header(
    header: list[str], columns: Iterable[Column]
) -> tuple[dict[str, int], list[str], list[str]]:
    """({column key: cell index}, names not understood, names given twice)."""
    known: dict[str, str] = {}
    for column in columns:
        known[squash(column.key)] = column.key
        for alias in column.aliases:
            known[squash(alias)] = column.key
        for language in LANGUAGES:
            known[squash(column.name(language))] = column.key
    found: dict[str, int] = {}
    unknown: list[str] = []
    twice: list[str] = []
    for index, name in enumerate(header):
        if not name:
            continue
        key = known.get(squash(name))
        if key is None:
            unknown.append(name)
        elif key in found:
            twice.append(name)
        else:
            found[key] = index
    return found, unknown, twice


def header_preview(
    header: list[str], columns: tuple[Column, ...], rows: int, max_rows: int, too_many: str
) -> tuple[dict[str, int], Preview]:
    """({column key: cell index}, a preview holding the file's own problems): columns
    twice, a required column missing, more than `max_rows` rows (`too_many` says so,
    with %(limit)s and %(count)s). The rows are read only when it has none."""
    found, unknown, twice = match_header(header, columns)
    result = Preview(ignored=unknown)
    for name in twice:
        result.problems.append(Problem(None, name, _("This column appears twice.")))
    for column in columns:
        if column.required and column.key not in found:
            result.problems.append(
                Problem(None, str(column.header), _("The file has no column for this."))
            )
    if rows > max_rows:
        result.problems.append(Problem(None, "", too_many % {"limit": max_rows, "count": rows}))
    return found, result


@functools.cache
def choice_lookup(choices: type[Choices]) -> dict[str, object]:
    """A choice's value, by its value or its label in either language (squashed).
    Built once per process (read only): the labels do not change while it runs."""
    lookup: dict[str, object] = {}
    for value, label in choices.choices:
        lookup[squash(str(value))] = value
        for language in LANGUAGES:
            with translation.override(language):
                lookup[squash(str(label))] = value
    return lookup


@functools.cache
def country_lookup() -> dict[str, str]:
    """A country's code, by its code or its name in either language (squashed)."""
    lookup: dict[str, str] = {}
    for language in LANGUAGES:
        with translation.override(language):
            for code, name in countries:
                lookup[squash(name)] = code
    for code, _name in countries:
        lookup[squash(code)] = code
    return lookup


def find(lookup: dict[str, object], text: str) -> object | None:
    return lookup.get(squash(text))


def is_whole_number(text: str) -> bool:
    return bool(re.fullmatch(r"[+-]?\d{1,6}", text))


def too_long(limit: int) -> str:
    return _("At most %(limit)s characters.") % {"limit": limit}
