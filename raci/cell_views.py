"""Editing the RACI grid in place: a letter toggled in a cell, of an account's
matrix or of a company template."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import AccountAccess, account_access_with_team
from accounts.models import TeamRole
from core.params import int_param
from raci import selectors, services
from raci.models import LETTER_ORDER, RaciTask, RaciTemplate
from raci.parts import MatrixParts, matrix_parts
from raci.views import _matrix_context, _require_template_editor, _template_context


def _parse_cell(value: str) -> tuple[int, int, str] | None:
    """The task id, role id and letter of "task:role:letter"; ids read as from a query."""
    parts = value.split(":")
    if len(parts) != 3:
        return None
    task_id, role_id = int_param(parts[0]), int_param(parts[1])
    if task_id is None or role_id is None:
        return None
    return task_id, role_id, parts[2]


@require_POST
def toggle(request: HttpRequest, slug: str) -> HttpResponse:
    """Toggle one letter in one cell.

    htmx gets the task's row and the checks: the matrix is read once, before
    the change, and built again in memory after it. A refused change, or one
    that adds or drops a column (the last letter of a role nobody on the team
    holds), gets the whole grid. Plain forms redirect.
    """
    access, team = account_access_with_team(request.user, slug, write=True)
    parts = matrix_parts(access.account, team)
    columns = parts.role_ids()
    error, task = _toggle_account_cell(request, parts)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("raci:matrix", slug)
    if task is not None and parts.role_ids() == columns:
        return _toggled_row(request, access, parts, task)
    # 200 even for a refused change: htmx swaps only successful responses, and
    # the grid carries the message where the user clicked.
    return render(request, "raci/_grid.html", _matrix_context(access, cell_error=error))


def _toggle_account_cell(
    request: HttpRequest, parts: MatrixParts
) -> tuple[str | None, RaciTask | None]:
    """Toggle the posted cell in the matrix `parts` were read from: (an error, the task)."""
    parsed = _parse_cell(request.POST.get("cell", ""))
    if parsed is None:
        return _("That cell does not exist. Reload the page and try again."), None
    task_id, role_id, letter = parsed
    task = next((t for t in parts.tasks if t.pk == task_id), None)
    if task is None:
        return _("That task is not part of this matrix."), None
    role = parts.role(role_id)
    if role is None:
        known = TeamRole.objects.filter(pk=role_id).first()
        if known is None:
            return _("That team role does not exist."), None
        return _(
            "Nobody on this account's team holds the role %(role)s. Add a team member "
            "with that role first."
        ) % {"role": known.name}, None
    try:
        services.assignment_toggle(
            task=task, role=role, letter=letter, actor=request.user, loaded=parts.assignments
        )
    except services.RaciError as exc:
        return str(exc), None
    return None, task


def _toggled_row(
    request: HttpRequest, access: AccountAccess, parts: MatrixParts, task: RaciTask
) -> HttpResponse:
    matrix = selectors.matrix_for(access.account, parts)
    cells = next(cells for t, cells in matrix.rows if t.pk == task.pk)
    response = render(
        request,
        "raci/_toggled.html",
        {
            "access": access,
            "account": access.account,
            "matrix": matrix,
            "rows": [(task, cells)],
            "letters": LETTER_ORDER,
            "can_edit": access.can_edit,
            "task_actions": "account",
        },
    )
    response["HX-Retarget"] = f"#raci-task-{task.pk}"
    response["HX-Reswap"] = "outerHTML"
    return response


def _toggle_template_cell(request: HttpRequest, template: RaciTemplate) -> str | None:
    """Toggle the posted cell of a company template; the error, if refused."""
    parsed = _parse_cell(request.POST.get("cell", ""))
    if parsed is None:
        return _("That cell does not exist. Reload the page and try again.")
    task_id, role_id, letter = parsed
    task = template.tasks.filter(pk=task_id).first()
    if task is None:
        return _("That task is not part of this matrix.")
    role = TeamRole.objects.filter(pk=role_id).first()
    if role is None:
        return _("That team role does not exist.")
    try:
        services.template_assignment_toggle(task=task, role=role, letter=letter)
    except services.RaciError as exc:
        return str(exc)
    return None


@require_POST
def template_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    _require_template_editor(request)
    template = get_object_or_404(RaciTemplate, pk=pk)
    error = _toggle_template_cell(request, template)
    if request.htmx:
        context = _template_context(request, template, cell_error=error)
        return render(request, "raci/_grid.html", context)
    if error:
        messages.error(request, error)
    return redirect("raci:template", pk)
