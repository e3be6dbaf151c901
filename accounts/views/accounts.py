"""The list of key accounts, creating one, editing, archiving and restoring it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts import selectors, services
from accounts.access import account_access
from accounts.forms import KeyAccountCreateForm, KeyAccountForm
from accounts.models import AccountTeamMember, KeyAccount
from accounts.revenue import attainment, reporting_year, revenue_columns
from core.collation import by_name
from core.concurrency import save_or_form_error
from core.pages import confirm_action_page, form_status, save_form_page
from core.params import QueryReader, say_ignored

PAGE_SIZE = 25


@require_safe
def account_list(request: HttpRequest) -> HttpResponse:
    reader = QueryReader(request.GET)
    accounts, query, classification = selectors.searched(
        KeyAccount.objects.visible_to(request.user), reader
    )
    status = reader.choice("status", [*KeyAccount.Status.values, "all"], KeyAccount.Status.ACTIVE)
    if status != "all":
        accounts = accounts.filter(status=status)
    say_ignored(request, reader.ignored)
    year = reporting_year()
    accounts = accounts.annotate(
        is_mine=Exists(
            AccountTeamMember.objects.active().filter(account=OuterRef("pk"), user=request.user)
        ),
        **revenue_columns(year),
    ).order_by(*by_name("name"))
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    leads = selectors.kams_of([a.pk for a in page])
    for account in page:
        account.lead_members = leads.get(account.pk, [])
        account.attainment = attainment(account.revenue_actual, account.revenue_target)
    context = {
        "page": page,
        "query": query,
        "status": status,
        "classification": classification,
        "statuses": KeyAccount.Status.choices,
        "classifications": KeyAccount.Classification.choices,
        "can_create": request.user.is_manager,
        "revenue_year": year,
        # Someone on no team sees no account here: the directory lists them all.
        "on_no_team": not page.object_list and selectors.is_on_no_team(request.user),
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
                actor=request.user,
            ),
        )
        if account is not None:
            messages.success(request, _("Key account %(name)s created.") % {"name": account})
            return redirect(account)
    return render(
        request,
        "accounts/account_create.html",
        {"form": form},
        status=form_status(form),
    )


def account_edit(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    return save_form_page(
        request,
        access,
        KeyAccountForm(request.POST or None, instance=access.account),
        saved=_("Account saved."),
        next_url=KeyAccount.get_absolute_url,
        title=_("Edit account"),
        cancel_url=access.account.get_absolute_url(),
        tab="overview",
    )


def account_archive(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    access.require_archive()
    account = access.account
    return confirm_action_page(
        request,
        access,
        action=lambda: services.account_archive(account=account),
        done=_("%(name)s is archived. Nothing was deleted.") % {"name": account},
        next_url=account.get_absolute_url(),
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
    return confirm_action_page(
        request,
        access,
        action=lambda: services.account_restore(account=account),
        done=_("%(name)s is active again.") % {"name": account},
        next_url=account.get_absolute_url(),
        title=_("Restore %(name)s?") % {"name": account},
        message=_("The account becomes active again and its leads can edit it."),
        submit=_("Restore account"),
        cancel_url=account.get_absolute_url(),
        tab="overview",
        danger=False,
    )
