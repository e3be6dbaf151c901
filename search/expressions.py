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
from django.db.models import BooleanField, Case, CharField, F, Func, IntegerField, Q, QuerySet, When
from django.db.models.expressions import Combinable

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


def name_filter(fields: list[str], query: Query, *, fuzzy: list[str]) -> Q:
    """Every term found in one of the `fields` (folded), or like it in a `fuzzy` one.

    "Like it" (a small typo) is pg_trgm's word similarity, on PostgreSQL only.
    """
    condition = Q()
    for term in query.terms:
        either = Q()
        for name in fields:
            either |= Q(**{f"_f_{name}__contains": term})
            if name in fuzzy and on_postgres() and len(term) >= 4:
                either |= Q(**{f"_f_{name}__trigram_word_similar": term})
        condition &= either
    return condition


def with_folded(queryset: QuerySet, fields: list[str]) -> QuerySet:  # type: ignore[type-arg]
    """`queryset` with kam_fold of each name field, for name_filter and name_rank."""
    return queryset.alias(**{f"_f_{name}": Folded(F(name)) for name in fields})


def name_rank(fields: list[str], query: Query) -> Combinable:
    """0 for a name starting with the first term, 1 for any other hit: the order of hits."""
    first = query.terms[0]
    starts = Q()
    for name in fields:
        starts |= Q(**{f"_f_{name}__startswith": first})
    return Case(When(starts, then=0), default=1, output_field=IntegerField())


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
