"""A hot query's SQL built once per shape; each run only puts in its values.

Django builds and compiles every queryset anew: resolving the lookups and the
joins, choosing the columns, quoting each name. For the dozen queries of a
first render that is a third of the page's time, more than the database takes
for them (README, "First renders"). SQLAlchemy keeps a cache of compiled
statements for this; Django has none, and the library that did it for Django
(django-prepared-queries) stopped before Django 2.

`prepared(build)` wraps a function that builds a queryset from plain values
(ints, strings, dates, lists of them). The first run of each *shape* builds
the queryset twice, with two sets of stand-in values, and compiles both. A
parameter that follows the stand-ins is an argument; one that stays the same
is a constant of the query; anything else (a value derived from an argument,
such as the bounds of a year, or one read from the clock) means the SQL
cannot be kept, and the query is built and compiled on every run, as before.
Later runs copy the kept compiler and give the database the kept SQL with
this run's values, so the rows become model instances (or values) exactly as
Django's own iterables make them.

The shape is what changes the SQL besides the values: the number of items of
each list (``IN (%s, %s)``), the value of an argument that is not a plain
value (None, a bool), the database, the active language and time zone. A run
returns the rows as a list, never a queryset: nothing can be chained onto
kept SQL.

With ``PREPARED_QUERIES_CHECK`` on (the test settings), a query that cannot be
kept fails loudly, and every run also compiles the query the ordinary way and
fails if the SQL or the values differ: the test suite checks every kept query
on every use.

This leans on Django's internals: the compiler's state after ``as_sql``
(``select``, ``klass_info``, ``annotation_col_map``, ``col_count``), which
Django's iterables read, and ``QuerySet._chain``. Django 5.2 is an LTS; on an
upgrade, core/tests/test_prepared.py and the check above are what says
whether they still hold.
"""

from __future__ import annotations

import copy
import datetime
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.sql import Query
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone, translation

P = ParamSpec("P")
T = TypeVar("T")

# Shapes kept per query: a list of every length from 0 to 63 (a person's
# accounts, say); beyond that the least recently used shape makes room.
MAX_SHAPES = 64

_PLAIN = (int, str, datetime.date)  # a datetime is a date too
_LISTS = (list, tuple)
# How a backend hands a value of an argument's type to its driver (SQLite:
# dates and datetimes as text), tried after the value itself.
_ADAPTERS = {
    datetime.datetime: "adapt_datetimefield_value",
    datetime.date: "adapt_datefield_value",
}


class NotPreparable(Exception):
    """The query's SQL depends on more than the shape of its arguments."""


Slot = tuple[tuple[int, ...], str | None] | None  # (argument path, adapter) or a constant


@dataclass(frozen=True)
class _Kept:
    template: QuerySet[Any]  # built with the first stand-ins: its iterable and prefetches
    compiler: SQLCompiler | None  # None: the query selects nothing (an empty IN)
    sql: str
    slots: tuple[Slot, ...]
    constants: tuple[Any, ...]
    converters: dict[int, Any]


_UNPREPARABLE = object()


# Integers beyond any column's range are left to Django, which drops the
# comparison (and SQLite could not take them as a parameter).
_INT_RANGE = range(-(2**31), 2**31)


def _is_plain(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value in _INT_RANGE
    return isinstance(value, _PLAIN)


def _is_plain_list(value: object) -> bool:
    return isinstance(value, _LISTS) and all(_is_plain(v) for v in value)


def _shape(args: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """What besides the values decides the SQL; None when it cannot be told."""
    parts: list[Any] = []
    for value in args:
        if _is_plain(value):
            parts.append(type(value))
        elif _is_plain_list(value):
            # Django leaves out repeated items of an IN list: which ones repeat is shape.
            first = {v: i for i, v in reversed(list(enumerate(value)))}
            parts.append((type(value), tuple((type(v), first[v]) for v in value)))
        elif isinstance(value, int) and not isinstance(value, bool):
            return None  # out of range: see _INT_RANGE
        else:
            try:
                hash(value)
            except TypeError:
                return None
            parts.append(("value", type(value), value))
    return tuple(parts)


class _StandIns:
    """Values no query meets by chance; the two variants differ in every one."""

    def __init__(self, variant: int, using: str) -> None:
        self.variant = variant
        self.ops = connections[using].ops
        self.count = 0
        self.paths: dict[tuple[type, Any], tuple[tuple[int, ...], str | None]] = {}

    def _make(self, value: Any, path: tuple[int, ...]) -> Any:
        self.count += 1
        n = self.count
        if isinstance(value, datetime.datetime):
            base = datetime.datetime(1901 + self.variant, 1, 1, tzinfo=value.tzinfo)
            made: Any = base + datetime.timedelta(seconds=n)
        elif isinstance(value, datetime.date):
            made = datetime.date(1901 + self.variant, 1, 1) + datetime.timedelta(days=n)
        elif isinstance(value, int):
            # Within every integer column's range, small ones included: Django
            # leaves out a comparison with a number the column cannot hold
            # (`quarter < -10**12` is always false), which would change the SQL.
            made = 20_000 + 6_000 * self.variant + 3 * n
        else:
            made = f"\x1fkamteam-prepared-{self.variant}-{n}\x1f"
        self.paths[(type(made), made)] = (path, None)
        adapter = _ADAPTERS.get(type(made))
        if adapter:
            adapted = getattr(self.ops, adapter)(made)
            self.paths.setdefault((type(adapted), adapted), (path, adapter))
        return made

    def args(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        out: list[Any] = []
        for i, value in enumerate(args):
            if _is_plain(value):
                out.append(self._make(value, (i,)))
            elif _is_plain_list(value):
                made: dict[Any, Any] = {}  # a repeated item, the same stand-in
                for j, v in enumerate(value):
                    if v not in made:
                        made[v] = self._make(v, (i, j))
                out.append(type(value)(made[v] for v in value))
            else:
                out.append(value)
        return tuple(out)

    def slot_of(self, param: Any) -> tuple[tuple[int, ...], str | None] | None:
        try:
            return self.paths.get((type(param), param))
        except TypeError:  # an unhashable parameter (an array for = ANY)
            return None


def _compiled(queryset: QuerySet[Any], using: str) -> tuple[SQLCompiler | None, str, tuple]:
    compiler = queryset.query.get_compiler(using=using)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None, "", ()
    return compiler, sql, tuple(params)


def _keep(build: Callable[..., QuerySet[Any]], args: tuple[Any, ...], using: str) -> _Kept:
    first, second = _StandIns(0, using), _StandIns(1, using)
    try:
        template = build(*first.args(args))
        compiler, sql, params = _compiled(template, using)
        _, other_sql, other_params = _compiled(build(*second.args(args)), using)
    except (ArithmeticError, ValueError, TypeError) as error:
        # The stand-ins went into arithmetic (a year's first day, an offset):
        # the SQL holds values derived from the arguments.
        raise NotPreparable(f"the query computes with its arguments: {error}") from error
    if sql != other_sql or len(params) != len(other_params):
        raise NotPreparable("the SQL changes with the values")
    slots: list[Slot] = []
    constants: list[Any] = []
    for one, two in zip(params, other_params, strict=True):
        slot = first.slot_of(one)
        if slot is not None and second.slot_of(two) == slot:
            slots.append(slot)
            constants.append(None)
        elif slot is None and second.slot_of(two) is None and one == two:
            slots.append(None)
            constants.append(one)
        else:
            raise NotPreparable(f"a value derived from the arguments or the moment: {one!r}")
    kept = _Kept(template, compiler, sql, tuple(slots), tuple(constants), {})
    # The real values once more, the ordinary way: the SQL they make must be the kept one.
    _, real_sql, real_params = _compiled(build(*args), using)
    if (real_sql, real_params) != (sql, _params(kept, args, using)):
        raise NotPreparable("these values make other SQL than the stand-ins")
    converters = {}
    if compiler is not None:
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        converters = compiler.get_converters(fields)
    return _Kept(template, compiler, sql, tuple(slots), tuple(constants), converters)


class _KeptQuery(Query):
    """A copy of the template's query that compiles to the kept SQL with this run's values."""

    kept: _Kept
    params: tuple[Any, ...]

    def get_compiler(self, using=None, connection=None, elide_empty=True):  # type: ignore[no-untyped-def]
        kept, params = self.kept, self.params
        compiler = copy.copy(kept.compiler)
        compiler.query = self
        compiler.connection = connection or connections[using or DEFAULT_DB_ALIAS]
        compiler.using = using
        compiler.as_sql = lambda *a, **k: (kept.sql, params)  # type: ignore[method-assign]
        compiler.get_converters = lambda expressions: kept.converters  # type: ignore[method-assign]
        return compiler


class Prepared(Generic[P, T]):
    """See the module; made by `prepared`."""

    def __init__(self, build: Callable[P, QuerySet[T]], using: str = DEFAULT_DB_ALIAS) -> None:
        self.build = build
        self.using = using
        self.shapes: OrderedDict[tuple[Any, ...], _Kept | object] = OrderedDict()
        self.lock = threading.Lock()
        self.__name__ = getattr(build, "__name__", "prepared")
        self.__doc__ = build.__doc__

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> list[T]:
        if kwargs:
            raise TypeError(f"{self.__name__} takes its arguments by position")
        kept = self._kept(args)
        if not isinstance(kept, _Kept):
            return list(self.build(*args))
        if kept.compiler is None:
            return []
        params = _params(kept, args, self.using)
        if getattr(settings, "PREPARED_QUERIES_CHECK", False):
            self._check(args, kept.sql, params)
        queryset = kept.template._chain()  # copies the template's query too
        query = queryset.query
        query.__class__ = _KeptQuery
        query.kept = kept  # type: ignore[attr-defined]
        query.params = params  # type: ignore[attr-defined]
        return list(queryset)

    def first(self, *args: P.args, **kwargs: P.kwargs) -> T | None:
        """The first row, or None: `.first()` of a query that slices itself to one row."""
        rows = self(*args, **kwargs)
        return rows[0] if rows else None

    def sql(self, *args: P.args, **kwargs: P.kwargs) -> tuple[str, tuple[Any, ...]] | None:
        """The query's SQL and parameters for `args`, for a statement that holds it
        (an INSERT ... SELECT); None when it selects nothing (an empty IN)."""
        if kwargs:
            raise TypeError(f"{self.__name__} takes its arguments by position")
        kept = self._kept(args)
        if not isinstance(kept, _Kept):
            compiler, sql, params = _compiled(self.build(*args), self.using)
            return None if compiler is None else (sql, params)
        if kept.compiler is None:
            return None
        params = _params(kept, args, self.using)
        if getattr(settings, "PREPARED_QUERIES_CHECK", False):
            self._check(args, kept.sql, params)
        return kept.sql, params

    def _kept(self, args: tuple[Any, ...]) -> _Kept | object:
        shape = _shape(args)
        if shape is None:
            return _UNPREPARABLE
        key = (
            self.using,
            translation.get_language(),
            timezone.get_current_timezone_name(),
            shape,
        )
        with self.lock:
            kept = self.shapes.get(key)
            if kept is not None:
                self.shapes.move_to_end(key)
                return kept
        try:
            kept = _keep(self.build, args, self.using)
        except NotPreparable:
            if getattr(settings, "PREPARED_QUERIES_CHECK", False):
                raise
            kept = _UNPREPARABLE
        with self.lock:
            self.shapes[key] = kept
            while len(self.shapes) > MAX_SHAPES:
                self.shapes.popitem(last=False)
        return kept

    def _check(self, args: tuple[Any, ...], sql: str, params: tuple[Any, ...]) -> None:
        _, fresh_sql, fresh_params = _compiled(self.build(*args), self.using)
        if (fresh_sql, fresh_params) != (sql, params):
            raise AssertionError(
                f"{self.__name__}: the kept SQL differs from a fresh compile\n"
                f"kept:  {sql} {params}\nfresh: {fresh_sql} {fresh_params}"
            )


def _params(kept: _Kept, args: tuple[Any, ...], using: str) -> tuple[Any, ...]:
    """The kept query's parameters for `args`."""
    ops = connections[using].ops
    return tuple(
        constant if slot is None else _value(args, slot, ops)
        for slot, constant in zip(kept.slots, kept.constants, strict=True)
    )


def _value(args: tuple[Any, ...], slot: tuple[tuple[int, ...], str | None], ops: Any) -> Any:
    path, adapter = slot
    value: Any = args[path[0]]
    if len(path) == 2:
        value = value[path[1]]
    return getattr(ops, adapter)(value) if adapter else value


@dataclass(frozen=True)
class Slice:
    """Which rows of a kept query to read, from `offset`, at most `count` (None:
    all). Passed as an argument, it is the query's shape, not a value: LIMIT and
    OFFSET are written into the SQL."""

    offset: int = 0
    count: int | None = None

    def of(self, queryset: QuerySet[T]) -> QuerySet[T]:
        if self.count is None:
            return queryset[self.offset :] if self.offset else queryset
        return queryset[self.offset : self.offset + self.count]


def prepared(build: Callable[P, QuerySet[T]]) -> Prepared[P, T]:
    """Decorate a function that builds a queryset from plain values (see the module)."""
    return Prepared(build)
