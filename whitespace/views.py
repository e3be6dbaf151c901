"""The whitespace map tab: the grid, editing a cell in place, the units, the export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.access import AccountAccess, account_access
from core.concurrency import save_or_form_error
from core.pages import cached_workspace_page, confirm_action_page, save_form_page
from whitespace import exports, selectors, services
from whitespace.forms import CustomerUnitForm, WhitespaceCellForm
from whitespace.models import CustomerUnit, Offering, WhitespaceCell

TAB = "whitespace"


def _map_url(slug: str) -> str:
    return reverse("whitespace:map", args=[slug])


def _map_context(access: AccountAccess, **extra: Any) -> dict[str, Any]:
    return {
        "map": selectors.whitespace_map(access.account),
        "legend": selectors.legend(),
        "can_edit": access.can_edit,
        **extra,
    }


@require_safe
def map_page(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    return cached_workspace_page(
        request,
        access,
        "whitespace/map.html",
        TAB,
        "whitespace/_map_body.html",
        lambda: _map_context(access),
    )


def cell_edit(request: HttpRequest, slug: str, unit_id: int, offering_id: int) -> HttpResponse:
    """One cell's status, value and note: in place with htmx, else as a form page."""
    access = account_access(request.user, slug, write=True)
    unit = get_object_or_404(access.account.customer_units, pk=unit_id)
    offering = get_object_or_404(Offering, pk=offering_id, is_active=True)
    cell = selectors.cell_for(unit, offering)
    # Ids of their own: several cells' forms may be open in the grid at once.
    form = WhitespaceCellForm(
        request.POST or None, instance=cell, auto_id=f"ws-{unit.pk}-{offering.pk}-%s"
    )
    if request.htmx:
        return _cell_in_place(request, access, form, cell)
    return save_form_page(
        request,
        access,
        form,
        saved=_("%(unit)s × %(offering)s saved.") % {"unit": unit.name, "offering": offering},
        next_url=f"{_map_url(slug)}#ws-cell-{unit.pk}-{offering.pk}",
        title=_("%(unit)s × %(offering)s") % {"unit": unit.name, "offering": offering},
        cancel_url=_map_url(slug),
        tab=TAB,
    )


def _cell_in_place(
    request: HttpRequest, access: AccountAccess, form: WhitespaceCellForm, cell: WhitespaceCell
) -> HttpResponse:
    """The cell answers in its place: its form, or (saved or cancelled) its new content.

    A saved cell brings its row's, its column's and the map's totals along
    (htmx out-of-band swaps). Always 200: htmx swaps only successful answers,
    and a refused save must show its message in the cell.
    """
    posted = request.method == "POST"
    cancelled = not posted and request.GET.get("cancel")
    saved = posted and form.is_valid() and save_or_form_error(form, form.save_checked) is not None
    if not (saved or cancelled):
        form.fields["status"].widget.attrs["autofocus"] = True  # htmx focuses it once swapped in
        context = {"form": form, "cell": cell, "account": access.account}
        return render(request, "whitespace/_cell_form.html", context)
    ws_map = selectors.whitespace_map(access.account)
    row = next(r for r in ws_map.rows if r.unit.pk == cell.unit.pk)
    column = next(i for i, o in enumerate(ws_map.offerings) if o.pk == cell.offering.pk)
    context = {
        "account": access.account,
        "can_edit": access.can_edit,
        "cell": row.cells[column],
        "row": row,
        "offering": ws_map.offerings[column],
        "column_total": ws_map.columns[column],
        "map": ws_map,
        "saved": saved,
    }
    return render(request, "whitespace/_cell_saved.html", context)


def unit_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Add a unit at the end of the map, or rename the unit `pk`."""
    access = account_access(request.user, slug, write=True)
    instance = get_object_or_404(access.account.customer_units, pk=pk) if pk else None
    form = CustomerUnitForm(request.POST or None, instance=instance, account=access.account)

    def save() -> CustomerUnit:
        if instance is None:
            form.instance.order = services.unit_next_order(unit=form.instance)
        return form.save_checked()

    return save_form_page(
        request,
        access,
        form,
        save=save,
        saved=lambda unit: _("Unit “%(name)s” saved.") % {"name": unit.name},
        next_url=_map_url(slug),
        title=_("Edit unit") if instance else _("Add unit"),
        cancel_url=_map_url(slug),
        tab=TAB,
    )


unit_create = unit_edit = unit_form  # the two addresses of one form


def unit_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    unit = get_object_or_404(access.account.customer_units, pk=pk)
    return confirm_action_page(
        request,
        access,
        action=lambda: services.unit_delete(unit=unit),
        blockers=services.unit_delete_blockers(unit=unit),
        done=_("Unit “%(name)s” deleted. The history keeps a record of it.") % {"name": unit.name},
        next_url=_map_url(slug),
        title=_("Delete the unit “%(name)s”?") % {"name": unit.name},
        message=_(
            "The unit and its row of the map (status, values and notes) are removed. The "
            "account history keeps a record of them."
        ),
        submit=_("Delete unit"),
        cancel_url=_map_url(slug),
        tab=TAB,
    )


@require_POST
def unit_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    unit = get_object_or_404(access.account.customer_units, pk=pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, _("Choose whether to move the unit up or down."))
    else:
        services.unit_move(unit=unit, up=direction == "up")
    return redirect("whitespace:map", slug)


@require_safe
def export_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    response = HttpResponse(
        exports.map_xlsx(access.account, selectors.whitespace_map(access.account)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="whitespace-{slug}.xlsx"'
    return response
