"""The relationship plan: which team member looks after which contact, and how closely."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import account_access
from core.pages import confirm_action_page, save_form_page
from core.params import int_param
from touchpoints import selectors
from touchpoints.forms import RelationshipPairForm


@require_safe
def relationships(request: HttpRequest, slug: str) -> HttpResponse:
    access = account_access(request.user, slug)
    return render(
        request,
        "touchpoints/relationships.html",
        {
            "access": access,
            "account": access.account,
            "tab": "touchpoints",
            **selectors.relationship_plan(access.account, request.user),
        },
    )


def relationship_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    instance = get_object_or_404(access.account.relationships, pk=pk) if pk else None
    contact_id = int_param(request.GET.get("contact"))
    initial = {"contact": contact_id} if contact_id is not None else {}
    form = RelationshipPairForm(
        request.POST or None, instance=instance, account=access.account, initial=initial
    )
    url = reverse("touchpoints:relationships", args=[slug])
    return save_form_page(
        request,
        access,
        form,
        saved=_("Relationship saved."),
        next_url=url,
        title=_("Edit relationship") if instance else _("Add relationship"),
        cancel_url=url,
        tab="touchpoints",
    )


def relationship_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = account_access(request.user, slug, write=True)
    pair = get_object_or_404(access.account.relationships, pk=pk)
    url = reverse("touchpoints:relationships", args=[slug])
    return confirm_action_page(
        request,
        access,
        action=pair.delete,
        done=_("Relationship removed. The history keeps a record of it."),
        next_url=url,
        title=_("Remove “%(pair)s”?") % {"pair": pair},
        message=_("The pair leaves the relationship plan."),
        submit=_("Remove"),
        cancel_url=url,
        tab="touchpoints",
    )
