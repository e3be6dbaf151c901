"""Issue 18, health over time: staff-set weights, the trend arrow, the 12-week line."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import KeyAccount
from actions.tests.factories import PlanActionFactory
from portfolio.health_line import line_of
from portfolio.models import HealthSnapshot, HealthWeights
from portfolio.selectors import portfolio_queryset
from portfolio.services import week_of
from portfolio.weights import WEIGHTS_CACHE_KEY, weights_in_force
from tests.factories import KeyAccountFactory, PlanFactory, TeamMemberFactory, UserFactory, role
from tests.fixtures import World
from tests.queries import page_queries
from touchpoints.models import TeamMeeting

TODAY = datetime.date(2026, 11, 25)  # a Wednesday
WEEK = week_of(TODAY)


@pytest.fixture(autouse=True)
def _clock():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def _weights(plan: int, responsibilities: int, execution: int, team: int) -> HealthWeights:
    return HealthWeights.objects.create(
        plan=plan, responsibilities=responsibilities, execution=execution, team=team
    )


def _snapshot(account: KeyAccount, weeks_back: int, score: int) -> None:
    HealthSnapshot.objects.create(
        account=account,
        week=WEEK - datetime.timedelta(weeks=weeks_back),
        score=score,
        band="healthy" if score >= 75 else "watch" if score >= 50 else "risk",
    )


def _score(account: KeyAccount) -> int:
    return portfolio_queryset(today=TODAY).get(pk=account.pk).health


# Weights ----------------------------------------------------------------------------


@pytest.mark.parametrize("weights", [(30, 25, 25, 25), (25, 25, 25, 24), (100, 0, 0, 1)])
def test_weights_that_do_not_add_up_to_100_are_refused_by_the_database(
    db: None, weights: tuple[int, int, int, int]
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        _weights(*weights)


def test_there_is_one_row_of_weights(db: None) -> None:
    _weights(40, 20, 20, 20)
    HealthWeights(plan=10, responsibilities=30, execution=30, team=30).save()  # the same row
    assert HealthWeights.objects.get().as_dict() == {
        "plan": 10,
        "responsibilities": 30,
        "execution": 30,
        "team": 30,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        HealthWeights.objects.bulk_create([HealthWeights(pk=2)])


def test_the_admin_form_says_the_weights_must_add_up_to_100(db: None) -> None:
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:portfolio_healthweights_add")
    data = {"plan": 40, "responsibilities": 25, "execution": 25, "team": 25}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "The four weights must add up to 100." in response.text
    assert not HealthWeights.objects.exists()
    response = client.post(url, {**data, "plan": 25})
    assert response.status_code == 302
    assert HealthWeights.objects.get().history.count() == 1  # kept with its history
    # One row: no second one to add, none to delete.
    assert client.get(url).status_code == 403


def test_the_score_follows_the_weights_in_force(world: World) -> None:
    # The world: a draft plan (12 of 25), no complete RACI task, one touchpoint
    # not overdue (25), no in-person meeting.
    assert _score(world.account) == 12 + 0 + 25 + 0
    _weights(40, 20, 30, 10)
    assert _score(world.account) == 40 * 12 // 25 + 0 + 30 + 0
    TeamMeeting.objects.create(
        account=world.account, year=2026, quarter=2, purpose="Team day", format="in_person"
    )
    assert _score(world.account) == 19 + 30 + 10


def test_default_weights_without_a_row_are_25_each(db: None) -> None:
    assert weights_in_force() == dict.fromkeys(
        ["plan", "responsibilities", "execution", "team"], 25
    )


def test_saved_weights_replace_the_cached_ones(db: None) -> None:
    assert weights_in_force()["plan"] == 25
    assert cache.get(WEIGHTS_CACHE_KEY) is not None
    weights = _weights(40, 20, 20, 20)
    assert weights_in_force()["plan"] == 40
    weights.plan, weights.team = 20, 40
    weights.save()
    assert weights_in_force() == {"plan": 20, "responsibilities": 20, "execution": 20, "team": 40}


def test_the_pages_explain_the_weights_in_force(world: World) -> None:
    _weights(40, 20, 30, 10)
    text = world.client_for("manager").get(reverse("portfolio:portfolio")).text
    assert "40 if a key account plan covering this year is agreed" in text
    assert "19 if it is agreed on neither, 19 if it is still a draft" in text
    assert "20 × the share of RACI tasks" in text
    assert (
        "30 × the share of this year's touchpoints (cancelled ones aside) and plan actions" in text
    )
    assert "10 if the core team has an in-person meeting" in text
    response = world.client_for("member").get(reverse("accounts:health", args=["nordwind"]))
    assert "plan 40, responsibilities 20, execution 30, team 10" in response.text
    parts = response.context["parts"]
    assert [(p.points, p.out_of, p.lost) for p in parts] == [
        (19, 40, 21),
        (0, 20, 20),
        (30, 30, 0),
        (0, 10, 10),
    ]


def test_an_empty_portfolio_still_explains_the_weights(db: None) -> None:
    _weights(10, 30, 30, 30)
    client = Client()
    client.force_login(UserFactory(manager=True))
    text = client.get(reverse("portfolio:portfolio")).text
    assert "10 if a key account plan covering this year is agreed" in text


# Execution: touchpoints and plan actions ------------------------------------------------


def _action(world: World, due: datetime.date, status: str = "open") -> None:
    PlanActionFactory(
        objective=world.plan.objectives.first(),
        owner=world.lead_membership,
        due_date=due,
        status=status,
        done_on=due if status == "done" else None,
    )


def test_overdue_plan_actions_cost_execution_points(world: World) -> None:
    row = portfolio_queryset(today=TODAY).get(pk=world.account.pk)
    assert (row.exec_kept, row.exec_total, row.tp_points) == (1, 1, 25)  # one touchpoint
    _action(world, datetime.date(2026, 11, 1))  # overdue
    _action(world, datetime.date(2026, 10, 1), status="done")  # done late: kept
    _action(world, datetime.date(2026, 12, 20))  # not due yet
    _action(world, datetime.date(2027, 1, 15))  # next year's: not counted
    _action(world, datetime.date(2025, 6, 1))  # last year's, still open: not counted
    row = portfolio_queryset(today=TODAY).get(pk=world.account.pk)
    assert (row.act_year, row.act_year_overdue) == (3, 1)
    assert (row.exec_kept, row.exec_total, row.tp_points) == (3, 4, 25 * 3 // 4)
    response = world.client_for("member").get(reverse("accounts:health", args=["nordwind"]))
    execution = response.context["parts"][2]
    assert execution.finding == (
        "None of this year's 1 touchpoint is overdue. Plan actions due this year: 1 of 3 overdue."
    )
    assert execution.link == world.plan.get_absolute_url()
    assert "give the other actions a new due date" in execution.advice


# The trend arrow ------------------------------------------------------------------------


def _trend_cell(client: Client, name: str) -> str:
    text = client.get(reverse("portfolio:portfolio")).text
    return text.split(f">{name}</a>", 1)[1].split("</td>", 2)[1]


def test_without_a_snapshot_there_is_no_trend_yet(world: World) -> None:
    assert "no trend yet" in _trend_cell(world.client_for("manager"), "Nordwind AG")


@pytest.mark.parametrize(
    ("before", "code", "label", "icon"),
    [
        (20, "up", "rising (+17)", "bi-arrow-up-right"),
        (60, "down", "falling (-23)", "bi-arrow-down-right"),
        (35, "flat", "steady (+2)", "bi-arrow-right"),
    ],
)
def test_the_arrow_compares_with_four_weeks_ago(
    world: World, before: int, code: str, label: str, icon: str
) -> None:
    assert _score(world.account) == 37
    _snapshot(world.account, 4, before)
    _snapshot(world.account, 2, 90)  # not the one compared with
    _snapshot(world.account, 6, 10)  # older than four weeks: nor this one
    row = portfolio_queryset(today=TODAY).get(pk=world.account.pk)
    assert (row.trend_score, row.trend_week) == (before, WEEK - datetime.timedelta(weeks=4))
    cell = _trend_cell(world.client_for("manager"), "Nordwind AG")
    assert label in cell and icon in cell and f"health-trend-{code}" in cell
    # In words for screen readers, not by the arrow or its colour alone.
    assert "since the week of 26 Oct 2026" in cell


def test_without_a_snapshot_four_weeks_back_the_oldest_since_counts(world: World) -> None:
    _snapshot(world.account, 3, 60)
    _snapshot(world.account, 1, 30)
    _snapshot(world.account, 0, 10)  # this week's is "now", never the comparison
    cell = _trend_cell(world.client_for("manager"), "Nordwind AG")
    assert "falling (-23)" in cell and "since the week of 2 Nov 2026" in cell


def test_a_snapshot_before_four_weeks_counts_when_the_fourth_week_is_missing(
    world: World,
) -> None:
    _snapshot(world.account, 7, 20)
    _snapshot(world.account, 5, 25)
    row = portfolio_queryset(today=TODAY).get(pk=world.account.pk)
    assert row.trend_score == 25


# The 12-week line ------------------------------------------------------------------------


def test_the_line_breaks_where_a_week_has_no_snapshot() -> None:
    scores = {WEEK - datetime.timedelta(weeks=back): 50 + back for back in (0, 1, 2, 5, 6, 9)}
    line = line_of(scores, today=TODAY)
    assert len(line.points) == 12 and line.points[-1].week == WEEK
    assert [p.score for p in line.points] == [
        None, None, 59, None, None, 56, 55, None, None, 52, 51, 50
    ]  # fmt: skip
    assert len(line.segments) == 3  # 9 alone, 6-5, 2-0
    assert [s.count(",") for s in line.segments] == [1, 2, 3]
    # Higher scores are drawn higher up (smaller y).
    assert line.points[2].y < line.points[-1].y
    assert [p.labelled for p in line.points].count(True) == 4


def test_the_health_page_draws_twelve_weeks_with_a_table(world: World) -> None:
    for back, score in ((0, 37), (1, 40), (3, 80)):
        _snapshot(world.account, back, score)
    response = world.client_for("member").get(reverse("accounts:health", args=["nordwind"]))
    text = response.text
    assert 'role="img"' in text and 'aria-labelledby="health-line-title health-line-desc"' in text
    assert "Health score of Nordwind AG per week" in text
    assert text.count("<polyline") == 2  # weeks 3 and 1-0, with a gap between
    assert text.count('class="score-point"') == 3
    assert text.count("no snapshot") == 9
    assert "<td>healthy</td>" in text and "<td>at risk</td>" in text


@pytest.mark.parametrize(
    ("language", "tick"),
    # Each language's way of naming a day of the year (kamteam/formats): the German
    # axis read "5 Okt" before, neither German nor English.
    [
        ("en", r"\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"),
        ("de", r"\d{1,2}\. \w+\.?"),
    ],
)
def test_the_weeks_on_the_axis_are_dated_as_the_language_does(
    world: World, language: str, tick: str
) -> None:
    _snapshot(world.account, 0, 37)
    client = world.client_for("member")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    text = client.get(reverse("accounts:health", args=["nordwind"])).text
    ticks = re.findall(
        r'<text class="tick" x="[\d.]+" y="[\d.]+" text-anchor="middle">([^<]+)<', text
    )
    assert ticks, "the axis names no week"
    assert all(re.fullmatch(tick, t) for t in ticks), ticks
    if language == "de":
        assert any(t.endswith(("Okt.", "Nov.", "Sept.")) for t in ticks), ticks


def test_the_health_page_without_snapshots_says_so(world: World) -> None:
    text = world.client_for("lead").get(reverse("accounts:health", args=["nordwind"])).text
    assert "No weekly snapshot yet" in text and "<svg" not in text.split("health-line-h", 1)[1]


def test_the_health_page_costs_the_same_with_twelve_weeks_of_snapshots(world: World) -> None:
    client = world.client_for("member")
    url = reverse("accounts:health", args=["nordwind"])
    small = page_queries(client, url)
    for back in range(12):
        _snapshot(world.account, back, 40 + back)
    assert page_queries(client, url) == small


def test_the_portfolio_costs_the_same_with_snapshots(world: World) -> None:
    client = world.client_for("manager")
    url = reverse("portfolio:portfolio")
    small = page_queries(client, url)
    for i in range(20):
        account = KeyAccountFactory(name=f"Trend {i:02}")
        TeamMemberFactory(account=account, role=role("gkam"))
        PlanFactory(account=account)
        for back in range(6):
            _snapshot(account, back, 30 + i + back)
    assert page_queries(client, url) == small


# The trend as a filter, a sort and an export column --------------------------------------


def _rows(client: Client, query: str) -> list[str]:
    """The account names of the portfolio table, in the order shown."""
    text = client.get(reverse("portfolio:portfolio") + query).text
    return re.findall(r'<a class="fw-semibold" href="[^"]+">([^<]+)</a>', text)


def _trending(world: World) -> dict[str, KeyAccount]:
    """Nordwind rising by 17, Falling GmbH falling, Steady AG steady, New AG without a trend."""
    accounts = {"Nordwind AG": world.account}
    _snapshot(world.account, 4, 20)
    for name in ("Falling GmbH", "Steady AG", "New AG"):
        accounts[name] = KeyAccountFactory(name=name)
    _snapshot(accounts["Falling GmbH"], 4, _score(accounts["Falling GmbH"]) + 30)
    _snapshot(accounts["Steady AG"], 4, _score(accounts["Steady AG"]) + 1)
    return accounts


@pytest.mark.parametrize(
    ("trend", "expected"),
    [("down", ["Falling GmbH"]), ("up", ["Nordwind AG"]), ("flat", ["Steady AG"])],
)
def test_the_portfolio_filters_by_trend(world: World, trend: str, expected: list[str]) -> None:
    _trending(world)
    assert _rows(world.client_for("manager"), f"?trend={trend}") == expected


def test_an_unknown_trend_is_named_and_dropped(world: World) -> None:
    _trending(world)
    response = world.client_for("manager").get(reverse("portfolio:portfolio") + "?trend=sideways")
    assert response.status_code == 200
    assert "trend=sideways" in response.text
    assert len(_rows(world.client_for("manager"), "?trend=sideways")) == 4


def test_the_portfolio_sorts_by_trend_falling_first_and_no_trend_last(world: World) -> None:
    _trending(world)
    client = world.client_for("manager")
    assert _rows(client, "?sort=trend") == ["Falling GmbH", "Steady AG", "Nordwind AG", "New AG"]
    assert _rows(client, "?sort=-trend") == ["Nordwind AG", "Steady AG", "Falling GmbH", "New AG"]
    text = client.get(reverse("portfolio:portfolio") + "?sort=trend").text
    assert 'aria-sort="ascending"' in text and "by trend" in text


def test_the_exports_carry_the_trend_and_the_pipeline_coverage(world: World) -> None:
    import csv
    import io

    from opportunities.tests.factories import OpportunityFactory
    from portfolio import exports

    _trending(world)
    world.plan.revenue_targets.create(year=TODAY.year, amount=2000000)  # the gap: 1,000,000
    OpportunityFactory(value=500000, probability=50, owner=world.lead_membership)
    response = world.client_for("manager").get(reverse("portfolio:export_csv") + "?trend=up")
    rows = list(csv.reader(io.StringIO(response.text.removeprefix("\ufeff"))))
    header = rows[0]
    assert header == exports.columns(TODAY.year)
    assert header[-5:-1] == [
        "Weighted pipeline 2026 (EUR)",
        "Pipeline covers the 2026 gap (%)",
        "Health trend",
        "Health change (points)",
    ]
    (nordwind,) = rows[1:]
    assert nordwind[0] == "Nordwind AG"
    assert [Decimal(nordwind[-5]), nordwind[-4], nordwind[-3], nordwind[-2]] == [
        Decimal(250000),
        "25",
        "rising",
        "17",
    ]
