"""RACI: letters, the one-A rule, checks, templates, my roles, exports."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts import services as account_services
from accounts.access import account_access, account_access_with_team
from raci import selectors
from raci.models import RaciAssignment, RaciMatrix, RaciTask, RaciTemplateAssignment
from raci.parts import matrix_parts
from tests.factories import KeyAccountFactory, TeamMemberFactory, UserFactory, role
from tests.fixtures import World
from tests.snapshot import database_snapshot


def _toggle(client, world: World, task: RaciTask, role_code: str, letter: str, **headers):
    cell = f"{task.pk}:{role(role_code).pk}:{letter}"
    return client.post(reverse("raci:toggle", args=[world.account.slug]), {"cell": cell}, **headers)


def _letters(task: RaciTask) -> set[tuple[str, str]]:
    return {(a.role.code, a.letter) for a in task.assignments.select_related("role")}


def test_lead_toggles_letters_on_and_off(world: World, lead_client) -> None:
    task = world.raci_task
    assert _toggle(lead_client, world, task, "gkam", "R").status_code == 302
    assert _toggle(lead_client, world, task, "inside-sales", "C").status_code == 302
    assert _toggle(lead_client, world, task, "inside-sales", "I").status_code == 302
    assert _letters(task) == {("gkam", "R"), ("inside-sales", "C"), ("inside-sales", "I")}
    _toggle(lead_client, world, task, "inside-sales", "I")
    assert _letters(task) == {("gkam", "R"), ("inside-sales", "C")}


def test_htmx_toggle_returns_the_row_and_the_checks(world: World, lead_client) -> None:
    response = _toggle(lead_client, world, world.raci_task, "gkam", "R", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    # The row goes in place of the row; the checks into their live region.
    assert response["HX-Retarget"] == f"#raci-task-{world.raci_task.pk}"
    assert response["HX-Reswap"] == "outerHTML"
    assert html.lstrip().startswith(f'<tr id="raci-task-{world.raci_task.pk}">')
    assert '<div id="raci-checks" data-hx-swap-oob="innerHTML">' in html
    assert "needs exactly one A" in html
    pressed = f'id="letter-{world.raci_task.pk}-{role("gkam").pk}-R" class="btn letter-btn on'
    assert pressed in html
    assert 'id="raci-grid"' not in html  # not the whole grid


def test_the_full_page_has_the_ids_the_row_answer_targets(world: World, lead_client) -> None:
    html = lead_client.get(reverse("raci:matrix", args=[world.account.slug])).content.decode()
    assert f'<tr id="raci-task-{world.raci_task.pk}">' in html
    assert 'id="raci-checks" aria-live="polite"' in html


def test_dropping_the_last_letter_of_a_role_nobody_holds_redraws_the_grid(
    world: World, lead_client
) -> None:
    # Management holds a letter but nobody on the team holds the role: its
    # column goes with its last letter, so the answer is the whole grid.
    RaciAssignment.objects.create(task=world.raci_task, role=role("management"), letter="I")
    response = _toggle(
        lead_client, world, world.raci_task, "management", "I", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "HX-Retarget" not in response
    assert html.lstrip().startswith('<div id="raci-grid">')
    assert ">Management<" not in html
    assert not RaciAssignment.objects.filter(role=role("management")).exists()


def test_toggle_queries_do_not_grow_with_the_matrix(
    world: World, lead_client, django_assert_num_queries
) -> None:
    """Read once before the change, built again in memory: the same queries for a
    matrix of 1 task as of 30, each letter's notification in the change's transaction."""
    _toggle(lead_client, world, world.raci_task, "gkam", "R", HTTP_HX_REQUEST="true")  # warm up
    url = reverse("raci:toggle", args=[world.account.slug])
    cell = {"cell": f"{world.raci_task.pk}:{role('inside-sales').pk}:C"}
    # session, user, access with the team, the tasks with their letters, begin,
    # insert, its history, the
    # notification (its recipients read by the same INSERT ... SELECT on PostgreSQL,
    # before it elsewhere), commit, counter. No comment counts: the row keeps its link.
    expected = 10 if connection.vendor == "postgresql" else 11
    with django_assert_num_queries(expected):
        response = lead_client.post(url, cell, HTTP_HX_REQUEST="true")  # on
    keep = f'id="raci-task-comments-{world.raci_task.pk}" data-hx-preserve="true"></span>'
    assert keep in response.content.decode()
    page = lead_client.get(reverse("raci:matrix", args=[world.account.slug])).content.decode()
    assert f'id="raci-task-comments-{world.raci_task.pk}"><a ' in page  # the link it keeps
    for i in range(29):
        task = RaciTask.objects.create(account=world.account, name=f"Task {i}", order=10 + i)
        RaciAssignment.objects.create(task=task, role=role("gkam"), letter="A")
    with django_assert_num_queries(expected):
        lead_client.post(url, cell, HTTP_HX_REQUEST="true")  # and off
    assert _letters(world.raci_task) == {("gkam", "R")}


def test_second_a_is_refused_with_a_clear_message(world: World, lead_client) -> None:
    _toggle(lead_client, world, world.raci_task, "gkam", "A")
    before = database_snapshot()
    response = _toggle(
        lead_client, world, world.raci_task, "inside-sales", "A", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200  # htmx swaps only 2xx: the grid shows the message
    assert "already has its A (GKAM)" in response.content.decode()
    assert database_snapshot() == before


def test_one_a_per_task_is_a_database_constraint(world: World) -> None:
    RaciAssignment.objects.create(task=world.raci_task, role=role("gkam"), letter="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        RaciAssignment.objects.create(task=world.raci_task, role=role("nkam"), letter="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        RaciAssignment.objects.create(task=world.raci_task, role=role("nkam"), letter="X")


@pytest.mark.parametrize(
    "cell",
    [
        "garbage",
        "1:2",
        "{task}:{role}:X",
        "{task}:{role}:",  # empty: a substring of "RASCI", but no letter
        "{task}:{role}:RA",  # two letters at once
        "999999:{role}:R",
        "{task}:999999:R",
        "{other}:{role}:R",
        "{task}:{absent}:R",  # Management: nobody on this team holds it
    ],
)
def test_bad_cells_get_a_message_and_change_nothing(world: World, lead_client, cell) -> None:
    other = RaciTask.objects.create(account=TeamMemberFactory().account, name="Elsewhere")
    value = cell.format(
        task=world.raci_task.pk,
        role=role("gkam").pk,
        other=other.pk,
        absent=role("management").pk,
    )
    before = database_snapshot()
    response = lead_client.post(
        reverse("raci:toggle", args=[world.account.slug]), {"cell": value}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "already has its A" not in html  # the message names the real problem
    assert database_snapshot() == before


def test_letter_buttons_keep_their_ids_so_focus_survives_the_swap(
    world: World, lead_client
) -> None:
    """htmx puts focus back on the element with the same id after swapping the grid."""
    cell = f"{world.raci_task.pk}:{role('gkam').pk}:R"
    response = lead_client.post(
        reverse("raci:toggle", args=[world.account.slug]), {"cell": cell}, HTTP_HX_REQUEST="true"
    )
    assert f'id="letter-{world.raci_task.pk}-{role("gkam").pk}-R"' in response.content.decode()


@pytest.mark.parametrize("direction", ["", "sideways"])
def test_task_move_needs_up_or_down(world: World, lead_client, direction: str) -> None:
    RaciTask.objects.create(account=world.account, name="Second", order=2)
    before = database_snapshot()
    url = reverse("raci:task_move", args=[world.account.slug, world.raci_task.pk])
    response = lead_client.post(url, {"direction": direction}, follow=True)
    assert "move the task up or down" in response.content.decode()
    assert database_snapshot() == before


def test_duplicate_task_names_are_rejected(world: World, lead_client) -> None:
    response = lead_client.post(
        reverse("raci:task_create", args=[world.account.slug]), {"name": "framework CONTRACT"}
    )
    assert response.status_code == 400
    assert "already has a task" in response.content.decode()
    assert world.account.raci_tasks.count() == 1


def test_add_rename_reorder_and_delete_tasks(world: World, lead_client) -> None:
    slug = world.account.slug
    lead_client.post(reverse("raci:task_create", args=[slug]), {"name": "National offers"})
    second = world.account.raci_tasks.get(name="National offers")
    lead_client.post(reverse("raci:task_move", args=[slug, second.pk]), {"direction": "up"})
    assert [t.name for t in world.account.raci_tasks.all()] == [
        "National offers",
        "Framework contract",
    ]
    lead_client.post(
        reverse("raci:task_edit", args=[slug, second.pk]), {"name": "Offers", "version": 1}
    )
    second.refresh_from_db()
    assert second.name == "Offers"
    assert lead_client.get(reverse("raci:task_delete", args=[slug, second.pk])).status_code == 200
    lead_client.post(reverse("raci:task_delete", args=[slug, second.pk]))
    assert not RaciTask.objects.filter(pk=second.pk).exists()
    assert RaciTask.history.filter(id=second.pk, history_type="-").exists()


def _outcome(read, user, slug: str, write: bool):
    try:
        return read(user, slug, write=write)
    except Http404:
        return 404
    except PermissionDenied:
        return 403


@pytest.mark.parametrize("who", ["lead", "member", "manager", "outsider", "staff"])
@pytest.mark.parametrize("write", [False, True])
def test_access_with_team_keeps_the_rules_of_account_access(
    world: World, who: str, write: bool
) -> None:
    """The toggle reads access and team in one query; who gets in, who gets 403 or
    404, and the seats found are those of account_access."""
    user = getattr(world, who)
    slug = world.account.slug
    alone = _outcome(account_access, user, slug, write)
    together = _outcome(account_access_with_team, user, slug, write)
    if isinstance(alone, int):
        assert together == alone
        return
    access, team = together
    assert access.account == alone.account
    assert access.memberships == alone.memberships
    assert (access.can_edit, access.is_lead) == (alone.can_edit, alone.is_lead)
    assert sorted(m.pk for m in team) == sorted(
        world.account.team_members.active().values_list("pk", flat=True)
    )
    assert world.former_membership not in team


def test_access_with_team_on_an_account_without_a_team(world: World) -> None:
    empty = KeyAccountFactory(slug="empty")
    access, team = account_access_with_team(world.manager, "empty")
    assert (access.account, team, access.memberships) == (empty, [], ())
    assert _outcome(account_access_with_team, world.lead, "empty", False) == 404
    assert _outcome(account_access_with_team, world.manager, "no-such", False) == 404


def test_tasks_with_letters_read_in_one_query_are_those_of_two(
    world: World, django_assert_num_queries
) -> None:
    """Tasks and letters from one LEFT JOIN: a task without letters included, in
    the matrix's order, with roles; and a task read this way saves with its history."""
    RaciTask.objects.create(account=world.account, name="Without letters", order=0)
    later = RaciTask.objects.create(account=world.account, name="Later", order=99)
    RaciAssignment.objects.create(task=later, role=role("gkam"), letter="I")
    RaciAssignment.objects.create(task=later, role=role("inside-sales"), letter="C")
    members = list(world.account.team_members.active())
    with django_assert_num_queries(1):
        parts = matrix_parts(world.account, members)
    assert [t.pk for t in parts.tasks] == list(
        world.account.raci_tasks.values_list("pk", flat=True)
    )
    assert "Without letters" in {t.name for t in parts.tasks}
    assert sorted(
        (a.pk, a.task_id, a.role_id, a.letter, a.role.code) for a in parts.assignments
    ) == sorted(
        (a.pk, a.task_id, a.role_id, a.letter, a.role.code)
        for a in RaciAssignment.objects.filter(task__account=world.account).select_related("role")
    )
    task = next(t for t in parts.tasks if t.pk == later.pk)
    assert task.account is world.account
    task.name = "Later, renamed"
    task.save()
    assert task.history.first().name == "Later, renamed"
    assert RaciTask.objects.get(pk=later.pk).name == "Later, renamed"


def test_checks_follow_the_literature(world: World) -> None:
    task = world.raci_task
    m = selectors.matrix_for(world.account)
    assert any("needs exactly one A" in e for e in m.errors)
    assert any("no R" in e for e in m.errors)
    RaciAssignment.objects.create(task=task, role=role("gkam"), letter="R")
    RaciAssignment.objects.create(task=task, role=role("gkam"), letter="A")
    for code in ("nkam", "management", "engineering"):
        RaciAssignment.objects.create(task=task, role=role(code), letter="C")
        RaciAssignment.objects.create(task=task, role=role(code), letter="I")
    m = selectors.matrix_for(world.account)
    assert m.errors == [] and m.is_complete
    warnings = " ".join(m.warnings)
    assert "consults or informs 6 roles" in warnings
    assert "Nobody on the team holds the role NKAM" in warnings
    assert "Inside sales has no R or A" in warnings


def test_many_r_and_a_on_one_role_warns(world: World) -> None:
    for i in range(6):
        task = RaciTask.objects.create(account=world.account, name=f"T{i}", order=i + 2)
        RaciAssignment.objects.create(task=task, role=role("gkam"), letter="R")
    warnings = " ".join(selectors.matrix_for(world.account).warnings)
    assert "GKAM carries 6 R and A" in warnings


def test_template_apply_copies_and_is_idempotent(world: World, lead_client) -> None:
    ttask = world.template_task
    RaciTemplateAssignment.objects.create(task=ttask, role=role("nkam"), letter="R")
    RaciTemplateAssignment.objects.create(task=ttask, role=role("nkam"), letter="A")
    world.template.tasks.create(name="framework contract")  # already on the account
    url = reverse("raci:apply_template", args=[world.account.slug])
    response = lead_client.post(url, {"template": world.template.pk}, follow=True)
    text = response.content.decode()
    assert "Added from the template: Offers" in text
    assert "left as they are: framework contract" in text
    offers = world.account.raci_tasks.get(name="Offers")
    assert _letters(offers) == {("nkam", "R"), ("nkam", "A")}
    before = database_snapshot()
    lead_client.post(url, {"template": world.template.pk})
    assert database_snapshot()["raci.RaciTask"] == before["raci.RaciTask"]


def test_managers_keep_templates(world: World) -> None:
    client = world.client_for("manager")
    response = client.post(reverse("raci:template_create"), {"name": "National account"})
    assert response.status_code == 302
    template = world.template.__class__.objects.get(name="National account")
    client.post(reverse("raci:template_task_create", args=[template.pk]), {"name": "Offers"})
    task = template.tasks.get()
    client.post(
        reverse("raci:template_toggle", args=[template.pk]),
        {"cell": f"{task.pk}:{role('nkam').pk}:A"},
    )
    assert task.assignments.get().letter == "A"


def test_matrix_status_agreed_needs_a_date(world: World, lead_client) -> None:
    url = reverse("raci:status", args=[world.account.slug])
    for letter in "RA":  # only a complete matrix can be agreed
        RaciAssignment.objects.create(task=world.raci_task, role=role("gkam"), letter=letter)
    response = lead_client.post(url, {"status": "agreed"})
    assert response.status_code == 400
    response = lead_client.post(
        url,
        {"status": "agreed", "agreed_on": "2026-09-15", "participants": [world.lead_membership.pk]},
    )
    assert response.status_code == 302
    assert RaciMatrix.objects.get(account=world.account).participants.count() == 1


def test_the_header_names_who_agreed_the_matrix_without_a_query_of_its_own(
    world: World, lead_client, django_assert_num_queries
) -> None:
    """Their seats come with their people in the status's one prefetch: an agreed
    matrix with four participants costs the queries of a draft with none."""
    matrix = RaciMatrix.objects.create(account=world.account)
    url = reverse("raci:matrix", args=[world.account.slug])
    lead_client.get(url)  # warm up
    cache.clear()  # a full render each time, not the fragment kept from the last
    with CaptureQueriesContext(connection) as draft:
        lead_client.get(url)
    members = [world.lead_membership, *(TeamMemberFactory(account=world.account) for _ in range(3))]
    matrix.status, matrix.agreed_on = "agreed", datetime.date(2026, 9, 15)
    matrix.save()
    matrix.participants.set(members)
    cache.clear()
    with django_assert_num_queries(len(draft.captured_queries)):
        page = lead_client.get(url).content.decode()
    agreed_with = page.split("with:", 1)[1].split("</p>", 1)[0]
    for member in members:
        assert member.user.display_name in agreed_with


def test_my_roles_resolves_roles_and_says_what_they_ask(world: World) -> None:
    nkam = UserFactory(username="nkam2")
    TeamMemberFactory(account=world.account, user=nkam, role=role("nkam"), country="DE")
    task = world.raci_task
    for code, letter in (("gkam", "R"), ("management", "A"), ("nkam", "C"), ("nkam", "I")):
        RaciAssignment.objects.create(task=task, role=role(code), letter=letter)
    entries = selectors.my_roles(nkam)
    assert [(e.task, e.letters) for e in entries] == [(task, ["C", "I"])]
    assert "You must be asked before a decision on this task." in entries[0].asks
    others = {(letter, r.code, people) for letter, r, people in entries[0].others}
    assert ("R", "gkam", world.lead.display_name) in others
    from django.test import Client

    client = Client()
    client.force_login(nkam)
    html = client.get(reverse("my_roles")).content.decode()
    assert "Framework contract" in html and "You must be told the result" in html


def test_only_holder_of_a_role_with_letters_cannot_leave(world: World) -> None:
    RaciAssignment.objects.create(task=world.raci_task, role=role("inside-sales"), letter="S")
    reasons = account_services.member_removal_blockers(world.membership)
    assert any("RACI" in r for r in reasons)


def test_exports_match_the_screen(world: World) -> None:
    task = world.raci_task
    RaciAssignment.objects.create(task=task, role=role("gkam"), letter="R")
    RaciAssignment.objects.create(task=task, role=role("gkam"), letter="A")
    RaciAssignment.objects.create(task=task, role=role("inside-sales"), letter="S")
    client = world.client_for("member")
    xlsx = client.get(reverse("raci:export_xlsx", args=[world.account.slug]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    header = [c.value for c in ws[4]]
    assert header == ["Task", "GKAM", "Inside sales"]
    assert [c.value for c in ws[6]] == ["Framework contract", "RA", "S"]
    assert ws["B6"].fill.fgColor.rgb.endswith("CFE2FF")  # R's colour, as on screen
    assert ws["B6"].font.b
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("raci:export_csv", args=[world.account.slug])).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows == [["Task", "GKAM", "Inside sales"], ["Framework contract", "RA", "S"]]
    page = client.get(reverse("raci:table", args=[world.account.slug])).content.decode()
    assert "Framework contract" in page


def test_members_read_but_do_not_see_edit_controls(world: World) -> None:
    html = (
        world.client_for("member")
        .get(reverse("raci:matrix", args=[world.account.slug]))
        .content.decode()
    )
    assert 'name="cell"' not in html and "Add task" not in html
