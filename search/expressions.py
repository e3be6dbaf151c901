"""How a query becomes SQL, on PostgreSQL and on SQLite.

Both databases know kam_fold (search.text.fold). On PostgreSQL names are
compared through a trigram index on kam_fold(column) (substring, so prefixes,
and word similarity, so small typos), and longer text through full-text
search in German and English at once, on the folded text, with every term a
prefix; both are indexed (search/migrations/0001). SQLite, the embedded
default, compares folded substrings and crude stems (search.text.stem).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import BooleanField, CharField, F, Func, IntegerField, QuerySet

from core.prepared import Prepared, Slice, prepared


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


class NameArgs(NamedTuple):
    """A query's values as a name search compares them (search.text.Query.name_args).

    Made before the query is built: a kept query's parameters must be its
    arguments (core.prepared), so no expression here derives one from a term.
    """

    like: Sequence[str]  # each term as %term%
    terms: Sequence[str]  # each term itself, for word similarity
    long: Sequence[bool]  # whether a term is long enough for word similarity
    prefix: str  # the first term as a name's start: term%
    word: str  # the first term as a later word's start: % term%


@dataclass(frozen=True)
class Rows(Slice):
    """Which rows a search query reads: a window (core.prepared.Slice, the query's
    shape) of a tier of the name order (by_name; 2 for any other query)."""

    tier: int = 2


class TextMatch(Func):
    """PostgreSQL full-text match of the folded `fields` against prefix terms.

    The document is written exactly as the GIN indexes of search/migrations/0001
    are, so that the planner uses them: change both together.
    """

    output_field = BooleanField()

    def __init__(self, *fields: str, tsquery: str) -> None:
        super().__init__(*[F(name) for name in fields])
        self.tsquery = tsquery

    def as_sql(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        columns = [compiler.compile(e)[0] for e in self.get_source_expressions()]
        document = "kam_fold(" + " || ' ' || ".join(f"coalesce({c}, '')" for c in columns) + ")"
        vector = (
            f"(to_tsvector('german'::regconfig, {document})"
            f" || to_tsvector('english'::regconfig, {document}))"
        )
        # Terms are letters and digits only (search.text.Query.text_args), so
        # the raw tsquery holds no operator that was typed.
        sql = (
            f"{vector} @@ (to_tsquery('german'::regconfig, %s)"
            " || to_tsquery('english'::regconfig, %s))"
        )
        return sql, [self.tsquery, self.tsquery]


class _FoldedColumns(Func):
    """An expression over the kam_fold of several columns, written in one piece.

    The type-ahead asks at every keystroke, and a Q object per column and term
    cost more to build than the query takes to run: each column is resolved
    once here and the condition written as plain SQL (the same on both
    databases, kam_fold being defined on each).
    """

    def __init__(self, *fields: str) -> None:
        super().__init__(*[F(name) for name in fields])
        self.fields = fields

    def folded_columns(self, compiler) -> list[tuple[str, str, list]]:  # type: ignore[no-untyped-def,type-arg]
        """(field name, its folded SQL, the SQL's parameters) per column."""
        compiled = [compiler.compile(e) for e in self.get_source_expressions()]
        return [
            (name, f"kam_fold({sql})", list(params))
            for name, (sql, params) in zip(self.fields, compiled, strict=True)
        ]

    def stored_column(self, compiler, column: str) -> str:  # type: ignore[no-untyped-def]
        """`column` of the table the fields are read from (search/migrations/0003)."""
        table = compiler.quote_name_unless_alias(self.get_source_expressions()[0].alias)
        return f"{table}.{compiler.connection.ops.quote_name(column)}"


class NameMatch(_FoldedColumns):
    """Every term found in one of the folded columns, or like it in a `fuzzy` one.

    "Like it" (a small typo) is pg_trgm's word similarity (Django's
    trigram_word_similar operator), on PostgreSQL only and for terms of four
    letters or more. Terms hold letters and digits only (search.text.Query):
    nothing in them means anything to LIKE. With `stored` (a table of
    STORED_TEXT) PostgreSQL reads the folded text from the stored column.
    """

    output_field = BooleanField()

    def __init__(
        self, *fields: str, args: NameArgs, fuzzy: Sequence[str], stored: bool = False
    ) -> None:
        super().__init__(*fields)
        self.args = args
        self.fuzzy = frozenset(fuzzy)
        self.stored = stored

    def as_sql(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        similar = connection.vendor == "postgresql"
        if similar and self.stored:
            text = self.stored_column(compiler, "search_text")
            columns: list[tuple[str, str, list]] = [("", text, [])]  # type: ignore[type-arg]
            fuzzy = {""} if self.fuzzy else set()
        else:
            columns, fuzzy = self.folded_columns(compiler), self.fuzzy
        clauses: list[str] = []
        params: list[object] = []
        for like, term, long in zip(self.args.like, self.args.terms, self.args.long, strict=True):
            either: list[str] = []
            for name, folded, column_params in columns:
                either.append(f"{folded} LIKE %s")
                params += [*column_params, like]
                if similar and name in fuzzy and long:
                    either.append(f"{folded} %%> %s")
                    params += [*column_params, term]
            clauses.append("(" + " OR ".join(either) + ")")
        return "(" + " AND ".join(clauses) + ")", params


class NameRank(_FoldedColumns):
    """0 for a word starting with `term` in one of the columns, 1 for any other hit.

    With `stored` (PostgreSQL) the words of the stored folded name: the same.
    """

    output_field = IntegerField()

    def __init__(self, *fields: str, args: NameArgs, stored: bool = False) -> None:
        super().__init__(*fields)
        self.args = args
        self.stored = stored

    def as_sql(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        if self.stored and connection.vendor == "postgresql":
            name = self.stored_column(compiler, "search_name")
            sql = f"CASE WHEN {name} LIKE %s OR {name} LIKE %s THEN 0 ELSE 1 END"
            return sql, [self.args.prefix, self.args.word]
        starts: list[str] = []
        params: list[object] = []
        for _name, folded, column_params in self.folded_columns(compiler):
            # A word starting with it: the column's first, or one after a space.
            starts += [f"{folded} LIKE %s", f"{folded} LIKE %s"]
            params += [*column_params, self.args.prefix, *column_params, self.args.word]
        return f"CASE WHEN {' OR '.join(starts)} THEN 0 ELSE 1 END", params


class NameTier(_FoldedColumns):
    """Whether a hit belongs to `tier` of the name order (by_name).

    Tier 0: the last name starts with the first term (`prefix`); 1: else the first name does; 2:
    any other hit. The tests compare the folded names joined as `key` writes
    them, so that on PostgreSQL tiers 0 and 1 are a range of the btree indexes
    of search/migrations/0004 (byte order: COLLATE "C").
    """

    output_field = BooleanField()

    def __init__(self, last: str, first: str, *, prefix: str, tier: int, stored: bool) -> None:
        super().__init__(last, first)
        self.prefix, self.tier, self.stored = prefix, tier, stored

    def as_sql(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        by_last = f"{self.key(compiler, connection, first_name_first=False)} LIKE %s"
        by_first = f"{self.key(compiler, connection, first_name_first=True)} LIKE %s"
        if self.tier == 0:
            return by_last, [self.prefix]
        if self.tier == 1:
            return f"({by_first} AND NOT ({by_last}))", [self.prefix, self.prefix]
        return f"(NOT ({by_last}) AND NOT ({by_first}))", [self.prefix, self.prefix]

    def key(self, compiler, connection, *, first_name_first: bool) -> str:  # type: ignore[no-untyped-def]
        """The folded names, last name first (or first name first), as one text."""
        if connection.vendor == "postgresql" and self.stored and not first_name_first:
            return f'({self.stored_column(compiler, "search_name")} COLLATE "C")'
        # Plain columns compile without parameters; the text is that of 0003's
        # stored search_name, and of 0004's index over the first name first.
        last, first = (
            f"kam_fold(coalesce({compiler.compile(e)[0]}, ''))"
            for e in self.get_source_expressions()
        )
        joined = f"{first} || ' ' || {last}" if first_name_first else f"{last} || ' ' || {first}"
        if connection.vendor == "postgresql":
            return f'(({joined}) COLLATE "C")'
        return f"({joined})"


class NameKey(NameTier):
    """The text a tier's hits are ordered by: the folded names, first name first in tier 1."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        return self.key(compiler, connection, first_name_first=self.tier == 1), []


def kept_names(
    build: Callable[[list[int] | None, NameArgs, Rows], QuerySet[Any]],
) -> Prepared[..., Any]:
    """`build(ids, args, rows)` kept (core.prepared): called as `(ids,
    *query.name_args(), rows)`, since a kept query takes plain values only.
    `ids`: the accounts whose rows may be found (accounts.access.visible_account_ids,
    None: every account)."""

    def read(
        ids: list[int] | None,
        like: tuple[str, ...],
        terms: tuple[str, ...],
        long: tuple[bool, ...],
        prefix: str,
        word: str,
        rows: Rows,
    ) -> QuerySet[Any]:
        return build(ids, NameArgs(like, terms, long, prefix, word), rows)

    read.__name__, read.__doc__ = build.__name__, build.__doc__
    return prepared(read)


def text_filter(fields: Sequence[str], tsquery: str, stems: Sequence[str]) -> Func:
    """Every term in one of the text `fields`: as a prefix in the full text on
    PostgreSQL (`tsquery`), as `%stem%` in the folded text on SQLite (`stems`:
    search.text.Query.text_args)."""
    if on_postgres():
        return TextMatch(*fields, tsquery=tsquery)
    args = NameArgs(like=stems, terms=stems, long=[False] * len(stems), prefix="", word="")
    return NameMatch(*fields, args=args, fuzzy=())


def name_tier(
    queryset: QuerySet[Any],
    *,
    match: NameMatch,
    last: str,
    first: str,
    stored: bool,
    rows: Rows,
) -> QuerySet[Any]:
    """`rows` of `queryset`'s hits of `match`, in the name order of NameTier (by_name).

    Tiers 0 and 1 leave `match` out for a one-word query: a name starting with
    the word holds it (NameMatch looks for it anywhere in the folded names,
    which the tiers' keys are made of), and without it the tier is a range of
    its btree alone instead of that range intersected with a scan of the
    trigram index (0.4 against 1.2 ms a tier at 125,000 contacts).
    """
    args, tier = match.args, rows.tier
    in_tier = queryset.filter(NameTier(last, first, prefix=args.prefix, tier=tier, stored=stored))
    if tier == 2 or len(args.terms) > 1:
        in_tier = in_tier.filter(match)
    order: list[Any] = [NameKey(last, first, prefix=args.prefix, tier=tier, stored=stored), "pk"]
    if tier == 2:
        order.insert(0, NameRank(last, first, args=args, stored=stored))
    return rows.of(in_tier.order_by(*order))


def by_name(
    read: Prepared[..., Any], args: tuple[Any, ...], *, offset: int, count: int
) -> list[Any]:
    """`count` hits from `offset` in the name order of NameTier; `read(*args,
    rows)` reads one tier's `rows` (name_tier, kept: core.prepared).

    Last names starting with the first term, then first names, then every
    other hit (a word of the name starting with it first, NameRank); within a
    tier by the folded names. Tier by tier, each read in its own order and
    only while the earlier ones fall short: on PostgreSQL tiers 0 and 1 are
    index ranges, so a common prefix ("bau", 15,000 of 125,000 contacts in
    `make bench SCALE=5000`) is read as deep as the page, not sorted whole.
    One to three queries, fewer the more the first tier holds (a fourth, a
    count, only on a later page that starts past a whole tier).
    """
    rows: list[Any] = []
    skip = offset
    for tier in (0, 1, 2):
        want = count - len(rows)
        if want <= 0:
            break
        # Always `count` rows, trimmed here: how many an earlier tier found must
        # not make a shape of its own (each a kept query's compile, core.prepared).
        found = read(*args, Rows(tier=tier, offset=skip, count=count))[:want]
        if found:  # the page starts in this tier; the next one from its first hit
            rows += found
            skip = 0
        elif skip:  # the page starts after this tier
            skip = max(0, skip - read.build(*args, Rows(tier=tier)).count())
    return rows
