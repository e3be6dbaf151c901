"""National plans under a global plan: one country's page, starting and editing it, its rows.

Who reads an account reads all of its national plans; each NKAM changes the
plan of their own country, the global leads every one
(`AccountAccess.can_edit_national`). The country comes from the address and
is checked against the viewer's seats: posting another country changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from accounts import national as selectors
from accounts import services
from accounts.access import AccountAccess, account_access
from accounts.models import KeyAccountPlan, NationalPlan
from accounts.national_forms import NationalObjectiveForm, NationalPlanForm, NationalPotentialForm
from core.concurrency import save_or_form_error
from core.pages import confirm_action_page, form_page, save_form_page, workspace_page


def _plan(access: AccountAccess, plan_id: int) -> KeyAccountPlan:
    plan = get_object_or_404(access.account.plans, pk=plan_id)
    plan.account = access.account
    return plan


def _national(
    request: HttpRequest, slug: str, plan_id: int, country: str, *, write: bool = False
) -> tuple[AccountAccess, NationalPlan]:
    """The national plan of `country` under the account's plan `plan_id`; 404 for outsiders,
    403 on a write by anyone but the country's NKAM and the global leads."""
    access = account_access(request.user, slug, write=write)
    national = selectors.national_plan_or_404(_plan(access, plan_id), country, rows=not write)
    if write:
        access.require_national_edit(national.country.code)
    return access, national


@require_safe
def national_plan(request: HttpRequest, slug: str, plan_id: int, country: str) -> HttpResponse:
    access, national = _national(request, slug, plan_id, country)
    plan = national.plan
    global_targets = {t.year: t.amount for t in plan.revenue_targets.all()}
    national_targets = {t.year: t.amount for t in national.targets.all()}
    return workspace_page(
        request,
        access,
        "accounts/national_plan.html",
        "plan",
        plan=plan,
        national=national,
        can_edit=access.can_edit_national(national.country.code),
        years=[(y, national_targets.get(y), global_targets.get(y)) for y in plan.years],
    )


def national_plan_create(request: HttpRequest, slug: str, plan_id: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    plan = _plan(access, plan_id)
    countries = None if access.leads_globally else set(access.national_countries)
    if countries is not None and not countries:
        access.require_national_edit("")  # a lead by no seat of their own: refused
    wanted = request.GET.get("country", "").upper()[:2]
    form = NationalPlanForm(
        request.POST or None, plan=plan, countries=countries, initial={"country": wanted}
    )
    return save_form_page(
        request,
        access,
        form,
        save=lambda: selectors.national_plan_save(
            national=form.instance, expected_version=form.expected_version, targets=form.targets
        ),
        saved=lambda national: (
            _("National plan for %(country)s started.") % {"country": national.country.name}
        ),
        next_url=lambda national: national.get_absolute_url(),
        title=_("New national plan under the plan %(period)s") % {"period": plan.period},
        cancel_url=plan.get_absolute_url(),
        tab="plan",
        submit=_("Start national plan"),
    )


def national_plan_edit(request: HttpRequest, slug: str, plan_id: int, country: str) -> HttpResponse:
    access, national = _national(request, slug, plan_id, country, write=True)
    form = NationalPlanForm(request.POST or None, instance=national, plan=national.plan)
    if request.method == "POST" and form.is_valid():
        if not form.has_changed():
            messages.info(request, _("Nothing was changed."))
            return redirect(national.get_absolute_url())
        saved = save_or_form_error(
            form,
            lambda: selectors.national_plan_save(
                national=form.save(commit=False),
                expected_version=form.expected_version,
                targets=form.targets,
            ),
        )
        if saved is not None:
            messages.success(request, _("National plan saved."))
            return redirect(national.get_absolute_url())
    return form_page(
        request,
        access,
        form,
        title=_("Edit the national plan for %(country)s") % {"country": national.country.name},
        cancel_url=national.get_absolute_url(),
        tab="plan",
    )


@dataclass(frozen=True)
class NationalRows:
    """One kind of row of a national plan (potentials, objectives) and how the pages name it."""

    related: str
    form_class: type
    new_title: Promise
    edit_title: Promise
    what: Promise


POTENTIALS = NationalRows(
    "potentials",
    NationalPotentialForm,
    gettext_lazy("Add national potential"),
    gettext_lazy("Edit national potential"),
    gettext_lazy("national potential"),
)
OBJECTIVES = NationalRows(
    "objectives",
    NationalObjectiveForm,
    gettext_lazy("Add national objective"),
    gettext_lazy("Edit national objective"),
    gettext_lazy("national objective"),
)


def _row_edit(
    request: HttpRequest, slug: str, plan_id: int, country: str, pk: int | None, rows: NationalRows
) -> HttpResponse:
    access, national = _national(request, slug, plan_id, country, write=True)
    instance = get_object_or_404(getattr(national, rows.related), pk=pk) if pk else None
    url = national.get_absolute_url()
    return save_form_page(
        request,
        access,
        rows.form_class(request.POST or None, instance=instance, national=national),
        saved=_("Saved."),
        next_url=url,
        title=str(rows.edit_title if instance else rows.new_title),
        cancel_url=url,
        tab="plan",
    )


def _row_delete(
    request: HttpRequest, slug: str, plan_id: int, country: str, pk: int, rows: NationalRows
) -> HttpResponse:
    access, national = _national(request, slug, plan_id, country, write=True)
    row = get_object_or_404(getattr(national, rows.related), pk=pk)
    url = national.get_absolute_url()
    what = str(rows.what)
    # What the apps above delete with it (accounts.services.plan_row_delete_notes).
    notes = [note for hook in services.plan_row_delete_notes for note in hook(row)]
    return confirm_action_page(
        request,
        access,
        action=row.delete,
        done=_("%(what)s deleted. The history keeps a record of it.") % {"what": capfirst(what)},
        next_url=url,
        # capfirst: German puts the row first ("Nationales Ziel löschen?").
        title=capfirst(_("Delete %(what)s?") % {"what": what}),
        message=" ".join(
            [
                _(
                    "“%(row)s” will be removed from the national plan. The account history "
                    "keeps a record of it."
                )
                % {"row": row},
                *notes,
            ]
        ),
        submit=_("Delete"),
        cancel_url=url,
        tab="plan",
    )


def potential_create(request: HttpRequest, slug: str, plan_id: int, country: str) -> HttpResponse:
    return _row_edit(request, slug, plan_id, country, None, POTENTIALS)


def potential_edit(
    request: HttpRequest, slug: str, plan_id: int, country: str, pk: int
) -> HttpResponse:
    return _row_edit(request, slug, plan_id, country, pk, POTENTIALS)


def potential_delete(
    request: HttpRequest, slug: str, plan_id: int, country: str, pk: int
) -> HttpResponse:
    return _row_delete(request, slug, plan_id, country, pk, POTENTIALS)


def objective_create(request: HttpRequest, slug: str, plan_id: int, country: str) -> HttpResponse:
    return _row_edit(request, slug, plan_id, country, None, OBJECTIVES)


def objective_edit(
    request: HttpRequest, slug: str, plan_id: int, country: str, pk: int
) -> HttpResponse:
    return _row_edit(request, slug, plan_id, country, pk, OBJECTIVES)


def objective_delete(
    request: HttpRequest, slug: str, plan_id: int, country: str, pk: int
) -> HttpResponse:
    return _row_delete(request, slug, plan_id, country, pk, OBJECTIVES)
