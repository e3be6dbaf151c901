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
    """0 for a name starting with `term` in one of the columns, 1 for any other hit.

    With `stored` (PostgreSQL): a word of the stored folded name starting with it.
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
            starts.append(f"{folded} LIKE %s")
            params += [*column_params, f"{self.term}%"]
        return f"CASE WHEN {' OR '.join(starts)} THEN 0 ELSE 1 END", params


def name_filter(
    fields: list[str], query: Query, *, fuzzy: list[str], stored: bool = False
) -> NameMatch:
    """Every term found in one of the `fields` (folded), or like it in a `fuzzy` one.

    `stored`: the table has the stored folded columns of search/migrations/0003
    over exactly these `fields` (PostgreSQL reads them instead of folding).
    """
    return NameMatch(*fields, terms=query.terms, fuzzy=fuzzy, stored=stored)


def name_rank(fields: list[str], query: Query, *, stored: bool = False) -> NameRank:
    """0 for a name starting with the first term, 1 for any other hit: the order of hits."""
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
