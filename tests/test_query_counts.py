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

PAGES = {
    # name: (url builder, actor, pinned query count)
    "home": (lambda w: reverse("home"), "member", 6),
    "list": (lambda w: reverse("accounts:list"), "manager", 7),
    # overview and plan: the revenue per year, actuals and the plans' targets (issue 13)
    "overview": (lambda w: reverse("accounts:detail", args=[w.account.slug]), "member", 20),
    "plan": (lambda w: reverse("accounts:plan", args=[w.account.slug]), "member", 15),
    "team": (lambda w: reverse("accounts:team", args=[w.account.slug]), "member", 8),
    "contacts": (lambda w: reverse("accounts:contacts", args=[w.account.slug]), "member", 7),
    "tree": (lambda w: reverse("accounts:contact_tree", args=[w.account.slug]), "member", 7),
    "composition": (
        lambda w: reverse("accounts:team_composition", args=[w.account.slug]),
        "lead",
        10,  # visibility: colours opted in, the person's own shares (profiles.access)
    ),
    "contact": (
        lambda w: reverse("accounts:contact_detail", args=[w.account.slug, w.contact.pk]),
        "member",
        17,
    ),
    "history": (
        # One kind of record: the page costs a query per kind of record it shows,
        # and newest first, 25 rows of each push the fixture's other kinds off
        # page 1 (every kind at once: workspace/tests/test_account_history_tab.py).
        # A contact's buying-centre roles are two more: their history rows and names.
        lambda w: reverse("accounts:history", args=[w.account.slug]) + "?kind=contacts",
        "lead",
        13,
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
        PotentialFactory(plan=world.plan)
        ObjectiveFactory(plan=world.plan)


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
    assert _count_url(world, "member", reverse("my_roles")) == small == 8


def _count_url(world: World, actor: str, url: str) -> int:
    return page_queries(world.client_for(actor), url)
