"""A key account's plans: the current one, each period, and their potentials and objectives."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from accounts import plan_sections, selectors, services
from accounts.access import AccountAccess, account_access
from accounts.forms import (
    KeyAccountPlanCreateForm,
    KeyAccountPlanForm,
    PlanObjectiveForm,
    PlanPotentialForm,
)
from accounts.models import KeyAccountPlan
from accounts.revenue import revenue_years
from accounts.signals import plan_opened
from core.concurrency import save_or_form_error
from core.pages import confirm_action_page, form_status, save_form_page, workspace_page


@require_safe
def plan_current(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    plan = selectors.current_plan(access.account)
    if plan is None:
        return workspace_page(request, access, "accounts/plan_detail.html", "plan", plan=None)
    return _plan_page(request, access, plan.pk)


@require_safe
def plan_detail(request: HttpRequest, slug: str, plan_id: int) -> HttpResponse:
    access = account_access(request.user, slug)
    return _plan_page(request, access, plan_id)


def _plan_page(request: HttpRequest, access: AccountAccess, plan_id: int) -> HttpResponse:
    account = access.account
    plan = get_object_or_404(selectors.plans_with_rows(account), pk=plan_id)
    # The reviews below are now seen: the portfolio marks them read for a lead.
    plan_opened.send(sender=KeyAccountPlan, plan=plan, access=access)
    today = timezone.localdate()
    # The year before the plan is where it starts from; then each plan year's
    # target against the same year's actual.
    revenue_rows = revenue_years(account, [plan.start_year - 1, *plan.years], today=today)
    years = [
        {
            "revenue": revenue,
            "baseline": revenue.year < plan.start_year,
            "potential": sum(
                (p.estimated_value or 0) for p in plan.potentials.all() if p.year == revenue.year
            ),
        }
        for revenue in revenue_rows
    ]
    return workspace_page(
        request,
        access,
        "accounts/plan_detail.html",
        "plan",
        plan=plan,
        years=years,
        **selectors.plan_expiry(plan, today),
        other_plans=account.plans.exclude(pk=plan.pk).order_by("-start_year"),
        reviews=list(plan.reviews.select_related("reviewed_by")),
        # What apps above accounts add (accounts.plan_sections).
        plan_sections=plan_sections.sections_for(
            plan_sections.PlanPage(access=access, plan=plan, revenue=revenue_rows, today=today)
        ),
    )


def plan_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    account = access.account
    start, end = services.next_plan_period(account)
    form = KeyAccountPlanCreateForm(
        request.POST or None, account=account, initial={"start_year": start, "end_year": end}
    )

    def create() -> KeyAccountPlan:
        services.account_lock(account=account)
        return form.save()

    return save_form_page(
        request,
        access,
        form,
        save=create,
        saved=lambda plan: (
            _("Plan %(period)s created. Fill it in with your team.") % {"period": plan.period}
        ),
        next_url=lambda plan: reverse("accounts:plan_edit", args=[account.slug, plan.pk]),
        title=_("New key account plan"),
        cancel_url=reverse("accounts:plan", args=[account.slug]),
        tab="plan",
        submit=_("Create plan"),
    )


def plan_edit(request: HttpRequest, slug: str, plan_id: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    plan = get_object_or_404(access.account.plans, pk=plan_id)
    form = KeyAccountPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        # Sent back untouched: nothing to write, and the plan keeps its version,
        # so a colleague's form opened before stays valid.
        if not form.has_changed():
            messages.info(request, _("Nothing was changed."))
            return redirect(plan)

        def save() -> KeyAccountPlan:
            services.plan_save(
                plan=form.save(commit=False),
                expected_version=form.expected_version,
                revenue_targets=form.revenue_targets,
                participants=list(form.cleaned_data["workshop_participants"]),
                user=request.user,
            )
            return plan

        if save_or_form_error(form, save) is not None:
            messages.success(request, _("Plan saved."))
            return redirect(plan)
    return workspace_page(
        request,
        access,
        "accounts/plan_form.html",
        "plan",
        form=form,
        plan=plan,
        status=form_status(form),
    )


@dataclass(frozen=True)
class PlanRows:
    """One kind of row of a plan (potentials, objectives) and how the pages name it."""

    related: str
    form_class: type
    new_title: Promise
    edit_title: Promise
    what: Promise


POTENTIALS = PlanRows(
    "potentials",
    PlanPotentialForm,
    gettext_lazy("Add potential"),
    gettext_lazy("Edit potential"),
    gettext_lazy("potential"),
)
OBJECTIVES = PlanRows(
    "objectives",
    PlanObjectiveForm,
    gettext_lazy("Add objective"),
    gettext_lazy("Edit objective"),
    gettext_lazy("objective"),
)


def _plan_row_edit(
    request: HttpRequest, slug: str, plan_id: int, pk: int | None, rows: PlanRows
) -> HttpResponse:
    """Add or edit a potential or objective of a plan, with a version check."""
    access = account_access(request.user, slug, write=True)
    plan = get_object_or_404(access.account.plans, pk=plan_id)
    instance = get_object_or_404(getattr(plan, rows.related), pk=pk) if pk else None
    return save_form_page(
        request,
        access,
        rows.form_class(request.POST or None, instance=instance, plan=plan),
        saved=_("Saved."),
        next_url=plan.get_absolute_url(),
        title=str(rows.edit_title if instance else rows.new_title),
        cancel_url=plan.get_absolute_url(),
        tab="plan",
    )


def _plan_row_delete(
    request: HttpRequest, slug: str, plan_id: int, pk: int, rows: PlanRows
) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    plan = get_object_or_404(access.account.plans, pk=plan_id)
    row = get_object_or_404(getattr(plan, rows.related), pk=pk)
    what = str(rows.what)
    # What the apps above delete with it (accounts.services.plan_row_delete_notes).
    notes = [note for hook in services.plan_row_delete_notes for note in hook(row)]
    return confirm_action_page(
        request,
        access,
        action=row.delete,
        done=_("%(what)s deleted. The history keeps a record of it.") % {"what": capfirst(what)},
        next_url=plan.get_absolute_url(),
        # capfirst: German puts the row first ("Ziel löschen?").
        title=capfirst(_("Delete %(what)s?") % {"what": what}),
        message=" ".join(
            [
                _(
                    "“%(row)s” will be removed from the plan. The account history keeps a "
                    "record of it."
                )
                % {"row": row},
                *notes,
            ]
        ),
        submit=_("Delete"),
        cancel_url=plan.get_absolute_url(),
        tab="plan",
    )


def potential_create(request: HttpRequest, slug: str, plan_id: int) -> HttpResponse:
    return _plan_row_edit(request, slug, plan_id, None, POTENTIALS)


def potential_edit(request: HttpRequest, slug: str, plan_id: int, pk: int) -> HttpResponse:
    return _plan_row_edit(request, slug, plan_id, pk, POTENTIALS)


def potential_delete(request: HttpRequest, slug: str, plan_id: int, pk: int) -> HttpResponse:
    return _plan_row_delete(request, slug, plan_id, pk, POTENTIALS)


def objective_create(request: HttpRequest, slug: str, plan_id: int) -> HttpResponse:
    return _plan_row_edit(request, slug, plan_id, None, OBJECTIVES)


def objective_edit(request: HttpRequest, slug: str, plan_id: int, pk: int) -> HttpResponse:
    return _plan_row_edit(request, slug, plan_id, pk, OBJECTIVES)


def objective_delete(request: HttpRequest, slug: str, plan_id: int, pk: int) -> HttpResponse:
    return _plan_row_delete(request, slug, plan_id, pk, OBJECTIVES)
