"""Names in the order a reader expects: "Österreich" beside "Oslo", not after "Zeta".

A database created with the C or C.UTF-8 locale (common for PostgreSQL in
containers, and this machine's) and SQLite compare text byte by byte: every
name that starts with an umlaut or an accent sorts after Z, and "apple" after
"Zeta". kamteam's name lists use one collation of its own, NAME_COLLATION,
whatever the database's locale:

- PostgreSQL: an ICU collation of the root locale (core/migrations/0003):
  letters by their base letter first ("Ä" with "A"), then accents, then case.
  The few servers built without ICU get the database's own locale instead.
- SQLite: the same order, computed by `name_key` in Python and registered on
  every connection (core.apps).

Every list of names sorts with `by_name`, the collation in the ORDER BY.
On PostgreSQL `KeyAccount.name` and its stored copy on the health scores are
also kept in it (`NameField`, the column's collation), so that the indexes
that page the portfolio and the manager's home are in this order. SQLite's
columns stay plain: a file whose columns named a collation only kamteam
registers could not be read or written by `manage.py dbshell` or any other
SQLite tool. The names of people and contacts feed stored generated columns
(search/migrations/0003), which a change of their columns' collation would
rebuild: they are sorted by `by_name` only. Lists sorted in Python use
`name_key`, which orders as ICU's root locale does.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from django.db import models
from django.db.models import F
from django.db.models.functions import Collate

NAME_COLLATION = "kamteam_name"


# Letters ICU sorts with a base letter that Unicode does not decompose into one.
_FOLD = str.maketrans({"ø": "o", "ł": "l", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "ı": "i"})


# Kept: SQLite's collation asks for both names' keys at every comparison of a sort.
@functools.lru_cache(maxsize=4096)
def name_key(text: str) -> tuple[tuple[tuple[int, str], ...], str, str, str]:
    """The sort key of a name, in ICU's root order: its base letters ("Österreich",
    "Øster" -> "oster..."; spaces and punctuation before digits, digits before
    letters), then its accents, then its case (lower before upper), then the name
    itself, so that different names never tie."""
    folded = unicodedata.normalize("NFD", text.casefold()).translate(_FOLD)
    base = (c for c in folded if not unicodedata.combining(c))
    weights = tuple((2 if c.isalpha() else 1 if c.isdigit() else 0, c) for c in base)
    return weights, folded, text.swapcase(), text


def compare_names(left: str, right: str) -> int:
    """name_key as SQLite's collation callback wants it: negative, zero or positive."""
    a, b = name_key(left), name_key(right)
    return (a > b) - (a < b)


def by_name(*fields: str) -> list[Collate]:
    """ORDER BY terms for name columns in NAME_COLLATION, e.g.
    ``order_by(*by_name("last_name", "first_name"), "pk")``."""
    return [Collate(F(field), NAME_COLLATION) for field in fields]


class NameField(models.CharField):
    """A name column kept in NAME_COLLATION on PostgreSQL (its indexes sort in it);
    a plain column elsewhere, where `by_name` orders it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("db_collation", NAME_COLLATION)
        super().__init__(*args, **kwargs)

    def db_parameters(self, connection):  # type: ignore[no-untyped-def]
        parameters = super().db_parameters(connection)
        if connection.vendor != "postgresql":
            parameters["collation"] = None
        return parameters


def register_on_sqlite(sender, connection, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """NAME_COLLATION on each new SQLite connection (connection_created)."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(NAME_COLLATION, compare_names)
