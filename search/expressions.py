"""How a query becomes SQL, on PostgreSQL and on SQLite.

Both databases know kam_fold (search.text.fold). On PostgreSQL names are
compared through a trigram index on kam_fold(column) (substring, so prefixes,
and word similarity, so small typos), and longer text through full-text
search in German and English at once, on the folded text, with every term a
prefix; both are indexed (search/migrations/0001). SQLite, the embedded
default, compares folded substrings and crude stems (search.text.stem).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, CharField, F, Func, IntegerField, Q, QuerySet

from search.text import Query, stem


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


class Folded(Func):
    """kam_fold(column): the spelling-forgiving form, as search.text.fold."""

    function = "kam_fold"
    output_field = CharField()


class TextMatch(Func):
    """PostgreSQL full-text match of the folded `fields` against prefix terms.

    The document is written exactly as the GIN indexes of search/migrations/0001
    are, so that the planner uses them: change both together.
    """

    output_field = BooleanField()

    def __init__(self, *fields: str, terms: tuple[str, ...]) -> None:
        super().__init__(*[F(name) for name in fields])
        self.terms = terms

    def as_sql(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        columns = [compiler.compile(e)[0] for e in self.get_source_expressions()]
        document = "kam_fold(" + " || ' ' || ".join(f"coalesce({c}, '')" for c in columns) + ")"
        vector = (
            f"(to_tsvector('german'::regconfig, {document})"
            f" || to_tsvector('english'::regconfig, {document}))"
        )
        # Terms are letters and digits only (search.text.Query), so the raw
        # tsquery holds no operator that was typed.
        raw = " & ".join(f"{term}:*" for term in self.terms)
        sql = (
            f"{vector} @@ (to_tsquery('german'::regconfig, %s)"
            " || to_tsquery('english'::regconfig, %s))"
        )
        return sql, [raw, raw]


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
        self, *fields: str, terms: tuple[str, ...], fuzzy: list[str], stored: bool = False
    ) -> None:
        super().__init__(*fields)
        self.terms = terms
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
        for term in self.terms:
            either: list[str] = []
            for name, folded, column_params in columns:
                either.append(f"{folded} LIKE %s")
                params += [*column_params, f"%{term}%"]
                if similar and name in fuzzy and len(term) >= 4:
                    either.append(f"{folded} %%> %s")
                    params += [*column_params, term]
            clauses.append("(" + " OR ".join(either) + ")")
        return "(" + " AND ".join(clauses) + ")", params


class NameRank(_FoldedColumns):
    """0 for a word starting with `term` in one of the columns, 1 for any other hit.

    With `stored` (PostgreSQL) the words of the stored folded name: the same.
    """

    output_field = IntegerField()

    def __init__(self, *fields: str, term: str, stored: bool = False) -> None:
        super().__init__(*fields)
        self.term = term
        self.stored = stored

    def as_sql(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        if self.stored and connection.vendor == "postgresql":
            name = self.stored_column(compiler, "search_name")
            sql = f"CASE WHEN {name} LIKE %s OR {name} LIKE %s THEN 0 ELSE 1 END"
            return sql, [f"{self.term}%", f"% {self.term}%"]
        starts: list[str] = []
        params: list[object] = []
        for _name, folded, column_params in self.folded_columns(compiler):
            # A word starting with it: the column's first, or one after a space.
            starts += [f"{folded} LIKE %s", f"{folded} LIKE %s"]
            params += [*column_params, f"{self.term}%", *column_params, f"% {self.term}%"]
        return f"CASE WHEN {' OR '.join(starts)} THEN 0 ELSE 1 END", params


class NameTier(_FoldedColumns):
    """Whether a hit belongs to `tier` of the name order (by_name).

    Tier 0: the last name starts with `term`; 1: else the first name does; 2:
    any other hit. The tests compare the folded names joined as `key` writes
    them, so that on PostgreSQL tiers 0 and 1 are a range of the btree indexes
    of search/migrations/0004 (byte order: COLLATE "C").
    """

    output_field = BooleanField()

    def __init__(self, last: str, first: str, *, term: str, tier: int, stored: bool) -> None:
        super().__init__(last, first)
        self.term, self.tier, self.stored = term, tier, stored

    def as_sql(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        by_last = f"{self.key(compiler, connection, first_name_first=False)} LIKE %s"
        by_first = f"{self.key(compiler, connection, first_name_first=True)} LIKE %s"
        prefix = f"{self.term}%"
        if self.tier == 0:
            return by_last, [prefix]
        if self.tier == 1:
            return f"({by_first} AND NOT ({by_last}))", [prefix, prefix]
        return f"(NOT ({by_last}) AND NOT ({by_first}))", [prefix, prefix]

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


def name_filter(
    fields: list[str], query: Query, *, fuzzy: list[str], stored: bool = False
) -> NameMatch:
    """Every term found in one of the `fields` (folded), or like it in a `fuzzy` one.

    `stored`: the table has the stored folded columns of search/migrations/0003
    over exactly these `fields` (PostgreSQL reads them instead of folding).
    """
    return NameMatch(*fields, terms=query.terms, fuzzy=fuzzy, stored=stored)


def name_rank(fields: list[str], query: Query, *, stored: bool = False) -> NameRank:
    """0 for a word of the name starting with the first term, 1 for any other hit."""
    return NameRank(*fields, term=query.terms[0], stored=stored)


def with_folded(queryset: QuerySet, fields: list[str]) -> QuerySet:  # type: ignore[type-arg]
    """`queryset` with kam_fold of each text field, for SQLite's text_filter."""
    return queryset.alias(**{f"_f_{name}": Folded(F(name)) for name in fields})


def text_filter(fields: list[str], query: Query) -> Q | TextMatch:
    """Every term (as a prefix, or stemmed) in one of the text `fields`."""
    if on_postgres():
        return TextMatch(*fields, terms=query.terms)
    condition = Q()
    for term in query.terms:
        either = Q()
        for name in fields:
            either |= Q(**{f"_f_{name}__contains": stem(term)})
        condition &= either
    return condition


def text_queryset(queryset: QuerySet, fields: list[str], query: Query) -> QuerySet:  # type: ignore[type-arg]
    """`queryset` narrowed to rows whose text `fields` match `query`."""
    if on_postgres():
        return queryset.filter(text_filter(fields, query))
    return with_folded(queryset, fields).filter(text_filter(fields, query))


def by_name(
    queryset: QuerySet,  # type: ignore[type-arg]
    *,
    match: NameMatch,
    last: str,
    first: str,
    query: Query,
    stored: bool,
    offset: int,
    count: int,
) -> list:  # type: ignore[type-arg]
    """`count` hits of `queryset` matching `match` from `offset`, in the name
    order of NameTier.

    Last names starting with the first term, then first names, then every
    other hit (a word of the name starting with it first, NameRank); within a
    tier by the folded names. Tier by tier, each read in its own order and
    only while the earlier ones fall short: on PostgreSQL tiers 0 and 1 are
    index ranges, so a common prefix ("bau", 15,000 of 125,000 contacts in
    `make bench SCALE=5000`) is read as deep as the page, not sorted whole.
    One to three queries, fewer the more the first tier holds (a fourth, a
    count, only on a later page that starts past a whole tier).

    `match` comes apart from `queryset` because a one-word query needs it in
    tier 2 only: a name starting with the word holds it (NameMatch looks for
    it anywhere in the folded names, which the tiers' keys are made of).
    Without it tiers 0 and 1 are a range of their btree alone, instead of
    that range intersected with a scan of the trigram index (0.4 against
    1.2 ms a tier at 125,000 contacts).
    """
    term = query.terms[0]
    rows: list = []  # type: ignore[type-arg]
    skip = offset
    for tier in (0, 1, 2):
        want = count - len(rows)
        if want <= 0:
            break
        in_tier = queryset.filter(NameTier(last, first, term=term, tier=tier, stored=stored))
        if tier == 2 or len(query.terms) > 1:
            in_tier = in_tier.filter(match)
        order: list = [NameKey(last, first, term=term, tier=tier, stored=stored), "pk"]  # type: ignore[type-arg]
        if tier == 2:
            order.insert(0, NameRank(last, first, term=term, stored=stored))
        found = list(in_tier.order_by(*order)[skip : skip + want])
        if found:  # the page starts in this tier; the next one from its first hit
            rows += found
            skip = 0
        elif skip:  # the page starts after this tier
            skip = max(0, skip - in_tier.count())
    return rows
