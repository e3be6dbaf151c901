"""The Opportunities tab: the account's deals, and adding, editing, closing and deleting one."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import AccountAccess, account_access
from core.pages import confirm_action_page, save_form_page, workspace_page
from core.params import QueryReader, say_ignored
from opportunities import access as rules
from opportunities import selectors
from opportunities.forms import CloseForm, OpportunityForm
from opportunities.models import Opportunity

TAB = "opportunities"


def _list_url(slug: str) -> str:
    return reverse("opportunities:list", args=[slug])


@require_safe
def opportunity_list(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    reader = QueryReader(request.GET)
    status = reader.choice("status", Opportunity.Status.values)
    say_ignored(request, reader.ignored)
    rows = selectors.account_opportunities(access.account)
    for row in rows:
        row.can_change = rules.can_change(access, row)
    return workspace_page(
        request,
        access,
        "opportunities/list.html",
        TAB,
        rows=[r for r in rows if r.status == status] if status else rows,
        totals=selectors.open_totals(rows),
        chosen_status=status,
        statuses=Opportunity.Status.choices,
    )


def _opportunity(access: AccountAccess, pk: int) -> Opportunity:
    """One of the account's opportunities that the viewer may change (else 403)."""
    opportunity = get_object_or_404(access.account.opportunities, pk=pk)
    rules.require_change(access, opportunity)
    return opportunity


def opportunity_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    if pk is None:
        access = account_access(request.user, slug, write=True)
        instance = None
    else:
        access = account_access(request.user, slug)
        instance = _opportunity(access, pk)
    initial = {}
    if instance is None and access.memberships:
        initial["owner"] = access.memberships[0].pk  # the lead adding it, until changed
    form = OpportunityForm(
        request.POST or None, instance=instance, account=access.account, initial=initial
    )
    return save_form_page(
        request,
        access,
        form,
        saved=_("Opportunity saved."),
        next_url=_list_url(slug),
        title=_("Edit opportunity") if instance else _("Add opportunity"),
        cancel_url=_list_url(slug),
        tab=TAB,
    )


def opportunity_close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug)
    opportunity = _opportunity(access, pk)
    form = CloseForm(request.POST or None, instance=opportunity)
    return save_form_page(
        request,
        access,
        form,
        saved=lambda o: _("Marked as %(status)s.") % {"status": o.get_status_display()},
        next_url=_list_url(slug),
        title=_("Won or lost: “%(title)s”") % {"title": opportunity.title},
        cancel_url=_list_url(slug),
        tab=TAB,
        submit=_("Close opportunity"),
    )


def opportunity_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    opportunity = get_object_or_404(access.account.opportunities, pk=pk)
    return confirm_action_page(
        request,
        access,
        action=opportunity.delete,
        done=_("Opportunity deleted. The history keeps a record of it."),
        next_url=_list_url(slug),
        title=_("Delete “%(title)s”?") % {"title": opportunity.title},
        message=_("The opportunity leaves the pipeline. The account history keeps a record of it."),
        submit=_("Delete"),
        cancel_url=_list_url(slug),
        tab=TAB,
    )
