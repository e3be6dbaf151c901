"""core.prepared: kept SQL gives the rows a fresh queryset gives, for every value."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import QuerySet, Value
from django.db.models.sql import compiler as sql_compiler
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import AccountTeamMember, KeyAccount
from core import prepared as prepared_module
from core.prepared import NotPreparable, prepared
from tests.factories import KeyAccountFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the ordinary compiles (SQLCompiler.as_sql) from now on."""
    calls: list[int] = []
    original = sql_compiler.SQLCompiler.as_sql

    def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(sql_compiler.SQLCompiler, "as_sql", counted)
    return calls


@prepared
def seats_of(user_id: int, account_ids: list[int]) -> QuerySet[AccountTeamMember]:
    return (
        AccountTeamMember.objects.filter(user_id=user_id, account_id__in=account_ids)
        .select_related("account", "role")
        .order_by("account__name")
    )


@prepared
def names_from(name: str) -> QuerySet[KeyAccount]:
    return KeyAccount.objects.filter(name__gte=name).order_by("name").values_list("name", flat=True)


@prepared
def archived_at(moment: datetime.datetime | None) -> QuerySet[AccountTeamMember]:
    return AccountTeamMember.objects.filter(archived_at=moment).order_by("pk")


def test_the_rows_for_every_value_as_django_reads_them(monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, c = (KeyAccountFactory(name=n) for n in ("Alpha", "Beta", "Gamma"))
    one = TeamMemberFactory(account=a)
    TeamMemberFactory(account=b, user=one.user)
    other = TeamMemberFactory(account=c)
    for user, ids in ((one.user, [a.pk, b.pk]), (other.user, [c.pk, a.pk])):
        fresh = list(seats_of.build(user.pk, ids))
        kept = seats_of(user.pk, ids)
        assert kept == fresh and kept
        # select_related filled in as by Django's own iterable: no query to read it
        with CaptureQueriesContext(connection) as queries:
            assert [s.account.name for s in kept] == [s.account.name for s in fresh]
            assert [s.role.code for s in kept] == [s.role.code for s in fresh]
        assert not queries.captured_queries
    with override_settings(PREPARED_QUERIES_CHECK=False):
        calls = _compiles(monkeypatch)
        with CaptureQueriesContext(connection) as queries:
            assert seats_of(other.user.pk, [b.pk, c.pk])[0].account == c
    assert len(queries.captured_queries) == 1
    assert not calls, "a kept shape is not compiled again"


def test_values_lists_and_strings() -> None:
    for n in ("Alpha", "Beta", "Gamma"):
        KeyAccountFactory(name=n)
    assert names_from("B") == ["Beta", "Gamma"]
    assert names_from("Gamma") == ["Gamma"]
    assert names_from("Zeta") == []


def test_each_length_of_a_list_is_a_shape_and_an_empty_one_reads_nothing() -> None:
    a, b = KeyAccountFactory(), KeyAccountFactory()
    seat = TeamMemberFactory(account=a)
    TeamMemberFactory(account=b, user=seat.user)
    assert len(seats_of(seat.user.pk, [a.pk])) == 1
    assert len(seats_of(seat.user.pk, [a.pk, b.pk])) == 2
    seats_of(seat.user.pk, [])
    with CaptureQueriesContext(connection) as queries:
        assert seats_of(seat.user.pk, []) == []
    assert not queries.captured_queries


def test_none_is_part_of_the_shape() -> None:
    """`archived_at=None` is IS NULL, a moment is `= %s`: both right, in either order."""
    moment = timezone.now().replace(microsecond=0)
    active, archived = TeamMemberFactory(), TeamMemberFactory(archived_at=moment)
    assert archived_at(moment) == [archived]
    assert archived_at(None) == [active]
    assert archived_at(moment) == [archived]


def test_a_value_derived_from_an_argument_is_refused_and_read_the_ordinary_way() -> None:
    def founded_in(year: int) -> QuerySet[KeyAccount]:
        # __year becomes BETWEEN the year's first and last day: not the argument itself
        return KeyAccount.objects.filter(created_at__year=year)

    with pytest.raises(NotPreparable):
        prepared(founded_in)(2026)
    account = KeyAccountFactory()
    with override_settings(PREPARED_QUERIES_CHECK=False):
        refused = prepared(founded_in)
        assert refused(account.created_at.year) == [account]
        assert refused(account.created_at.year - 1) == []


def test_a_value_read_from_the_clock_is_refused() -> None:
    def recent(name: str) -> QuerySet[KeyAccount]:
        return KeyAccount.objects.filter(name=name, created_at__lte=timezone.now())

    with pytest.raises(NotPreparable):
        prepared(recent)("Alpha")


def test_dates_and_datetimes_on_either_backend() -> None:
    account = KeyAccountFactory()

    @prepared
    def created_between(start: datetime.datetime, day: datetime.date) -> QuerySet[KeyAccount]:
        return KeyAccount.objects.filter(created_at__gte=start, created_at__date__lte=day)

    moment = account.created_at
    # __date is the day in the current time zone: between 23:00 and 24:00 UTC,
    # Berlin's day is already the next one.
    day = timezone.localdate(moment)
    assert created_between(moment - datetime.timedelta(hours=1), day) == [account]
    assert created_between(moment + datetime.timedelta(hours=1), day) == []


def test_the_check_catches_sql_that_changed_behind_the_arguments() -> None:
    """A builder that reads something besides its arguments: the test settings fail it."""
    state = {"industry": "Chemistry"}

    @prepared
    def by_industry(name: str) -> QuerySet[KeyAccount]:
        return KeyAccount.objects.filter(name=name, industry=state["industry"])

    by_industry("Alpha")
    state["industry"] = "Pharma"
    with pytest.raises(AssertionError, match="differs from a fresh compile"):
        by_industry("Alpha")


def test_the_language_is_part_of_the_shape() -> None:
    KeyAccountFactory(name="Alpha")

    @prepared
    def labelled(name: str) -> QuerySet[KeyAccount]:
        return (
            KeyAccount.objects.filter(name=name)
            .annotate(label=Value(gettext("Save")))
            .values_list("label", flat=True)
        )

    with translation.override("en"):
        assert labelled("Alpha") == ["Save"]
    with translation.override("de"):
        assert labelled("Alpha") == ["Speichern"]


def test_keyword_arguments_are_refused() -> None:
    with pytest.raises(TypeError):
        names_from(name="A")  # type: ignore[call-arg]


def test_the_kept_shapes_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prepared_module, "MAX_SHAPES", 3)
    a = KeyAccountFactory()

    @prepared
    def among(ids: list[int]) -> QuerySet[KeyAccount]:
        return KeyAccount.objects.filter(pk__in=ids)

    for n in range(1, 7):
        assert among([a.pk] * n) == [a]
    assert len(among.shapes) == 3


def test_the_kept_sql_for_a_statement_of_ones_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """`.sql()`: the SQL and parameters a fresh compile gives, without compiling again;
    None for a query that selects nothing."""
    a, b = KeyAccountFactory(), KeyAccountFactory()
    seat = TeamMemberFactory(account=a)
    fresh = seats_of.build(seat.user.pk, [a.pk, b.pk]).query.sql_with_params()
    assert seats_of.sql(seat.user.pk, [a.pk, b.pk]) == fresh
    other_order = seats_of.build(seat.user.pk, [b.pk, a.pk]).query.sql_with_params()
    with override_settings(PREPARED_QUERIES_CHECK=False):
        calls = _compiles(monkeypatch)
        sql, params = seats_of.sql(seat.user.pk, [b.pk, a.pk])
    assert not calls, "a kept shape is not compiled again"
    assert (sql, params) == other_order
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert [row[0] for row in cursor.fetchall()] == [seat.pk]
    assert seats_of.sql(seat.user.pk, []) is None


def test_first_is_the_first_row_or_none() -> None:
    KeyAccountFactory(name="Alpha")
    KeyAccountFactory(name="Beta")
    assert names_from.first("A") == "Alpha"
    assert names_from.first("Z") is None
    assert names_from.first("B") == "Beta"
