"""Several small reads as one UNION ALL of plain numbers.

A page that asks half a dozen yes/no questions of the same accounts (has this
contact a touchpoint this quarter, an owner, is there a team meeting) paid a
round trip and Django's building of a query for each small list, more than the
database's work. Each question becomes a branch of one UNION ALL whose rows
are `(fact, account id, n1, n2)`: the fact's name and up to two numbers; the
caller sorts the rows into sets by `fact`.

The branches are returned as a list and united once by the caller (`read`):
SQLite has no parentheses around a compound SELECT, so a union of unions is
not portable.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Expression, F, QuerySet, Value

COLUMNS = ("fact", "fact_account", "n1", "n2")
ZERO = Value(0)

Row = tuple[str, int, int, int]


def tagged(
    query: QuerySet[Any],
    fact: str | Expression | F,
    *,
    account: str,
    n1: Any = ZERO,
    n2: Any = ZERO,
) -> QuerySet[Any]:
    """`query` as rows of (fact, the row's account, n1, n2); `fact` a name or a column."""
    name = Value(fact) if isinstance(fact, str) else fact
    return (
        query.order_by()
        .annotate(fact=name, fact_account=F(account), n1=n1, n2=n2)
        .values_list(*COLUMNS)
    )


def united(branches: list[QuerySet[Any]]) -> QuerySet[Any]:
    """Every branch as one query (core.prepared keeps its SQL)."""
    first, *rest = branches
    return first.union(*rest, all=True) if rest else first


def read(branches: list[QuerySet[Any]]) -> Iterator[Row]:
    """The rows of every branch, in one query."""
    if not branches:
        return iter(())
    return iter(united(branches))
