"""RACI pages: the matrix in two views, editing in place, templates, my roles, exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import AccountAccess, account_access
from accounts.models import AccountTeamMember
from core import fragments
from core.concurrency import save_or_form_error
from core.pages import (
    cached_workspace_page,
    confirm_action_page,
    form_status,
    save_form_page,
)
from core.prepared import prepared
from core.spreadsheets import csv_text
from profiles.selectors import attach_visible_profiles
from raci import exports, selectors, services
from raci.forms import (
    ApplyTemplateForm,
    RaciMatrixStatusForm,
    RaciTaskForm,
    RaciTemplateForm,
    RaciTemplateTaskForm,
)
from raci.models import LETTER_ORDER, RaciMatrix, RaciTask, RaciTemplate


def _with_visible_profiles(matrix: selectors.Matrix, viewer: Any) -> selectors.Matrix:
    """Colour badges in the column heads, for the profiles the viewer may see."""
    attach_visible_profiles(viewer, [m for ms in matrix.holders.values() for m in ms])
    return matrix


@prepared
def _matrix_status(account_id: int) -> QuerySet[RaciMatrix]:
    """The account's matrix status (one at most), with who agreed it: `.first()` kept.

    The header names who agreed it: their seats with their people in one query.
    """
    agreed_by = AccountTeamMember.objects.select_related("user")
    return (
        RaciMatrix.objects.filter(account_id=account_id)
        .prefetch_related(Prefetch("participants", queryset=agreed_by))
        .order_by("pk")[:1]
    )


def _matrix_context(access: AccountAccess, **extra: Any) -> dict[str, Any]:
    account = access.account
    status = _matrix_status.first(account.pk)
    return {
        "access": access,
        "account": account,
        "tab": "raci",
        "matrix": _with_visible_profiles(selectors.matrix_for(account), access.user),
        "status": status,
        "legend": selectors.legend(),
        "letters": LETTER_ORDER,
        "toggle_url": reverse("raci:toggle", args=[account.slug]),
        "can_edit": access.can_edit,
        "apply_form": ApplyTemplateForm() if access.can_edit else None,
        **extra,
    }


@require_safe
def matrix(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    return cached_workspace_page(
        request,
        access,
        "raci/matrix.html",
        "raci",
        "raci/_matrix_body.html",
        lambda: _matrix_context(access),
    )


@require_safe
def table(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    return render(request, "raci/table.html", _matrix_context(access))


@require_safe
def print_view(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    return render(request, "raci/print.html", _matrix_context(access))


@require_POST
def apply_template(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    form = ApplyTemplateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the templates."))
        return redirect("raci:matrix", slug)
    summary = services.template_apply(
        template=form.cleaned_data["template"], account=access.account, actor=request.user
    )
    if summary.added:
        messages.success(
            request, _("Added from the template: %(tasks)s.") % {"tasks": ", ".join(summary.added)}
        )
    if summary.skipped:
        messages.info(
            request,
            _("Already in the matrix, left as they are: %(tasks)s.")
            % {"tasks": ", ".join(summary.skipped)},
        )
    return redirect("raci:matrix", slug)


def task_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Add a task at the end of the matrix, or rename the task `pk`."""
    access = account_access(request.user, slug, write=True)
    instance = get_object_or_404(access.account.raci_tasks, pk=pk) if pk else None
    form = RaciTaskForm(request.POST or None, instance=instance, account=access.account)

    def save() -> RaciTask:
        if instance is None:
            form.instance.order = services.next_order(access.account.raci_tasks.all())
        return form.save_checked()

    return save_form_page(
        request,
        access,
        form,
        save=save,
        saved=lambda task: _("Task “%(name)s” saved.") % {"name": task.name},
        next_url=reverse("raci:matrix", args=[slug]),
        title=_("Rename task") if instance else _("Add task"),
        cancel_url=reverse("raci:matrix", args=[slug]),
        tab="raci",
    )


task_create = task_edit = task_form  # the two addresses of one form


def task_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    task = get_object_or_404(access.account.raci_tasks, pk=pk)
    matrix_url = reverse("raci:matrix", args=[slug])
    return confirm_action_page(
        request,
        access,
        action=lambda: services.task_delete(task=task, actor=request.user),
        done=_("Task “%(name)s” deleted. The history keeps a record of it.") % {"name": task.name},
        next_url=matrix_url,
        title=_("Delete the task “%(name)s”?") % {"name": task.name},
        message=_(
            "The task and all its letters are removed from the matrix. The account history keeps "
            "a record of it."
        ),
        submit=_("Delete task"),
        cancel_url=matrix_url,
        tab="raci",
    )


@require_POST
def task_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    task = get_object_or_404(access.account.raci_tasks, pk=pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, _("Choose whether to move the task up or down."))
        return redirect("raci:matrix", slug)
    services.task_move(task=task, up=direction == "up")
    return redirect("raci:matrix", slug)


def status_edit(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    status = RaciMatrix.objects.filter(account=access.account).first() or RaciMatrix(
        account=access.account
    )
    was_agreed = status.status == RaciMatrix.Status.AGREED  # before the form applies its input
    form = RaciMatrixStatusForm(request.POST or None, instance=status)

    def save() -> RaciMatrix:
        form.instance.updated_by = request.user
        matrix = form.save_checked()
        services.matrix_agreed_notify(matrix=matrix, was_agreed=was_agreed, actor=request.user)
        return matrix

    return save_form_page(
        request,
        access,
        form,
        save=save,
        saved=_("Matrix status saved."),
        next_url=reverse("raci:matrix", args=[slug]),
        title=_("Matrix status"),
        cancel_url=reverse("raci:matrix", args=[slug]),
        tab="raci",
    )


def _export_rows(access: AccountAccess) -> tuple[selectors.Matrix, list[list[str]]]:
    m = selectors.matrix_for(access.account)
    rows = [[_("Task"), *[r.name for r in m.roles]]]
    rows += [[t.name, *["".join(letters) for _r, letters in cells]] for t, cells in m.rows]
    return m, rows


@require_safe
def export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    _m, rows = _export_rows(access)
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="raci-{slug}.csv"'
    return response


@require_safe
def export_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    m, _rows = _export_rows(access)
    response = HttpResponse(
        exports.matrix_xlsx(access.account, m, selectors.legend()),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="raci-{slug}.xlsx"'
    return response


@require_safe
def my_roles(request: HttpRequest) -> HttpResponse:
    body = fragments.render_cached(
        request,
        "raci/_my_roles_body.html",
        lambda: {"entries": selectors.my_roles(request.user), "legend": selectors.legend()},
        scopes=fragments.ALL,
    )
    return render(request, "raci/my_roles.html", {"body": body})


# Templates -------------------------------------------------------------------


def _require_template_editor(request: HttpRequest) -> None:
    if not request.user.is_manager:
        raise PermissionDenied(_("Only managers and staff keep the RACI templates."))


@require_safe
def template_list(request: HttpRequest) -> HttpResponse:
    templates = RaciTemplate.objects.all()
    return render(
        request,
        "raci/template_list.html",
        {"templates": templates, "can_edit": request.user.is_manager},
    )


def template_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_template_editor(request)
    instance = get_object_or_404(RaciTemplate, pk=pk) if pk else None
    form = RaciTemplateForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        template = save_or_form_error(form, form.save_checked)
        if template is not None:
            messages.success(request, _("Template saved."))
            return redirect("raci:template", template.pk)
    return render(
        request,
        "raci/template_form.html",
        {"form": form, "template": instance},
        status=form_status(form),
    )


@require_safe
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(RaciTemplate, pk=pk)
    return render(request, "raci/template_detail.html", _template_context(request, template))


def _template_context(request: HttpRequest, template: RaciTemplate, **extra: Any) -> dict:
    return {
        "template": template,
        "matrix": selectors.template_matrix(template),
        "legend": selectors.legend(),
        "letters": LETTER_ORDER,
        "can_edit": request.user.is_manager,
        "toggle_url": reverse("raci:template_toggle", args=[template.pk]),
        "task_form": RaciTemplateTaskForm(template=template) if request.user.is_manager else None,
        **extra,
    }


def template_task_create(request: HttpRequest, pk: int) -> HttpResponse:
    _require_template_editor(request)
    template = get_object_or_404(RaciTemplate, pk=pk)
    form = RaciTemplateTaskForm(request.POST or None, template=template)
    if request.method == "POST" and form.is_valid():
        form.instance.order = services.next_order(template.tasks.all())
        task = save_or_form_error(form, form.save)
        if task is not None:
            messages.success(request, _("Task “%(name)s” added.") % {"name": task.name})
            return redirect("raci:template", pk)
    return render(
        request,
        "raci/template_detail.html",
        _template_context(request, template, task_form=form),
        status=form_status(form),
    )


def template_task_delete(request: HttpRequest, pk: int, task_id: int) -> HttpResponse:
    _require_template_editor(request)
    template = get_object_or_404(RaciTemplate, pk=pk)
    task = get_object_or_404(template.tasks, pk=task_id)
    if request.method == "POST":
        task.delete()
        messages.success(
            request, _("Task “%(name)s” removed from the template.") % {"name": task.name}
        )
        return redirect("raci:template", pk)
    return render(request, "raci/template_confirm.html", {"template": template, "task": task})
