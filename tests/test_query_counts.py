"""Query-count pins: list and workspace pages cost the same at 1 and 25 rows.

Each page is measured after growing every kind of row it shows to 1 and to
25. The counts must be equal (no N+1) and equal to the pinned number, so a
change that adds a query is a deliberate one.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import BuyingCentreRole
from actions.tests.factories import PlanActionFactory
from activities.models import Activity
from comments import services as comment_services
from comments.models import Target
from comments.selectors import Thread
from opportunities.tests.factories import OpportunityFactory
from profiles.models import Motive, MotiveScore, Profile
from raci.models import RaciAssignment, RaciTask
from tests.factories import (
    ContactFactory,
    KeyAccountFactory,
    ObjectiveFactory,
    PotentialFactory,
    TeamMemberFactory,
    UserFactory,
    role,
)
from tests.fixtures import World
from tests.queries import page_queries

# Every count includes one query for the unread count of the top bar's bell
# (notifications.context_processors), on every page since notifications came.
PAGES = {
    # name: (url builder, actor, pinned query count)
    # home: the person's items of every kind (workspace.today; more pins below)
    "home": (lambda w: reverse("home"), "member", 12),  # +1: unread customer news
    "list": (lambda w: reverse("accounts:list"), "manager", 8),
    # overview and plan: the revenue per year, actuals and the plans' targets (issue 13)
    # +1: the key players not contacted lately (activities.selectors)
    # -2: the coverage's touchpoints, owners and meetings in one UNION (core.facts)
    "overview": (lambda w: reverse("accounts:detail", args=[w.account.slug]), "member", 17),
    # +1: the actions under the objectives (app `actions`)
    # + the plan sections: opportunities' actuals and pipeline (2), actions, national plans
    # +4: comments (app `comments`): the counts per thread, and the plan's own thread
    # at the page's foot: its total, its newest ten with their mentions
    # +2: the earlier wordings of the edited ones, the form's team handles for @mentions
    "plan": (lambda w: reverse("accounts:plan", args=[w.account.slug]), "member", 27),
    "team": (lambda w: reverse("accounts:team", args=[w.account.slug]), "member", 9),
    "opportunities": (
        lambda w: reverse("opportunities:list", args=[w.account.slug]),
        "member",
        7,  # the opportunities with their links, in one query
    ),
    # +2: the last contacts and the key players not contacted lately (activities)
    "contacts": (lambda w: reverse("accounts:contacts", args=[w.account.slug]), "member", 12),
    "activities": (
        lambda w: reverse("activities:list", args=[w.account.slug]),
        "member",
        11,  # the page, its contacts and colleagues (two prefetches), the people filter
    ),
    "tree": (lambda w: reverse("accounts:contact_tree", args=[w.account.slug]), "member", 8),
    "composition": (
        lambda w: reverse("accounts:team_composition", args=[w.account.slug]),
        "lead",
        11,  # visibility: colours opted in, the person's own shares (profiles.access)
    ),
    "contact": (
        lambda w: reverse("accounts:contact_detail", args=[w.account.slug, w.contact.pk]),
        "member",
        # the last and next touchpoint and the relationship owners (issue 14);
        # +2: the recent activities with their colleagues
        23,
    ),
    "history": (
        # One kind of record: the page costs a query per kind of record it shows,
        # and newest first, 25 rows of each push the fixture's other kinds off
        # page 1 (every kind at once: workspace/tests/test_account_history_tab.py).
        # A contact's buying-centre roles are two more: their history rows and names.
        lambda w: reverse("accounts:history", args=[w.account.slug]) + "?kind=contacts",
        "lead",
        14,
    ),
}


def _profile(profile: Profile, motives: list[Motive]) -> None:
    profile.save()
    MotiveScore.objects.bulk_create(
        MotiveScore(profile=profile, motive=m, score=Decimal("1.2")) for m in motives
    )


def _grow(world: World, n: int) -> None:
    """Give every list the pages show n rows."""
    decider = BuyingCentreRole.objects.get(code="decider")
    motives = list(Motive.objects.all())
    if n == 1:
        _profile(Profile(contact=world.contact, primary_colour="green"), motives)
    boss = world.contact
    for i in range(n):
        account = KeyAccountFactory()
        TeamMemberFactory(account=account, user=world.member, role=role("engineering"))
        TeamMemberFactory(account=account, user=UserFactory(), role=role("gkam"))
        colleague = UserFactory()
        TeamMemberFactory(
            account=world.account,
            user=colleague,
            role=role("engineering"),
            team="extended" if i % 2 else "core",
        )
        _profile(Profile(user=colleague, primary_colour="red", share_with_team=True), motives)
        contact = ContactFactory(account=world.account, reports_to=boss, influence=5)
        contact.buying_roles.add(decider)
        _profile(Profile(contact=contact, primary_colour="blue"), motives)
        boss = contact if i % 3 else world.contact
        potential = PotentialFactory(plan=world.plan)
        objective = ObjectiveFactory(plan=world.plan)
        OpportunityFactory(owner=world.lead_membership, potential=potential, objective=objective)
        PlanActionFactory(objective=objective, owner=world.membership, contact=world.contact)
        # An activity with the new contact and world.contact, two colleagues along.
        activity = Activity.objects.create(
            account=world.account, subject=f"Visit {i}", happened_on="2026-11-02", kind="visit"
        )
        activity.contacts.set([contact, world.contact])
        activity.participants.set([colleague, world.member])
        # Comments on the plan and on the new objective, each naming the new
        # colleague; every plan comment edited once (its earlier wording shown).
        for target, thing in ((Target.OBJECTIVE, objective), (Target.PLAN, world.plan)):
            plan_comment = comment_services.comment_add(
                thread=Thread(world.account, target, thing),
                body=f"Note {i} @{colleague.username}",
                mentioned=[colleague],
                actor=world.member,
            )
        plan_comment.body = f"Note {i}, corrected @{colleague.username}"
        comment_services.comment_edit(
            thread=Thread(world.account, Target.PLAN, world.plan),
            comment=plan_comment,
            mentioned=[colleague],
            expected_version=plan_comment.version,
            actor=world.member,
        )


def _count(world: World, name: str) -> int:
    url_for, actor, _ = PAGES[name]
    return page_queries(world.client_for(actor), url_for(world))


@pytest.mark.parametrize("name", PAGES)
def test_query_count_does_not_grow_with_the_data(world: World, name: str) -> None:
    _grow(world, 1)
    small = _count(world, name)
    _grow(world, 24)
    large = _count(world, name)
    assert small == large, f"{name}: {small} queries with 1 row, {large} with 25"
    assert large == PAGES[name][2], f"{name}: pinned {PAGES[name][2]}, now {large}"


def _raci_tasks(world: World, account, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        task = RaciTask.objects.create(account=account, name=f"Task {i}", order=i)
        RaciAssignment.objects.bulk_create(
            RaciAssignment(task=task, role=role(code), letter=letter)
            for code, letter in (("gkam", "R"), ("management", "A"), ("inside-sales", "C"))
        )


@pytest.mark.parametrize("name", ["raci:matrix", "raci:table", "raci:export_xlsx"])
def test_raci_matrix_queries_do_not_grow_with_tasks(world: World, name: str) -> None:
    url = reverse(name, args=[world.account.slug])
    _raci_tasks(world, world.account, 2, start=1)  # 3 tasks with the world's own
    small = _count_url(world, "lead", url)
    _raci_tasks(world, world.account, 57, start=3)  # 60 tasks
    assert _count_url(world, "lead", url) == small


def test_my_roles_queries_do_not_grow_with_accounts(world: World) -> None:
    _raci_tasks(world, world.account, 3, start=1)
    small = _count_url(world, "member", reverse("my_roles"))
    for _ in range(29):
        account = KeyAccountFactory()
        TeamMemberFactory(account=account, user=world.member, role=role("inside-sales"))
        TeamMemberFactory(account=account, user=UserFactory(), role=role("gkam"))
        _raci_tasks(world, account, 3)
    # 9: with the unread count of the top bar's bell (notifications.context_processors)
    assert _count_url(world, "member", reverse("my_roles")) == small == 9


def _count_url(world: World, actor: str, url: str) -> int:
    return page_queries(world.client_for(actor), url)


# The home page (workspace.today): every kind of item, for each kind of reader ----


def _grow_home(world: World, n: int) -> None:
    """n more accounts that the lead leads and the member is on, each with every kind
    of item the home page shows: overdue and coming-up touchpoints of both, an
    overdue objective, a plan running out, an unread review, changed RACI letters,
    a decider without an owner, thank-yous due, last week's health snapshot."""
    import datetime

    from news.models import NewsItem
    from portfolio.models import HealthSnapshot, PlanReview
    from tests.factories import PlanFactory
    from touchpoints.models import Touchpoint

    decider = BuyingCentreRole.objects.get(code="decider")
    for i in range(n):
        account = KeyAccountFactory()
        lead = TeamMemberFactory(account=account, user=world.lead, role=role("gkam"))
        seat = TeamMemberFactory(account=account, user=world.member, role=role("inside-sales"))
        contact = ContactFactory(account=account)
        contact.buying_roles.add(decider)
        plan = PlanFactory(account=account, start_year=2024, end_year=2026)
        objective = ObjectiveFactory(plan=plan, due_date=datetime.date(2026, 11, 1))
        for owner in (lead, seat):  # an overdue action each (app `actions`)
            PlanActionFactory(
                objective=objective, owner=owner, due_date=datetime.date(2026, 11, 20)
            )
        PlanReview.objects.create(plan=plan, reviewed_by=world.manager, comment="Fine.")
        # Unread customer news for both, through their roles (app `news`).
        news = NewsItem.objects.create(account=account, title=f"News {i}", audience="roles")
        news.roles.set([role("gkam"), role("inside-sales")])
        news.contacts.set([contact])
        for owner in (lead, seat):
            for quarter, date in ((3, None), (4, datetime.date(2026, 12, 10))):
                Touchpoint.objects.create(
                    account=account,
                    contact=contact,
                    year=2026,
                    quarter=quarter,
                    date=date,
                    title=f"Touchpoint {i} Q{quarter}",
                    owner=owner,
                )
        _raci_tasks(world, account, 2, start=i * 2)
        HealthSnapshot.objects.create(
            account=account, week=datetime.date(2026, 11, 23), score=90, band="healthy"
        )


# Per reader: the lead sees every kind of item, the member their own, the
# manager the portfolio summary (on no team of their own here).
# The manager: +3 since the summary reads stored scores (portfolio.scores): the
# stale ones found, scored and stored; +3 more since each of its three lists is
# counted in a query of its own (two index reads instead of one sort of all).
# +2: unread customer news. -2: the bands and two of the lists counted in one
# pass over the stored rows (portfolio.summary). The lead: -3 since lead_facts reads
# this year's touchpoints, owners, meetings and A/R letters in one UNION; -1 since
# the decision makers are read in that UNION too, not as the contacts' buying roles.
HOME_PINS = {"member": 13, "lead": 20, "manager": 15}


@pytest.mark.parametrize("actor", list(HOME_PINS))
def test_home_queries_do_not_grow_with_accounts_and_touchpoints(world: World, actor: str) -> None:
    import datetime
    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2026, 12, 2)):
        _grow_home(world, 1)
        small = _count_url(world, actor, reverse("home"))
        _grow_home(world, 9)
        large = _count_url(world, actor, reverse("home"))
        text = world.client_for(actor).get(reverse("home")).text
    assert small == large, f"home as {actor}: {small} queries with 2 accounts, {large} with 11"
    assert large == HOME_PINS[actor], f"home as {actor}: pinned {HOME_PINS[actor]}, now {large}"
    if actor != "manager":  # the page did show items of every kind it promises
        assert "Touchpoint 8 Q3" in text and "Touchpoint 8 Q4" in text
    if actor == "lead":
        for words in ("Objective", "Runs out in", "reviewed the plan", "Task 1", "thank you"):
            assert words in text, words
        assert "All your roles" in text  # 20 changed tasks: the latest 15, and a link
    if actor == "manager":
        assert "Portfolio: 11 active accounts" in text
