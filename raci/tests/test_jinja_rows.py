"""The RACI grid's task rows and shared roles, rendered with Jinja2 (raci/jinja2/,
kamteam/jinja2.py): as the Django templates wrote them, in the viewer's language,
escaped, with each row's links and its first and last place."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from comments.models import Comment
from kamteam.jinja2 import id_url
from raci.models import RaciAssignment, RaciTask, RaciTemplate, RaciTemplateTask
from tests.factories import TeamMemberFactory, UserFactory, role
from tests.fixtures import World

TRICKY = 'Tom & "Jerry" <b>'
ESCAPED = "Tom &amp; &#34;Jerry&#34; &lt;b&gt;"  # markupsafe writes " as &#34;


def _row(html: str, task: RaciTask) -> str:
    start = html.index(f'<tr id="raci-task-{task.pk}">')
    return html[start : html.index("</tr>", start)]


def _tasks(world: World, *names: str) -> list[RaciTask]:
    """Tasks after the world's "Framework contract" (order 1), each with one R."""
    tasks = []
    for order, name in enumerate(names, start=2):
        task = RaciTask.objects.create(account=world.account, name=name, order=order)
        RaciAssignment.objects.create(task=task, role=role("gkam"), letter="R")
        tasks.append(task)
    return tasks


def _client(user, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def test_only_the_first_row_cannot_move_up_and_only_the_last_down(
    world: World, lead_client
) -> None:
    middle, last = _tasks(world, "Price talks", "Forecast")
    html = lead_client.get(reverse("raci:matrix", args=[world.account.slug])).text
    disabled = re.compile(r'value="(up|down)" class="btn btn-sm btn-link px-1 py-0" disabled')
    assert disabled.findall(_row(html, world.raci_task)) == ["up"]
    assert disabled.findall(_row(html, middle)) == []
    assert disabled.findall(_row(html, last)) == ["down"]
    move = reverse("raci:task_move", args=[world.account.slug, middle.pk])
    edit = reverse("raci:task_edit", args=[world.account.slug, middle.pk])
    delete = reverse("raci:task_delete", args=[world.account.slug, middle.pk])
    row = _row(html, middle)
    assert row.count(f'formaction="{move}"') == 2
    assert f'href="{edit}">Rename<span class="visually-hidden"> Price talks</span>' in row
    assert f'href="{delete}">Delete<span class="visually-hidden"> Price talks</span>' in row


def test_the_answer_to_a_toggle_keeps_the_rows_place(world: World, lead_client) -> None:
    (last,) = _tasks(world, "Forecast")
    cell = f"{last.pk}:{role('inside-sales').pk}:C"
    url = reverse("raci:toggle", args=[world.account.slug])
    html = lead_client.post(url, {"cell": cell}, HTTP_HX_REQUEST="true").text
    row = _row(html, last)
    assert 'value="up" class="btn btn-sm btn-link px-1 py-0" >' in row
    assert 'value="down" class="btn btn-sm btn-link px-1 py-0" disabled>' in row
    # The comment link stays as the page has it: the answer sends an empty, kept span.
    assert f'id="raci-task-comments-{last.pk}" data-hx-preserve="true"></span>' in row


def test_a_task_name_is_escaped_everywhere_in_its_row(world: World, lead_client) -> None:
    (task,) = _tasks(world, TRICKY)
    TeamMemberFactory(account=world.account, role=role("gkam"), user=UserFactory())
    html = lead_client.get(reverse("raci:matrix", args=[world.account.slug])).text
    row = _row(html, task)
    assert "<b>" not in row and 'Tom & "' not in row
    assert f'<th scope="row" class="fw-semibold task-col">{ESCAPED}' in row
    assert f'<span class="visually-hidden">Move up {ESCAPED}</span>' in row
    assert f"Comment on {ESCAPED}</span>" in row
    # The cells are written by Python's html.escape (&quot;), as before.
    assert 'aria-label="R, GKAM, Tom &amp; &quot;Jerry&quot; &lt;b&gt;"' in row
    # Two GKAMs hold its R: the shared roles name the task, escaped as well.
    assert f"R on “{ESCAPED}”" in html


def test_rows_and_shared_roles_in_german(world: World) -> None:
    first, second = _tasks(world, "Preisgespräche", "Prognose")
    for body in ("a", "b"):
        Comment.objects.create(account=world.account, task=first, author=world.lead, body=body)
    Comment.objects.create(account=world.account, task=second, author=world.lead, body="c")
    TeamMemberFactory(account=world.account, role=role("gkam"), user=UserFactory())
    html = _client(world.lead, "de").get(reverse("raci:matrix", args=[world.account.slug])).text
    assert '<span class="visually-hidden">Nach oben Preisgespräche</span>' in _row(html, first)
    assert "Umbenennen" in _row(html, first) and "Rename" not in html
    assert '2<span class="visually-hidden"> Kommentare zu Preisgespräche</span>' in html
    assert '1<span class="visually-hidden"> Kommentar zu Prognose</span>' in html
    assert "Rollen, die mehrere Personen innehaben" in html
    assert "Die Rolle GKAM haben" in html and "ohne getrennte Zuständigkeitsbereiche" in html
    assert "R bei „Preisgespräche“; R bei „Prognose“" in html
    assert "is held by" not in html


def test_a_reader_sees_letters_without_actions(world: World) -> None:
    html = _client(world.member).get(reverse("raci:matrix", args=[world.account.slug])).text
    row = _row(html, world.raci_task)
    assert "task-actions" not in row and "<button" not in row
    thread = reverse("comments:thread", args=[world.account.slug, "task", world.raci_task.pk])
    assert f'href="{thread}"' in row


def test_company_template_rows_offer_remove_and_no_comments(world: World) -> None:
    template = RaciTemplate.objects.create(name="Standard")
    task = RaciTemplateTask.objects.create(template=template, name=TRICKY, order=1)
    html = _client(world.manager).get(reverse("raci:template", args=[template.pk])).text
    row = _row(html, task)
    remove = reverse("raci:template_task_delete", args=[template.pk, task.pk])
    assert f'href="{remove}">Remove<span class="visually-hidden"> {ESCAPED}</span>' in row
    assert "comment-link" not in row and "Move up" not in row


def test_id_url_is_the_address_reverse_gives() -> None:
    edit = id_url("raci:task_edit", "nordwind")
    for pk in (0, 7, 123456789012345678):
        assert edit(pk) == reverse("raci:task_edit", args=["nordwind", pk])
    thread = id_url("comments:thread", "nord-0", "task")
    assert thread(10) == reverse("comments:thread", args=["nord-0", "task", 10])
    # Not an int: reversed as it is (and refused like reverse() refuses it).
    assert edit("12") == reverse("raci:task_edit", args=["nordwind", "12"])
