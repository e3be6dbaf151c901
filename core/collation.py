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

`KeyAccount.name` is stored with it (its column's collation), so every list
of accounts follows and the portfolio's index is in this order. The names of
people and contacts feed stored generated columns (search/migrations/0003),
whose columns cannot change collation without rebuilding those tables: their
lists sort with `by_name`, the collation applied in the ORDER BY. Lists
sorted in Python use `name_key`.
"""

from __future__ import annotations

import unicodedata

from django.db.models import F
from django.db.models.functions import Collate

NAME_COLLATION = "kamteam_name"


def name_key(text: str) -> tuple[str, str]:
    """The sort key of a name: its base letters in case-folded form ("Österreich" ->
    "osterreich"), then the name itself, so that different names never tie."""
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.casefold(), text


def compare_names(left: str, right: str) -> int:
    """name_key as SQLite's collation callback wants it: negative, zero or positive."""
    a, b = name_key(left), name_key(right)
    return (a > b) - (a < b)


def by_name(*fields: str) -> list[Collate]:
    """ORDER BY terms for name columns in NAME_COLLATION, e.g.
    ``order_by(*by_name("last_name", "first_name"), "pk")``."""
    return [Collate(F(field), NAME_COLLATION) for field in fields]


def register_on_sqlite(sender, connection, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """NAME_COLLATION on each new SQLite connection (connection_created)."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(NAME_COLLATION, compare_names)
