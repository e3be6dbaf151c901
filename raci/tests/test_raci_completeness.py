"""A complete task counts only the A and R somebody on the team holds (issue 13, point 2).

One rule in three places: the portfolio's health (RaciTask.objects.complete()
in SQL), the matrix's check and "My roles" (raci.checks.task_gaps).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import KeyAccount
from portfolio.selectors import portfolio_queryset
from raci import selectors
from raci.demo import HANDBOOK_RACI
from raci.models import (
    RaciAssignment,
    RaciTask,
    RaciTemplate,
    RaciTemplateAssignment,
    RaciTemplateTask,
)
from tests.factories import KeyAccountFactory, TeamMemberFactory, UserFactory, role
from tests.fixtures import World

FRAMEWORK, RELATIONSHIP, OFFERS = (name for name, _letters in HANDBOOK_RACI)


def _handbook_template() -> RaciTemplate:
    template = RaciTemplate.objects.create(name="Global key account (handbook)")
    for order, (name, letters) in enumerate(HANDBOOK_RACI, start=1):
        task = RaciTemplateTask.objects.create(template=template, name=name, order=order)
        for letter, codes in letters.items():
            for code in codes:
                RaciTemplateAssignment.objects.create(task=task, role=role(code), letter=letter)
    return template


def _letters(task: RaciTask, **letters: str) -> RaciTask:
    """Give `task` letters by role code: _letters(task, gkam="RA", management="C")."""
    for code, held in letters.items():
        for letter in held:
            RaciAssignment.objects.create(
                task=task, role=role(code.replace("_", "-")), letter=letter
            )
    return task


def _complete_in_sql(account: KeyAccount) -> set[str]:
    return set(RaciTask.objects.filter(account=account).complete().values_list("name", flat=True))


def _complete_in_matrix(account: KeyAccount) -> set[str]:
    matrix = selectors.matrix_for(account)
    return {t.name for t in matrix.tasks if t.pk not in matrix.incomplete}


@pytest.fixture
def gkam_only(db: None) -> tuple[KeyAccount, object]:
    """The issue's case: an account whose team is one GKAM, with the handbook template applied."""
    account = KeyAccountFactory(name="Solo GmbH", slug="solo")
    gkam = UserFactory(username="solo-gkam", first_name="Greta", last_name="Global")
    TeamMemberFactory(account=account, user=gkam, role=role("gkam"))
    client = Client()
    client.force_login(gkam)
    response = client.post(
        reverse("raci:apply_template", args=[account.slug]), {"template": _handbook_template().pk}
    )
    assert response.status_code == 302
    return account, gkam


def test_gkam_only_handbook_matrix_is_not_complete_on_the_page(gkam_only, client) -> None:
    account, gkam = gkam_only
    client.force_login(gkam)
    html = client.get(reverse("raci:matrix", args=[account.slug])).content.decode()
    assert "Not complete yet" in html
    assert "Complete: every task" not in html
    assert "the A sits with Management, and nobody on the team holds that role" in html
    assert "the R sits with NKAM, and nobody on the team holds that role" in html


def test_portfolio_matrix_and_my_roles_agree_for_the_gkam_only_case(gkam_only) -> None:
    account, gkam = gkam_only
    row = portfolio_queryset().get(pk=account.pk)
    assert (row.raci_complete, row.raci_total) == (1, 3)
    assert row.raci_points == 8  # 25 * 1 / 3, not the 25 points of the issue
    matrix = selectors.matrix_for(account)
    assert not matrix.is_complete
    # The one complete task, by all three.
    assert _complete_in_sql(account) == _complete_in_matrix(account) == {RELATIONSHIP}
    entries = {e.task.name: e for e in selectors.my_roles(gkam)}
    assert set(entries) == {FRAMEWORK, RELATIONSHIP}  # GKAM holds no letter on the offers
    assert {name for name, e in entries.items() if not e.gaps} == {RELATIONSHIP}
    assert any("Management" in gap for gap in entries[FRAMEWORK].gaps)


def test_my_roles_page_marks_the_incomplete_task(gkam_only, client) -> None:
    _account, gkam = gkam_only
    client.force_login(gkam)
    html = client.get(reverse("my_roles")).content.decode()
    assert html.count("not complete") == 1
    assert "the A sits with Management, and nobody on the team holds that role" in html


def test_the_task_becomes_complete_when_someone_takes_the_role(gkam_only) -> None:
    account, _gkam = gkam_only
    TeamMemberFactory(account=account, role=role("management"), team="extended")
    assert _complete_in_sql(account) == _complete_in_matrix(account) == {FRAMEWORK, RELATIONSHIP}
    assert portfolio_queryset().get(pk=account.pk).raci_complete == 2


def test_a_former_member_holds_nothing(world: World) -> None:
    """Engineering is held only by a member who left the team."""
    task = _letters(world.raci_task, gkam="R", engineering="A")
    assert _complete_in_sql(world.account) == _complete_in_matrix(world.account) == set()
    world.former_membership.archived_at = None
    world.former_membership.save()
    assert _complete_in_sql(world.account) == _complete_in_matrix(world.account) == {task.name}


def test_a_holder_on_another_account_does_not_count(world: World) -> None:
    TeamMemberFactory(role=role("management"))  # on some other account's team
    _letters(world.raci_task, gkam="R", management="A")
    assert _complete_in_sql(world.account) == _complete_in_matrix(world.account) == set()
    row = portfolio_queryset().get(pk=world.account.pk)
    assert (row.raci_complete, row.raci_total) == (0, 1)


def test_one_held_r_is_enough(world: World) -> None:
    """R on GKAM (held) and on Management (held by nobody): somebody does the task."""
    _letters(world.raci_task, gkam="RA", management="R")
    assert (
        _complete_in_sql(world.account)
        == _complete_in_matrix(world.account)
        == {world.raci_task.name}
    )
    entry = selectors.my_roles(world.lead)[0]
    assert entry.gaps == []


@pytest.mark.parametrize(
    ("letters", "complete"),
    [
        ({"gkam": "RA"}, True),
        ({"gkam": "A", "inside_sales": "R"}, True),
        ({"gkam": "R"}, False),  # no A
        ({"gkam": "A"}, False),  # no R
        ({"gkam": "R", "nkam": "A"}, False),  # A with nobody
        ({"nkam": "R", "gkam": "A"}, False),  # R with nobody
        ({"nkam": "RA", "inside_sales": "C"}, False),
    ],
)
def test_sql_and_matrix_agree(world: World, letters: dict[str, str], complete: bool) -> None:
    _letters(world.raci_task, **letters)
    expected = {world.raci_task.name} if complete else set()
    assert _complete_in_sql(world.account) == _complete_in_matrix(world.account) == expected
    entries = selectors.my_roles(world.lead) + selectors.my_roles(world.member)
    assert entries and all(bool(e.gaps) is not complete for e in entries)


def test_a_template_has_no_team_and_is_checked_for_letters_only(world: World) -> None:
    task = world.template_task
    RaciTemplateAssignment.objects.create(task=task, role=role("nkam"), letter="R")
    RaciTemplateAssignment.objects.create(task=task, role=role("management"), letter="A")
    assert selectors.template_matrix(world.template).is_complete


def test_a_task_held_by_nobody_is_marked_in_the_grid(world: World, lead_client) -> None:
    _letters(world.raci_task, gkam="R", management="A")
    html = lead_client.get(reverse("raci:matrix", args=[world.account.slug])).content.decode()
    assert "not complete" in html
    RaciAssignment.objects.filter(role=role("management")).delete()
    _letters(world.raci_task, gkam="A")
    html = lead_client.get(reverse("raci:matrix", args=[world.account.slug])).content.decode()
    assert "not complete" not in html
    assert "Complete: every task has exactly one A and at least one R" in html


def test_a_complete_template_says_complete_without_a_team(world: World) -> None:
    for code, letter in (("nkam", "R"), ("management", "A")):
        world.template_task.assignments.create(role=role(code), letter=letter)
    html = world.client_for("manager").get(reverse("raci:template", args=[world.template.pk]))
    text = html.content.decode()
    assert "Complete: every task has exactly one A and at least one R." in text
    assert "held by someone on the team" not in text
