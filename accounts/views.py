"""Views of the account workspace. Thin: access, form, service, render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts import selectors, services
from accounts.access import AccountAccess, account_access
from accounts.forms import (
    CustomerContactForm,
    KeyAccountCreateForm,
    KeyAccountForm,
    KeyAccountPlanCreateForm,
    KeyAccountPlanForm,
    PlanObjectiveForm,
    PlanPotentialForm,
    TeamMemberForm,
)
from accounts.models import AccountTeamMember, CustomerContact, KeyAccount, KeyAccountPlan
from coaching.models import APPRECIATION_REMINDER_DAYS
from coaching.selectors import appreciation_status
from kamteam import fragments
from kamteam.concurrency import VersionConflict, is_conflict, save_or_form_error, save_versioned
from portfolio.selectors import latest_review
from profiles.access import can_view_contact_profiles
from profiles.selectors import attach_visible_profiles, contact_profile_view
from touchpoints.selectors import coverage as touchpoint_coverage

PAGE_SIZE = 25


def _workspace(
    request: HttpRequest, access: AccountAccess, template: str, tab: str, **context: Any
) -> HttpResponse:
    context.update(access=access, account=access.account, tab=tab)
    return render(request, template, context)


def _cached_workspace(
    request: HttpRequest,
    access: AccountAccess,
    template: str,
    tab: str,
    body_template: str,
    build_context: Callable[[], dict[str, Any]],
    *parts: object,
) -> HttpResponse:
    """A workspace page whose whole block, tabs included, comes from the fragment cache.

    `build_context` runs only when the block is rendered afresh (kamteam.fragments).
    """
    body = fragments.render_cached(
        request,
        body_template,
        lambda: {**build_context(), "access": access, "account": access.account, "tab": tab},
        scopes=fragments.account_scopes(access.account.pk),
        parts=parts,
    )
    return _workspace(request, access, template, tab, body=body)


def _form_page(
    request: HttpRequest,
    access: AccountAccess,
    form: Any,
    *,
    title: str,
    cancel_url: str,
    tab: str,
    submit: str | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "access": access,
        "account": access.account,
        "tab": tab,
        "form": form,
        "title": title,
        "cancel_url": cancel_url,
        "submit_label": submit or _("Save"),
    }
    return render(request, "accounts/form_page.html", context, status=status)


def _confirm_page(
    request: HttpRequest,
    access: AccountAccess,
    *,
    title: str,
    message: str,
    submit: str,
    cancel_url: str,
    tab: str,
    blockers: list[str] | None = None,
    danger: bool = True,
    status: int = 200,
) -> HttpResponse:
    context = {
        "access": access,
        "account": access.account,
        "tab": tab,
        "title": title,
        "message": message,
        "submit_label": submit,
        "cancel_url": cancel_url,
        "blockers": blockers or [],
        "danger": danger,
    }
    return render(request, "accounts/confirm.html", context, status=status)


def _form_status(form: Any, conflict: bool = False) -> int:
    """200 for a fresh form, 409 for a lost race, 400 for invalid input."""
    if conflict or is_conflict(form):
        return 409
    return 400 if form.is_bound else 200


# Home and account list -----------------------------------------------------


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    memberships = selectors.my_memberships(request.user)
    plans = selectors.current_plans([m.account_id for m in memberships])
    accounts: dict[int, dict[str, Any]] = {}
    for m in memberships:
        entry = accounts.setdefault(
            m.account_id, {"account": m.account, "roles": [], "plan": plans.get(m.account_id)}
        )
        entry["roles"].append(m)
    return render(request, "accounts/home.html", {"my_accounts": list(accounts.values())})


@require_safe
def account_list(request: HttpRequest) -> HttpResponse:
    accounts, query, classification = selectors.searched(
        KeyAccount.objects.visible_to(request.user), request.GET
    )
    status = request.GET.get("status", KeyAccount.Status.ACTIVE)
    if status in KeyAccount.Status.values:
        accounts = accounts.filter(status=status)
    else:
        status = "all"
    accounts = accounts.annotate(
        is_mine=Exists(
            AccountTeamMember.objects.active().filter(account=OuterRef("pk"), user=request.user)
        )
    ).order_by("name")
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    leads = selectors.kams_of([a.pk for a in page])
    for account in page:
        account.lead_members = leads.get(account.pk, [])
    context = {
        "page": page,
        "query": query,
        "status": status,
        "classification": classification,
        "statuses": KeyAccount.Status.choices,
        "classifications": KeyAccount.Classification.choices,
        "can_create": request.user.is_manager,
    }
    return render(request, "accounts/account_list.html", context)


def account_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_manager:
        raise PermissionDenied(_("Only managers can create key accounts."))
    form = KeyAccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = save_or_form_error(
            form,
            lambda: services.account_create(
                account=form.save(commit=False),
                first_lead=form.cleaned_data["first_lead"],
                lead_role=form.cleaned_data["lead_role"],
                lead_country=form.cleaned_data.get("lead_country") or "",
            ),
        )
        if account is not None:
            messages.success(request, _("Key account %(name)s created.") % {"name": account})
            return redirect(account)
    return render(
        request,
        "accounts/account_create.html",
        {"form": form},
        status=_form_status(form),
    )


# Workspace -----------------------------------------------------------------


@require_safe
def account_detail(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)

    def overview() -> dict[str, Any]:
        data = selectors.account_overview(access.account)
        return {
            **data,
            "plan_review": latest_review(data["plan"]),
            "coverage": touchpoint_coverage(access.account),
            **_coaching_reminders(access),
        }

    return _cached_workspace(
        request,
        access,
        "accounts/account_detail.html",
        "overview",
        "accounts/_overview.html",
        overview,
    )


def _coaching_reminders(access: AccountAccess) -> dict[str, Any]:
    """For leads: team members not thanked for a while. Nothing for read-only viewers."""
    if not access.can_edit:
        return {}
    thanks = appreciation_status(access.account, exclude_user_id=access.user.pk)
    return {
        "thanks_due": [t for t in thanks if t.is_due],
        "reminder_days": APPRECIATION_REMINDER_DAYS,
    }


def account_edit(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    form = KeyAccountForm(request.POST or None, instance=access.account)
    if request.method == "POST" and form.is_valid():
        account = save_or_form_error(form, form.save_checked)
        if account is not None:
            messages.success(request, _("Account saved."))
            return redirect(account)
    return _form_page(
        request,
        access,
        form,
        title=_("Edit account"),
        cancel_url=access.account.get_absolute_url(),
        tab="overview",
        status=_form_status(form),
    )


def account_archive(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    access.require_archive()
    account = access.account
    if request.method == "POST":
        services.account_archive(account=account)
        messages.success(
            request, _("%(name)s is archived. Nothing was deleted.") % {"name": account}
        )
        return redirect(account)
    return _confirm_page(
        request,
        access,
        title=_("Archive %(name)s?") % {"name": account},
        message=_(
            "The account leaves the active lists and becomes read-only for everyone. "
            "Its plan, team, contacts and history are kept, and a manager can restore it "
            "at any time."
        ),
        submit=_("Archive account"),
        cancel_url=account.get_absolute_url(),
        tab="overview",
    )


def account_restore(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    access.require_archive()
    account = access.account
    if request.method == "POST":
        services.account_restore(account=account)
        messages.success(request, _("%(name)s is active again.") % {"name": account})
        return redirect(account)
    return _confirm_page(
        request,
        access,
        title=_("Restore %(name)s?") % {"name": account},
        message=_("The account becomes active again and its leads can edit it."),
        submit=_("Restore account"),
        cancel_url=account.get_absolute_url(),
        tab="overview",
        danger=False,
    )


@require_safe
def account_history(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    access.require_history()
    entries = selectors.account_history(access.account)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return _workspace(request, access, "accounts/history.html", "history", page=page)


# Plan ----------------------------------------------------------------------


@require_safe
def plan_current(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    plan = selectors.current_plan(access.account)
    if plan is None:
        return _workspace(request, access, "accounts/plan_detail.html", "plan", plan=None)
    return _plan_page(request, access, plan.pk)


@require_safe
def plan_detail(request: HttpRequest, slug: str, plan_id: int) -> HttpResponse:
    access = account_access(request.user, slug)
    return _plan_page(request, access, plan_id)


def _plan_page(request: HttpRequest, access: AccountAccess, plan_id: int) -> HttpResponse:
    account = access.account
    plan = get_object_or_404(selectors.plans_with_rows(account), pk=plan_id)
    targets = {t.year: t.amount for t in plan.revenue_targets.all()}
    years = [
        {
            "year": y,
            "target": targets.get(y),
            "potential": sum(
                (p.estimated_value or 0) for p in plan.potentials.all() if p.year == y
            ),
        }
        for y in plan.years
    ]
    return _workspace(
        request,
        access,
        "accounts/plan_detail.html",
        "plan",
        plan=plan,
        years=years,
        other_plans=account.plans.exclude(pk=plan.pk).order_by("-start_year"),
        reviews=list(plan.reviews.select_related("reviewed_by")),
    )


def plan_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    account = access.account
    start, end = services.next_plan_period(account)
    form = KeyAccountPlanCreateForm(
        request.POST or None, account=account, initial={"start_year": start, "end_year": end}
    )
    if request.method == "POST" and form.is_valid():

        def create() -> KeyAccountPlan:
            services.account_lock(account=account)
            return form.save()

        plan = save_or_form_error(form, create)
        if plan is not None:
            messages.success(
                request,
                _("Plan %(period)s created. Fill it in with your team.") % {"period": plan.period},
            )
            return redirect("accounts:plan_edit", account.slug, plan.pk)
    return _form_page(
        request,
        access,
        form,
        title=_("New key account plan"),
        cancel_url=reverse("accounts:plan", args=[account.slug]),
        tab="plan",
        submit=_("Create plan"),
        status=_form_status(form),
    )


def plan_edit(request: HttpRequest, slug: str, plan_id: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    plan = get_object_or_404(access.account.plans, pk=plan_id)
    form = KeyAccountPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_save(
                plan=form.save(commit=False),
                expected_version=form.expected_version,
                revenue_targets=form.revenue_targets,
                participants=list(form.cleaned_data["workshop_participants"]),
                user=request.user,
            )
        except VersionConflict:
            form.add_conflict_error()
            return render(
                request,
                "accounts/plan_form.html",
                {
                    "access": access,
                    "account": access.account,
                    "tab": "plan",
                    "form": form,
                    "plan": plan,
                    "conflict": True,
                },
                status=409,
            )
        messages.success(request, _("Plan saved."))
        return redirect(plan)
    return render(
        request,
        "accounts/plan_form.html",
        {"access": access, "account": access.account, "tab": "plan", "form": form, "plan": plan},
        status=_form_status(form),
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
    form = rows.form_class(request.POST or None, instance=instance, plan=plan)
    conflict = False
    if request.method == "POST" and form.is_valid():
        row = form.save(commit=False)
        try:
            if instance is None:
                row.save()
            else:
                save_versioned(row, expected_version=form.expected_version)
        except VersionConflict:
            form.add_conflict_error()
            conflict = True
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(plan.get_absolute_url())
    return _form_page(
        request,
        access,
        form,
        title=str(rows.edit_title if instance else rows.new_title),
        cancel_url=plan.get_absolute_url(),
        tab="plan",
        status=_form_status(form, conflict),
    )


def _plan_row_delete(
    request: HttpRequest, slug: str, plan_id: int, pk: int, rows: PlanRows
) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    plan = get_object_or_404(access.account.plans, pk=plan_id)
    row = get_object_or_404(getattr(plan, rows.related), pk=pk)
    what = str(rows.what)
    if request.method == "POST":
        row.delete()
        messages.success(
            request,
            _("%(what)s deleted. The history keeps a record of it.") % {"what": capfirst(what)},
        )
        return HttpResponseRedirect(plan.get_absolute_url())
    return _confirm_page(
        request,
        access,
        title=_("Delete %(what)s?") % {"what": what},
        message=_(
            "“%(row)s” will be removed from the plan. The account history keeps a record of it."
        )
        % {"row": row},
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


# Team ----------------------------------------------------------------------


@require_safe
def team(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    members = selectors.team_members(access.account)
    attach_visible_profiles(request.user, members)
    active = [m for m in members if m.is_active]
    return _workspace(
        request,
        access,
        "accounts/team.html",
        "team",
        core=[m for m in active if m.team == AccountTeamMember.Team.CORE],
        extended=[m for m in active if m.team == AccountTeamMember.Team.EXTENDED],
        former=[m for m in members if not m.is_active],
    )


def _member_form(request: HttpRequest, slug: str, pk: int | None) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    team_url = reverse("accounts:team", args=[slug])
    instance = get_object_or_404(access.account.team_members.active(), pk=pk) if pk else None
    form = TeamMemberForm(request.POST or None, instance=instance, account=access.account)
    if request.method == "POST" and form.is_valid():
        # Validation has already applied the new values to the instance.
        member = save_or_form_error(
            form,
            lambda: services.member_save(
                member=form.instance, expected_version=form.expected_version
            ),
        )
        if member is not None:
            messages.success(request, _("%(name)s saved.") % {"name": member.user})
            return HttpResponseRedirect(team_url)
    return _form_page(
        request,
        access,
        form,
        title=_("Edit team member") if instance else _("Add team member"),
        cancel_url=team_url,
        tab="team",
        status=_form_status(form),
    )


def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    return _member_form(request, slug, None)


def member_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _member_form(request, slug, pk)


def member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    member = get_object_or_404(
        access.account.team_members.active().select_related("user", "role"), pk=pk
    )
    team_url = reverse("accounts:team", args=[slug])
    blockers = services.member_removal_blockers(member)
    if request.method == "POST" and not blockers:
        blockers = services.member_remove(member=member)
        if not blockers and member.user_id == request.user.pk:
            messages.success(
                request, _("You left the team of %(account)s.") % {"account": access.account}
            )
            return redirect("home")
        if not blockers:
            messages.success(
                request,
                _(
                    "%(name)s was removed from the team. They are listed under former members and "
                    "can be brought back."
                )
                % {"name": member.user},
            )
            return HttpResponseRedirect(team_url)
    return _confirm_page(
        request,
        access,
        title=_("Remove %(name)s from the team?") % {"name": member.user},
        message=(
            _("You will leave the team and lose access to this account (%(role)s).")
            % {"role": member.role_label}
            if member.user_id == request.user.pk
            else _(
                "%(name)s (%(role)s) will no longer see this account. The record stays in "
                "the team's history."
            )
            % {"name": member.user, "role": member.role_label}
        ),
        submit=_("Remove from team"),
        cancel_url=team_url,
        tab="team",
        blockers=blockers,
        status=409 if request.method == "POST" and blockers else 200,
    )


@require_POST
def member_restore(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    member = get_object_or_404(access.account.team_members.filter(archived_at__isnull=False), pk=pk)
    clash = access.account.team_members.active().filter(
        user=member.user, role=member.role, country=member.country
    )
    taken = clash.exists()
    if not taken:
        try:
            services.member_restore(member=member)
        except IntegrityError:  # the same seat filled at the same moment
            taken = True
    if taken:
        messages.error(
            request, _("%(name)s already holds this role on the team.") % {"name": member.user}
        )
    else:
        messages.success(request, _("%(name)s is back on the team.") % {"name": member.user})
    return redirect("accounts:team", slug)


# Contacts ------------------------------------------------------------------


@require_safe
def contacts(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    everyone = selectors.contacts_with_roles(access.account)
    return _workspace(
        request,
        access,
        "accounts/contacts.html",
        "contacts",
        contacts=[c for c in everyone if c.is_active],
        archived=[c for c in everyone if not c.is_active],
        show_profiles=can_view_contact_profiles(access),
    )


@require_safe
def contact_tree(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    return _workspace(
        request,
        access,
        "accounts/contact_tree.html",
        "contacts",
        roots=selectors.contact_tree(access.account),
        show_profiles=can_view_contact_profiles(access),
    )


@require_safe
def contact_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug)
    contact = get_object_or_404(
        access.account.contacts.select_related("reports_to__account").prefetch_related(
            "buying_roles",
            Prefetch("direct_reports", queryset=CustomerContact.objects.select_related("account")),
        ),
        pk=pk,
    )
    return _workspace(
        request,
        access,
        "accounts/contact_detail.html",
        "contacts",
        contact=contact,
        **contact_profile_view(access, contact),
    )


def _contact_form(request: HttpRequest, slug: str, pk: int | None) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    instance = get_object_or_404(access.account.contacts.active(), pk=pk) if pk else None
    form = CustomerContactForm(request.POST or None, instance=instance, account=access.account)
    conflict = False
    if request.method == "POST" and form.is_valid():
        contact = form.save(commit=False)
        try:
            if instance is None:
                contact.save()
            else:
                save_versioned(contact, expected_version=form.expected_version)
            form.save_m2m()
        except VersionConflict:
            form.add_conflict_error()
            conflict = True
        else:
            messages.success(request, _("%(name)s saved.") % {"name": contact})
            return redirect(contact)
    cancel = instance.get_absolute_url() if instance else reverse("accounts:contacts", args=[slug])
    return _form_page(
        request,
        access,
        form,
        title=_("Edit contact") if instance else _("Add contact"),
        cancel_url=cancel,
        tab="contacts",
        status=_form_status(form, conflict),
    )


def contact_create(request: HttpRequest, slug: str) -> HttpResponse:
    return _contact_form(request, slug, None)


def contact_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _contact_form(request, slug, pk)


def contact_archive(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    contact = get_object_or_404(access.account.contacts.active(), pk=pk)
    blockers = services.contact_archive_blockers(contact)
    if request.method == "POST" and not blockers:
        blockers = services.contact_archive(contact=contact)
        if not blockers:
            messages.success(request, _("%(name)s is archived.") % {"name": contact})
            return redirect("accounts:contacts", slug)
    return _confirm_page(
        request,
        access,
        title=_("Archive %(name)s?") % {"name": contact},
        message=_(
            "Archive a contact who left the customer or is no longer relevant. "
            "Everything about them is kept and they can be restored."
        ),
        submit=_("Archive contact"),
        cancel_url=contact.get_absolute_url(),
        tab="contacts",
        blockers=blockers,
        status=409 if request.method == "POST" and blockers else 200,
    )


@require_POST
def contact_restore(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    contact = get_object_or_404(access.account.contacts.filter(archived_at__isnull=False), pk=pk)
    services.contact_restore(contact=contact)
    messages.success(request, _("%(name)s is an active contact again.") % {"name": contact})
    return redirect(contact)
