"""`{% raci_rows rows %}`: the task rows of the RACI grid, through Jinja2, their cells
written in Python.

A matrix of 15 tasks and 6 roles has 450 letter buttons, each with three
attributes naming its cell. Through the template engine (a loop per cell and
per letter) they were most of the first render after a change; here they
are one string per row, every value escaped with the standard library's
`html.escape` as Django's own `escape` does. The rest of each row (the task,
its comment link, its actions) is the Jinja2 partial raci/_task_rows.jinja,
which renders in about half the time Django's engine took for it (5 against
10 ms for the bench's 15 tasks; kamteam/jinja2.py). The markup is the one
the Django templates wrote. `{% my_roles_sections entries %}`: the sections of
"My roles", through Jinja2 (raci/_my_roles_sections.jinja) too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from itertools import groupby
from operator import attrgetter

from django import template
from django.template import Context
from django.utils.safestring import SafeString, mark_safe

from accounts.models import TeamRole
from core.templatetags.kam import jinja
from raci.models import RaciTask
from raci.selectors import MyRole

register = template.Library()

NOTHING = '<span class="text-body-secondary">–</span>'  # a cell without letters, read-only


Row = tuple[RaciTask, Sequence[tuple[TeamRole, Sequence[str]]]]


@register.simple_tag(takes_context=True)
def raci_rows(context: Context, rows: Sequence[Row], keep_comment_link: bool = False) -> SafeString:
    """The rows of `rows` (a matrix's, or one task's after a toggle) as the grid shows them.

    The context is the grid's (raci.views._matrix_context, _template_context,
    raci.cell_views._toggled_row): the matrix for its first and last task and
    its gaps, `can_edit` and `letters`, `task_actions` ("template" for a
    company template), the account or the template, and the account's
    `comment_counts`. `keep_comment_link`: leave each row's comment link as
    the page has it (hx-preserve), for the answer to a toggled letter.
    """
    matrix = context["matrix"]
    can_edit = bool(context.get("can_edit"))
    letters = context.get("letters", ())

    def cells(task: RaciTask, row: Iterable[tuple[TeamRole, Sequence[str]]]) -> SafeString:
        return raci_cells(task, row, can_edit=can_edit, letters=letters)

    return jinja(
        "raci/_task_rows.jinja",
        rows=rows,
        first=matrix.tasks[0].pk if matrix.tasks else None,
        last=matrix.tasks[-1].pk if matrix.tasks else None,
        incomplete=matrix.incomplete,
        can_edit=can_edit,
        task_actions=context.get("task_actions"),
        keep_comment_link=keep_comment_link,
        comment_counts=(context.get("comment_counts") or {}).get("task", {}),
        account=context.get("account"),
        template=context.get("template"),
        cells=cells,
    )


def raci_cells(
    task: RaciTask,
    cells: Iterable[tuple[TeamRole, Sequence[str]]],
    *,
    can_edit: bool,
    letters: Sequence[str],
) -> SafeString:
    """One task's cells: letter buttons for an editor, the letters for a reader."""
    task_name = escape(task.name)
    if can_edit:
        row = [_buttons(task.pk, task_name, role, cell, letters) for role, cell in cells]
    else:
        row = [_letters(cell) for _role, cell in cells]
    return mark_safe("".join(row))  # every value escaped


def _buttons(
    task_pk: int, task_name: str, role: TeamRole, cell: Sequence[str], letters: Sequence[str]
) -> str:
    role_name = escape(role.name)
    buttons = "".join(
        f'<button type="submit" name="cell" value="{task_pk}:{role.pk}:{letter}" '
        f'id="letter-{task_pk}-{role.pk}-{letter}" class="btn letter-btn'
        f'{f" on letter-{letter}" if letter in cell else ""}" '
        f'aria-pressed="{"true" if letter in cell else "false"}" '
        f'aria-label="{letter}, {role_name}, {task_name}">{letter}</button>'
        for letter in letters
    )
    return (
        '\n          <td class="text-center raci-cell">\n'
        f'              <span class="btn-group btn-group-sm" role="group" '
        f'aria-label="{role_name}, {task_name}">\n'
        f"              {buttons}\n              </span>\n          </td>"
    )


def _letters(cell: Sequence[str]) -> str:
    shown = "".join(f'<span class="letter letter-{escape(x)}">{escape(x)}</span>' for x in cell)
    shown = shown or NOTHING
    return f'\n          <td class="text-center raci-cell">\n            {shown}\n          </td>'


@register.simple_tag
def my_roles_sections(entries: Sequence[MyRole]) -> SafeString:
    """The entries of "My roles" (raci.selectors.my_roles, in the order of their
    accounts' names) as one section per account."""
    by_account = groupby(entries, key=attrgetter("account"))
    sections = [(account, list(group)) for account, group in by_account]
    return jinja("raci/_my_roles_sections.jinja", sections=sections)
