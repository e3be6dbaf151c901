"""`{% raci_cells task cells %}`: one task's cells of the RACI matrix, written in Python.

A matrix of 15 tasks and 6 roles has 450 letter buttons, each with three
attributes naming its cell. Through the template engine (a loop per cell and
per letter) they were most of the first render after a change; here they
are one string per row, every value escaped with the standard library's
`html.escape` as Django's own `escape` does. The markup is the one the
template wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from accounts.models import TeamRole
from raci.models import RaciTask

register = template.Library()

NOTHING = '<span class="text-body-secondary">–</span>'  # a cell without letters, read-only


@register.simple_tag(takes_context=True)
def raci_cells(
    context: Any, task: RaciTask, cells: Iterable[tuple[TeamRole, Sequence[str]]]
) -> SafeString:
    task_name = escape(task.name)
    if context.get("can_edit"):
        letters = context["letters"]
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
